/**
 * Accounts and content for the security suites, written straight into the server's database:
 * actors with sessions minted in the database (not signed in through the rate-limited form),
 * and real content made through the domain's own functions, so stored counts stay exact.
 *
 * The server runs as a real deployment, where an admin without a confirmed second factor is sent
 * to enrolment by every guarded page and action (decision 010). So every admin actor (the
 * suspended one too) is enrolled as its owner would be: a secret from `enrolmentFor`, confirmed
 * by `confirmEnrolment` with a code from that secret. The World keeps each secret, as the
 * owner's authenticator app does, to give the codes a cell needs (`code`).
 *
 * Every method that reads or writes the database is async; set-up writes go through
 * `withWriteTx`, since the test's handle reads on a connection that refuses writes.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { and, eq, sql } from "drizzle-orm";
import { rows, withWriteTx, type AppDb } from "../../../db/engine";
import {
  areas,
  follows,
  notifications,
  projects,
  proposals,
  recoveryCodes,
  supports,
  twoFactors,
  users,
  type Role,
  type TargetType,
  type User,
} from "../../../db/schema";
import { createSession } from "../../../app/accounts/session.server";
import { hashPassword } from "../../../app/accounts/password.server";
import { issueEmailToken, RESET_TOKEN_TTL_MS, VERIFY_TOKEN_TTL_MS } from "../../../app/accounts/email-tokens.server";
import { unsubscribeToken } from "../../../app/notifications/unsubscribe.server";
import { setEmailMode } from "../../../app/notifications/email-preferences.server";
import { openThread, postComment } from "../../../app/discussion/discussion.server";
import { submitProposal } from "../../../app/proposals/proposals.server";
import { enqueueReview, hideContent } from "../../../app/moderation/review.server";
import { loadContent, setVisibility } from "../../../app/moderation/visibility.server";
import { cookMarkdown } from "../../../app/content/markdown.server";
import {
  challengeCookieName,
  confirmEnrolment,
  enrolmentFor,
  hasSecondFactor,
  mayUseSecondFactor,
  removeFactor,
  startSignInChallenge,
  TOTP_DIGITS,
  TOTP_PERIOD_SECONDS,
  type FactorConfig,
} from "../../../app/accounts/two-factor.server";
import { touchProject } from "../../../app/content/counts.server";

/** The people the matrix runs as. "resident" owns the content a cell acts on; "other" does not. */
export const ACTOR_KINDS = [
  "visitor",
  "resident",
  "other",
  "suspendedResident",
  "suspendedModerator",
  "suspendedPlanner",
  "suspendedAdmin",
  "moderator",
  "planner",
  "admin",
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

const ROLE_OF: Record<Exclude<ActorKind, "visitor">, Role> = {
  resident: "resident",
  other: "resident",
  suspendedResident: "resident",
  suspendedModerator: "moderator",
  suspendedPlanner: "planner",
  suspendedAdmin: "admin",
  moderator: "moderator",
  planner: "planner",
  admin: "admin",
};

export interface Actor {
  kind: ActorKind;
  /** null for the visitor. */
  user: User | null;
  /** The Cookie header of the actor's session ("" for the visitor). */
  cookie: string;
}

/** The password of every account the suites make. */
export const PASSWORD = "kata sandi rahasia warga";
/** A password every rule accepts, for the forms that set a new one. */
export const NEW_PASSWORD = "Gerobak-Senja-Kuning-7291!";

const asWriter = (user: User): User => ({ ...user, suspendedUntil: null });

/** How the suites run the server: a real deployment (production, not the demo), where admins must have a factor. */
const DEPLOYMENT: FactorConfig = { production: true, demo: false };
const stepNow = () => Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);

/** Whether a fresh actor of this kind is an admin, who must have a confirmed factor to act. */
const needsFactor = (kind: ActorKind) => kind !== "visitor" && ROLE_OF[kind] === "admin";

export class World {
  private n = 0;
  private hash: string | null = null;
  /** A kelurahan of the seeded city (read by `init`). */
  areaId = 0;
  /** A moderator who sets content up (rejects it, holds it); never one of the actors. */
  private setupModerator: User | null = null;
  /** Each enrolled account's TOTP secret, as its owner's app holds it. */
  private readonly secrets = new Map<number, Uint8Array>();

  constructor(
    readonly db: AppDb,
    private readonly cookieName = "rembug_session",
  ) {}

  next() {
    return ++this.n;
  }

  /** A distinct text, so the duplicate-content rule never refuses a cell's post. */
  text(prefix = "Teks uji") {
    return `${prefix} nomor ${this.next()} tentang trotoar dan saluran air di kelurahan.`;
  }

  async init() {
    const [area] = await this.db.select({ id: areas.id }).from(areas).where(eq(areas.level, "kelurahan")).limit(1);
    this.areaId = area!.id;
    this.hash = await hashPassword(PASSWORD);
    this.setupModerator = await this.user("moderator");
    return this;
  }

  /** An established, verified account (old enough that screening does not hold its posts). */
  async user(role: Role, overrides: Partial<typeof users.$inferInsert> = {}): Promise<User> {
    if (!this.hash) throw new Error("World.init() first");
    const n = this.next();
    const hash = this.hash;
    const [user] = await withWriteTx(
      this.db,
      async (tx) =>
        await tx
          .insert(users)
          .values({
            displayName: `Uji ${role} ${n}`,
            email: `uji-${role}-${n}-${process.pid}@keamanan.test`,
            passwordHash: hash,
            role,
            areaId: this.areaId,
            createdAt: new Date(Date.now() - 60 * 86_400_000),
            emailVerifiedAt: new Date(Date.now() - 59 * 86_400_000),
            ...overrides,
          })
          .returning(),
    );
    return user!;
  }

  async suspend(user: User, days = 7): Promise<User> {
    const until = new Date(Date.now() + days * 86_400_000);
    await withWriteTx(this.db, async (tx) => {
      await tx.update(users).set({ suspendedUntil: until, suspensionReason: "Uji keamanan" }).where(eq(users.id, user.id));
    });
    return { ...user, suspendedUntil: until, suspensionReason: "Uji keamanan" };
  }

  async cookieOf(user: User) {
    return `${this.cookieName}=${(await createSession(this.db, user.id)).token}`;
  }

  /**
   * A fresh actor of `kind`, with a session of its own. Admins (suspended or not) have a confirmed
   * second factor, as a deployment requires; `factor: false` makes one who has not enrolled yet.
   */
  async actor(kind: ActorKind, { factor = needsFactor(kind) }: { factor?: boolean } = {}): Promise<Actor> {
    if (kind === "visitor") return { kind, user: null, cookie: "" };
    let user = await this.user(ROLE_OF[kind]);
    if (factor) await this.enrol(user);
    if (kind.startsWith("suspended")) user = await this.suspend(user);
    return { kind, user, cookie: await this.cookieOf(user) };
  }

  // ----- second factors (decision 010), through the domain's own functions

  /** Starts (or, `fresh`, restarts) setting up a factor, as opening /account/two-factor does; null for who may not have one. */
  async startEnrolment(user: User, { fresh = false } = {}) {
    const enrolment = await enrolmentFor(this.db, DEPLOYMENT, user, { fresh });
    if (enrolment) this.secrets.set(user.id, decodeBase32IgnorePadding(enrolment.secretText.replace(/\s/g, "")));
    return enrolment;
  }

  /**
   * A confirmed factor for a staff account: the secret confirmed with the code of the step before
   * now (one the server still takes), so the codes of this step and the next are left for the
   * cell's own requests. Queues the "turned on" notice to the owner, as enrolling does.
   */
  async enrol(user: User): Promise<string[]> {
    if (!(await this.startEnrolment(user))) throw new Error(`${user.role} ${user.id} may not have a second factor`);
    const now = new Date();
    const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) - 1;
    return (await confirmEnrolment(this.db, DEPLOYMENT, user, generateHOTP(this.secrets.get(user.id)!, BigInt(step), TOTP_DIGITS), now)).recoveryCodes;
  }

  /** Removes the account's factor (as turning it off or an operator's reset does), sessions kept. */
  async dropFactor(user: User) {
    await removeFactor(this.db, user.id);
    this.secrets.delete(user.id);
  }

  async hasFactor(userId: number): Promise<boolean> {
    return await hasSecondFactor(this.db, userId);
  }

  mayHaveFactor(user: User | null): user is User {
    return Boolean(user && mayUseSecondFactor(user));
  }

  /**
   * The code the owner's app shows now that the server has not seen yet (the step after the last
   * accepted one, never before the current one, so it stays good across a step boundary); a code
   * of the right shape that nothing accepts for an account without a secret.
   */
  async code(user: User | null): Promise<string> {
    const secret = user ? this.secrets.get(user.id) : undefined;
    if (!user || !secret) return "000000";
    const [row] = await this.db.select({ step: twoFactors.lastUsedStep }).from(twoFactors).where(eq(twoFactors.userId, user.id)).limit(1);
    const last = row?.step ?? null;
    const step = Math.max(stepNow(), last === null ? 0 : last + 1);
    if (step > stepNow() + 1) throw new Error(`no unused code for user ${user.id} until the next step`);
    return generateHOTP(secret, BigInt(step), TOTP_DIGITS);
  }

  /** What a cell may change of an account's factor: its secret, confirmation and recovery codes. */
  async factorState(userId: number): Promise<string> {
    const [row] = await this.db.select().from(twoFactors).where(eq(twoFactors.userId, userId)).limit(1);
    const codes = await this.db.select({ hash: recoveryCodes.codeHash }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    return JSON.stringify([row?.secretCipher ?? null, row?.confirmedAt?.getTime() ?? null, codes.map((c) => c.hash).sort()]);
  }

  /** Half a sign-in (the right password given, the code not yet): the Cookie header pair the code page reads. */
  async challengeCookie(user: User): Promise<string> {
    const { token } = await startSignInChallenge(this.db, user.id);
    return `${challengeCookieName({ secureCookies: this.cookieName.startsWith("__Host-") })}=${token}`;
  }

  /** Whose content the cell acts on: the "resident" actor owns it; for everyone else a resident who is not acting. */
  async ownerFor(actor: Actor): Promise<User> {
    return actor.kind === "resident" ? actor.user! : await this.user("resident");
  }

  async reload(id: number): Promise<User> {
    const [user] = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return user!;
  }

  /** A project in an open consultation (or the given phase). */
  async project(overrides: Partial<typeof projects.$inferInsert> = {}) {
    const n = this.next();
    const body = "Rencana **pelebaran** jalan.";
    const bodyHtml = cookMarkdown(body);
    const [project] = await withWriteTx(
      this.db,
      async (tx) =>
        await tx
          .insert(projects)
          .values({
            slug: `uji-keamanan-${n}`,
            title: `Proyek uji keamanan ${n}`,
            summary: "Ringkasan proyek uji.",
            bodySource: body,
            bodyHtml,
            category: "roads",
            areaId: this.areaId,
            budgetRupiah: 1_250_000_000,
            phase: "consultation",
            consultationOpensAt: new Date(Date.now() - 86_400_000),
            consultationClosesAt: new Date(Date.now() + 30 * 86_400_000),
            publishedAt: new Date(Date.now() - 86_400_000),
            ...overrides,
          })
          .returning(),
    );
    return project!;
  }

  // Content is written as if before any suspension: a suspended actor's own content exists too.
  async thread(author: User, projectId: number) {
    return await openThread(this.db, asWriter(author), projectId, { title: `Topik uji ${this.next()}`, body: this.text() });
  }

  async comment(author: User, threadId: number, parentId: number | null = null) {
    return await postComment(this.db, asWriter(author), threadId, { body: this.text("Komentar"), parentId: parentId === null ? null : String(parentId) });
  }

  async proposal(author: User, projectId: number) {
    const proposal = await submitProposal(this.db, asWriter(author), projectId, { title: `Usulan uji ${this.next()}`, body: this.text("Usulan") });
    return { proposal, threadId: await this.proposalThreadId(proposal.id) };
  }

  async proposalThreadId(proposalId: number): Promise<number> {
    const [thread] = await rows<{ id: number }>(this.db, sql`select id from threads where proposal_id = ${proposalId}`);
    return thread!.id;
  }

  /** Content held for review, with its open review item. */
  async held(type: TargetType, id: number) {
    const content = (await loadContent(this.db, type, id))!;
    await setVisibility(this.db, content, "pending");
    return await enqueueReview(this.db, content, ["new_author"]);
  }

  /** Content hidden by flags, waiting for a moderator: staff still see it, nobody else does. */
  async hidden(type: TargetType, id: number) {
    const content = (await loadContent(this.db, type, id))!;
    await setVisibility(this.db, content, "hidden");
    return await enqueueReview(this.db, content, ["flagged"]);
  }

  /** Content a moderator rejected (hidden with a reason): its author may appeal. */
  async rejected(type: TargetType, id: number) {
    await hideContent(this.db, this.setupModerator!, type, id, "Melanggar aturan (uji).");
  }

  /** A published support by `user` (as if given while they were a resident), its counts with it in one transaction. */
  async support(user: User, proposalId: number) {
    await withWriteTx(this.db, async (tx) => {
      const [p] = await tx.select().from(proposals).where(eq(proposals.id, proposalId)).limit(1);
      await tx.insert(supports).values({ proposalId, userId: user.id, projectId: p!.projectId, createdAt: new Date() });
      await tx
        .update(proposals)
        .set({ supportCount: sql`${proposals.supportCount} + 1` })
        .where(eq(proposals.id, proposalId));
      await touchProject(tx, p!.projectId);
    });
  }

  async follow(user: User, projectId: number) {
    await withWriteTx(this.db, async (tx) => {
      await tx.insert(follows).values({ userId: user.id, projectId, active: true });
      await tx
        .update(projects)
        .set({ followerCount: sql`${projects.followerCount} + 1` })
        .where(eq(projects.id, projectId));
    });
  }

  async isFollowing(userId: number, projectId: number): Promise<boolean> {
    const [row] = await this.db
      .select()
      .from(follows)
      .where(and(eq(follows.userId, userId), eq(follows.projectId, projectId), eq(follows.active, true)))
      .limit(1);
    return Boolean(row);
  }

  async notification(user: User) {
    const [notification] = await withWriteTx(
      this.db,
      async (tx) =>
        await tx
          .insert(notifications)
          .values({ userId: user.id, kind: "reply", link: "/projects", params: { title: "Uji", name: "Uji" } })
          .returning(),
    );
    return notification!;
  }

  async resetToken(user: User): Promise<string> {
    return await issueEmailToken(this.db, user.id, "reset", RESET_TOKEN_TTL_MS);
  }

  async verifyToken(user: User): Promise<string> {
    return await issueEmailToken(this.db, user.id, "verify", VERIFY_TOKEN_TTL_MS);
  }

  /** An unsubscribe link's token for an account that gets e-mail at once. */
  async unsubscribeToken(user: User): Promise<string> {
    await setEmailMode(this.db, user.id, "immediate");
    return await unsubscribeToken(this.db, user.id);
  }
}
