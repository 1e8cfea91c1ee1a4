import { and, count, desc, eq, or, sql, type SQL } from "drizzle-orm";
import { logAction } from "~/audit/log.server";
import { z } from "zod";
import { forUpdate, isUniqueViolation, tables, withWriteTx, type AppDb } from "~db/engine";
import { ROLES, type Role, type User, type Locale } from "~db/schema";
import { dummyPasswordHash, hashPassword, verifyPassword, PASSWORD_MAX, PASSWORD_MIN } from "./password.server";
import { createSession, invalidateUserSessions } from "./session.server";
import { DomainError, forbidden, notFound, type FieldError } from "~/domain-error";
import { queueVerificationMail } from "./verification.server";
import { passwordProblem } from "./password-rule.server";
import { queueAccountNotice } from "./account-notice.server";
import { parseId } from "~/ids";
import { paginate } from "~/paginate";

export const DISPLAY_NAME_MAX = 60;
export const EMAIL_MAX = 254;

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

export const emailSchema = z.string().trim().min(1, "errors.required").max(EMAIL_MAX, "errors.tooLong").pipe(z.email("errors.emailInvalid"));

const passwordSchema = z.string().min(1, "errors.required").min(PASSWORD_MIN, "errors.passwordTooShort").max(PASSWORD_MAX, "errors.passwordTooLong");

export const registrationSchema = z.object({
  displayName: z.string().trim().min(1, "errors.required").max(DISPLAY_NAME_MAX, "errors.tooLong"),
  email: emailSchema,
  password: passwordSchema,
  areaId: z
    .string()
    .optional()
    .refine((v) => !v || parseId(v) !== null, "errors.areaUnknown")
    .transform((v) => (v ? parseId(v) : null)),
});

/** zod's issues as field errors: the first issue of each field, its message a translation key. */
function fieldErrorsOf(error: z.ZodError): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (!out.has(field)) out.set(field, { field, key: issue.message.startsWith("errors.") ? issue.message : "errors.invalid", params: {} });
  }
  return [...out.values()];
}

export interface RegistrationInput {
  displayName: string;
  email: string;
  password: string;
  areaId?: string | null;
  locale?: Locale;
}

export interface CheckedRegistration {
  displayName: string;
  email: string;
  password: string;
  areaId: number | null;
  locale: Locale;
}

const REGISTRATION_FIELDS = ["displayName", "email", "password", "areaId"] as const;

/**
 * The registration form's rules, which depend on what was typed alone, never on who is registered.
 * Every field is checked, so a form with several mistakes is refused once with all of them
 * (a 400 DomainError, in the form's order); a password that is long enough is also judged for
 * strength when another field is wrong.
 */
export async function checkRegistration(db: AppDb, input: RegistrationInput): Promise<CheckedRegistration> {
  const parsed = registrationSchema.safeParse({ ...input, areaId: input.areaId ?? undefined });
  const errors = new Map((parsed.success ? [] : fieldErrorsOf(parsed.error)).map((e) => [e.field, e]));
  const refuse = (field: string, key: string) => errors.set(field, { field, key, params: {} });
  const displayName = parsed.success ? parsed.data.displayName : input.displayName.trim();
  const email = normalizeEmail(parsed.success ? parsed.data.email : input.email);
  if (!errors.has("password")) {
    const weak = passwordProblem(input.password, { email, displayName });
    if (weak) refuse("password", weak);
  }
  const areaId = parsed.success ? parsed.data.areaId : errors.has("areaId") ? null : parseId(input.areaId ?? "");
  if (areaId !== null) {
    const { areas } = tables(db);
    const [area] = await db.select({ level: areas.level }).from(areas).where(eq(areas.id, areaId)).limit(1);
    if (!area || area.level !== "kelurahan") refuse("areaId", "errors.areaUnknown");
  }
  if (!parsed.success || errors.size) {
    const order = (field: string) => REGISTRATION_FIELDS.indexOf(field as (typeof REGISTRATION_FIELDS)[number]);
    throw DomainError.fields(
      400,
      [...errors.values()].sort((a, b) => order(a.field) - order(b.field)),
    );
  }
  return { displayName, email, password: parsed.data.password, areaId, locale: input.locale ?? "id" };
}

/**
 * Writes a checked registration: the account and its verification e-mail, in one transaction
 * (the password is hashed before it); 409 when the address is taken (the unique index decides).
 */
export async function createAccount(db: AppDb, checked: CheckedRegistration): Promise<User> {
  const { displayName, email, password, areaId, locale } = checked;
  const passwordHash = await hashPassword(password);
  try {
    return await withWriteTx(db, async (tx) => {
      const { users } = tables(tx);
      const [created] = await tx.insert(users).values({ displayName, email, passwordHash, areaId, locale }).returning();
      await queueVerificationMail(tx, created!);
      return created!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(409, "errors.emailTaken", {}, "email");
    }
    throw error;
  }
}

/**
 * Creates a resident's account, for code that may know whether an address is registered (tests,
 * tools). The sign-up page goes through signUp (sign-up.server.ts), which never tells.
 */
export async function registerUser(db: AppDb, input: RegistrationInput): Promise<User> {
  return createAccount(db, await checkRegistration(db, input));
}

/** Creates an account from the command line or the seed: it counts as verified. */
export async function createVerifiedUser(
  db: AppDb,
  input: { displayName: string; email: string; password: string; role: Role; areaId?: number | null },
): Promise<User> {
  const email = normalizeEmail(input.email);
  if (!emailSchema.safeParse(email).success) throw new Error("invalid e-mail address");
  const problem = passwordProblem(input.password, { email, displayName: input.displayName });
  if (problem === "errors.passwordWeak")
    throw new Error("password is too easy to guess: use a short sentence of four or more words only you know, without your name or e-mail address");
  if (problem) throw new Error(`password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters`);
  if (!ROLES.includes(input.role)) throw new Error(`unknown role: ${input.role}`);
  const passwordHash = await hashPassword(input.password);
  return withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    const [created] = await tx
      .insert(users)
      .values({
        displayName: input.displayName,
        email,
        passwordHash,
        role: input.role,
        areaId: input.areaId ?? null,
        emailVerifiedAt: new Date(),
      })
      .returning();
    return created!;
  });
}

/** Checks e-mail and password; an unknown e-mail and a wrong password look the same to the caller. */
export async function authenticate(db: AppDb, emailInput: string, password: string): Promise<User | null> {
  const email = normalizeEmail(emailInput);
  const { users } = tables(db);
  const user = email ? (await db.select().from(users).where(eq(users.email, email)).limit(1))[0] : undefined;
  if (!user || !user.passwordHash || user.deletedAt) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

/** Why `password` cannot become this user's new password (a translation key), or null. */
export function newPasswordProblem(password: string, user: Pick<User, "email" | "displayName">): string | null {
  return passwordProblem(password, user);
}

/** A new password for a signed-in user, against the current one; returns this device's fresh session. */
export async function changePassword(
  db: AppDb,
  user: User,
  input: { currentPassword: string; newPassword: string },
): Promise<{ token: string; expiresAt: Date }> {
  if (!input.currentPassword) throw new DomainError(400, "errors.required", {}, "currentPassword");
  const weak = passwordProblem(input.newPassword, user);
  if (weak) throw new DomainError(400, weak, {}, "newPassword");
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError(400, "errors.passwordWrong", {}, "currentPassword");
  }
  const passwordHash = await hashPassword(input.newPassword);
  // Every session ends with a password change; the caller gets a fresh one for this device.
  return withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await invalidateUserSessions(tx, user.id);
    await queueAccountNotice(tx, user, "passwordChanged");
    return createSession(tx, user.id);
  });
}

export async function setUserLocale(db: AppDb, userId: number, locale: Locale): Promise<void> {
  await withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    await tx.update(users).set({ locale }).where(eq(users.id, userId));
  });
}

/** Why a user may not write right now, or null when they may. Every write path calls this. */
export type WriteRefusal = { reason: "suspended"; until: Date | null } | { reason: "deleted" } | { reason: "unverified" } | { reason: "staff" };

export interface WriteRequirements {
  /** Voting and supporting count people, so they need a verified e-mail address; commenting does not. */
  verified?: boolean;
  /**
   * Ballots and supports are residents' voice in the public tallies: staff, who run the
   * consultation and answer it, do not cast them (decision 009).
   */
  resident?: boolean;
}

export function writeRefusal(user: User, now = new Date(), { verified = false, resident = false }: WriteRequirements = {}): WriteRefusal | null {
  if (user.deletedAt) return { reason: "deleted" };
  if (user.suspendedUntil && user.suspendedUntil.getTime() > now.getTime()) {
    // Year 9999 stands for a permanent suspension.
    const permanent = user.suspendedUntil.getUTCFullYear() >= 9999;
    return { reason: "suspended", until: permanent ? null : user.suspendedUntil };
  }
  if (resident && user.role !== "resident") return { reason: "staff" };
  if (verified && !user.emailVerifiedAt) return { reason: "unverified" };
  return null;
}

/** Throws the translated refusal when the user may not write; every domain write calls it. */
export function assertMayWrite(user: User, now = new Date(), requirements: WriteRequirements = {}) {
  const refusal = writeRefusal(user, now, requirements);
  if (!refusal) return;
  if (refusal.reason === "deleted") throw new DomainError(403, "accounts.refusal.deleted");
  if (refusal.reason === "unverified") throw new DomainError(403, "accounts.refusal.unverified");
  if (refusal.reason === "staff") throw new DomainError(403, "accounts.refusal.staffDoNotVote");
  if (refusal.until) throw new DomainError(403, "accounts.refusal.suspendedUntil", { until: refusal.until.toISOString() });
  throw new DomainError(403, "accounts.refusal.suspendedPermanently");
}

/** Accounts younger than the established-account age get stricter limits and weigh less in flags. */
export function isEstablished(user: User, establishedDays: number, now = new Date()): boolean {
  return Boolean(user.emailVerifiedAt) && now.getTime() - user.createdAt.getTime() >= establishedDays * 86400000;
}

export function canWrite(user: User, now = new Date()): boolean {
  return writeRefusal(user, now) === null;
}

export const USERS_PAGE_SIZE = 25;

/** Staff's list of accounts; the search matches name or address, ignoring case (ASCII, on both engines). */
export async function listUsers(db: AppDb, { query, role, page }: { query?: string; role?: Role | null; page: number }) {
  const { users } = tables(db);
  const conditions: SQL[] = [sql`${users.deletedAt} is null`];
  if (role) conditions.push(eq(users.role, role));
  const q = query?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(sql`lower(${users.displayName}) like lower(${pattern}) escape '\\'`, sql`lower(${users.email}) like lower(${pattern}) escape '\\'`)!);
  }
  const where = and(...conditions);
  const total = (await db.select({ n: count() }).from(users).where(where).limit(1))[0]?.n ?? 0;
  const { offset, pageCount } = paginate(total, Math.max(1, page), USERS_PAGE_SIZE);
  const rows = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      suspendedUntil: users.suspendedUntil,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(USERS_PAGE_SIZE)
    .offset(offset);
  return { rows, total, page, pageCount };
}

/**
 * Admins change roles; every change is written to the moderation log. An admin cannot demote
 * themself. Nothing changes (`changed: false`, with the reason for the page to say) for their own
 * role or a role the user already has; an actor who is not an admin is refused (403), an unknown
 * user is 404.
 */
export async function changeRole(db: AppDb, actor: User, targetId: number, role: Role, reason: string | null = null) {
  if (actor.role !== "admin") throw forbidden();
  assertMayWrite(actor);
  if (!ROLES.includes(role)) throw new Error("unknown role");
  return withWriteTx(db, async (tx) => {
    const { users } = tables(tx);
    // Locked until the change is logged: two admins changing one role at once log each change from what it was.
    const [target] = await forUpdate(tx.select().from(users).where(eq(users.id, targetId)).limit(1));
    if (!target || target.deletedAt) throw notFound();
    if (target.id === actor.id) return { changed: false as const, reason: "self" as const };
    if (target.role === role) return { changed: false as const, reason: "same" as const };
    await tx.update(users).set({ role }).where(eq(users.id, targetId));
    await logAction(tx, actor, "role_change", { type: "user", id: targetId }, reason, { from: target.role, to: role });
    return { changed: true as const, from: target.role, to: role };
  });
}

export async function listKelurahan(db: AppDb) {
  const { areas } = tables(db);
  const kecamatan = db.select({ id: areas.id, name: areas.name }).from(areas).where(eq(areas.level, "kecamatan")).as("kec");
  return await db
    .select({ id: areas.id, name: areas.name, kecamatan: kecamatan.name })
    .from(areas)
    .innerJoin(kecamatan, eq(kecamatan.id, areas.parentId))
    .where(eq(areas.level, "kelurahan"))
    .orderBy(kecamatan.name, areas.name);
}

export const PASSWORD_HINT = { min: PASSWORD_MIN, max: PASSWORD_MAX };
