/**
 * The demo city: Kota Sukamaju, an invented city in West Java, with its kecamatan and kelurahan,
 * demo accounts for every role, residents, and planned works in every phase with their
 * discussions, proposals, supports and votes. Everything is in Indonesian.
 *
 * Deterministic: a seeded generator picks authors, times and ballots, so two runs differ only
 * in dates, which are relative to `now`. All inserts run in one write transaction (withWriteTx,
 * on either engine); stored counts are recomputed from the inserted rows at the end.
 */
import { eq } from "drizzle-orm";
import { tables, withWriteTx, type AppDb, type Schema } from "./engine";
import { recountStoredCountsIn } from "./recount";
import type { Category, Choice, Locale, Outcome, Phase, ProposalStatus, Role, Stance } from "./schema/index";
import { hashPassword } from "../app/accounts/password.server";
import { cookMarkdown } from "../app/content/markdown.server";
import { setSetting } from "../app/settings.server";
import { DEFAULT_CITY_TIMEZONE } from "../app/i18n/format";

export const DEMO_PASSWORD = "demo-rembug-2026";
export const DEMO_ACCOUNTS = {
  resident: "warga@demo.rembug.id",
  moderator: "moderator@demo.rembug.id",
  planner: "perencana@demo.rembug.id",
  admin: "admin@demo.rembug.id",
} as const;

const DEMO_NAMES: Record<keyof typeof DEMO_ACCOUNTS, string> = {
  resident: "Siti Warga (demo)",
  moderator: "Moderator Demo",
  planner: "Perencana Demo",
  admin: "Admin Demo",
};

/** Default limit of supports per resident per project (setting `supportsPerResident`). */
const MAX_SUPPORTS_PER_PROJECT = 5;

// ---------------------------------------------------------------------------------------------
// Areas
// ---------------------------------------------------------------------------------------------

const CITY = { code: "32.99", name: "Kota Sukamaju" };

/** [kecamatan code suffix, name, [[kelurahan name, population], …]] */
const KECAMATAN: [string, string, [string, number][]][] = [
  [
    "01",
    "Sukamaju Utara",
    [
      ["Cibeureum Hilir", 21340],
      ["Sindangsari", 17865],
      ["Mekarwangi", 28410],
      ["Pasirjati", 12930],
    ],
  ],
  [
    "02",
    "Sukamaju Selatan",
    [
      ["Babakan Asih", 24785],
      ["Margahayu", 38120],
      ["Cijerah Kidul", 19460],
    ],
  ],
  [
    "03",
    "Cikalang",
    [
      ["Cikalang", 31275],
      ["Sukaresmi", 15640],
      ["Pasirlayung", 9870],
    ],
  ],
  [
    "04",
    "Rancabali",
    [
      ["Rancabali", 26530],
      ["Sukagalih", 18905],
      ["Cisaranten Wetan", 33760],
      ["Sekeloa Hilir", 11215],
    ],
  ],
  [
    "05",
    "Sindanglaya",
    [
      ["Sindanglaya", 42380],
      ["Karanganyar", 22640],
      ["Jatimulya", 14090],
    ],
  ],
  [
    "06",
    "Pasirkaliki",
    [
      ["Pasirkaliki", 27915],
      ["Sukapura", 20350],
      ["Tamansari Baru", 8760],
    ],
  ],
];

/** Kelurahan code by name, e.g. "Cibeureum Hilir" → "32.99.01.1001". */
function kelurahanCode(name: string): string {
  for (const [kec, , kels] of KECAMATAN) {
    const i = kels.findIndex(([n]) => n === name);
    if (i >= 0) return `${CITY.code}.${kec}.${1001 + i}`;
  }
  throw new Error(`unknown kelurahan ${name}`);
}

function kecamatanCode(name: string): string {
  const kec = KECAMATAN.find(([, n]) => n === name);
  if (!kec) throw new Error(`unknown kecamatan ${name}`);
  return `${CITY.code}.${kec[0]}`;
}

// ---------------------------------------------------------------------------------------------
// Residents (beyond the four demo accounts). They share DEMO_PASSWORD but are listed nowhere.
// ---------------------------------------------------------------------------------------------

/** [display name, kelurahan or null] */
const RESIDENTS: [string, string | null][] = [
  ["Asep Saepudin", "Cibeureum Hilir"],
  ["Dedeh Kurniasih", "Margahayu"],
  ["Ujang Supriatna", "Sindanglaya"],
  ["Rina Marlina", "Babakan Asih"],
  ["Agus Setiawan", "Cisaranten Wetan"],
  ["Neng Yuliani", null],
  ["Dadang Hermawan", "Cikalang"],
  ["Euis Komalasari", "Sukaresmi"],
  ["Yusuf Maulana", "Pasirkaliki"],
  ["Siti Rohmah", "Mekarwangi"],
  ["Budi Santoso", "Jatimulya"],
  ["Wulan Sari", "Sukagalih"],
  ["Hendra Gunawan", "Karanganyar"],
  ["Iis Rahmawati", null],
  ["Rudi Permana", "Cibeureum Hilir"],
  ["Nurul Hidayah", "Margahayu"],
  ["Teguh Prasetyo", "Sindangsari"],
  ["Lilis Suhartini", "Sukapura"],
  ["Cecep Rahmat", "Rancabali"],
  ["Ayu Lestari", "Babakan Asih"],
  ["Fajar Nugraha", "Sindanglaya"],
  ["Intan Permatasari", null],
  ["Dodi Firmansyah", "Pasirjati"],
  ["Ratna Anggraeni", "Cijerah Kidul"],
  ["Iwan Kurniawan", "Cisaranten Wetan"],
  ["Maya Puspitasari", "Tamansari Baru"],
  ["Ahmad Fauzi", "Cikalang"],
  ["Dewi Kusumawati", "Sekeloa Hilir"],
  ["Yayan Sopyan", "Karanganyar"],
  ["Tati Sumiati", null],
  ["Irfan Maulidi", "Pasirlayung"],
  ["Sri Wahyuni", "Mekarwangi"],
  ["Andi Pratama", "Jatimulya"],
  ["Kartika Sari", "Margahayu"],
  ["Rizky Ramadhan", "Sindanglaya"],
  ["Nining Kurniati", "Cibeureum Hilir"],
  ["Galih Pamungkas", null],
  ["Putri Handayani", "Sukaresmi"],
  ["Engkus Kuswara", "Rancabali"],
  ["Hana Fitriani", "Pasirkaliki"],
  ["Wawan Setiawan", "Babakan Asih"],
  ["Yanti Nurjanah", "Sukagalih"],
];

/** Days before `now` each resident joined: a launch cohort, then a steady trickle. */
function residentJoinedDaysAgo(i: number): number {
  if (i < 18) return 392 + ((i * 37) % 45);
  if (i < 31) return 150 + ((i * 53) % 225);
  return 21 + ((i * 29) % 125);
}

// ---------------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------------

type Staff = "planner" | "moderator" | "demo";

/** A reply: handwritten text, optional stance and author, optional replies of its own. */
interface ReplySpec {
  t: string;
  s?: Stance | null;
  by?: Staff;
  r?: ReplySpec[];
}

/** A top-level comment. `was` is the earlier text of an edited comment; `del` marks a comment its author deleted. */
interface CommentSpec {
  s: Stance | null;
  t: string;
  by?: Staff;
  was?: string;
  del?: boolean;
  r?: ReplySpec[];
}

interface ThreadSpec {
  title: string;
  body: string;
  by?: Staff;
  pinned?: boolean;
  locked?: boolean;
  c: CommentSpec[];
}

interface ProposalSpec {
  title: string;
  body: string;
  status: ProposalStatus;
  answer?: string;
  by?: Staff;
  /** Comments specific to this proposal, before the generic ones. */
  c?: string[];
  /** A last comment by the proposal's own author (e.g. why it was withdrawn). */
  authorNote?: string;
  /** The demo resident supports this proposal. */
  demoSupport?: boolean;
}

interface ProjectSpec {
  slug: string;
  title: string;
  summary: string;
  body: string;
  category: Category;
  /** A kelurahan name, or "kec:<kecamatan name>". */
  area: string;
  lat?: number | null;
  lng?: number | null;
  budget: number;
  phase: Phase;
  outcome?: Outcome;
  outcomeReason?: string;
  createdDaysAgo: number;
  /** Consultation window in days relative to now (negative = past). */
  window?: { opens: number; closes: number };
  /** When the project entered each later phase, in days relative to now. */
  steps?: Partial<Record<"decided" | "in_progress" | "completed" | "cancelled", number>>;
  /** Bodies of the phase-change updates into these phases (generic text otherwise). */
  notes?: Partial<Record<Phase, string>>;
  updates?: { at: number; body: string }[];
  threads?: ThreadSpec[];
  proposals?: ProposalSpec[];
  /** Share of eligible residents who vote, and the weights of support / oppose / abstain. */
  vote?: { turnout: number; weights: [number, number, number] };
  /** How lively the discussion is: the chance of extra replies (0–1). */
  heat?: number;
  /** The demo resident's own ballot on this project, if any. */
  demoVote?: Choice;
}

const PROJECTS: ProjectSpec[] = [
  // ---------------------------------------------------------------- draft
  {
    slug: "penataan-trotoar-dan-jalur-sepeda-jalan-merdeka",
    title: "Penataan Trotoar dan Jalur Sepeda Jalan Merdeka",
    summary:
      "Trotoar Jalan Merdeka diperlebar menjadi 3 meter dan dilengkapi jalur sepeda terproteksi sepanjang 2,1 km, dari Alun-alun sampai Stasiun Sukamaju.",
    body: `Jalan Merdeka adalah jalur pejalan kaki tersibuk di pusat kota, tetapi trotoarnya sempit, terputus oleh pintu masuk toko, dan sering dipakai parkir sepeda motor.

## Rencana awal

- Trotoar diperlebar menjadi 3 m di kedua sisi, dengan jalur pemandu untuk tunanetra;
- jalur sepeda selebar 1,5 m yang dipisahkan dari lajur kendaraan dengan separator;
- 40 titik parkir sepeda dan 6 titik bongkar muat untuk toko;
- pohon peneduh dan bangku di setiap 100 m.

## Yang masih disiapkan

Kajian lalu lintas dan desain teknis masih berjalan. Halaman ini akan dibuka untuk konsultasi publik setelah gambar rencana dan perkiraan dampak terhadap parkir siap dibagikan.`,
    category: "transport",
    area: "kec:Pasirkaliki",
    lat: -6.9135,
    lng: 107.6098,
    budget: 6_750_000_000,
    phase: "draft",
    createdDaysAgo: 12,
  },
  {
    slug: "perpustakaan-digital-dan-ruang-literasi-sukapura",
    title: "Perpustakaan Digital dan Ruang Literasi Warga Sukapura",
    summary: "Bekas gedung karang taruna Sukapura diubah menjadi perpustakaan kecil dengan komputer publik dan kelas literasi digital bagi warga segala usia.",
    body: `Banyak warga masih kesulitan memakai layanan publik daring: mendaftar sekolah, mengurus BPJS, atau melapor lewat aplikasi kota. Ruang literasi ini menyediakan tempat belajar yang dekat dan gratis.

## Isi ruang

1. Koleksi buku anak dan remaja serta akses perpustakaan digital;
2. 12 komputer publik dan Wi-Fi dengan pengamanan jaringan;
3. kelas rutin literasi digital: keamanan akun, mengenali penipuan daring, dan menjaga data pribadi;
4. pendampingan mengurus layanan daring pemerintah.

Rancangan ini masih disusun bersama pengurus RW dan karang taruna setempat.`,
    category: "public_facilities",
    area: "Sukapura",
    lat: null,
    lng: null,
    budget: 680_000_000,
    phase: "draft",
    createdDaysAgo: 5,
  },

  // ---------------------------------------------------------------- consultation (open)
  {
    slug: "normalisasi-saluran-drainase-jalan-cibeureum",
    title: "Normalisasi Saluran Drainase Jalan Cibeureum",
    summary:
      "Saluran di sepanjang Jalan Cibeureum diperlebar dan diperdalam sepanjang 1,8 km agar genangan setinggi lutut saat hujan deras tidak terulang. Warga diminta menilai jalur, jadwal kerja, dan pengaturan akses selama pekerjaan.",
    body: `## Latar belakang

Setiap musim hujan, Jalan Cibeureum dan gang-gang di sekitarnya tergenang 30–60 cm. Saluran yang ada dibangun pada 1990-an, lebarnya hanya 60 cm, dan sebagian besar tertutup sedimen serta sampah. Kanal pengaduan kota mencatat 214 laporan genangan dari kelurahan ini sepanjang tahun lalu.

## Lingkup pekerjaan

- Pelebaran saluran dari 60 cm menjadi 120 cm dan pendalaman rata-rata 40 cm sepanjang 1,8 km;
- penggantian 36 gorong-gorong di mulut gang dan jalan masuk rumah;
- penutup beton berlubang yang dapat dibuka untuk pembersihan;
- 12 sumur resapan di ruas yang paling sering tergenang;
- dua sensor ketinggian air yang datanya tampil terbuka di portal kota.

## Dampak selama pekerjaan

Pekerjaan dilakukan per segmen 150 meter, sehingga hanya satu segmen yang terbuka pada satu waktu. Jalan tetap dapat dilalui satu lajur dengan sistem buka-tutup, dan akses pejalan kaki ke rumah serta warung dijamin dengan jembatan sementara dari pelat baja. Pekerjaan bising dibatasi pukul 08.00–17.00.

## Jadwal

Jika rencana disetujui, lelang dilakukan pada triwulan berikutnya dan pekerjaan fisik berlangsung sekitar tujuh bulan, dimulai setelah puncak musim hujan.

## Yang ingin kami dengar

Apakah ada titik genangan yang belum tercantum? Bagaimana sebaiknya akses ke rumah dan tempat usaha diatur selama pekerjaan? Semua masukan dirangkum dalam laporan yang dibahas bersama Dinas PUPR.`,
    category: "drainage",
    area: "Cibeureum Hilir",
    lat: -6.8872,
    lng: 107.5931,
    budget: 4_850_000_000,
    phase: "consultation",
    createdDaysAgo: 40,
    window: { opens: -21, closes: 4 },
    updates: [
      {
        at: -7,
        body: `Terima kasih kepada sekitar 60 warga yang hadir pada sosialisasi Sabtu lalu di Balai Kelurahan Cibeureum Hilir. Pertanyaan yang paling sering muncul:

1. **Berapa lama satu segmen terbuka?** Rata-rata tiga minggu per segmen 150 m.
2. **Apakah warung tetap bisa berjualan?** Ya, jembatan pelat baja dipasang di depan setiap pintu usaha.
3. **Siapa yang merawat saluran setelah selesai?** Pengerukan rutin dua kali setahun oleh UPT Drainase.

Bahan paparan dan peta segmen dapat diminta di kantor kelurahan. Sosialisasi berikutnya diadakan Sabtu ini pukul 09.00.`,
      },
      {
        at: -2,
        body: `Sesuai permintaan warga di diskusi, berikut rincian perkiraan biaya:

| Item | Perkiraan biaya |
| --- | ---: |
| Galian dan pembuangan sedimen | Rp820.000.000 |
| Saluran beton pracetak 1,8 km | Rp2.430.000.000 |
| 36 gorong-gorong | Rp610.000.000 |
| 12 sumur resapan | Rp384.000.000 |
| 2 sensor ketinggian air dan panel data | Rp156.000.000 |
| Pengaturan lalu lintas, K3, dan tak terduga | Rp450.000.000 |
| **Jumlah** | **Rp4.850.000.000** |

Biaya pemeliharaan tahunan (pengerukan dan perawatan sensor) diperkirakan Rp95.000.000 dan dianggarkan terpisah oleh UPT Drainase.`,
      },
    ],
    threads: [
      {
        title: "Jadwal sosialisasi tatap muka dan cara memberi masukan",
        body: `Selain di platform ini, kami mengadakan sosialisasi di **Balai Kelurahan Cibeureum Hilir setiap Sabtu pukul 09.00** selama masa konsultasi.

Warga yang kesulitan mengakses platform dapat menitipkan masukan tertulis kepada Ketua RW; petugas kelurahan akan memasukkannya ke sini dengan keterangan sumbernya. Pertanyaan umum silakan ditulis di utas ini.`,
        by: "planner",
        pinned: true,
        c: [
          {
            s: null,
            t: "Terima kasih sudah ada sosialisasi hari Sabtu. Apakah bahan paparannya bisa diunggah juga? Tidak semua warga bisa hadir karena bekerja.",
            r: [
              {
                by: "planner",
                t: "Ringkasan tanya jawab sosialisasi sudah kami unggah sebagai pembaruan proyek. Peta segmen pekerjaan dapat diminta di kantor kelurahan.",
              },
            ],
          },
          {
            s: null,
            t: "Untuk lansia di RW 05 yang tidak punya HP, apakah masukan lewat Ketua RW benar-benar akan dicatat? Kadang titipan seperti ini hilang di jalan.",
            r: [
              {
                by: "planner",
                t: "Setiap titipan diberi nomor dan dicatat sebagai *titipan RW* tanpa nama atau nomor telepon. Rekapnya akan tampil di laporan akhir konsultasi.",
                r: [{ t: "Baik, terima kasih. Nanti saya sampaikan ke pengajian ibu-ibu." }],
              },
            ],
          },
          { s: "neutral", t: "Mohon jadwal sosialisasinya juga diumumkan lewat pengeras suara masjid dan grup WhatsApp RW. Banyak tetangga saya belum tahu." },
          {
            s: null,
            by: "demo",
            t: "Saya hadir Sabtu lalu. Penjelasannya cukup jelas, tapi waktunya terlalu singkat untuk tanya jawab. Mungkin bisa ditambah setengah jam.",
          },
        ],
      },
      {
        title: "Titik genangan yang belum masuk peta rencana",
        body: `Di peta rencana, ruas dekat **SDN Cibeureum 3** tidak ditandai, padahal setiap hujan lebih dari satu jam air masuk ke halaman sekolah.

Mari kumpulkan titik-titik yang terlewat di sini supaya bisa dicek petugas di lapangan.`,
        c: [
          { s: "support", t: "Depan SDN 3 memang parah. Minggu lalu anak saya harus digendong ke kelas karena airnya sebetis." },
          { s: "support", t: "Tambahkan juga pertigaan Gang Mawar. Air dari jalan besar turun ke gang karena gang lebih rendah dari jalan." },
          {
            s: "neutral",
            t: "Ujung saluran di dekat jembatan kecil juga menyempit karena ada bangunan di atasnya. Kalau hulunya dilebarkan tapi ujungnya tetap sempit, air akan tertahan di situ dan banjirnya cuma pindah tempat.",
            was: "Ujung saluran dekat jembatan juga sempit, ada bangunan di atasnya.",
          },
          {
            s: null,
            t: "Apakah sensor ketinggian air nanti datanya bisa dilihat warga secara langsung? Itu berguna sekali untuk peringatan dini.",
            r: [
              {
                by: "planner",
                t: "Ya. Data kedua sensor akan tampil setiap lima menit di portal data terbuka kota dan bisa dipakai untuk peringatan dini di tingkat RW.",
              },
            ],
          },
          { s: "support", t: "Gang Kenanga RT 03 juga. Airnya memang tidak tinggi, tapi surutnya lama sampai dua hari dan bikin jalan licin." },
        ],
      },
      {
        title: "Biaya Rp4,85 miliar, rinciannya bagaimana?",
        body: `Saya mendukung perbaikan saluran, tetapi angka Rp4,85 miliar cukup besar untuk 1,8 km.

Bisakah rincian anggaran per item (galian, beton, gorong-gorong, sensor) dibuka? Transparansi seperti ini penting supaya warga ikut mengawasi.`,
        c: [
          {
            s: "support",
            t: "Setuju, rincian per item akan sangat membantu. Di kota lain sudah ada e-katalog pengadaan, jadi harga satuannya bisa dibandingkan siapa saja.",
            r: [
              {
                by: "planner",
                t: "Rincian perkiraan biaya per item sudah kami unggah sebagai pembaruan proyek, termasuk biaya pemeliharaan tahunan yang dianggarkan terpisah.",
              },
            ],
          },
          { s: "oppose", t: "Menurut saya sensor ketinggian air tidak perlu dulu. Lebih baik anggarannya dipakai untuk menambah sumur resapan." },
          {
            s: "neutral",
            t: "Yang penting ada pemeliharaan rutin setelah selesai. Saluran lama rusak karena tidak pernah dikeruk, bukan hanya karena kurang lebar.",
          },
          {
            s: "support",
            t: "Rp156 juta untuk dua sensor menurut saya wajar kalau datanya benar-benar terbuka. Yang mahal itu kalau banjir terus setiap tahun.",
          },
        ],
      },
      {
        title: "Akses warung dan parkir motor selama pengerjaan",
        body: `Sepanjang Jalan Cibeureum banyak warung dan bengkel kecil. Kalau saluran di depan dibongkar, pelanggan tidak bisa parkir.

Berapa lama satu segmen akan terbuka, dan apakah ada pemberitahuan sebelumnya?`,
        c: [
          {
            s: "oppose",
            t: "Kalau satu segmen ditutup sebulan, warung saya bisa tutup. Mohon ada kompensasi, atau paling tidak pekerjaan di depan toko dilakukan malam hari.",
          },
          { s: "neutral", t: "Jembatan pelat baja sementara sudah bagus, tapi harus cukup lebar untuk gerobak dan kursi roda, dan tidak licin waktu hujan." },
          { s: "support", t: "Lebih baik repot sebulan daripada kebanjiran tiap tahun. Tapi tolong kontraktornya merapikan sisa galian setiap sore." },
          { s: null, t: "Pedagang kaki lima di depan pasar juga perlu diberi tempat sementara, jangan sampai digusur begitu saja tanpa pemberitahuan." },
        ],
      },
    ],
    proposals: [
      {
        title: "Sumur resapan di halaman sekolah dan masjid",
        body: `Selain 12 sumur resapan di pinggir jalan, saya usulkan sumur resapan juga dibangun di halaman **SD, masjid, dan kantor RW**.

Lahannya milik bersama sehingga tidak perlu pembebasan, dan perawatannya bisa diserahkan ke pengurus. Air hujan tertahan sebelum masuk saluran, jadi beban saluran berkurang.`,
        status: "open",
        demoSupport: true,
        c: ["DKM Masjid Al-Ikhlas sudah setuju kalau halaman parkirnya dipakai untuk sumur resapan. Tinggal desain teknisnya."],
      },
      {
        title: "Jadwal per segmen diumumkan seminggu sebelumnya",
        body: `Agar warga dan pemilik usaha bisa bersiap:

- jadwal per segmen ditempel di papan pengumuman RW dan diunggah di platform ini;
- nomor kontak pengawas lapangan dicantumkan di setiap segmen;
- segmen di depan sekolah dikerjakan saat libur sekolah.`,
        status: "under_evaluation",
      },
      {
        title: "Bank sampah per RW agar saluran tidak tersumbat lagi",
        body: `Saluran yang lebar akan tersumbat lagi jika sampah rumah tangga tetap dibuang ke sana.

Usul saya: setiap RW mendapat satu titik bank sampah dan jadwal pengangkutan yang jelas. Sebagian kecil anggaran proyek bisa dipakai untuk tempat sampah terpilah dan pelatihan pengurus.`,
        status: "open",
      },
    ],
    vote: { turnout: 0.62, weights: [0.72, 0.18, 0.1] },
    heat: 0.6,
    demoVote: "support",
  },
  {
    slug: "pelebaran-jalan-raya-sindanglaya",
    title: "Pelebaran Jalan Raya Sindanglaya",
    summary:
      "Ruas Jalan Raya Sindanglaya sepanjang 2,4 km dilebarkan dari dua menjadi empat lajur, lengkap dengan trotoar dan saluran samping. Pelebaran memerlukan sebagian lahan dari 87 bidang.",
    body: `Jalan Raya Sindanglaya adalah jalur utama dari permukiman di timur kota menuju pusat kota dan stasiun. Pada jam sibuk pagi, kecepatan rata-rata kendaraan di ruas ini hanya 9 km/jam menurut data pemantauan lalu lintas kota, dan antrean sering mengular hingga simpang Karanganyar.

## Rencana

- Pelebaran dari 7 m (dua lajur) menjadi 14 m (empat lajur dengan median);
- trotoar 2 m di kedua sisi dengan jalur pemandu tunanetra dan ram di setiap persimpangan;
- saluran samping tertutup di kedua sisi;
- penataan ulang tiga persimpangan dengan lampu lalu lintas terkoordinasi;
- setiap pohon yang ditebang diganti tiga pohon peneduh di ruas yang sama.

## Lahan

Pelebaran membutuhkan sebagian lahan dari 87 bidang, rata-rata 3,5 m dari muka bangunan. Ganti rugi dihitung oleh penilai publik independen sesuai aturan pengadaan tanah untuk kepentingan umum. Daftar bidang terdampak dapat dilihat di kantor kecamatan; demi perlindungan data pribadi, nama pemilik tidak dipublikasikan di platform ini.

## Dampak dan jadwal

Pekerjaan direncanakan selama dua tahun anggaran. Selama konstruksi, sebagian lalu lintas dialihkan melalui Jalan Jatimulya dan Jalan Karanganyar. Angkutan kota tetap beroperasi dengan halte sementara.

Anggaran perkiraan Rp37,5 miliar, termasuk sekitar Rp14 miliar untuk ganti rugi lahan.`,
    category: "roads",
    area: "kec:Sindanglaya",
    lat: -6.9321,
    lng: 107.6512,
    budget: 37_500_000_000,
    phase: "consultation",
    createdDaysAgo: 50,
    window: { opens: -18, closes: 12 },
    updates: [
      {
        at: -9,
        body: `Menanggapi banyak pertanyaan soal pohon, kami meminta tenaga arboris memeriksa **12 pohon mahoni di depan kantor pos**. Hasil awal: 9 pohon dalam kondisi sehat dan 3 pohon keropos di bagian batang.

Kami sedang menghitung apakah median di ruas itu bisa diperlebar agar pohon yang sehat dipertahankan. Hasilnya akan diumumkan sebelum konsultasi ditutup.`,
      },
    ],
    threads: [
      {
        title: "Pohon-pohon tua di sepanjang jalan akan ditebang?",
        body: `Di depan kantor pos ada deretan pohon mahoni yang umurnya puluhan tahun. Itu satu-satunya tempat teduh bagi pejalan kaki di ruas ini.

Berapa pohon yang akan ditebang, dan di mana penggantinya ditanam?`,
        c: [
          {
            s: "oppose",
            t: "Mahoni itu sudah ada sejak saya kecil. Kalau semuanya ditebang, jalan ini akan panas sekali. Apakah tidak bisa dilebarkan ke sisi utara saja?",
            r: [
              {
                by: "planner",
                t: "Dari 64 pohon di ruas ini, 41 berada di jalur pelebaran. Kami sedang mengkaji apakah pohon mahoni yang sehat di depan kantor pos dapat dipertahankan sebagai bagian dari median.",
              },
            ],
          },
          { s: "neutral", t: "Tiga pohon pengganti untuk setiap pohon yang ditebang itu bagus, asal ditanam di ruas yang sama, bukan di pinggir kota." },
          {
            s: "support",
            t: "Sebagian pohon itu akarnya sudah merusak trotoar, dan dua tahun lalu ada dahan jatuh menimpa pengendara motor. Penggantian bertahap masuk akal.",
          },
          { s: null, t: "Mohon hasil kajian arborisnya dilampirkan lengkap. Pohon yang sehat sebaiknya dipertahankan di median." },
        ],
      },
      {
        title: "Ganti rugi lahan: apakah adil untuk pemilik toko kecil?",
        body: `Toko saya hanya berjarak 5 meter dari jalan. Kalau diambil 3,5 meter, praktis tidak bisa dipakai lagi.

Bagaimana perhitungan ganti ruginya, dan apakah ada bantuan untuk usaha yang harus pindah?`,
        c: [
          { s: "oppose", t: "Pengalaman di kota tetangga, ganti rugi baru cair setahun setelah bangunan dibongkar. Jangan sampai terulang di sini." },
          { s: "neutral", t: "Perlu ada pendampingan hukum gratis untuk pemilik lahan. Banyak yang tidak paham cara kerja penilaian appraisal." },
          {
            s: "support",
            t: "Kalau penilainya independen dan hasilnya terbuka, saya setuju. Jalannya memang sudah terlalu sempit untuk kendaraan sebanyak sekarang.",
          },
          {
            s: null,
            t: "Tolong daftar nama pemilik bidang jangan sampai beredar di internet atau grup WhatsApp. Data seperti itu bisa disalahgunakan calo tanah.",
            was: "Tolong daftar nama pemilik jangan disebar.",
          },
        ],
      },
      {
        title: "Kemacetan selama dua tahun pembangunan",
        body: `Pengalihan lewat Jalan Jatimulya dan Karanganyar itu lewat jalan lingkungan yang sempit. Kalau semua kendaraan lewat sana, kampung kami yang akan macet dan tidak aman untuk anak-anak.`,
        c: [
          { s: "oppose", t: "Jalan Jatimulya lebarnya cuma cukup untuk dua mobil berpapasan. Truk material tidak mungkin lewat sana." },
          { s: "neutral", t: "Bisakah pekerjaan utama dilakukan malam hari seperti proyek jalan layang di kota besar? Siang hari jalan tetap dua lajur." },
          { s: "support", t: "Macet dua tahun masih lebih baik daripada macet selamanya. Asal ada petugas pengatur lalu lintas di setiap simpang." },
          {
            s: "oppose",
            t: "Saya dengar kontraktornya dari luar kota dan pekerjanya tidak akan diambil dari warga sini.",
            del: true,
            r: [{ t: "Lelangnya saja belum dilakukan, jadi belum ada kontraktor. Sebaiknya kita tunggu informasi resmi." }],
          },
          { s: null, t: "Angkot jurusan Sindanglaya–Stasiun harus tetap jalan. Banyak pekerja dan pelajar yang bergantung pada angkot itu setiap pagi." },
        ],
      },
      {
        title: "Siapa kontraktornya? Pasti sudah ada titipan",
        body: "Proyek puluhan miliar seperti ini biasanya sudah ada pemenangnya sebelum lelang. Buka saja siapa kontraktornya.",
        locked: true,
        c: [
          { s: "oppose", t: "Tuduhan tanpa bukti tidak membantu. Lelang belum dilakukan, jadi belum ada kontraktor." },
          { s: "neutral", t: "Yang perlu kita minta adalah proses lelang yang terbuka di LPSE, supaya bisa dipantau siapa saja." },
          {
            s: null,
            by: "moderator",
            t: "Utas ini kami kunci karena sudah melenceng ke tuduhan yang tidak dapat diverifikasi. Pertanyaan tentang proses pengadaan silakan disampaikan di utas lain atau sebagai usulan resmi. Terima kasih atas pengertiannya.",
          },
        ],
      },
    ],
    proposals: [
      {
        title: "Pertahankan deretan mahoni sebagai median jalan",
        body: `Deretan pohon mahoni di depan kantor pos bisa menjadi **median** jika median di ruas itu diperlebar sekitar 1 meter. Pelebaran jalan bergeser ke sisi utara yang sebagian masih berupa lahan kosong.

Dengan begitu jalan tetap empat lajur, dan pejalan kaki tetap mendapat keteduhan.`,
        status: "under_evaluation",
        c: ["Ini jalan tengah yang bagus. Sudah saya dukung.", "Perlu dicek apakah lahan kosong di sisi utara itu milik pemerintah atau swasta."],
      },
      {
        title: "Lajur kiri khusus angkot dan sepeda pada jam sibuk",
        body: `Kalau jalan dilebarkan lalu diisi mobil pribadi, dalam lima tahun akan macet lagi. Usul saya:

- lajur paling kiri khusus angkot, bus, dan sepeda pada pukul 06.00–09.00 dan 16.00–19.00;
- teluk halte di setiap 400 m agar angkot tidak berhenti di lajur utama.`,
        status: "open",
      },
      {
        title: "Bantuan pindah usaha bagi pemilik toko terdampak",
        body: `Ganti rugi lahan saja tidak cukup untuk usaha kecil yang harus berhenti berjualan selama pembangunan. Usul:

1. pendataan usaha terdampak oleh kecamatan;
2. bantuan sewa tempat sementara selama enam bulan;
3. prioritas lapak di pasar kecamatan bagi yang kehilangan tempat usaha.`,
        status: "open",
      },
      {
        title: "Batalkan pelebaran, perbaiki transportasi umum saja",
        body: "Daripada melebarkan jalan yang akan kembali macet, lebih baik anggaran dipakai untuk menambah armada bus dan memperbaiki halte di sepanjang Jalan Raya Sindanglaya.",
        status: "withdrawn",
        authorNote: "Saya tarik usulan ini karena sudah tertampung dalam usulan lajur khusus angkot. Silakan dukung usulan itu saja.",
      },
    ],
    vote: { turnout: 0.7, weights: [0.47, 0.41, 0.12] },
    heat: 0.6,
  },
  {
    slug: "taman-tematik-dan-ruang-terbuka-hijau-babakan-asih",
    title: "Taman Tematik dan Ruang Terbuka Hijau Babakan Asih",
    summary:
      "Lahan bekas kantor dinas seluas 6.200 m² di Babakan Asih diubah menjadi taman warga dengan area bermain anak, jalur jalan kaki, kolam retensi kecil, dan pojok literasi digital.",
    body: `Kelurahan Babakan Asih adalah salah satu kawasan terpadat di Kota Sukamaju, dengan ruang terbuka hijau publik kurang dari 2% luas wilayah. Lahan bekas kantor Dinas Pertanian di Jalan Babakan Asih sudah kosong sejak tiga tahun lalu dan kini diusulkan menjadi taman warga.

## Isi taman yang direncanakan

1. Area bermain anak dengan permukaan karet dan peralatan yang ramah anak berkebutuhan khusus;
2. jalur jalan kaki dan *jogging* 450 m mengelilingi taman;
3. kolam retensi kecil yang menampung air hujan dari jalan sekitar;
4. pojok literasi digital: bangku teduh dengan Wi-Fi publik dan jadwal pendampingan relawan bagi warga yang ingin belajar memakai layanan daring pemerintah;
5. toilet umum dan musala kecil;
6. lapak tertata untuk 20 pedagang yang selama ini berjualan di trotoar sekitar.

## Pertanyaan untuk warga

Kami belum memutuskan jam buka taman, pengaturan parkir, serta pembagian luas antara area bermain dan area hijau. Silakan sampaikan pendapat dan dukung usulan yang menurut Anda paling baik.

## Jadwal dan dampak

Pembongkaran bangunan lama memakan waktu sekitar satu bulan, pembangunan taman lima bulan. Truk pengangkut hanya melintas pukul 09.00–15.00 agar tidak bersamaan dengan jam berangkat dan pulang sekolah.`,
    category: "parks",
    area: "Babakan Asih",
    lat: -6.9418,
    lng: 107.6034,
    budget: 3_200_000_000,
    phase: "consultation",
    createdDaysAgo: 30,
    window: { opens: -10, closes: 22 },
    updates: [
      {
        at: -3,
        body: "Sosialisasi keliling akan diadakan di RW 04 (Kamis malam, di pos ronda) dan RW 06 (Minggu pagi, di halaman masjid). Gambar rencana ukuran besar juga dipasang di kantor kelurahan agar bisa dilihat warga yang tidak memakai internet.",
      },
    ],
    threads: [
      {
        title: "Jam buka dan keamanan taman di malam hari",
        body: "Taman yang buka sampai larut sering jadi tempat nongkrong dan balap liar. Saya usul taman buka sampai pukul 21.00, dengan penjaga dan lampu yang cukup.",
        c: [
          { s: "support", t: "Setuju ada batas jam buka. Lampu penerangan dan CCTV di pintu masuk juga perlu." },
          {
            s: "neutral",
            t: "CCTV boleh saja, tapi rekamannya siapa yang pegang dan berapa lama disimpan? Jangan sampai rekaman warga tersebar di media sosial.",
            was: "CCTV boleh, tapi rekamannya siapa yang pegang?",
          },
          { s: "oppose", t: "Jangan ditutup terlalu cepat. Banyak pekerja shift yang baru bisa berolahraga setelah pukul sembilan malam." },
        ],
      },
      {
        title: "Parkir: jangan sampai jalan sekitar jadi lahan parkir",
        body: "Jalan Babakan Asih sudah sempit. Kalau taman ramai di akhir pekan dan tidak ada tempat parkir, mobil akan diparkir di kedua sisi jalan.",
        c: [
          { s: "neutral", t: "Cukup sediakan parkir motor dan sepeda. Taman ini untuk warga sekitar yang bisa berjalan kaki." },
          { s: "oppose", t: "Kalau tidak ada parkir mobil, pengunjung dari kelurahan lain tetap datang dan parkir di depan rumah kami." },
          { s: "support", t: "Taman ramah pejalan kaki itu bagus. Trotoar menuju taman juga perlu diperbaiki supaya kursi roda dan kereta bayi bisa lewat." },
        ],
      },
      {
        title: "Pojok literasi digital: siapa pendampingnya?",
        body: `Ide pojok literasi digital menarik. Banyak orang tua di sini kesulitan mengurus layanan daring, misalnya pendaftaran sekolah atau BPJS.

Tapi siapa yang akan mendampingi, dan apakah kegiatannya berkelanjutan setelah taman diresmikan?`,
        c: [
          { s: "support", t: "Mahasiswa KKN dan karang taruna bisa dilibatkan. Yang penting ada jadwal tetap, misalnya setiap Sabtu sore." },
          { s: "neutral", t: "Wi-Fi publiknya harus aman. Jangan sampai warga mengisi data pribadi lewat jaringan terbuka tanpa pengamanan." },
          {
            s: "support",
            by: "demo",
            t: "Ibu-ibu PKK di RW kami siap membantu kelas belajar aplikasi untuk lansia, asal ada tempat berteduh dan colokan listrik.",
          },
        ],
      },
    ],
    proposals: [
      {
        title: "Kebun sayur komunitas di sebagian area hijau",
        body: `Sebagian area hijau (sekitar 400 m²) dijadikan **kebun sayur** yang dikelola kelompok warga per RW.

Hasilnya dibagikan ke warga atau dijual untuk biaya perawatan taman. Anak-anak sekolah juga bisa belajar menanam di sini.`,
        status: "open",
        by: "demo",
        c: ["Di Sukaresmi sudah ada kebun seperti ini dan berjalan baik. Kuncinya ada kelompok tani yang bertanggung jawab."],
      },
      {
        title: "Area bermain dipisah untuk balita dan anak besar",
        body: "Anak besar sering berlarian dan menabrak balita. Area bermain sebaiknya dibagi dua dengan pagar rendah, dan area balita diberi bangku untuk orang tua yang mengawasi.",
        status: "open",
      },
      {
        title: "Lapak pedagang dibagi lewat undian terbuka",
        body: `Agar adil, 20 lapak pedagang dibagi lewat **undian terbuka** yang dihadiri paguyuban pedagang dan perwakilan RW.

Prioritas diberikan kepada pedagang yang sudah lama berjualan di sekitar lokasi; hasil undian diumumkan dengan nomor lapak, tanpa data pribadi.`,
        status: "open",
      },
    ],
    vote: { turnout: 0.42, weights: [0.8, 0.1, 0.1] },
    heat: 0.5,
  },
  {
    slug: "rusunawa-margahayu",
    title: "Rumah Susun Sederhana Sewa (Rusunawa) Margahayu",
    summary:
      "Pembangunan dua menara rumah susun sewa dengan 198 unit tipe 36 bagi keluarga berpenghasilan rendah, di atas lahan milik pemerintah kota seluas 1,3 hektare.",
    body: `Antrean permohonan rumah layak huni di Kota Sukamaju mencapai lebih dari 3.400 keluarga. Banyak di antaranya tinggal di rumah kontrakan sempit di bantaran sungai. Rusunawa Margahayu dirancang untuk menampung sebagian dari mereka dengan sewa terjangkau.

## Rencana bangunan

- Dua menara lima lantai, total 198 unit tipe 36 (dua kamar tidur);
- lantai dasar untuk ruang usaha warga, PAUD, dan ruang serbaguna;
- unit lantai dasar diprioritaskan bagi penghuni lansia dan penyandang disabilitas;
- panel surya di atap untuk penerangan bersama;
- instalasi pengolahan air limbah komunal.

## Sewa dan penghuni

Perkiraan sewa Rp450.000–Rp650.000 per bulan, tergantung lantai. Calon penghuni dipilih melalui pendaftaran terbuka dengan kriteria penghasilan dan domisili yang diumumkan sebelum pendaftaran dibuka. Data pendaftar hanya dipakai untuk seleksi dan tidak dibagikan ke pihak lain.

## Dampak bagi warga sekitar

Pembangunan berlangsung sekitar 18 bulan. Kendaraan proyek masuk lewat Jalan Margahayu Raya. Kami ingin mendengar kekhawatiran warga sekitar tentang kepadatan, parkir, dan air bersih.

Anggaran Rp46,8 miliar bersumber dari APBD kota dan dukungan program perumahan pemerintah pusat.`,
    category: "housing",
    area: "Margahayu",
    lat: -6.9567,
    lng: 107.6189,
    budget: 46_800_000_000,
    phase: "consultation",
    createdDaysAgo: 45,
    window: { opens: -14, closes: 9 },
    updates: [
      {
        at: -6,
        body: "Tim perencana bersama pengurus RW 07 dan RW 08 meninjau lokasi. Disepakati bahwa akses kendaraan proyek tidak melewati Gang Melati, dan kami akan memeriksa debit sumur warga sebelum dan selama pembangunan.",
      },
    ],
    threads: [
      {
        title: "Apakah air tanah kami akan terganggu?",
        body: "Sumur warga di RW 07 sudah mulai kering setiap kemarau. Kalau rusunawa memakai air tanah dalam untuk 198 keluarga, sumur kami bisa habis.",
        c: [
          {
            s: "oppose",
            t: "Ini kekhawatiran utama kami. Tahun lalu saja banyak yang sudah membeli air galon untuk mandi.",
            r: [
              {
                by: "planner",
                t: "Rusunawa akan tersambung ke jaringan PDAM dan tidak memakai sumur bor dalam. Kami juga menambahkan tangki penampungan air hujan untuk menyiram taman dan membersihkan area bersama.",
                r: [{ s: "support", t: "Kalau begitu saya lebih tenang. Mohon janji ini ditulis di dokumen kontrak." }],
              },
            ],
          },
          { s: "neutral", t: "Harus dipastikan rusunawa tersambung ke PDAM, bukan sumur bor. Dan tekanan air PDAM di sini juga sering lemah." },
          { s: "support", t: "Kalau ada jaminan PDAM dan penampungan air hujan, saya mendukung. Banyak keluarga muda di sini yang butuh tempat tinggal." },
        ],
      },
      {
        title: "Kriteria penghuni harus jelas dan terbuka",
        body: "Jangan sampai unit rusunawa jatuh ke orang yang punya kenalan. Kriteria dan hasil seleksi harus diumumkan, tentu tanpa membuka data pribadi pendaftar.",
        c: [
          { s: "support", t: "Setuju. Umumkan jumlah pendaftar, kuota, dan hasil undian dengan nomor pendaftaran saja." },
          { s: "support", t: "Prioritaskan warga Margahayu sendiri dan keluarga yang terdampak penggusuran bantaran sungai." },
          { s: "neutral", t: "Perlu ada batas waktu sewa supaya bergiliran, misalnya paling lama enam tahun." },
          {
            s: null,
            t: "Bagaimana dengan pekerja informal yang tidak punya slip gaji? Mereka juga harus bisa mendaftar dengan surat keterangan dari kelurahan.",
          },
        ],
      },
      {
        title: "Parkir dan kepadatan lalu lintas",
        body: "198 keluarga berarti bisa ada 200 motor dan puluhan mobil tambahan. Jalan Margahayu Raya sudah macet setiap pagi.",
        c: [
          { s: "oppose", t: "Dalam rencana, lahan parkirnya hanya untuk 120 motor. Pasti meluber ke jalan." },
          { s: "neutral", t: "Mungkin sekalian diusulkan trayek angkot yang masuk ke kawasan rusunawa." },
          { s: "support", t: "Penghuni rusunawa kebanyakan bekerja di sekitar sini, jadi tidak semuanya akan menambah kemacetan." },
        ],
      },
    ],
    proposals: [
      {
        title: "Ruang usaha lantai dasar untuk UMKM penghuni",
        body: "Ruang usaha di lantai dasar sebaiknya disewakan dengan harga khusus kepada penghuni yang punya usaha kecil, misalnya warung, penjahit, atau servis ponsel. Ini membantu penghuni tetap berpenghasilan tanpa harus jauh dari rumah.",
        status: "under_evaluation",
      },
      {
        title: "Kuota unit untuk pekerja informal dan keluarga muda",
        body: `Usul kuota:

- 30% unit untuk pekerja informal yang dibuktikan dengan surat keterangan kelurahan;
- 20% unit untuk keluarga muda dengan anak balita;
- sisanya melalui seleksi umum.`,
        status: "open",
      },
      {
        title: "Penampungan air hujan di setiap menara",
        body: "Setiap menara dilengkapi tangki penampungan air hujan minimal 50 m³ untuk menyiram tanaman, membersihkan lantai, dan cadangan saat air PDAM mati. Ini juga mengurangi limpasan air ke saluran kampung sekitar.",
        status: "open",
      },
    ],
    vote: { turnout: 0.55, weights: [0.55, 0.33, 0.12] },
    heat: 0.5,
  },

  // ---------------------------------------------------------------- review
  {
    slug: "halte-terintegrasi-koridor-utara",
    title: "Halte Terintegrasi Koridor Utara",
    summary:
      "Pembangunan 18 halte tertutup yang ramah disabilitas di sepanjang koridor angkutan kota utara, lengkap dengan papan informasi kedatangan berbasis GPS dan pembayaran nontunai.",
    body: `Koridor utara (Jalan Cibeureum – Jalan Sindangsari – Terminal Pasirjati) dilayani empat trayek angkutan kota dengan sekitar 11.000 penumpang per hari. Saat ini penumpang menunggu di pinggir jalan tanpa tempat berteduh, dan angkot berhenti di sembarang tempat sehingga memicu kemacetan.

## Rencana

- 18 halte tertutup dengan atap, tempat duduk, dan penerangan;
- lantai halte setinggi pintu kendaraan, dengan ram landai untuk kursi roda dan kereta bayi;
- papan informasi kedatangan yang menampilkan perkiraan waktu tiba dari GPS armada;
- pembayaran nontunai dengan kartu atau kode QR, **tanpa menghapus pembayaran tunai**;
- teluk halte dan marka berhenti agar angkot tidak berhenti di lajur utama.

## Data perjalanan

Papan informasi hanya memakai posisi kendaraan, bukan data penumpang. Data transaksi nontunai disimpan operator pembayaran dan hanya diberikan kepada pemerintah kota dalam bentuk rekap jumlah penumpang per halte per jam.

## Jadwal

Pembangunan dilakukan dalam dua gelombang, masing-masing sembilan halte, selama sekitar delapan bulan. Setiap halte dikerjakan kurang lebih tiga minggu; selama itu titik naik-turun dipindahkan sementara paling jauh 50 meter.`,
    category: "transport",
    area: "kec:Sukamaju Utara",
    lat: -6.8915,
    lng: 107.6087,
    budget: 8_950_000_000,
    phase: "review",
    createdDaysAgo: 90,
    window: { opens: -60, closes: -10 },
    updates: [
      {
        at: -25,
        body: "Uji desain ram dan lantai halte dilakukan bersama dua organisasi penyandang disabilitas di halaman Dinas Perhubungan. Kemiringan ram diubah dari 1:8 menjadi 1:12, dan posisi tiang atap digeser agar tidak menghalangi jalur kursi roda.",
      },
      {
        at: -4,
        body: "Rangkuman konsultasi sedang disusun. Tiga usulan warga sedang dievaluasi bersama operator angkutan kota. Kami menargetkan keputusan dalam tiga minggu ke depan.",
      },
    ],
    threads: [
      {
        title: "Papan informasi kedatangan: datanya dari mana?",
        body: "Apakah semua angkot di koridor utara sudah punya GPS? Kalau baru sebagian, papan informasinya bisa menyesatkan. Lalu apakah posisi kendaraan itu dibuka untuk aplikasi lain?",
        c: [
          {
            s: "neutral",
            t: "Di kota lain, papan seperti ini sering mati setelah setahun karena tidak ada biaya perawatan. Mohon pemeliharaannya dianggarkan juga.",
          },
          {
            s: "support",
            t: "Kalau data posisi kendaraan dibuka sebagai data terbuka, pengembang lokal bisa membuat aplikasi jadwal. Itu manfaat nyata kota cerdas.",
          },
          { s: null, t: "Tidak semua sopir angkot punya ponsel pintar. Siapa yang membiayai alat GPS-nya?" },
        ],
      },
      {
        title: "Halte harus benar-benar bisa dipakai kursi roda",
        body: "Saya pengguna kursi roda. Banyak halte baru di kota lain yang rampnya terlalu curam atau terhalang tiang. Mohon desainnya diuji bersama penyandang disabilitas sebelum dibangun.",
        c: [
          {
            s: "support",
            t: "Setuju. Libatkan organisasi penyandang disabilitas untuk uji coba desain, jangan hanya konsultan.",
            r: [
              {
                by: "planner",
                t: "Terima kasih. Uji desain bersama dua organisasi penyandang disabilitas sudah dijadwalkan, dan hasilnya akan kami laporkan dalam pembaruan proyek.",
              },
            ],
          },
          { s: "support", t: "Jalur pemandu untuk tunanetra juga sering dipasang asal-asalan, ujungnya menabrak tiang listrik." },
          { s: "neutral", t: "Ibu-ibu dengan kereta bayi juga butuh ram yang landai. Ini bukan hanya untuk penyandang disabilitas." },
        ],
      },
      {
        title: "Bagaimana nasib sopir angkot dengan sistem nontunai?",
        body: "Sopir angkot dibayar dari setoran harian. Kalau penumpang membayar nontunai, uangnya masuk ke mana dan kapan sopir menerimanya?",
        c: [
          { s: "oppose", t: "Kalau uang nontunai baru cair seminggu kemudian, sopir tidak bisa membeli bensin. Ini harus dipikirkan dari awal." },
          { s: "neutral", t: "Mungkin bisa memakai sistem pembayaran yang langsung masuk ke rekening atau dompet digital sopir setiap hari." },
          { s: "support", t: "Nontunai lebih aman untuk penumpang perempuan di malam hari, tidak perlu mengeluarkan dompet di dalam angkot." },
        ],
      },
    ],
    proposals: [
      {
        title: "Pembayaran tunai tetap dilayani di semua angkot",
        body: "Tidak semua warga punya kartu atau aplikasi pembayaran, terutama lansia dan pekerja harian. Pembayaran tunai harus tetap diterima di dalam kendaraan, paling tidak selama tiga tahun masa transisi.",
        status: "under_evaluation",
      },
      {
        title: "Halte RSUD dipindah lebih dekat ke pintu IGD",
        body: "Rencana halte di depan RSUD Sukamaju berjarak sekitar 200 meter dari pintu IGD dan rawat jalan. Untuk pasien dan lansia, jarak ini terlalu jauh. Usul: halte digeser ke depan gerbang selatan, dengan atap penghubung sampai lobi.",
        status: "under_evaluation",
      },
      {
        title: "Tambah halte di depan Pasar Sindangsari",
        body: "Pasar Sindangsari adalah tujuan utama warga dari Pasirjati, tetapi tidak ada halte di rencana. Satu halte tambahan di depan pasar akan mengurangi angkot yang berhenti sembarangan di sana.",
        status: "open",
      },
    ],
    vote: { turnout: 0.6, weights: [0.68, 0.2, 0.12] },
    heat: 0.35,
    demoVote: "support",
  },

  // ---------------------------------------------------------------- decided
  {
    slug: "mal-pelayanan-publik-cikalang",
    title: "Mal Pelayanan Publik Cikalang",
    summary:
      "Gedung pelayanan terpadu tiga lantai yang menyatukan layanan kependudukan, perizinan, pajak daerah, dan BPJS di satu tempat, dengan anjungan layanan mandiri dan pendamping digital.",
    body: `Warga Kecamatan Cikalang saat ini harus datang ke empat kantor berbeda untuk mengurus KTP dan KK, izin usaha, pajak bumi dan bangunan, serta BPJS. Mal Pelayanan Publik (MPP) menyatukan layanan-layanan itu dalam satu gedung.

## Rencana

- Gedung tiga lantai di atas lahan bekas terminal lama Cikalang (2.400 m²);
- 32 loket layanan dari 14 instansi dengan satu sistem antrean;
- anjungan layanan mandiri untuk mencetak dokumen dan mengecek status permohonan;
- **pendamping digital** yang membantu warga yang belum terbiasa dengan layanan daring;
- ruang laktasi, ruang bermain anak, dan toilet yang dapat diakses kursi roda.

## Layanan daring dan tatap muka

MPP tidak menggantikan layanan daring. Permohonan dapat dimulai dari rumah dan diselesaikan di loket, atau sebaliknya, agar warga yang belum terbiasa dengan aplikasi tetap mendapat layanan yang sama baiknya.

## Perlindungan data

Anjungan mandiri tidak menyimpan salinan dokumen warga. Setiap akses ke data kependudukan tercatat dan diaudit secara berkala.

## Jadwal

Perencanaan teknis sekitar enam bulan, pembangunan sekitar 14 bulan.`,
    category: "public_facilities",
    area: "Cikalang",
    lat: -6.9024,
    lng: 107.6395,
    budget: 18_600_000_000,
    phase: "decided",
    outcome: "approved",
    outcomeReason:
      "Disetujui dengan perubahan. Mayoritas suara mendukung, dan usulan warga tentang loket prioritas serta pendamping digital dimasukkan ke desain akhir. Usulan buka hari Sabtu belum dapat dipenuhi tahun ini.",
    createdDaysAgo: 200,
    window: { opens: -150, closes: -120 },
    steps: { decided: -95 },
    notes: {
      decided: `Rencana Mal Pelayanan Publik Cikalang **disetujui dengan perubahan**:

- loket prioritas untuk lansia, ibu hamil, dan penyandang disabilitas ditambahkan di lantai dasar;
- pendamping digital ditempatkan di setiap lantai selama jam layanan;
- parkir sepeda dan motor diperluas, parkir mobil dikurangi.

Tahap berikutnya adalah perencanaan teknis dan pengadaan. Jadwal lelang akan diumumkan di halaman ini.`,
    },
    updates: [
      {
        at: -60,
        body: "Perencanaan teknis dimulai. Konsultan perencana terpilih melalui tender terbuka dan hasilnya dapat dilihat di LPSE kota. Gambar desain akhir akan dipamerkan di kantor Kecamatan Cikalang sebelum lelang konstruksi.",
      },
    ],
    threads: [
      {
        title: "Apakah loket akan dikurangi kalau semuanya serba daring?",
        body: "Orang tua saya tidak bisa memakai aplikasi. Saya khawatir nanti semua harus daring dan loket dikurangi.",
        c: [
          { s: "support", t: "Justru bagus ada pendamping digital. Asal petugasnya sabar dan tidak menyuruh pulang untuk mengunduh aplikasi dulu." },
          {
            s: "neutral",
            t: "Sebaiknya ada jaminan tertulis bahwa layanan tatap muka tetap ada.",
            r: [
              {
                by: "planner",
                t: "Layanan tatap muka tetap menjadi bagian inti MPP. Jumlah loket justru bertambah, dari total 19 loket di empat kantor lama menjadi 32 loket.",
              },
            ],
          },
          { s: "support", t: "Saya pernah mengurus dokumen di MPP kota lain, satu jam semua selesai. Sangat membantu." },
        ],
      },
      {
        title: "Keamanan data di anjungan layanan mandiri",
        body: "Anjungan mandiri biasanya meminta pindai KTP atau sidik jari. Di mana data itu disimpan, dan siapa yang bisa melihatnya?",
        c: [
          { s: "neutral", t: "Harus ada pemberitahuan yang jelas di layar: data apa yang diambil dan untuk apa." },
          { s: "oppose", t: "Saya tidak nyaman memasukkan NIK di mesin umum. Bagaimana kalau ada yang memasang alat penyadap di mesinnya?" },
          { s: "support", by: "demo", t: "Asal diaudit berkala dan ada tempat melapor kalau terjadi kebocoran, saya setuju." },
        ],
      },
      {
        title: "Akses angkot ke lokasi bekas terminal",
        body: "Bekas terminal lama letaknya agak jauh dari jalan utama. Apakah ada angkot yang lewat ke sana?",
        c: [
          { s: "neutral", t: "Trayek 04 dulu lewat terminal, sekarang hanya sampai simpang. Perlu dikembalikan." },
          { s: "support", t: "Jaraknya masih bisa ditempuh jalan kaki dari simpang, sekitar 300 meter. Asal trotoarnya diperbaiki dan diberi peneduh." },
        ],
      },
    ],
    proposals: [
      {
        title: "Loket prioritas untuk lansia, ibu hamil, dan penyandang disabilitas",
        body: "Sediakan loket khusus di lantai dasar dekat pintu masuk, dengan kursi tunggu dan nomor antrean terpisah, agar lansia, ibu hamil, dan penyandang disabilitas tidak perlu naik ke lantai atas atau menunggu lama.",
        status: "accepted",
        demoSupport: true,
        answer: "Diterima. Empat loket prioritas ditempatkan di lantai dasar dekat pintu masuk, dengan kursi tunggu dan nomor antrean terpisah.",
      },
      {
        title: "Pendamping digital di setiap lantai",
        body: "Pendamping digital jangan hanya di meja informasi. Setiap lantai perlu satu atau dua orang yang bisa membantu warga mengisi formulir daring, mengunggah dokumen, dan membuat akun.",
        status: "accepted",
        answer:
          "Diterima. Pendamping digital akan bertugas di setiap lantai selama jam layanan. Kami bekerja sama dengan perguruan tinggi setempat untuk program magang pendamping.",
      },
      {
        title: "Buka layanan pada Sabtu pagi",
        body: "Banyak pekerja tidak bisa izin di hari kerja. Layanan pada Sabtu pukul 08.00–12.00 akan sangat membantu mereka.",
        status: "rejected",
        answer:
          "Belum dapat diterima untuk tahun anggaran ini karena membutuhkan tambahan pegawai dari 14 instansi. Sebagai gantinya, layanan pada hari Kamis diperpanjang hingga pukul 18.00. Usulan ini akan dievaluasi kembali setelah MPP beroperasi satu tahun.",
      },
    ],
    vote: { turnout: 0.65, weights: [0.7, 0.2, 0.1] },
    heat: 0.35,
    demoVote: "support",
  },
  {
    slug: "gedung-parkir-bertingkat-alun-alun",
    title: "Gedung Parkir Bertingkat Alun-alun Sukamaju",
    summary:
      "Usulan gedung parkir enam lantai untuk 420 mobil dan 900 sepeda motor di sebelah barat Alun-alun, disertai larangan parkir di badan jalan sekitar alun-alun.",
    body: `Kawasan Alun-alun Sukamaju menjadi pusat belanja dan kuliner. Parkir di badan jalan mengurangi lajur lalu lintas dan sering menimbulkan kemacetan pada akhir pekan.

## Usulan awal

- Gedung parkir enam lantai berkapasitas 420 mobil dan 900 sepeda motor di lahan parkir terbuka sebelah barat alun-alun;
- larangan parkir di badan jalan pada empat ruas sekitar alun-alun setelah gedung beroperasi;
- sistem parkir nontunai dengan informasi ketersediaan tempat.

## Pertimbangan

Biaya pembangunan diperkirakan Rp27,3 miliar dan sebagian dikembalikan melalui retribusi parkir. Pembangunan akan menutup lahan parkir terbuka selama sekitar 16 bulan.`,
    category: "transport",
    area: "Pasirkaliki",
    lat: -6.9172,
    lng: 107.6071,
    budget: 27_300_000_000,
    phase: "decided",
    outcome: "rejected",
    outcomeReason:
      "Ditolak. Mayoritas suara menolak, dan kajian lalu lintas menunjukkan gedung parkir di pusat kota akan menarik lebih banyak kendaraan pribadi. Anggaran dialihkan ke kajian park and ride dan perbaikan trotoar sekitar alun-alun.",
    createdDaysAgo: 180,
    window: { opens: -130, closes: -100 },
    steps: { decided: -70 },
    notes: {
      decided: `Rencana gedung parkir bertingkat **ditolak**.

Hasil konsultasi menunjukkan sebagian besar warga tidak mendukung, dan kajian lalu lintas memperlihatkan bahwa tambahan 420 tempat parkir mobil di pusat kota justru menarik lebih banyak kendaraan pribadi ke kawasan yang sudah padat.

Anggaran dialihkan ke:

1. kajian park and ride di dua lokasi pinggir kota;
2. perbaikan trotoar dan penertiban parkir di badan jalan sekitar alun-alun.`,
    },
    updates: [
      {
        at: -65,
        body: "Kajian park and ride dimulai di dua calon lokasi: lahan terminal Pasirjati dan lahan kosong dekat Stasiun Sukamaju. Hasilnya akan dikonsultasikan kepada warga sebagai proyek tersendiri.",
      },
    ],
    threads: [
      {
        title: "Parkir liar dan juru parkir tanpa karcis",
        body: "Masalah utamanya bukan kurang lahan, tapi parkir liar dan juru parkir tanpa karcis. Gedung parkir tidak menyelesaikan itu.",
        c: [
          { s: "oppose", t: "Betul. Setiap akhir pekan saya membayar parkir tiga kali di ruas yang sama, tanpa karcis." },
          { s: "neutral", t: "Data retribusi parkir sebaiknya dibuka: berapa yang masuk kas daerah setiap bulan, per ruas." },
          { s: "support", t: "Kalau gedung parkir disertai penertiban parkir di jalan, saya setuju. Keduanya harus berjalan bersamaan." },
        ],
      },
      {
        title: "Lebih baik perbaiki angkutan umum ke pusat kota",
        body: "Rp27 miliar bisa dipakai untuk banyak hal. Kalau angkot ke alun-alun nyaman dan ada bus malam, orang tidak perlu membawa mobil.",
        c: [
          { s: "oppose", t: "Setuju, gedung parkir hanya mengundang lebih banyak mobil. Macetnya pindah ke pintu masuk gedung." },
          { s: "support", t: "Tapi untuk keluarga dengan anak kecil atau yang belanja banyak, mobil masih dibutuhkan. Jangan semua dipaksa naik angkot." },
          { s: "neutral", t: "Mungkin jalan tengahnya park and ride di pinggir kota dengan bus pengumpan ke alun-alun." },
        ],
      },
    ],
    proposals: [
      {
        title: "Park and ride di pinggir kota dengan bus pengumpan",
        body: "Bangun lahan parkir murah di dua titik pinggir kota, terhubung dengan bus pengumpan setiap 10 menit ke alun-alun. Tarif parkir sudah termasuk tiket bus pulang-pergi.",
        status: "accepted",
        answer:
          "Diterima sebagai tindak lanjut. Sebagian anggaran dialihkan ke kajian park and ride di dua lokasi pinggir kota; hasil kajian akan dikonsultasikan kembali kepada warga.",
      },
      {
        title: "Tarif parkir progresif di pusat kota",
        body: "Tarif parkir di sekitar alun-alun dinaikkan bertahap per jam, agar kendaraan tidak diparkir seharian dan tempat parkir bergiliran.",
        status: "rejected",
        answer:
          "Belum dapat diterima karena memerlukan perubahan peraturan daerah tentang retribusi parkir. Usulan ini diteruskan ke Bagian Hukum sebagai bahan revisi perda.",
      },
    ],
    vote: { turnout: 0.6, weights: [0.25, 0.65, 0.1] },
    heat: 0.35,
  },
  {
    slug: "cctv-dan-sensor-lalu-lintas-kota-cerdas",
    title: "Jaringan CCTV dan Sensor Lalu Lintas Kota Cerdas",
    summary:
      "Pemasangan 120 kamera CCTV dan 60 sensor lalu lintas di persimpangan utama, terhubung ke pusat kendali kota untuk mengatur lampu lalu lintas secara adaptif dan mempercepat penanganan kejadian.",
    body: `Pemerintah kota berencana membangun jaringan kamera dan sensor lalu lintas sebagai bagian dari program kota cerdas. Data dari persimpangan dipantau di pusat kendali untuk mengatur lampu lalu lintas secara adaptif dan mempercepat respons terhadap kecelakaan, banjir, atau kebakaran.

## Komponen

- 120 kamera CCTV di 40 persimpangan dan ruas utama;
- 60 sensor penghitung kendaraan;
- pusat kendali di gedung Dinas Perhubungan;
- lampu lalu lintas adaptif di 18 persimpangan.

## Pertanyaan yang belum terjawab

Rancangan ini **belum** memuat aturan rinci tentang berapa lama rekaman disimpan, siapa yang boleh mengaksesnya, dan apakah rekaman boleh dipakai untuk keperluan lain. Kami ingin mendengar pendapat warga sebelum mengambil keputusan.

## Jadwal

Jika disetujui, pemasangan dilakukan bertahap selama dua tahun.`,
    category: "other",
    area: "kec:Pasirkaliki",
    lat: null,
    lng: null,
    budget: 12_450_000_000,
    phase: "decided",
    outcome: "deferred",
    outcomeReason:
      "Ditunda. Banyak warga mempertanyakan perlindungan data pribadi dari rekaman kamera. Pemerintah kota akan menyusun kajian dampak perlindungan data serta aturan penyimpanan dan akses rekaman, lalu membuka konsultasi ulang.",
    createdDaysAgo: 160,
    window: { opens: -110, closes: -80 },
    steps: { decided: -45 },
    notes: {
      decided: `Keputusan atas rencana ini **ditunda**.

Konsultasi memperlihatkan dukungan terhadap lampu lalu lintas adaptif, tetapi juga kekhawatiran yang kuat tentang perlindungan data pribadi. Sebelum memutuskan, pemerintah kota akan:

- menyusun kajian dampak perlindungan data pribadi;
- merancang peraturan wali kota tentang penyimpanan, akses, dan penghapusan rekaman, termasuk larangan pengenalan wajah;
- membuka konsultasi ulang dengan rancangan aturan tersebut.`,
    },
    updates: [
      {
        at: -20,
        body: "Penyusunan kajian dampak perlindungan data dimulai bersama akademisi hukum dan teknologi informasi dari dua perguruan tinggi. Rancangan aturan penyimpanan rekaman akan dipublikasikan di sini sebelum konsultasi ulang dibuka.",
      },
    ],
    threads: [
      {
        title: "Rekaman disimpan berapa lama dan siapa yang boleh mengakses?",
        body: "Sebelum memasang 120 kamera, aturan penyimpanan dan akses rekaman harus jelas. Siapa yang boleh melihat, berapa lama disimpan, dan bagaimana warga bisa tahu kalau rekamannya dipakai?",
        c: [
          { s: "oppose", t: "Tanpa aturan yang jelas, saya menolak. Rekaman bisa dipakai untuk memantau warga, bukan mengatur lalu lintas." },
          {
            s: "neutral",
            t: "Di banyak kota, rekaman lalu lintas disimpan 30 hari lalu dihapus otomatis, kecuali ada kejadian. Aturan seperti itu sebaiknya ditulis sejak awal.",
          },
          {
            s: "neutral",
            t: "Harus ada log siapa saja yang membuka rekaman, dan log itu diaudit pihak independen setiap tahun.",
            was: "Harus ada catatan siapa yang membuka rekaman.",
          },
          { s: "support", t: "Saya mendukung karena kecelakaan di simpang Sukaresmi sering tidak jelas siapa yang salah. Tapi aturannya memang harus ada." },
        ],
      },
      {
        title: "Apakah akan ada pengenalan wajah?",
        body: "Dokumen rencana tidak menyebut pengenalan wajah, tetapi juga tidak melarangnya. Mohon ditegaskan.",
        c: [
          {
            s: "oppose",
            t: "Pengenalan wajah di ruang publik terlalu berisiko. Salah identifikasi bisa merugikan orang yang tidak bersalah.",
            r: [
              {
                by: "planner",
                t: "Rancangan saat ini tidak mencakup pengenalan wajah. Masukan ini kami catat untuk dimasukkan sebagai larangan tegas dalam rancangan aturan.",
              },
            ],
          },
          { s: "oppose", t: "Setuju dengan larangan. Kota kita tidak butuh teknologi seperti itu untuk mengatur lampu merah." },
          { s: "neutral", t: "Paling tidak harus ada pemberitahuan publik dan konsultasi terpisah kalau fitur seperti itu suatu saat mau diaktifkan." },
        ],
      },
      {
        title: "Lampu lalu lintas adaptif, apakah manfaatnya nyata?",
        body: "Berapa banyak waktu tempuh yang bisa dihemat dengan lampu adaptif? Ada data dari kota lain?",
        c: [
          { s: "support", t: "Di simpang Karanganyar lampu hijaunya 90 detik padahal jalurnya kosong. Lampu adaptif pasti membantu." },
          { s: "neutral", t: "Sensor penghitung kendaraan saja sudah cukup untuk lampu adaptif, tidak perlu kamera." },
          { s: "support", t: "Data lalu lintas yang dibuka ke publik bisa dipakai mahasiswa untuk penelitian. Itu manfaat tambahan." },
        ],
      },
    ],
    proposals: [
      {
        title: "Larangan tegas penggunaan pengenalan wajah",
        body: "Aturan pengelolaan CCTV kota harus memuat larangan tegas penggunaan teknologi pengenalan wajah, termasuk oleh pihak ketiga yang mendapat akses rekaman.",
        status: "accepted",
        answer:
          "Diterima. Larangan penggunaan pengenalan wajah akan dicantumkan dalam rancangan peraturan wali kota tentang pengelolaan CCTV yang disusun sebelum konsultasi ulang.",
      },
      {
        title: "Audit keamanan dan privasi independen setiap tahun",
        body: "Sistem CCTV dan pusat kendali diaudit setiap tahun oleh pihak independen, mencakup keamanan jaringan, log akses rekaman, dan kepatuhan pada aturan penyimpanan. Ringkasan hasil audit dipublikasikan.",
        status: "accepted",
        answer: "Diterima. Audit tahunan oleh pihak independen akan menjadi syarat dalam kontrak, dan ringkasan hasilnya dipublikasikan.",
      },
      {
        title: "Mulai dengan percontohan di 10 persimpangan",
        body: "Daripada langsung 120 kamera, mulai dengan sensor dan lampu adaptif di 10 persimpangan tersibuk selama satu tahun, lalu evaluasi hasilnya secara terbuka sebelum diperluas.",
        status: "under_evaluation",
      },
    ],
    vote: { turnout: 0.7, weights: [0.38, 0.47, 0.15] },
    heat: 0.45,
    demoVote: "oppose",
  },

  // ---------------------------------------------------------------- in progress
  {
    slug: "kolam-retensi-cisaranten-wetan",
    title: "Kolam Retensi Cisaranten Wetan",
    summary:
      "Kolam retensi seluas 1,6 hektare dengan pintu air dan pompa untuk menampung limpasan hujan dari tiga saluran primer yang selama ini meluap ke permukiman Cisaranten Wetan.",
    body: `Kawasan Cisaranten Wetan berada di dataran rendah tempat bertemunya tiga saluran primer. Setiap hujan deras, air meluap ke permukiman di RW 02, 03, dan 09. Kolam retensi menampung limpasan air untuk sementara sebelum dialirkan perlahan ke sungai.

## Lingkup

- Kolam retensi seluas 1,6 hektare dengan kedalaman 3,5 m dan daya tampung sekitar 48.000 m³;
- pintu air dan pompa berkapasitas 2 m³/detik;
- saringan sampah di tiga saluran masuk;
- jalur pejalan kaki dan pagar pengaman di sekeliling kolam.

## Dampak

Truk pengangkut tanah galian melintas lewat Jalan Cisaranten Raya pukul 09.00–16.00. Debu dikendalikan dengan penyiraman dua kali sehari.

## Jadwal

Pekerjaan fisik sekitar 14 bulan, ditargetkan berfungsi sebelum musim hujan berikutnya.`,
    category: "drainage",
    area: "Cisaranten Wetan",
    lat: -6.9286,
    lng: 107.6633,
    budget: 22_750_000_000,
    phase: "in_progress",
    outcome: "approved",
    outcomeReason:
      "Disetujui. Mayoritas suara mendukung. Usulan pagar keliling dan jalur pejalan kaki dimasukkan ke desain; usulan budidaya ikan tidak dapat diterima karena fungsi utama kolam sebagai penampung banjir.",
    createdDaysAgo: 330,
    window: { opens: -290, closes: -260 },
    steps: { decided: -230, in_progress: -150 },
    notes: {
      decided:
        "Pembangunan kolam retensi **disetujui**. Desain akhir memuat pagar keliling, papan peringatan, dan jalur pejalan kaki di tepi kolam sesuai usulan warga. Proses lelang dimulai bulan depan.",
      in_progress:
        "Pekerjaan fisik **dimulai**. Kontraktor pelaksana ditetapkan melalui lelang terbuka di LPSE. Papan proyek berisi nilai kontrak, jadwal, dan nomor pengaduan sudah dipasang di lokasi. Truk pengangkut tanah hanya melintas pukul 09.00–16.00.",
    },
    updates: [
      {
        at: -120,
        body: "Progres pekerjaan galian mencapai 35%. Tanah galian dimanfaatkan untuk meninggikan lapangan RW 03 yang sering tergenang, atas kesepakatan dengan pengurus RW.",
      },
      {
        at: -30,
        body: `Progres keseluruhan **68%**:

- galian kolam selesai;
- dinding penahan di sisi utara dan timur selesai;
- rumah pompa sedang dibangun;
- pagar dan jalur pejalan kaki dikerjakan setelah rumah pompa selesai.

Selama musim hujan ini, kolam yang sudah tergali sudah ikut menampung air dan mengurangi genangan di RW 02.`,
      },
    ],
    threads: [
      {
        title: "Bau dan nyamuk dari air yang tergenang",
        body: "Kolam retensi di kota sebelah jadi sarang nyamuk dan baunya sampai ke rumah warga. Bagaimana mencegahnya di sini?",
        c: [
          { s: "oppose", t: "Jangan sampai terjadi di sini. Anak-anak di RW 09 tahun lalu banyak yang kena demam berdarah." },
          { s: "neutral", t: "Yang penting sampah disaring sebelum masuk kolam dan ada jadwal pengurasan yang diumumkan." },
          { s: "support", t: "Kalau dirawat dengan benar, kolam retensi justru bisa menjadi ruang terbuka yang bagus. Banjir jauh lebih merugikan." },
        ],
      },
      {
        title: "Keselamatan anak-anak di sekitar kolam",
        body: "Kedalaman 3,5 meter berbahaya bagi anak-anak yang bermain di sekitar kolam.",
        c: [
          { s: "neutral", t: "Pagar keliling wajib, bukan pilihan. Apalagi di sisi yang dekat sekolah." },
          { s: "support", t: "Tambahkan papan peringatan dan pelampung di beberapa titik." },
          { s: null, t: "Siapa yang menjaga pintu air kalau hujan deras turun tengah malam?" },
        ],
      },
    ],
    proposals: [
      {
        title: "Pagar keliling dan papan peringatan",
        body: "Pagar setinggi minimal 1,5 m di seluruh keliling kolam, pintu yang bisa dikunci untuk petugas, dan papan peringatan di setiap sisi.",
        status: "accepted",
        answer: "Diterima. Pagar 1,6 m dan papan peringatan di setiap sisi sudah masuk desain akhir.",
      },
      {
        title: "Jalur pejalan kaki dan pohon di tepi kolam",
        body: "Jalan inspeksi di tepi kolam bisa sekaligus menjadi jalur pejalan kaki dan jogging warga, dengan pohon peneduh dan lampu.",
        status: "accepted",
        answer: "Diterima. Jalan inspeksi selebar 3 m akan terbuka untuk pejalan kaki pada pukul 06.00–18.00, dilengkapi pohon peneduh dan lampu.",
      },
      {
        title: "Kolam dipakai untuk budidaya ikan warga",
        body: "Airnya bisa dimanfaatkan untuk budidaya ikan oleh kelompok warga sehingga kolam terawat dan menghasilkan.",
        status: "rejected",
        answer:
          "Tidak dapat diterima. Kolam harus dapat dikosongkan sewaktu-waktu untuk menampung banjir, sehingga tidak cocok untuk budidaya ikan. Area tepi kolam dapat dipakai untuk kegiatan warga lainnya.",
      },
    ],
    vote: { turnout: 0.65, weights: [0.75, 0.15, 0.1] },
    heat: 0.3,
  },
  {
    slug: "perbaikan-jalan-lingkungan-jatimulya",
    title: "Perbaikan Jalan Lingkungan dan Penerangan Jatimulya",
    summary:
      "Pengaspalan ulang 3,2 km jalan lingkungan, perbaikan saluran samping, dan pemasangan 85 lampu penerangan jalan tenaga surya di Kelurahan Jatimulya.",
    body: `Jalan lingkungan di Kelurahan Jatimulya sebagian besar terakhir diaspal lebih dari sepuluh tahun lalu. Banyak lubang, saluran samping tertutup tanah, dan beberapa gang gelap di malam hari.

## Lingkup

- Pengaspalan ulang 3,2 km jalan lingkungan;
- paving block di gang yang lebarnya kurang dari 2 m;
- perbaikan saluran samping sepanjang 2,1 km;
- 85 lampu penerangan jalan tenaga surya.

## Dampak

Setiap ruas ditutup paling lama tiga hari. Warga diberi tahu melalui RT dan papan pengumuman dua hari sebelumnya.`,
    category: "roads",
    area: "Jatimulya",
    lat: -6.9403,
    lng: 107.6577,
    budget: 2_980_000_000,
    phase: "in_progress",
    outcome: "approved",
    outcomeReason: "Disetujui. Hampir semua suara mendukung; titik lampu disesuaikan dengan usulan warga.",
    createdDaysAgo: 260,
    window: { opens: -230, closes: -205 },
    steps: { decided: -185, in_progress: -100 },
    notes: {
      decided:
        "Perbaikan jalan lingkungan Jatimulya **disetujui**. Peta titik lampu diperbarui sesuai usulan warga: jalur menuju masjid, pos ronda, dan sekolah didahulukan.",
      in_progress: "Pekerjaan **dimulai** dari RW 01. Jadwal penutupan per ruas ditempel di papan pengumuman setiap RT dan diperbarui di halaman ini.",
    },
    updates: [
      {
        at: -50,
        body: "Ruas di RW 01 sampai RW 04 selesai diaspal, dan 40 dari 85 lampu tenaga surya sudah menyala. Pekerjaan berikutnya di RW 05 dan RW 06, mulai Senin depan.",
      },
    ],
    threads: [
      {
        title: "Polisi tidur yang terlalu tinggi",
        body: "Setelah diaspal, biasanya warga membuat polisi tidur sendiri yang terlalu tinggi. Apakah ada standar?",
        c: [
          { s: "neutral", t: "Sebaiknya kontraktor sekalian membuat polisi tidur yang sesuai standar, supaya warga tidak membuat sendiri." },
          { s: "support", t: "Di dekat SD memang perlu, anak-anak sering menyeberang sembarangan." },
          { s: null, t: "Motor yang membawa barang sering jatuh di polisi tidur buatan warga. Mohon dibuat landai." },
        ],
      },
      {
        title: "Lampu jalan di gang sempit",
        body: "Gang di RW 05 gelap sekali di malam hari. Apakah lampu tenaga surya juga dipasang di gang sempit?",
        c: [
          { s: "support", t: "Setuju, lampu di gang sangat penting untuk keamanan, terutama bagi pekerja yang pulang malam." },
          { s: "neutral", t: "Lampu tenaga surya kadang mati kalau mendung berhari-hari. Ada cadangannya?" },
        ],
      },
    ],
    proposals: [
      {
        title: "Lampu di jalur menuju masjid dan pos ronda didahulukan",
        body: "Jalur yang dipakai warga subuh dan malam hari, yaitu menuju masjid, pos ronda, dan sekolah, sebaiknya mendapat lampu lebih dulu.",
        status: "accepted",
        answer: "Diterima. Urutan pemasangan lampu disesuaikan: jalur menuju masjid, pos ronda, dan sekolah dikerjakan pada tahap pertama.",
      },
      {
        title: "Aspal juga jalan setapak menuju pemakaman",
        body: "Jalan setapak menuju pemakaman umum becek dan licin setiap musim hujan. Mohon sekalian diaspal.",
        status: "rejected",
        answer:
          "Tidak dapat diterima dalam proyek ini karena jalan setapak tersebut bukan bagian dari jaringan jalan lingkungan. Usulan diteruskan ke program kelurahan untuk perbaikan dengan paving block.",
      },
    ],
    vote: { turnout: 0.55, weights: [0.8, 0.1, 0.1] },
    heat: 0.25,
  },

  // ---------------------------------------------------------------- completed
  {
    slug: "revitalisasi-taman-sukaresmi",
    title: "Revitalisasi Taman Sukaresmi",
    summary: "Perbaikan menyeluruh Taman Sukaresmi: jalan setapak berpori, lampu LED, bangku, toilet umum, area bermain anak, dan perawatan 63 pohon lama.",
    body: `Taman Sukaresmi dibangun pada 1980-an dan kondisinya memprihatinkan: banyak lampu mati, bangku rusak, dan jalan setapak berlubang. Revitalisasi ini memperbaiki taman tanpa mengurangi pohon yang ada.

## Pekerjaan

- Jalan setapak dengan paving berpori yang menyerap air;
- 40 lampu taman LED baru;
- bangku, tempat sampah terpilah, dan toilet umum;
- area bermain anak baru;
- perawatan 63 pohon lama oleh tenaga arboris.

## Jadwal

Pekerjaan sekitar lima bulan. Taman ditutup sebagian secara bergiliran sehingga selalu ada area yang bisa dipakai warga.`,
    category: "parks",
    area: "Sukaresmi",
    lat: -6.8968,
    lng: 107.6452,
    budget: 1_850_000_000,
    phase: "completed",
    outcome: "approved",
    outcomeReason: "Disetujui. Dukungan warga sangat kuat; tambahan bangku teduh dimasukkan ke desain.",
    createdDaysAgo: 420,
    window: { opens: -390, closes: -360 },
    steps: { decided: -340, in_progress: -300, completed: -60 },
    notes: {
      decided: "Revitalisasi Taman Sukaresmi **disetujui**, dengan tambahan 20 bangku teduh sesuai usulan warga.",
      in_progress: "Pekerjaan **dimulai** dari sisi barat taman. Area bermain lama tetap dibuka sampai area bermain baru selesai.",
      completed: `Revitalisasi Taman Sukaresmi **selesai**, dan taman kembali dibuka sepenuhnya.

Terima kasih kepada warga yang memberi masukan. Perawatan harian dilakukan UPT Pertamanan, dan kerja bakti bulanan dijadwalkan bersama karang taruna setiap Minggu pertama.`,
    },
    updates: [
      { at: -200, body: "Jalan setapak dan lampu di sisi barat selesai. Pekerjaan berlanjut ke area bermain anak dan toilet umum di sisi timur." },
      {
        at: -30,
        body: "Satu bulan setelah dibuka, rata-rata pengunjung akhir pekan sekitar 900 orang. Dua lampu yang rusak sudah diganti oleh kontraktor dalam masa pemeliharaan.",
      },
    ],
    threads: [
      {
        title: "Toilet umum: siapa yang merawat?",
        body: "Toilet umum di taman biasanya cepat rusak dan kotor. Siapa yang akan merawatnya, dan apakah berbayar?",
        c: [
          { s: "neutral", t: "Lebih baik berbayar sedikit asal bersih. Uangnya untuk petugas kebersihan." },
          { s: "support", t: "Toilet yang bisa dipakai kursi roda itu penting. Di taman lain jarang ada." },
          { s: null, t: "Mohon jam buka toilet disesuaikan dengan jam buka taman." },
        ],
      },
      {
        title: "Lampu taman dan keamanan malam",
        body: "Sisi timur taman sangat gelap dan sering dipakai nongkrong sampai larut. Lampu baru harus cukup terang.",
        c: [
          { s: "support", t: "Lampu LED yang terang pasti membantu. Warga jadi berani lewat taman malam hari." },
          { s: "neutral", t: "Jangan terlalu terang sampai menyilaukan rumah di sekitar taman." },
        ],
      },
    ],
    proposals: [
      {
        title: "Lebih banyak bangku teduh untuk lansia",
        body: "Banyak lansia berjalan pagi di taman tetapi sedikit tempat beristirahat. Tambahkan bangku di bawah pohon setiap 50 meter di sepanjang jalan setapak.",
        status: "accepted",
        answer: "Diterima. 20 bangku tambahan dipasang di bawah pohon di sepanjang jalan setapak.",
      },
      {
        title: "Lapangan basket di sisi timur",
        body: "Anak muda di Sukaresmi tidak punya lapangan olahraga. Sisi timur taman bisa dijadikan lapangan basket setengah lapangan.",
        status: "rejected",
        answer:
          "Tidak dapat diterima karena lahan di sisi timur ditumbuhi pohon tua yang dilindungi. Kami meneruskan usulan ini ke program lapangan olahraga kelurahan.",
      },
    ],
    vote: { turnout: 0.7, weights: [0.82, 0.08, 0.1] },
    heat: 0.3,
  },
  {
    slug: "perbaikan-rutilahu-sukagalih",
    title: "Perbaikan Rumah Tidak Layak Huni Sukagalih",
    summary:
      "Perbaikan 150 rumah tidak layak huni: atap, lantai, dinding, jamban sehat, dan instalasi listrik yang aman, dikerjakan bersama warga dengan bantuan bahan dan tukang.",
    body: `Pendataan tahun lalu menemukan 412 rumah tidak layak huni di Kelurahan Sukagalih: atap bocor, lantai tanah, dinding bambu yang lapuk, dan tanpa jamban sehat. Program ini memperbaiki 150 rumah pada tahap pertama.

## Bentuk bantuan

- Bahan bangunan senilai hingga Rp20 juta per rumah;
- upah tukang untuk pekerjaan struktur dan listrik;
- jamban sehat dengan tangki septik kedap;
- sisanya dikerjakan gotong royong bersama tetangga.

## Penerima

Penerima ditetapkan berdasarkan verifikasi lapangan dan musyawarah RW, dengan kriteria penghasilan, kondisi rumah, status lahan, dan jumlah tanggungan.

## Jadwal

Perbaikan berlangsung sekitar delapan bulan, bergiliran per RW.`,
    category: "housing",
    area: "Sukagalih",
    lat: -6.9352,
    lng: 107.6718,
    budget: 3_150_000_000,
    phase: "completed",
    outcome: "approved",
    outcomeReason: "Disetujui. Kriteria penerima diperjelas dan daftar penerima diumumkan per RW sesuai usulan warga.",
    createdDaysAgo: 400,
    window: { opens: -370, closes: -345 },
    steps: { decided: -320, in_progress: -280, completed: -40 },
    notes: {
      decided:
        "Program perbaikan rumah tidak layak huni Sukagalih **disetujui**. Daftar penerima akan diumumkan per RW tanpa alamat lengkap, dengan masa sanggah 14 hari.",
      in_progress:
        "Perbaikan **dimulai** di RW 01 dan RW 04. Bahan bangunan dikirim langsung ke rumah penerima, dan setiap rumah memiliki kartu kendali pekerjaan.",
      completed:
        "Seluruh 150 rumah tahap pertama **selesai** diperbaiki. Laporan penggunaan anggaran per RW dapat dilihat di kantor kelurahan. Tahap kedua sedang diusulkan untuk tahun anggaran berikutnya.",
    },
    updates: [
      { at: -200, body: "64 rumah selesai diperbaiki. Tukang lokal dari Sukagalih mengerjakan 80% pekerjaan, didampingi fasilitator teknis dari dinas." },
    ],
    threads: [
      {
        title: "Kriteria penerima: bagaimana dengan rumah di lahan sewa?",
        body: "Banyak warga di RW 06 tinggal di rumah sendiri di atas lahan sewa. Apakah mereka bisa menerima bantuan?",
        c: [
          { s: "neutral", t: "Harus ada jalan keluar untuk mereka, misalnya surat persetujuan pemilik lahan." },
          { s: "support", t: "Setuju dengan programnya. Yang penting pendataannya jujur dan tidak pilih kasih." },
          { s: null, t: "Data penghasilan penerima jangan diumumkan. Cukup nama RW dan jumlah rumah." },
        ],
      },
      {
        title: "Pakai tukang lokal",
        body: "Sebaiknya tukang diambil dari warga Sukagalih sendiri, supaya uangnya berputar di sini.",
        c: [
          { s: "support", t: "Banyak tukang bangunan di sini yang sedang tidak ada pekerjaan. Ini kesempatan yang bagus." },
          { s: "neutral", t: "Tetap perlu pengawas teknis, terutama untuk instalasi listrik, supaya aman." },
        ],
      },
    ],
    proposals: [
      {
        title: "Daftar penerima diumumkan per RW, tanpa alamat lengkap",
        body: "Agar transparan tetapi tetap menjaga privasi, daftar penerima diumumkan di kantor RW dengan nama dan RT saja, disertai masa sanggah.",
        status: "accepted",
        answer: "Diterima. Daftar penerima diumumkan per RW dengan nama dan RT saja, dengan masa sanggah 14 hari.",
      },
      {
        title: "Prioritaskan rumah yang dihuni lansia dan penyandang disabilitas",
        body: "Rumah yang dihuni lansia sebatang kara atau penyandang disabilitas sebaiknya diperbaiki lebih dulu, termasuk pegangan tangan di kamar mandi.",
        status: "accepted",
        answer:
          "Diterima. Rumah dengan penghuni lansia atau penyandang disabilitas masuk gelombang pertama, dan pegangan tangan di kamar mandi ditambahkan ke daftar bahan.",
      },
      {
        title: "Bantuan diberikan dalam bentuk uang tunai",
        body: "Lebih praktis kalau bantuan diberikan tunai, supaya warga bisa membeli bahan sendiri sesuai kebutuhan.",
        status: "rejected",
        answer:
          "Tidak dapat diterima. Bantuan dalam bentuk bahan dan upah tukang memastikan dana dipakai untuk perbaikan rumah dan memudahkan pertanggungjawaban anggaran.",
      },
    ],
    vote: { turnout: 0.65, weights: [0.85, 0.07, 0.08] },
    heat: 0.3,
  },

  // ---------------------------------------------------------------- cancelled
  {
    slug: "penataan-pedagang-kaki-lima-pasar-mekarwangi",
    title: "Penataan Pedagang Kaki Lima Pasar Mekarwangi",
    summary:
      "Penataan 140 pedagang kaki lima di sekitar Pasar Mekarwangi ke selasar berjualan baru di lahan parkir pasar, disertai pelebaran trotoar Jalan Pasar.",
    body: `Sekitar 140 pedagang kaki lima berjualan di trotoar dan bahu Jalan Pasar Mekarwangi. Pejalan kaki terpaksa berjalan di badan jalan, dan lalu lintas tersendat setiap pagi.

## Rencana awal

- Selasar berjualan beratap di lahan parkir timur pasar untuk 140 lapak;
- pelebaran trotoar Jalan Pasar menjadi 2,5 m;
- lapak gratis selama enam bulan pertama, lalu retribusi harian yang ringan;
- pembagian lapak diundi terbuka di hadapan paguyuban pedagang.`,
    category: "other",
    area: "Mekarwangi",
    lat: -6.8843,
    lng: 107.6012,
    budget: 950_000_000,
    phase: "cancelled",
    createdDaysAgo: 250,
    window: { opens: -210, closes: -180 },
    steps: { cancelled: -150 },
    notes: {
      cancelled: `Rencana penataan ini **dibatalkan**.

Setelah konsultasi, diketahui bahwa lahan parkir timur pasar sedang dalam sengketa hukum sehingga tidak dapat dibangun dalam waktu dekat. Penataan pedagang kaki lima akan dirancang ulang bersama paguyuban pedagang dan dikonsultasikan kembali sebagai proyek baru.`,
    },
    updates: [
      {
        at: -170,
        body: "Tim perencana bertemu pengurus paguyuban pedagang Pasar Mekarwangi. Pedagang meminta jaminan bahwa lokasi baru tetap mudah dijangkau pembeli dan tidak dikenai retribusi pada masa awal.",
      },
    ],
    threads: [
      {
        title: "Pedagang takut kehilangan pembeli",
        body: "Kalau pedagang dipindah ke lahan parkir belakang, pembeli malas masuk. Dulu pernah dicoba dan pedagang kembali ke trotoar dalam tiga bulan.",
        c: [
          { s: "oppose", t: "Betul, saya pedagang sayur di sini. Kalau dipindah ke belakang, penghasilan kami bisa turun setengahnya." },
          { s: "neutral", t: "Lokasi baru harus diberi penunjuk arah dan akses langsung dari jalan utama." },
          { s: "support", t: "Tapi trotoar memang harus kembali untuk pejalan kaki. Ibu-ibu dengan anak kecil harus jalan di badan jalan." },
        ],
      },
      {
        title: "Trotoar untuk pejalan kaki, bukan untuk lapak",
        body: "Saya mendukung penataan. Trotoar Jalan Pasar sama sekali tidak bisa dilalui, apalagi untuk pengguna kursi roda.",
        c: [
          { s: "support", t: "Setuju. Tapi penataannya harus manusiawi, jangan main gusur." },
          { s: "neutral", t: "Mungkin bisa dibagi: sebagian trotoar untuk lapak pada pagi hari saja, siang hari bersih." },
        ],
      },
    ],
    proposals: [
      {
        title: "Libatkan paguyuban pedagang sejak perencanaan",
        body: "Penataan PKL hanya berhasil kalau pedagang ikut merancang. Paguyuban pedagang sebaiknya menjadi bagian dari tim perencana sejak awal.",
        status: "accepted",
        answer: "Diterima. Walaupun proyek ini dibatalkan, rancangan penataan yang baru akan disusun bersama paguyuban pedagang sejak tahap awal.",
      },
      {
        title: "Zona dan jam berjualan di trotoar",
        body: "Daripada dipindah, pedagang boleh berjualan di sebagian trotoar pada pukul 05.00–09.00, lalu trotoar dibersihkan untuk pejalan kaki.",
        status: "rejected",
        answer:
          "Tidak dapat ditindaklanjuti dalam proyek ini karena proyek dibatalkan. Usulan ini kami catat sebagai salah satu pilihan untuk rancangan penataan yang baru.",
      },
    ],
    vote: { turnout: 0.6, weights: [0.35, 0.5, 0.15] },
    heat: 0.35,
  },
];

// ---------------------------------------------------------------------------------------------
// Generic text for the extra replies and proposal discussions
// ---------------------------------------------------------------------------------------------

/** Extra replies, chosen by what they answer so that they fit: [stance, text]. */
const GENERIC_REPLIES: Record<"support" | "oppose" | "remark" | "question" | "staff" | "followup", [Stance | null, string][]> = {
  // To a comment in favour.
  support: [
    ["support", "Setuju. Semoga pelaksanaannya tidak ditunda-tunda."],
    ["neutral", "Saya juga mendukung, asal jadwal dan anggarannya diumumkan terbuka."],
    ["oppose", "Saya kurang sepakat. Manfaatnya ada, tapi dampaknya bagi warga sekitar belum dihitung dengan baik."],
    [null, "Sepakat. Yang penting prosesnya terbuka dan bisa dipantau warga."],
    [null, "Betul. Kalau menunggu semuanya sempurna, tidak akan pernah mulai."],
    ["neutral", "Setuju, tapi pemeliharaan setelah selesai juga harus dijamin, jangan hanya membangun."],
    [null, "Sama, saya memilih mendukung dengan catatan yang sama."],
    [null, "Saya lihat sendiri kondisinya kemarin sore. Memang sudah waktunya diperbaiki."],
  ],
  // To a comment against, or a worry.
  oppose: [
    [null, "Kekhawatiran ini wajar. Semoga dijawab tim perencana sebelum konsultasi ditutup."],
    ["support", "Saya paham, tapi jangan sampai proyeknya batal gara-gara itu. Masalahnya diatasi, bukan dihindari."],
    ["oppose", "Betul, ini juga yang dikhawatirkan tetangga-tetangga saya."],
    [null, "Kalau boleh usul, tuliskan sebagai usulan resmi supaya bisa didukung warga lain."],
    ["neutral", "Ada benarnya. Perlu dicari jalan tengah yang bisa diterima semua pihak."],
    [null, "Hal yang sama sudah pernah disampaikan di musrenbang kelurahan, tapi belum ada tindak lanjut."],
    ["neutral", "Setuju, ini harus dipikirkan sebelum pekerjaan dimulai, bukan sesudahnya."],
  ],
  // To a neutral remark or a suggestion.
  remark: [
    [null, "Poin yang penting. Jangan sampai terlewat di laporan akhir."],
    [null, "Usul yang masuk akal. Semoga masuk ke laporan rangkuman konsultasi."],
    ["neutral", "Setuju, ini perlu dipastikan sejak awal, bukan setelah ada masalah."],
    [null, "Betul. Di kelurahan sebelah hal seperti ini berhasil karena RW ikut mengawasi."],
    [null, "Sepakat. Semoga tim perencana mencatat ini."],
  ],
  // To a question.
  question: [
    [null, "Ini juga pertanyaan saya. Ditunggu jawabannya."],
    [null, "Pertanyaan yang sama muncul di grup RW kami. Terima kasih sudah menanyakannya di sini."],
    [null, "Mungkin perlu ditanyakan juga langsung saat sosialisasi di balai kelurahan."],
    ["neutral", "Sebaiknya dijawab langsung oleh petugas supaya informasinya tidak simpang siur."],
    [null, "Betul, dan jawabannya sebaiknya tertulis, bukan hanya lisan saat sosialisasi."],
    [null, "Semoga segera ada jawaban resmi di sini."],
  ],
  // To an official answer.
  staff: [
    [null, "Terima kasih atas jawabannya."],
    [null, "Baik, terima kasih. Kami tunggu pembaruannya di halaman ini."],
    [null, "Terima kasih, penjelasan ini sangat membantu."],
  ],
  // To a reply.
  followup: [
    [null, "Nah, itu dia. Tinggal ditunggu tindak lanjutnya."],
    [null, "Saya ikut menunggu jawabannya juga."],
    [null, "Betul juga. Saya tidak terpikir sampai ke situ."],
    [null, "Nanti saya sampaikan juga di rapat RW."],
    ["neutral", "Semoga tidak berhenti jadi wacana."],
    [null, "Ya, yang penting jelas dan tertulis."],
  ],
};

const PROPOSAL_COMMENTS: string[] = [
  "Saya dukung usulan ini. Sederhana dan bisa langsung diterapkan.",
  "Usulan bagus, tapi siapa yang akan merawatnya setelah proyek selesai?",
  "Apakah biaya tambahannya sudah diperkirakan? Sebaiknya disebutkan kisarannya.",
  "Setuju. Semoga tim perencana mempertimbangkannya dengan serius.",
  "Ini yang ditunggu-tunggu warga. Sudah saya dukung.",
  "Kurang sepakat dengan bagian kedua, tapi bagian pertama sangat masuk akal.",
  "Bagaimana kalau usulan ini digabung dengan usulan serupa supaya dukungannya tidak terpecah?",
  "Hal seperti ini sudah diterapkan di kota lain dan berhasil. Layak dicoba di sini.",
  "Mohon dijelaskan lebih rinci lokasinya, supaya tim bisa mengecek di lapangan.",
  "Saya ikut mendukung. Anak-anak dan lansia akan sangat terbantu.",
  "Setuju, asal tidak menunda jadwal proyek utama.",
  "Menarik. Apakah warga bisa ikut membantu pelaksanaannya secara gotong royong?",
  "Perlu dipastikan usulan ini juga ramah bagi penyandang disabilitas.",
  "Usulan ini realistis. Tinggal kemauan dan anggarannya.",
  "Saya ragu ini bisa dibiayai tahun ini, tapi layak masuk rencana berikutnya.",
  "Terima kasih sudah mengusulkan. Saya sudah lama memikirkan hal yang sama.",
];

// ---------------------------------------------------------------------------------------------
// Engine
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** mulberry32: small, fast and good enough for demo data. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (lo: number, hi: number) => lo + (hi - lo) * next(),
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)]!;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}

interface Person {
  id: number;
  createdAt: number;
  areaId: number | null;
  kecamatanId: number | null;
}

interface AreaRef {
  id: number;
  kecamatanId: number | null;
}

interface Node {
  authorId: number;
  parent: Node | null;
  depth: number;
  stance: Stance | null;
  text: string;
  at: number;
  was?: string;
  del?: boolean;
  id?: number;
  sortKey?: string;
  /** Written by staff (an official answer). */
  staff?: boolean;
}

const DATE_FORMAT = new Intl.DateTimeFormat("id-ID", { day: "numeric", month: "long", year: "numeric", timeZone: DEFAULT_CITY_TIMEZONE });
const OUTCOME_LABEL: Record<Outcome, string> = { approved: "disetujui", rejected: "ditolak", deferred: "ditunda" };

function emailFor(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@warga.demo.rembug.id`;
}

async function demoPresent(db: AppDb): Promise<boolean> {
  const { users } = tables(db);
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ACCOUNTS.admin)).limit(1);
  return row !== undefined;
}

/**
 * Seeds the demo city into an empty database; returns false (and changes nothing) when it is
 * already there. The check is repeated inside the write transaction, which is serializable on
 * PostgreSQL (an absence no row lock covers): of two seeds at once, one writes the city and the
 * other, re-run, finds it and returns false.
 */
export async function seedDemo(db: AppDb, now = new Date()): Promise<boolean> {
  if (await demoPresent(db)) return false;
  // The one slow step, done before the transaction: every demo account shares this hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withWriteTx(
    db,
    async (tx) => {
      if (await demoPresent(tx)) return false;
      await new DemoCity(tx, now.getTime(), passwordHash).seed();
      // The privacy page names the data controller; the demo city's is invented like the rest.
      await setSetting(tx, "dataController", { name: "Pemerintah Kota Sukamaju (demo)", contact: "ppid@demo.rembug.id" });
      return true;
    },
    { serializable: true },
  );
}

class DemoCity {
  private readonly rng = createRandom(0x52656d62);
  private readonly areaByCode = new Map<string, AreaRef>();
  private readonly residents: Person[] = [];
  private readonly staff = {} as Record<Staff | "admin", Person>;
  private readonly follows = new Map<string, { userId: number; projectId: number; at: number }>();
  private readonly projectIds: number[] = [];
  private readonly userIds: number[] = [];
  /** The tables of the transaction's engine. */
  private readonly t: Schema;

  /** `db` is the seed's write transaction: every insert awaits on it, in order (the generator's draws depend on it). */
  constructor(
    private readonly db: AppDb,
    private readonly now: number,
    private readonly passwordHash: string,
  ) {
    this.t = tables(db);
  }

  async seed() {
    await this.insertAreas();
    await this.insertUsers();
    for (const spec of PROJECTS) await this.insertProject(spec);
    await this.insertFollows();
    await this.recount();
  }

  private at(days: number) {
    return this.now + days * DAY;
  }

  // ------------------------------------------------------------------------- areas and users

  private async insertAreas() {
    const { areas } = this.t;
    const total = KECAMATAN.reduce((sum, [, , kels]) => sum + kels.reduce((s, [, pop]) => s + pop, 0), 0);
    const [city] = await this.db.insert(areas).values({ code: CITY.code, name: CITY.name, level: "city", population: total }).returning({ id: areas.id });
    this.areaByCode.set(CITY.code, { id: city!.id, kecamatanId: null });
    for (const [suffix, name, kels] of KECAMATAN) {
      const code = `${CITY.code}.${suffix}`;
      const population = kels.reduce((s, [, pop]) => s + pop, 0);
      const [kec] = await this.db.insert(areas).values({ code, name, level: "kecamatan", parentId: city!.id, population }).returning({ id: areas.id });
      this.areaByCode.set(code, { id: kec!.id, kecamatanId: kec!.id });
      for (const [i, [kelName, pop]] of kels.entries()) {
        const kelCode = `${code}.${1001 + i}`;
        const [kel] = await this.db
          .insert(areas)
          .values({ code: kelCode, name: kelName, level: "kelurahan", parentId: kec!.id, population: pop })
          .returning({ id: areas.id });
        this.areaByCode.set(kelCode, { id: kel!.id, kecamatanId: kec!.id });
      }
    }
  }

  private area(ref: string): AreaRef {
    const code = ref.startsWith("kec:") ? kecamatanCode(ref.slice(4)) : kelurahanCode(ref);
    return this.areaByCode.get(code)!;
  }

  private async insertUser(input: {
    displayName: string;
    email: string;
    role: Role;
    area: string | null;
    createdAt: number;
    locale?: Locale;
  }): Promise<Person> {
    const { users } = this.t;
    const area = input.area ? this.area(input.area) : null;
    const [row] = await this.db
      .insert(users)
      .values({
        displayName: input.displayName,
        email: input.email.toLowerCase(),
        passwordHash: this.passwordHash,
        role: input.role,
        areaId: area?.id ?? null,
        locale: input.locale ?? "id",
        emailVerifiedAt: new Date(input.createdAt + this.rng.int(2, 90) * MINUTE),
        createdAt: new Date(input.createdAt),
      })
      .returning({ id: users.id });
    this.userIds.push(row!.id);
    return { id: row!.id, createdAt: input.createdAt, areaId: area?.id ?? null, kecamatanId: area?.kecamatanId ?? null };
  }

  private async insertUsers() {
    const staffSince = this.at(-440);
    this.staff.admin = await this.insertUser({ displayName: DEMO_NAMES.admin, email: DEMO_ACCOUNTS.admin, role: "admin", area: null, createdAt: staffSince });
    this.staff.planner = await this.insertUser({
      displayName: DEMO_NAMES.planner,
      email: DEMO_ACCOUNTS.planner,
      role: "planner",
      area: null,
      createdAt: staffSince + HOUR,
    });
    this.staff.moderator = await this.insertUser({
      displayName: DEMO_NAMES.moderator,
      email: DEMO_ACCOUNTS.moderator,
      role: "moderator",
      area: null,
      createdAt: staffSince + 2 * HOUR,
    });
    this.staff.demo = await this.insertUser({
      displayName: DEMO_NAMES.resident,
      email: DEMO_ACCOUNTS.resident,
      role: "resident",
      area: "Cibeureum Hilir",
      createdAt: this.at(-180) + 19 * HOUR,
    });
    for (const [i, [name, kelurahan]] of RESIDENTS.entries()) {
      const createdAt = this.at(-residentJoinedDaysAgo(i)) + this.rng.int(6 * 60, 22 * 60) * MINUTE - DAY;
      this.residents.push(
        await this.insertUser({ displayName: name, email: emailFor(name), role: "resident", area: kelurahan, createdAt, locale: i === 11 ? "en" : "id" }),
      );
    }
  }

  /** A resident who had an account well before `at`, other than those excluded (or, failing that, than `fallback`). */
  private pickResident(at: number, exclude: number[] = [], fallback?: number[]): Person {
    const eligible = this.residents.filter((p) => p.createdAt < at - 6 * HOUR && !exclude.includes(p.id));
    if (eligible.length > 0) return this.rng.pick(eligible);
    if (fallback) return this.pickResident(at, fallback);
    throw new Error("demo seed: no resident available at this time");
  }

  private author(by: Staff | undefined, at: number, exclude: number[] = []): Person {
    return by ? this.staff[by] : this.pickResident(at, exclude);
  }

  private touchFollow(userId: number, projectId: number, at: number) {
    const key = `${userId}:${projectId}`;
    const known = this.follows.get(key);
    if (!known || known.at > at) this.follows.set(key, { userId, projectId, at });
  }

  // ------------------------------------------------------------------------- projects

  private async insertProject(spec: ProjectSpec) {
    const { projects, projectUpdates } = this.t;
    const area = this.area(spec.area);
    const createdAt = this.at(-spec.createdDaysAgo);
    const win = spec.window ? { opens: this.at(spec.window.opens), closes: this.at(spec.window.closes) } : null;

    // The phases the project went through, with when it entered each.
    const transitions: { from: Phase; to: Phase; at: number }[] = [];
    let phase: Phase = "draft";
    if (win) {
      transitions.push({ from: "draft", to: "consultation", at: win.opens });
      phase = "consultation";
      if (spec.phase !== "consultation") {
        transitions.push({ from: "consultation", to: "review", at: win.closes + 2 * HOUR });
        phase = "review";
      }
      for (const next of ["decided", "in_progress", "completed", "cancelled"] as const) {
        const days = spec.steps?.[next];
        if (days === undefined) continue;
        transitions.push({ from: phase, to: next, at: this.at(days) + 3 * HOUR });
        phase = next;
      }
    }
    if (phase !== spec.phase) throw new Error(`demo seed: ${spec.slug} ends in ${phase}, expected ${spec.phase}`);

    const timeline = [
      ...transitions.map((t) => ({ at: t.at, kind: "phase_change" as const, from: t.from, to: t.to, body: this.phaseNote(spec, t.to) })),
      ...(spec.updates ?? []).map((u) => ({ at: this.at(u.at), kind: "update" as const, from: null, to: null, body: u.body })),
    ].sort((a, b) => a.at - b.at);

    const [project] = await this.db
      .insert(projects)
      .values({
        slug: spec.slug,
        title: spec.title,
        summary: spec.summary,
        bodySource: spec.body,
        bodyHtml: cookMarkdown(spec.body),
        category: spec.category,
        areaId: area.id,
        lat: spec.lat ?? null,
        lng: spec.lng ?? null,
        budgetRupiah: spec.budget,
        phase: spec.phase,
        outcome: spec.outcome ?? null,
        outcomeReason: spec.outcomeReason ?? null,
        consultationOpensAt: win ? new Date(win.opens) : null,
        consultationClosesAt: win ? new Date(win.closes) : null,
        createdBy: this.staff.planner.id,
        publishedAt: win ? new Date(win.opens) : null,
        createdAt: new Date(createdAt),
        updatedAt: new Date(timeline.at(-1)?.at ?? createdAt),
      })
      .returning({ id: projects.id });
    const projectId = project!.id;
    this.projectIds.push(projectId);

    for (const item of timeline) {
      await this.db.insert(projectUpdates).values({
        projectId,
        authorId: this.staff.planner.id,
        kind: item.kind,
        fromPhase: item.from,
        toPhase: item.to,
        bodySource: item.body,
        bodyHtml: cookMarkdown(item.body),
        createdAt: new Date(item.at),
      });
    }

    if (!win) return;
    // Residents' activity happens inside the window, and never after now.
    const ctx = {
      projectId,
      kecamatanId: area.kecamatanId,
      opens: win.opens,
      end: Math.min(win.closes, this.now - 20 * MINUTE),
      // Planners answer proposals between the close and the next decision (or now).
      answerBy: transitions.find((t) => t.at > win.closes + 3 * HOUR)?.at ?? this.now - DAY,
      closes: win.closes,
      heat: spec.heat ?? 0.4,
    };
    for (const thread of spec.threads ?? []) await this.insertThread(ctx, thread);
    const proposalRows: { id: number; authorId: number; createdAt: number; spec: ProposalSpec }[] = [];
    for (const p of spec.proposals ?? []) proposalRows.push(await this.insertProposal(ctx, p));
    const voters = await this.insertVotes(ctx, spec);
    await this.insertSupports(ctx, proposalRows, voters);
  }

  private phaseNote(spec: ProjectSpec, to: Phase): string {
    const custom = spec.notes?.[to];
    if (custom) return custom;
    const closes = spec.window ? DATE_FORMAT.format(this.at(spec.window.closes)) : "";
    switch (to) {
      case "consultation":
        return `Konsultasi publik **dibuka**. Sampai ${closes}, warga dapat membaca rencana, memberi suara, berdiskusi, dan mengajukan usulan.

Sampaikan pendapat Anda, termasuk kekhawatiran dan pertanyaan. Semua masukan dibaca tim perencana dan dirangkum dalam laporan konsultasi.`;
      case "review":
        return `Masa konsultasi **ditutup** pada ${closes}. Terima kasih kepada semua warga yang memberi suara, berdiskusi, dan mengajukan usulan.

Tim perencana kini menelaah seluruh masukan bersama dinas terkait. Jawaban atas usulan warga dan keputusan akan diumumkan di halaman ini.`;
      case "decided":
        return `Rencana ini **${spec.outcome ? OUTCOME_LABEL[spec.outcome] : "diputuskan"}**. ${spec.outcomeReason ?? ""}`.trim();
      case "in_progress":
        return "Pekerjaan fisik **dimulai**. Jadwal dan nomor pengaduan tercantum di papan proyek di lokasi.";
      case "completed":
        return "Pekerjaan **selesai**. Terima kasih atas kesabaran dan masukan warga selama pembangunan.";
      case "cancelled":
        return "Rencana ini **dibatalkan**.";
      default:
        return "Perubahan tahap proyek.";
    }
  }

  // ------------------------------------------------------------------------- discussion

  private async insertThread(ctx: Ctx, spec: ThreadSpec) {
    const { threads } = this.t;
    const createdAt = spec.pinned ? ctx.opens + HOUR : ctx.opens + (ctx.end - ctx.opens) * this.rng.between(0.02, 0.3);
    const author = this.author(spec.by, createdAt);
    const [row] = await this.db
      .insert(threads)
      .values({
        projectId: ctx.projectId,
        authorId: author.id,
        title: spec.title,
        bodySource: spec.body,
        bodyHtml: cookMarkdown(spec.body),
        pinned: spec.pinned ?? false,
        locked: spec.locked ?? false,
        createdAt: new Date(createdAt),
      })
      .returning({ id: threads.id });
    this.touchFollow(author.id, ctx.projectId, createdAt);
    const nodes = this.discussion(createdAt, ctx.end, spec.locked ? 0 : ctx.heat, spec.c, [author.id]);
    await this.insertComments(ctx.projectId, row!.id, nodes, ctx.end);
  }

  /** Builds a comment tree: the handwritten comments and replies, plus generic replies by chance. */
  private discussion(start: number, end: number, heat: number, specs: CommentSpec[], exclude: number[]): Node[] {
    const nodes: Node[] = [];
    const used = new Set<string>();
    const offsets = specs.map(() => this.rng.between(0.03, 0.75)).sort((a, b) => a - b);
    const posted: number[] = [];
    specs.forEach((spec, i) => {
      const at = start + (end - start) * offsets[i]!;
      // Prefer someone who has not yet posted at the top of this thread.
      const author = spec.by ? this.staff[spec.by] : this.pickResident(at, [...exclude, ...posted], exclude);
      posted.push(author.id);
      const node: Node = {
        authorId: author.id,
        parent: null,
        depth: 0,
        stance: spec.s,
        text: spec.t,
        at,
        was: spec.was,
        del: spec.del,
        staff: spec.by === "planner" || spec.by === "moderator",
      };
      nodes.push(node);
      this.replies(node, spec.r ?? [], end, heat, nodes, used);
    });
    return nodes;
  }

  private replies(parent: Node, specs: ReplySpec[], end: number, heat: number, nodes: Node[], used: Set<string>) {
    if (parent.depth >= 2) return;
    for (const spec of specs) {
      const child = this.reply(parent, end, spec.t, spec.s ?? null, spec.by);
      nodes.push(child);
      this.replies(child, spec.r ?? [], end, heat, nodes, used);
    }
    const extra = parent.depth === 0 ? (this.rng.chance(heat) ? (this.rng.chance(heat / 2) ? 2 : 1) : 0) : this.rng.chance(heat * 0.4) ? 1 : 0;
    const pool = parent.staff
      ? GENERIC_REPLIES.staff
      : parent.depth > 0
        ? GENERIC_REPLIES.followup
        : parent.stance === "support"
          ? GENERIC_REPLIES.support
          : parent.stance === "oppose"
            ? GENERIC_REPLIES.oppose
            : parent.text.includes("?")
              ? GENERIC_REPLIES.question
              : GENERIC_REPLIES.remark;
    for (let i = 0; i < extra; i++) {
      let generic = this.rng.pick(pool);
      for (let tries = 0; tries < 8 && used.has(generic[1]); tries++) generic = this.rng.pick(pool);
      used.add(generic[1]);
      const child = this.reply(parent, end, generic[1], generic[0]);
      nodes.push(child);
      this.replies(child, [], end, heat, nodes, used);
    }
  }

  private reply(parent: Node, end: number, text: string, stance: Stance | null, by?: Staff): Node {
    const at = parent.at + 5 * MINUTE + (end - parent.at - 5 * MINUTE) * this.rng.between(0.02, 0.3);
    const author = this.author(by, at, [parent.authorId]);
    return { authorId: author.id, parent, depth: parent.depth + 1, stance, text, at, staff: by === "planner" || by === "moderator" };
  }

  /** Inserts a thread's comments in time order, so ids follow the conversation. */
  private async insertComments(projectId: number, threadId: number, nodes: Node[], end: number) {
    const { comments, commentRevisions } = this.t;
    for (const node of [...nodes].sort((a, b) => a.at - b.at)) {
      const editedAt = node.was ? node.at + (end - node.at) * this.rng.between(0.01, 0.05) : null;
      const [row] = await this.db
        .insert(comments)
        .values({
          threadId,
          projectId,
          authorId: node.authorId,
          parentId: node.parent?.id ?? null,
          depth: node.depth,
          stance: node.stance,
          bodySource: node.text,
          bodyHtml: cookMarkdown(node.text),
          visibility: node.del ? "deleted" : "published",
          sortKey: "",
          editedAt: editedAt === null ? null : new Date(editedAt),
          createdAt: new Date(node.at),
        })
        .returning({ id: comments.id });
      node.id = row!.id;
      // As the discussion domain does: the parent's key, then this comment's zero-padded id.
      const own = String(row!.id).padStart(10, "0");
      node.sortKey = node.parent ? `${node.parent.sortKey}.${own}` : own;
      await this.db.update(comments).set({ sortKey: node.sortKey }).where(eq(comments.id, row!.id));
      if (node.was) {
        await this.db.insert(commentRevisions).values({
          commentId: row!.id,
          editorId: node.authorId,
          bodySource: node.was,
          bodyHtml: cookMarkdown(node.was),
          createdAt: new Date(node.at),
        });
      }
      this.touchFollow(node.authorId, projectId, node.at);
    }
  }

  // ------------------------------------------------------------------------- proposals, supports, votes

  private async insertProposal(ctx: Ctx, spec: ProposalSpec) {
    const { proposals, threads } = this.t;
    const createdAt = ctx.opens + (ctx.end - ctx.opens) * this.rng.between(0.05, 0.55);
    const author = this.author(spec.by, createdAt);
    const answered = spec.status === "accepted" || spec.status === "rejected";
    const answeredAt = answered ? ctx.closes + (ctx.answerBy - ctx.closes) * this.rng.between(0.3, 0.9) : null;
    if (answered && !spec.answer) throw new Error(`demo seed: proposal "${spec.title}" needs an answer`);
    const [row] = await this.db
      .insert(proposals)
      .values({
        projectId: ctx.projectId,
        authorId: author.id,
        title: spec.title,
        bodySource: spec.body,
        bodyHtml: cookMarkdown(spec.body),
        status: spec.status,
        answerSource: answered ? spec.answer! : null,
        answerHtml: answered ? cookMarkdown(spec.answer!) : null,
        answeredBy: answered ? this.staff.planner.id : null,
        answeredAt: answeredAt === null ? null : new Date(answeredAt),
        createdAt: new Date(createdAt),
      })
      .returning({ id: proposals.id });
    this.touchFollow(author.id, ctx.projectId, createdAt);

    // The proposal's own discussion thread.
    const intro = `Diskusi untuk usulan **${spec.title}**. Sampaikan tanggapan, pertanyaan, atau penyempurnaan usulan di sini.`;
    const [thread] = await this.db
      .insert(threads)
      .values({
        projectId: ctx.projectId,
        authorId: author.id,
        title: spec.title,
        bodySource: intro,
        bodyHtml: cookMarkdown(intro),
        proposalId: row!.id,
        createdAt: new Date(createdAt),
      })
      .returning({ id: threads.id });
    const open = ctx.end > this.now - HOUR;
    const genericCount = open ? this.rng.int(1, 3) : this.rng.int(0, 2);
    const texts = [...(spec.c ?? []), ...this.rng.shuffle(PROPOSAL_COMMENTS).slice(0, genericCount)];
    if (texts.length === 0) texts.push(this.rng.pick(PROPOSAL_COMMENTS));
    const specs: CommentSpec[] = texts.map((t) => ({ s: null, t }));
    const nodes = this.discussion(createdAt, ctx.end, ctx.heat / 3, specs, [author.id]);
    if (spec.authorNote) {
      const last = nodes.reduce((max, n) => Math.max(max, n.at), createdAt);
      nodes.push({ authorId: author.id, parent: null, depth: 0, stance: null, text: spec.authorNote, at: last + (ctx.end - last) * 0.5 });
    }
    await this.insertComments(ctx.projectId, thread!.id, nodes, ctx.end);
    return { id: row!.id, authorId: author.id, createdAt, spec };
  }

  /** Supporters are mostly residents who also voted on the project, now and then someone else. */
  private async insertSupports(ctx: Ctx, rows: { id: number; authorId: number; createdAt: number; spec: ProposalSpec }[], voters: Set<number>) {
    const { supports } = this.t;
    const perUser = new Map<number, number>();
    const values: (typeof supports.$inferInsert)[] = [];
    const add = (proposalId: number, person: Person, after: number) => {
      const used = perUser.get(person.id) ?? 0;
      if (used >= MAX_SUPPORTS_PER_PROJECT) return false;
      const from = Math.max(after, person.createdAt) + 10 * MINUTE;
      if (from >= ctx.end) return false;
      const at = from + (ctx.end - from) * this.rng.next();
      perUser.set(person.id, used + 1);
      values.push({ proposalId, userId: person.id, projectId: ctx.projectId, createdAt: new Date(at) });
      this.touchFollow(person.id, ctx.projectId, at);
      return true;
    };
    for (const row of rows) {
      const { status } = row.spec;
      if (status === "withdrawn") continue;
      const target = status === "accepted" ? this.rng.int(8, 17) : status === "rejected" ? this.rng.int(2, 8) : this.rng.int(3, 14);
      if (row.spec.demoSupport) add(row.id, this.staff.demo, row.createdAt);
      let given = 0;
      for (const person of this.rng.shuffle(this.residents)) {
        if (given >= target) break;
        if (person.id === row.authorId) continue;
        if (!voters.has(person.id) && !this.rng.chance(0.15)) continue;
        if (add(row.id, person, row.createdAt)) given++;
      }
    }
    if (values.length) await this.db.insert(supports).values(values);
  }

  /** Casts the ballots of a project and returns who voted. */
  private async insertVotes(ctx: Ctx, spec: ProjectSpec): Promise<Set<number>> {
    const { votes } = this.t;
    const voters = new Set<number>();
    if (!spec.vote) return voters;
    const { turnout, weights } = spec.vote;
    const total = weights[0] + weights[1] + weights[2];
    const choose = (): Choice => {
      const r = this.rng.next() * total;
      return r < weights[0] ? "support" : r < weights[0] + weights[1] ? "oppose" : "abstain";
    };
    const values: (typeof votes.$inferInsert)[] = [];
    const cast = (person: Person, choice: Choice) => {
      const from = Math.max(ctx.opens, person.createdAt + HOUR);
      const at = from + (ctx.end - from) * this.rng.next();
      // Some residents changed their mind while the consultation was open.
      const updatedAt = this.rng.chance(0.1) ? at + (ctx.end - at) * this.rng.next() : null;
      values.push({
        projectId: ctx.projectId,
        userId: person.id,
        choice,
        areaId: person.areaId,
        createdAt: new Date(at),
        updatedAt: updatedAt === null ? null : new Date(updatedAt),
      });
      this.touchFollow(person.id, ctx.projectId, at);
      voters.add(person.id);
    };
    for (const person of this.residents) {
      if (person.createdAt >= ctx.end - DAY) continue;
      // Residents of the project's own kecamatan turn out more.
      const local = person.kecamatanId !== null && person.kecamatanId === ctx.kecamatanId;
      if (this.rng.chance(Math.min(0.97, turnout * (local ? 1.35 : 0.85)))) cast(person, choose());
    }
    if (spec.demoVote) cast(this.staff.demo, spec.demoVote);
    if (values.length) await this.db.insert(votes).values(values);
    return voters;
  }

  private async insertFollows() {
    const { follows } = this.t;
    const values = [...this.follows.values()].map((f, i) => ({
      userId: f.userId,
      projectId: f.projectId,
      // A few residents turned following off again.
      active: !(i % 41 === 40 && f.userId !== this.staff.demo.id),
      createdAt: new Date(f.at),
    }));
    for (let i = 0; i < values.length; i += 500) await this.db.insert(follows).values(values.slice(i, i + 500));
  }

  // ------------------------------------------------------------------------- stored counts

  /** Recomputes every stored count of the seeded rows from the rows themselves (in the seed's transaction). */
  private async recount() {
    await recountStoredCountsIn(this.db, { projectIds: this.projectIds, userIds: this.userIds });
  }
}

type Ctx = {
  projectId: number;
  kecamatanId: number | null;
  opens: number;
  closes: number;
  end: number;
  answerBy: number;
  heat: number;
};
