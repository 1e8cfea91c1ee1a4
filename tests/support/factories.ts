import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { areas, projects, users, type Role, type User } from "../../db/schema";
import { hashPassword } from "../../app/accounts/password.server";
import { cookMarkdown } from "../../app/content/markdown.server";

let counter = 0;
const next = () => ++counter;

export const TEST_PASSWORD = "kata sandi rahasia warga";
let cachedHash: Promise<string> | null = null;

/** A user with a known password (hashed once per file, for speed). */
export async function makeUser(db: Db, overrides: Partial<typeof users.$inferInsert> & { role?: Role } = {}): Promise<User> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const n = next();
  return db
    .insert(users)
    .values({
      displayName: `Warga ${n}`,
      email: `warga${n}-${Date.now()}@contoh.id`,
      passwordHash: await cachedHash,
      createdAt: new Date(Date.now() - 30 * 86_400_000),
      emailVerifiedAt: new Date(),
      ...overrides,
    })
    .returning()
    .get();
}

/** city → kecamatan → kelurahan, returning the three rows. */
export function makeAreas(db: Db) {
  const n = next();
  const city = db
    .insert(areas)
    .values({ code: `99.${n}`, name: `Kota Uji ${n}`, level: "city", population: 100000 })
    .returning()
    .get();
  const kecamatan = db
    .insert(areas)
    .values({ code: `99.${n}.01`, name: `Kecamatan ${n}`, level: "kecamatan", parentId: city.id, population: 40000 })
    .returning()
    .get();
  const kelurahan = db
    .insert(areas)
    .values({ code: `99.${n}.01.1001`, name: `Kelurahan ${n}`, level: "kelurahan", parentId: kecamatan.id, population: 12000 })
    .returning()
    .get();
  return { city, kecamatan, kelurahan };
}

export function makeProject(db: Db, overrides: Partial<typeof projects.$inferInsert> = {}) {
  const n = next();
  const areaId = overrides.areaId ?? makeAreas(db).kelurahan.id;
  const body = overrides.bodySource ?? "Rencana **pelebaran** jalan.";
  return db
    .insert(projects)
    .values({
      slug: `proyek-${n}`,
      title: `Proyek ${n}`,
      summary: "Ringkasan proyek.",
      bodySource: body,
      bodyHtml: cookMarkdown(body),
      category: "roads",
      areaId,
      budgetRupiah: 1_250_000_000,
      phase: "consultation",
      consultationOpensAt: new Date(Date.now() - 86400000),
      consultationClosesAt: new Date(Date.now() + 7 * 86400000),
      ...overrides,
    })
    .returning()
    .get();
}

export function reloadUser(db: Db, id: number) {
  return db.select().from(users).where(eq(users.id, id)).get()!;
}
