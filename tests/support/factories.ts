import { eq } from "drizzle-orm";
import { withWriteTx, type AppDb } from "../../db/engine";
import { areas, projects, users, type Role, type User } from "../../db/schema";
import { hashPassword } from "../../app/accounts/password.server";
import { cookMarkdown } from "../../app/content/markdown.server";

let counter = 0;
const next = () => ++counter;

export const TEST_PASSWORD = "kata sandi rahasia warga";
let cachedHash: Promise<string> | null = null;

/** A user with a known password (hashed once per file, for speed, before the write transaction). */
export async function makeUser(db: AppDb, overrides: Partial<typeof users.$inferInsert> & { role?: Role } = {}): Promise<User> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await cachedHash;
  const n = next();
  return withWriteTx(db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        displayName: `Warga ${n}`,
        email: `warga${n}-${Date.now()}@contoh.id`,
        passwordHash,
        createdAt: new Date(Date.now() - 30 * 86_400_000),
        emailVerifiedAt: new Date(),
        ...overrides,
      })
      .returning();
    return user!;
  });
}

/** city → kecamatan → kelurahan, returning the three rows. */
export async function makeAreas(db: AppDb) {
  const n = next();
  return withWriteTx(db, async (tx) => {
    const [city] = await tx
      .insert(areas)
      .values({ code: `99.${n}`, name: `Kota Uji ${n}`, level: "city", population: 100000 })
      .returning();
    const [kecamatan] = await tx
      .insert(areas)
      .values({ code: `99.${n}.01`, name: `Kecamatan ${n}`, level: "kecamatan", parentId: city!.id, population: 40000 })
      .returning();
    const [kelurahan] = await tx
      .insert(areas)
      .values({ code: `99.${n}.01.1001`, name: `Kelurahan ${n}`, level: "kelurahan", parentId: kecamatan!.id, population: 12000 })
      .returning();
    return { city: city!, kecamatan: kecamatan!, kelurahan: kelurahan! };
  });
}

export async function makeProject(db: AppDb, overrides: Partial<typeof projects.$inferInsert> = {}) {
  const n = next();
  const areaId = overrides.areaId ?? (await makeAreas(db)).kelurahan.id;
  const body = overrides.bodySource ?? "Rencana **pelebaran** jalan.";
  const bodyHtml = cookMarkdown(body);
  return withWriteTx(db, async (tx) => {
    const [project] = await tx
      .insert(projects)
      .values({
        slug: `proyek-${n}`,
        title: `Proyek ${n}`,
        summary: "Ringkasan proyek.",
        bodySource: body,
        bodyHtml,
        category: "roads",
        areaId,
        budgetRupiah: 1_250_000_000,
        phase: "consultation",
        consultationOpensAt: new Date(Date.now() - 86400000),
        consultationClosesAt: new Date(Date.now() + 7 * 86400000),
        ...overrides,
      })
      .returning();
    return project!;
  });
}

export async function reloadUser(db: AppDb, id: number): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user!;
}
