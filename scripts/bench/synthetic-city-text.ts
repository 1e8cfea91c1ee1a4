/**
 * Deterministic randomness and Indonesian text for the large synthetic city: names, project
 * titles and comments built from a vocabulary of city works, so full-text search indexes
 * realistic words (banjir, saluran, trotoar, anggaran, …) instead of lorem ipsum.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [min, max]. */
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof createRandom>;

export const FIRST_NAMES = [
  "Asep",
  "Dedeh",
  "Ujang",
  "Rina",
  "Agus",
  "Neng",
  "Dadang",
  "Euis",
  "Yusuf",
  "Siti",
  "Budi",
  "Wulan",
  "Hendra",
  "Iis",
  "Rudi",
  "Nurul",
  "Teguh",
  "Lilis",
  "Cecep",
  "Ayu",
  "Fajar",
  "Intan",
  "Dodi",
  "Ratna",
  "Iwan",
  "Maya",
  "Ahmad",
  "Dewi",
  "Yayan",
  "Tati",
  "Irfan",
  "Sri",
  "Andi",
  "Kartika",
  "Rizky",
  "Nining",
  "Galih",
  "Putri",
  "Engkus",
  "Hana",
  "Wawan",
  "Yanti",
  "Eko",
  "Fitri",
  "Bayu",
  "Indah",
  "Joko",
  "Lestari",
] as const;

export const LAST_NAMES = [
  "Saepudin",
  "Kurniasih",
  "Supriatna",
  "Marlina",
  "Setiawan",
  "Yuliani",
  "Hermawan",
  "Komalasari",
  "Maulana",
  "Rohmah",
  "Santoso",
  "Sari",
  "Gunawan",
  "Rahmawati",
  "Permana",
  "Hidayah",
  "Prasetyo",
  "Suhartini",
  "Rahmat",
  "Lestari",
  "Nugraha",
  "Permatasari",
  "Firmansyah",
  "Anggraeni",
  "Kurniawan",
  "Puspitasari",
  "Fauzi",
  "Kusumawati",
  "Sopyan",
  "Sumiati",
  "Maulidi",
  "Wahyuni",
  "Pratama",
  "Ramadhan",
] as const;

export const KECAMATAN_NAMES = ["Sukamaju Utara", "Sukamaju Selatan", "Cikalang", "Rancabali", "Sindanglaya"] as const;

const KELURAHAN_FIRST = ["Suka", "Ci", "Mekar", "Sindang", "Pasir", "Ranca", "Margahayu", "Babakan", "Karang", "Jati"] as const;
const KELURAHAN_SECOND = ["jaya", "asih", "wangi", "sari", "mulya", "resmi", "galih", "laya", "beureum", "kaler"] as const;

/** Fifty distinct kelurahan names: the i-th is made of two syllable groups. */
export function kelurahanName(i: number): string {
  const first = KELURAHAN_FIRST[i % KELURAHAN_FIRST.length]!;
  const second = KELURAHAN_SECOND[Math.floor(i / KELURAHAN_FIRST.length) % KELURAHAN_SECOND.length]!;
  return first.endsWith("a") && second.startsWith("a") ? `${first} ${second[0]!.toUpperCase()}${second.slice(1)}` : `${first}${second}`;
}

const STREETS = [
  "Jalan Merdeka",
  "Jalan Pahlawan",
  "Jalan Siliwangi",
  "Jalan Raya Sukamaju",
  "Gang Mawar",
  "Gang Melati",
  "Jalan Cikalang Raya",
  "Jalan Pasar Baru",
  "Jalan Sekolah",
  "Jalan Pemuda",
  "Jalan Kenanga",
  "Jalan Sudirman",
] as const;

const WORKS: { what: string; action: string; category: string }[] = [
  { what: "saluran drainase", action: "Normalisasi", category: "drainage" },
  { what: "gorong-gorong", action: "Pembangunan", category: "drainage" },
  { what: "jalan lingkungan", action: "Pengaspalan", category: "roads" },
  { what: "trotoar", action: "Pelebaran", category: "roads" },
  { what: "taman kota", action: "Penataan", category: "parks" },
  { what: "ruang terbuka hijau", action: "Pembangunan", category: "parks" },
  { what: "halte bus", action: "Pembangunan", category: "transport" },
  { what: "jalur sepeda", action: "Pembuatan", category: "transport" },
  { what: "balai warga", action: "Renovasi", category: "public_facilities" },
  { what: "lampu penerangan jalan", action: "Pemasangan", category: "public_facilities" },
  { what: "rumah susun", action: "Perbaikan", category: "housing" },
  { what: "pasar tradisional", action: "Revitalisasi", category: "other" },
];

const OBJECTS = [
  "saluran",
  "selokan",
  "gorong-gorong",
  "jalan",
  "trotoar",
  "jembatan",
  "lampu jalan",
  "pohon",
  "taman",
  "halte",
  "drainase",
  "tanggul",
  "zebra cross",
  "parkir",
  "tempat sampah",
  "pasar",
  "sekolah",
  "puskesmas",
] as const;
const PROBLEMS = [
  "banjir",
  "genangan air",
  "macet",
  "jalan berlubang",
  "sampah menumpuk",
  "gelap di malam hari",
  "longsor",
  "debu",
  "bau tidak sedap",
  "trotoar rusak",
  "parkir liar",
  "pohon tumbang",
  "air meluap",
] as const;
const TIMES = [
  "setiap musim hujan",
  "setiap sore",
  "sejak tahun lalu",
  "pada pagi hari",
  "kalau hujan deras",
  "menjelang lebaran",
  "sepanjang minggu",
  "saat jam pulang sekolah",
  "hampir setiap hari",
  "sejak proyek terakhir",
] as const;
const PLACES = [
  "dekat pasar",
  "depan sekolah",
  "di RT 03",
  "di RW 05",
  "di ujung gang",
  "dekat masjid",
  "di perempatan",
  "depan puskesmas",
  "di belakang kantor kelurahan",
  "sepanjang jalan utama",
  "dekat jembatan",
  "di pertigaan",
] as const;
const VERBS = [
  "diperbaiki",
  "dilebarkan",
  "dibersihkan",
  "diperdalam",
  "ditanami pohon",
  "diberi lampu",
  "dicor ulang",
  "diaspal",
  "ditinggikan",
  "diberi penutup",
  "dipindahkan",
  "diperluas",
] as const;
const OPENERS = [
  "Saya setuju,",
  "Saya kurang setuju,",
  "Menurut saya,",
  "Sebaiknya",
  "Mohon",
  "Terima kasih atas infonya,",
  "Sebagai warga sini,",
  "Kalau boleh usul,",
  "Setuju sekali,",
  "Maaf, saya ragu,",
] as const;
const MONEY = ["anggaran", "biaya", "dana APBD", "dana kelurahan", "anggaran perawatan", "biaya pembebasan lahan"] as const;
const PEOPLE = ["warga", "pedagang", "anak sekolah", "pengendara motor", "pejalan kaki", "lansia", "ibu-ibu", "ojek"] as const;

type Pick = Random["pick"];

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

const SENTENCES: ((p: Pick) => string)[] = [
  (p) => `${p(OPENERS)} ${p(OBJECTS)} ${p(PLACES)} perlu ${p(VERBS)} karena ${p(PROBLEMS)} ${p(TIMES)}.`,
  (p) => `Di ${p(STREETS)} ${p(PROBLEMS)} terjadi ${p(TIMES)}, jadi ${p(OBJECTS)} harus ${p(VERBS)}.`,
  (p) => `${capitalize(p(MONEY))} sebaiknya dipakai untuk ${p(OBJECTS)} ${p(PLACES)}, bukan hanya ${p(OBJECTS)}.`,
  (p) => `Bagaimana dengan ${p(PEOPLE)} yang lewat ${p(PLACES)} selama pekerjaan berlangsung?`,
  (p) => `${capitalize(p(PEOPLE))} di sini sering mengeluh soal ${p(PROBLEMS)} ${p(TIMES)}.`,
  (p) => `Apakah ${p(MONEY)} sudah termasuk perawatan ${p(OBJECTS)} setelah selesai?`,
  (p) => `${p(OPENERS)} jangan sampai ${p(OBJECTS)} yang baru malah membuat ${p(PROBLEMS)} ${p(PLACES)}.`,
  (p) => `Tolong perhatikan juga ${p(OBJECTS)} ${p(PLACES)} yang sudah lama rusak.`,
  (p) => `Kami di ${p(STREETS)} siap membantu kerja bakti membersihkan ${p(OBJECTS)}.`,
  (p) => `Kalau ${p(OBJECTS)} ${p(VERBS)}, ${p(PEOPLE)} tidak perlu lagi menghadapi ${p(PROBLEMS)}.`,
  (p) => `Mohon jadwal pekerjaan diumumkan supaya ${p(PEOPLE)} bisa mencari jalan lain.`,
  (p) => `${capitalize(p(PROBLEMS))} ${p(PLACES)} sudah terjadi ${p(TIMES)} dan belum ada tindakan.`,
];

/** A comment: one to four sentences, sometimes in two paragraphs; plain text that Markdown keeps as is. */
export function commentText(rnd: Random): string {
  const count = 1 + Math.floor(rnd.next() * rnd.next() * 4.5);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(rnd.pick(SENTENCES)(rnd.pick));
  if (count >= 3 && rnd.chance(0.5)) return `${parts.slice(0, 2).join(" ")}\n\n${parts.slice(2).join(" ")}`;
  return parts.join(" ");
}

/** The HTML that cookMarkdown makes of `commentText`'s plain paragraphs (checked against it on a sample). */
export function commentHtml(text: string): string {
  return text
    .split("\n\n")
    .map((p) => `<p>${p}</p>`)
    .join("\n");
}

export function threadTitle(rnd: Random): string {
  const o = rnd.pick(OBJECTS);
  const forms = [
    `Usulan soal ${o} ${rnd.pick(PLACES)}`,
    `${capitalize(rnd.pick(PROBLEMS))} ${rnd.pick(PLACES)}`,
    `Pertanyaan tentang ${rnd.pick(MONEY)}`,
    `Dampak pekerjaan bagi ${rnd.pick(PEOPLE)}`,
    `Bagaimana nasib ${o} ${rnd.pick(PLACES)}?`,
  ];
  return rnd.pick(forms);
}

export function proposalTitle(rnd: Random): string {
  return `${rnd.pick(["Tambahkan", "Pindahkan", "Perbaiki", "Perluas", "Bangun"])} ${rnd.pick(OBJECTS)} ${rnd.pick(PLACES)}`;
}

/** A project title and its category; the i-th project names a street so titles vary. */
export function projectTitle(rnd: Random, i: number, kelurahan: string): { title: string; category: string } {
  const work = WORKS[i % WORKS.length]!;
  return { title: `${work.action} ${work.what} ${rnd.pick(STREETS)}, ${kelurahan}`, category: work.category };
}

export function paragraphs(rnd: Random, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`${commentText(rnd)} ${commentText(rnd)}`.replace(/\n\n/g, " "));
  return out.join("\n\n");
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
}
