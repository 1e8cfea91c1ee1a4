/**
 * The expectation table of the route × role × action matrix: for every route a GET row, and for
 * every intent of every action a POST row (sometimes several: "own content" variants), each with
 * who may do it and how to set up a real case of it. The CSRF and fuzz suites reuse the POST
 * rows' set-ups, so their requests reach the rule with real ids and tokens.
 *
 * The rules written here (docs/SECURITY.md, decision 009):
 * - visitors read what is public and use the account pages (sign in, register, reset, links sent
 *   by e-mail); anything else sends them to sign in;
 * - residents, and staff as residents, take part: comment, open threads, propose, flag, follow;
 * - only residents vote and support (staff do not, decision 009), and never their own proposal;
 * - editing, deleting and withdrawing are the owner's alone; an appeal is the author's;
 * - moderators and admins work the queue, hide and lift suspensions (a staff member's only an
 *   admin); planners and admins run projects, answer proposals, compute themes and export;
 *   admins change roles and settings; nobody decides on their own content;
 * - a suspended account, whatever its role, keeps reading (staff keep their pages, not their
 *   powers), signing in and out, its account self-service — changing its password, e-mail
 *   preferences, language, following or not, marking notifications read, downloading its data,
 *   deleting its account, the verification mail, its own second factor — and its appeal;
 *   everything else is refused;
 * - staff may set up a second factor, renew its recovery codes and (moderators and planners, not
 *   admins of a deployment) turn it off; a confirmed factor is never replaced or confirmed again
 *   from a session alone; an account with a factor gets no session from its password alone, and
 *   the code page signs in only the browser holding that half sign-in (decision 010);
 * - previews change nothing but cost what a write costs (app/content/preview.server.ts): whoever
 *   may write now and reaches the form may ask; a suspended account may not.
 *
 * A POST row's set-up and its `wrote` check read and write the database, so both are async.
 */
import { and, eq, sql } from "drizzle-orm";
import { rows, withWriteTx } from "../../../db/engine";
import {
  comments,
  emailTokens,
  flags,
  notifications,
  outbox,
  projects,
  proposals,
  reportThemeRuns,
  reviewItems,
  sessions,
  supports,
  threads,
  users,
  votes,
  type User,
} from "../../../db/schema";
import { getEmailMode } from "../../../app/notifications/email-preferences.server";
import { currentModerationSettings } from "../../../app/moderation/settings-admin.server";
import { getSetting } from "../../../app/settings.server";
import { ACTOR_KINDS, NEW_PASSWORD, PASSWORD, type Actor, type ActorKind, type World } from "./world";
import type { Fields } from "./http";

export const ALL: readonly ActorKind[] = ACTOR_KINDS;
export const SIGNED_IN: readonly ActorKind[] = ACTOR_KINDS.filter((k) => k !== "visitor");
/** Anyone signed in who may write now. */
export const WRITERS: readonly ActorKind[] = ["resident", "other", "moderator", "planner", "admin"];
export const RESIDENTS: readonly ActorKind[] = ["resident", "other"];
export const OWNER: readonly ActorKind[] = ["resident"];
export const MODERATORS: readonly ActorKind[] = ["moderator", "admin"];
export const PLANNERS: readonly ActorKind[] = ["planner", "admin"];
export const STAFF: readonly ActorKind[] = ["moderator", "planner", "admin"];
export const ADMINS: readonly ActorKind[] = ["admin"];
export const NOBODY: readonly ActorKind[] = [];
/** Staff pages stay readable while their powers are suspended (decision 009). */
export const MODERATOR_PAGES: readonly ActorKind[] = ["moderator", "admin", "suspendedModerator", "suspendedAdmin"];
export const PLANNER_PAGES: readonly ActorKind[] = ["planner", "admin", "suspendedPlanner", "suspendedAdmin"];
export const ADMIN_PAGES: readonly ActorKind[] = ["admin", "suspendedAdmin"];
export const STAFF_READERS: readonly ActorKind[] = ["moderator", "planner", "admin", "suspendedModerator", "suspendedPlanner", "suspendedAdmin"];

export interface Cell {
  path: string;
  fields?: Fields;
  /** A cookie the browser holds besides the actor's session (a half sign-in's), as `name=value`. */
  cookie?: string;
  /** Whether the cell's change happened (asked after the request); absent where nothing is stored. */
  wrote?: () => Promise<boolean>;
}

interface Row {
  route: string;
  variant?: string;
  allowed: readonly ActorKind[];
  /** How a visitor who may not is refused: sent to sign in (default), or a plain 404/405. */
  visitor?: "login" | "status";
}
export interface GetRow extends Row {
  /** The path to read, or the path and a cookie the browser holds besides the actor's session. */
  setup: (w: World, fixtures: GetFixtures, actor: Actor) => string | { path: string; cookie: string };
}
export interface PostRow extends Row {
  /** "" for a route whose action takes no intent (its list is empty). */
  intent: string;
  setup: (w: World, actor: Actor) => Promise<Cell>;
}

/** Whether a select finds a row. */
const exists = async (query: { limit: (n: number) => PromiseLike<unknown[]> }) => (await query.limit(1)).length > 0;

export const rowName = (r: { route: string; intent?: string; variant?: string }) =>
  `${r.route.replace(/^routes\//, "")}${r.intent !== undefined ? ` · ${r.intent || "(no intent)"}` : ""}${r.variant ? ` (${r.variant})` : ""}`;

// ---------------------------------------------------------------------------------- GET rows

export interface GetFixtures {
  project: { slug: string; id: number };
  draft: { slug: string };
  threadId: number;
  hiddenThreadId: number;
  pendingThreadId: number;
  proposalId: number;
  hiddenProposalId: number;
  resetToken: string;
  verifyToken: string;
  unsubscribeToken: string;
  /** A half sign-in (password given, code not yet) of an account with a second factor, as its cookie pair. */
  challengeCookie: string;
  /** The owner of the fixtures' content (a resident who is not one of the actors). */
  owner: User;
}

export async function getFixtures(w: World): Promise<GetFixtures> {
  const owner = await w.user("resident");
  const project = await w.project();
  const draft = await w.project({ phase: "draft", publishedAt: null });
  const thread = await w.thread(owner, project.id);
  await w.comment(owner, thread.id);
  const hidden = await w.thread(owner, project.id);
  await w.hidden("thread", hidden.id);
  const pending = await w.thread(owner, project.id);
  await w.held("thread", pending.id);
  const { proposal } = await w.proposal(owner, project.id);
  const { proposal: hiddenProposal } = await w.proposal(owner, project.id);
  await w.hidden("proposal", hiddenProposal.id);
  const tokenUser = await w.user("resident");
  const unverified = await w.user("resident", { emailVerifiedAt: null });
  const withFactor = await w.user("moderator");
  await w.enrol(withFactor);
  return {
    project,
    draft,
    threadId: thread.id,
    hiddenThreadId: hidden.id,
    pendingThreadId: pending.id,
    proposalId: proposal.id,
    hiddenProposalId: hiddenProposal.id,
    resetToken: await w.resetToken(tokenUser),
    verifyToken: await w.verifyToken(unverified),
    unsubscribeToken: await w.unsubscribeToken(tokenUser),
    challengeCookie: await w.challengeCookie(withFactor),
    owner,
  };
}

const at = (path: string) => () => path;
const projectPath = (f: GetFixtures, rest = "") => `/projects/${f.project.slug}${rest}`;

export const GET_ROWS: GetRow[] = [
  { route: "routes/$", allowed: NOBODY, visitor: "status", setup: at("/tidak-ada-halaman-ini") },
  { route: "routes/_index", allowed: ALL, setup: at("/") },
  { route: "routes/account._index", allowed: SIGNED_IN, setup: at("/account") },
  // Staff set up their second factor here; residents have none to set up (404).
  { route: "routes/account.two-factor", allowed: STAFF_READERS, setup: at("/account/two-factor") },
  { route: "routes/account.data", allowed: SIGNED_IN, setup: at("/account/data") },
  { route: "routes/account.data[.]json", allowed: SIGNED_IN, setup: at("/account/data.json") },
  { route: "routes/account.decisions", allowed: SIGNED_IN, setup: at("/account/decisions") },
  { route: "routes/account.delete", allowed: SIGNED_IN, setup: at("/account/delete") },
  { route: "routes/account.deleted", allowed: ALL, setup: at("/account/deleted") },
  { route: "routes/account.email", allowed: SIGNED_IN, setup: at("/account/email") },
  { route: "routes/api.v1.projects", allowed: ALL, setup: at("/api/v1/projects") },
  { route: "routes/api.v1.projects.$slug", allowed: ALL, setup: (_w, f) => `/api/v1/projects/${f.project.slug}` },
  { route: "routes/api.v1.projects[.]geojson", allowed: ALL, setup: at("/api/v1/projects.geojson") },
  { route: "routes/forgot-password", allowed: ALL, setup: at("/forgot-password") },
  { route: "routes/i18n.$file", allowed: ALL, setup: at("/i18n/id-public-000000000000.json") },
  { route: "routes/language", allowed: ALL, setup: at("/language") },
  { route: "routes/login", allowed: ALL, setup: at("/login") },
  // The code form, for the browser holding a half sign-in (signed-in people are sent on, as from /login).
  { route: "routes/login_.code", allowed: ALL, setup: (_w, f) => ({ path: "/login/code", cookie: f.challengeCookie }) },
  { route: "routes/logout", allowed: ALL, setup: at("/logout") },
  { route: "routes/moderation", allowed: ALL, setup: at("/moderation") },
  { route: "routes/notifications", allowed: SIGNED_IN, setup: at("/notifications") },
  { route: "routes/privacy", allowed: ALL, setup: at("/privacy") },
  { route: "routes/projects._index", allowed: ALL, setup: at("/projects") },
  { route: "routes/projects.$slug._index", allowed: ALL, setup: (_w, f) => projectPath(f) },
  { route: "routes/projects.$slug._index", variant: "draft", allowed: PLANNER_PAGES, visitor: "status", setup: (_w, f) => `/projects/${f.draft.slug}` },
  { route: "routes/projects.$slug.proposals.$id", allowed: ALL, setup: (_w, f) => projectPath(f, `/proposals/${f.proposalId}`) },
  {
    route: "routes/projects.$slug.proposals.$id",
    variant: "hidden",
    allowed: MODERATOR_PAGES,
    visitor: "status",
    setup: (_w, f) => projectPath(f, `/proposals/${f.hiddenProposalId}`),
  },
  { route: "routes/projects.$slug.proposals.new", allowed: SIGNED_IN, setup: (_w, f) => projectPath(f, "/proposals/new") },
  { route: "routes/projects.$slug.threads.$id", allowed: ALL, setup: (_w, f) => projectPath(f, `/threads/${f.threadId}`) },
  {
    route: "routes/projects.$slug.threads.$id",
    variant: "hidden",
    allowed: MODERATOR_PAGES,
    visitor: "status",
    setup: (_w, f) => projectPath(f, `/threads/${f.hiddenThreadId}`),
  },
  // Held for review, or hidden: moderators and admins see it (decision 011); planners see what residents see.
  {
    route: "routes/projects.$slug.threads.$id",
    variant: "held",
    allowed: MODERATOR_PAGES,
    visitor: "status",
    setup: (_w, f) => projectPath(f, `/threads/${f.pendingThreadId}`),
  },
  { route: "routes/projects.$slug.threads.new", allowed: SIGNED_IN, setup: (_w, f) => projectPath(f, "/threads/new") },
  { route: "routes/register", allowed: ALL, setup: at("/register") },
  { route: "routes/reset-password.$token", allowed: ALL, setup: (_w, f) => `/reset-password/${f.resetToken}` },
  { route: "routes/reset-password._index", allowed: ALL, setup: at("/reset-password") },
  { route: "routes/search", allowed: ALL, setup: at("/search?q=jalan") },
  { route: "routes/staff.moderation._index", allowed: MODERATOR_PAGES, setup: at("/staff/moderation") },
  { route: "routes/staff.moderation.log", allowed: MODERATOR_PAGES, setup: at("/staff/moderation/log") },
  { route: "routes/staff.moderation.suspensions", allowed: MODERATOR_PAGES, setup: at("/staff/moderation/suspensions") },
  { route: "routes/staff.projects._index", allowed: PLANNER_PAGES, setup: at("/staff/projects") },
  { route: "routes/staff.projects.$slug", allowed: PLANNER_PAGES, setup: (_w, f) => `/staff/projects/${f.project.slug}` },
  { route: "routes/staff.projects.$slug_.report", allowed: PLANNER_PAGES, setup: (_w, f) => `/staff/projects/${f.project.slug}/report` },
  // Exports are a planner's power and each is written to the moderation log: not while suspended.
  ...(["comments[.]csv", "proposals[.]csv", "tallies[.]csv", "summary[.]json", "report[.]xlsx"] as const).map((file): GetRow => ({
    route: `routes/staff.projects.$slug_.report_.${file}`,
    allowed: PLANNERS,
    setup: (_w, f) => `/staff/projects/${f.project.slug}/report/${file.replace("[.]", ".")}`,
  })),
  { route: "routes/staff.projects.new", allowed: PLANNER_PAGES, setup: at("/staff/projects/new") },
  { route: "routes/staff.reports._index", allowed: PLANNER_PAGES, setup: at("/staff/reports") },
  { route: "routes/staff.reports.comments[.]csv", allowed: PLANNERS, setup: at("/staff/reports/comments.csv") },
  { route: "routes/staff.reports.projects[.]csv", allowed: PLANNERS, setup: at("/staff/reports/projects.csv") },
  { route: "routes/staff.settings", allowed: ADMIN_PAGES, setup: at("/staff/settings") },
  { route: "routes/staff.users", allowed: ADMIN_PAGES, setup: at("/staff/users") },
  { route: "routes/unsubscribe.$token", allowed: ALL, setup: (_w, f) => `/unsubscribe/${f.unsubscribeToken}` },
  { route: "routes/verify-email.$token", allowed: ALL, setup: (_w, f) => `/verify-email/${f.verifyToken}` },
  { route: "routes/verify-email._index", allowed: SIGNED_IN, setup: at("/verify-email") },
];

// --------------------------------------------------------------------------------- POST rows

/** The comment intents shared by thread and proposal pages, for the page at `page` with thread `threadId`. */
function commentRows(route: string, base: (w: World, owner: User) => Promise<{ page: string; threadId: number }>): PostRow[] {
  const commentOf = async (w: World, author: User) => {
    const b = await base(w, author);
    const c = await w.comment(author, b.threadId);
    return { ...b, commentId: c.id };
  };
  const mine = async (w: World, threadId: number, actor: Actor) =>
    Boolean(
      actor.user &&
      (await exists(
        w.db
          .select()
          .from(comments)
          .where(and(eq(comments.threadId, threadId), eq(comments.authorId, actor.user.id))),
      )),
    );
  const commentById = async (w: World, id: number) => (await w.db.select().from(comments).where(eq(comments.id, id)).limit(1))[0]!;
  /** An intent on one comment, by its id: the content's owner is the acting resident, or (variant) the actor. */
  const onComment =
    (
      intent: "edit" | "delete" | "hide",
      fieldsOf: (w: World, commentId: number) => Fields,
      changed: (w: World, commentId: number, fields: Fields) => Promise<boolean>,
    ) =>
    (allowed: readonly ActorKind[], variant?: string): PostRow => ({
      route,
      intent,
      variant,
      allowed,
      async setup(w, actor) {
        const author = variant && actor.user ? actor.user : await w.ownerFor(actor);
        const { page, commentId } = await commentOf(w, author);
        const fields = fieldsOf(w, commentId);
        return { path: page, fields, wrote: () => changed(w, commentId, fields) };
      },
    });
  const edit = onComment(
    "edit",
    (w, id) => ({ mode: "edit", commentId: String(id), body: w.text("Diubah") }),
    async (w, id, fields) => (await commentById(w, id)).bodySource === fields.body,
  );
  const del = onComment(
    "delete",
    (_w, id) => ({ mode: "delete", commentId: String(id) }),
    async (w, id) => (await commentById(w, id)).visibility === "deleted",
  );
  const hide = onComment(
    "hide",
    (_w, id) => ({ targetType: "comment", targetId: String(id), note: "Melanggar aturan." }),
    async (w, id) => (await commentById(w, id)).visibility !== "published",
  );
  return [
    {
      route,
      intent: "comment",
      allowed: WRITERS,
      async setup(w, actor) {
        const { page, threadId } = await base(w, await w.ownerFor(actor));
        return { path: page, fields: { mode: "comment", body: w.text("Komentar baru"), stance: "support" }, wrote: () => mine(w, threadId, actor) };
      },
    },
    {
      route,
      intent: "reply",
      allowed: WRITERS,
      async setup(w, actor) {
        const { page, commentId } = await commentOf(w, await w.ownerFor(actor));
        const replied = async () =>
          Boolean(
            actor.user &&
            (await exists(
              w.db
                .select()
                .from(comments)
                .where(and(eq(comments.parentId, commentId), eq(comments.authorId, actor.user.id))),
            )),
          );
        return { path: page, fields: { mode: "reply", parentId: String(commentId), body: w.text("Balasan") }, wrote: replied };
      },
    },
    edit(OWNER),
    edit(WRITERS, "own comment"),
    del(OWNER),
    del(WRITERS, "own comment"),
    {
      route,
      intent: "preview",
      allowed: WRITERS,
      async setup(w, actor) {
        const { page } = await base(w, await w.ownerFor(actor));
        return { path: page, fields: { mode: "comment", body: "**Pratinjau**" } };
      },
    },
    {
      route,
      intent: "flag",
      // Anyone who may write flags someone else's content; the owner may not flag their own.
      allowed: ["other", "moderator", "planner", "admin"],
      async setup(w, actor) {
        const { page, commentId } = await commentOf(w, await w.ownerFor(actor));
        return {
          path: page,
          fields: { targetType: "comment", targetId: String(commentId), reason: "spam", note: "Iklan." },
          wrote: async () =>
            Boolean(
              actor.user &&
              (await exists(
                w.db
                  .select()
                  .from(flags)
                  .where(and(eq(flags.targetId, commentId), eq(flags.userId, actor.user.id))),
              )),
            ),
        };
      },
    },
    hide(MODERATORS),
    // Four eyes: nobody hides their own content (decision 009).
    hide(NOBODY, "own comment"),
  ];
}

const threadPage = async (w: World, owner: User) => {
  const project = await w.project();
  const thread = await w.thread(owner, project.id);
  return { page: `/projects/${project.slug}/threads/${thread.id}`, threadId: thread.id, project };
};

const proposalPage = async (w: World, owner: User) => {
  const project = await w.project();
  const { proposal, threadId } = await w.proposal(owner, project.id);
  return { page: `/projects/${project.slug}/proposals/${proposal.id}`, threadId, proposalId: proposal.id, project };
};

function threadState(intent: "lock" | "unlock" | "pin" | "unpin"): PostRow {
  const column = intent === "lock" || intent === "unlock" ? "locked" : "pinned";
  const target = intent === "lock" || intent === "pin";
  return {
    route: "routes/projects.$slug.threads.$id",
    intent,
    allowed: STAFF,
    async setup(w, actor) {
      const { page, threadId } = await threadPage(w, await w.ownerFor(actor));
      if (!target)
        await withWriteTx(w.db, async (tx) => {
          await tx
            .update(threads)
            .set({ [column]: true })
            .where(eq(threads.id, threadId));
        });
      return { path: page, wrote: async () => (await w.db.select().from(threads).where(eq(threads.id, threadId)).limit(1))[0]![column] === target };
    },
  };
}

async function heldItem(w: World, author: User) {
  const project = await w.project();
  const thread = await w.thread(await w.user("resident"), project.id);
  const comment = await w.comment(author, thread.id);
  const item = await w.held("comment", comment.id);
  return { item, author };
}

const proposalById = async (w: World, id: number) => (await w.db.select().from(proposals).where(eq(proposals.id, id)).limit(1))[0]!;

const decided = (w: World, itemId: number, status: "approved" | "rejected") => async () =>
  (await w.db.select().from(reviewItems).where(eq(reviewItems.id, itemId)).limit(1))[0]!.status === status;

/** A decision on held content from the queue: one item, or two at once (bulk). */
function queueDecision(intent: "approve" | "reject" | "bulk-approve" | "bulk-reject", allowed: readonly ActorKind[], variant?: string): PostRow {
  const bulk = intent.startsWith("bulk-");
  const status = intent.endsWith("approve") ? "approved" : "rejected";
  return {
    route: "routes/staff.moderation._index",
    intent,
    variant,
    allowed,
    async setup(w, actor) {
      const author = variant && actor.user ? actor.user : await w.ownerFor(actor);
      const items: Awaited<ReturnType<typeof heldItem>>["item"][] = [];
      for (let i = 0; i < (bulk ? 2 : 1); i++) items.push((await heldItem(w, author)).item);
      const reason = status === "rejected" ? "Melanggar aturan." : "";
      return {
        path: "/staff/moderation",
        fields: (bulk
          ? { item: items.map((i) => `${i.id}:${i.version}`), reason }
          : { itemId: String(items[0]!.id), version: String(items[0]!.version), reason }) as Fields,
        wrote: async () => {
          for (const i of items) if (await decided(w, i.id, status)()) return true;
          return false;
        },
      };
    },
  };
}

function suspendDecision(duration: "1d" | "7d" | "30d" | "permanent"): PostRow {
  return {
    route: "routes/staff.moderation._index",
    intent: `suspend-${duration}`,
    allowed: MODERATORS,
    async setup(w, actor) {
      const { item, author } = await heldItem(w, await w.ownerFor(actor));
      return {
        path: "/staff/moderation",
        fields: { itemId: String(item.id), version: String(item.version), reason: "Berulang kali melanggar." },
        wrote: async () => Boolean((await w.reload(author.id)).suspendedUntil),
      };
    },
  };
}

function lift(allowed: readonly ActorKind[], variant: "resident" | "staff member" | "oneself"): PostRow {
  return {
    route: "routes/staff.moderation.suspensions",
    intent: "lift",
    variant: variant === "resident" ? undefined : variant,
    allowed,
    async setup(w, actor) {
      const target = variant === "oneself" && actor.user ? actor.user : await w.suspend(await w.user(variant === "staff member" ? "planner" : "resident"));
      const suspended = (u: User) => Boolean(u.suspendedUntil && u.suspendedUntil.getTime() > Date.now());
      const before = suspended(target);
      return {
        path: "/staff/moderation/suspensions",
        fields: { userId: String(target.id), name: target.displayName, reason: "Sudah cukup." },
        wrote: async () => before && !suspended(await w.reload(target.id)),
      };
    },
  };
}

function projectForm(w: World, title: string, slug: string): Fields {
  return {
    title,
    slug,
    summary: "Ringkasan proyek uji.",
    body: "Rencana **pelebaran** jalan.",
    category: "roads",
    areaId: String(w.areaId),
    budget: "1250000000",
    lat: "",
    lng: "",
    opensAt: "",
    closesAt: "",
  };
}

/**
 * One intent on someone's object as several rows: whose object it is (the variant) decides who
 * may act, e.g. anyone's own content but only the owner's for the resident's.
 */
function ownership(
  variants: [variant: string | undefined, allowed: readonly ActorKind[]][],
  row: (variant: string | undefined, allowed: readonly ActorKind[]) => PostRow,
): PostRow[] {
  return variants.map(([variant, allowed]) => row(variant, allowed));
}

/** The "new thread" and "new proposal" forms: a preview and the post itself, for whoever may write now. */
function newContentRows(route: string, kind: "threads" | "proposals", post: "open" | "submit"): PostRow[] {
  const table = kind === "threads" ? threads : proposals;
  return (["preview", post] as const).map((intent): PostRow => ({
    route,
    intent,
    allowed: WRITERS,
    async setup(w) {
      const project = await w.project();
      const title = `${kind === "threads" ? "Topik" : "Usulan"} baru ${w.next()}`;
      return {
        path: `/projects/${project.slug}/${kind}/new`,
        fields: { title, body: w.text("Isi") },
        wrote:
          intent === post
            ? () =>
                exists(
                  w.db
                    .select()
                    .from(table)
                    .where(and(eq(table.projectId, project.id), eq(table.title, title))),
                )
            : undefined,
      };
    },
  }));
}

/** Marking notifications read: one's own, never someone else's (by id, or through "read all"). */
function notificationRows(): PostRow[] {
  return (["read", "read-all"] as const).flatMap((intent) =>
    ownership(
      [
        [undefined, SIGNED_IN],
        ["someone else's", NOBODY],
      ],
      (variant, allowed) => ({
        route: "routes/notifications",
        intent,
        variant,
        allowed,
        async setup(w, actor) {
          const n = await w.notification(!variant && actor.user ? actor.user : await w.user("resident"));
          return {
            path: "/notifications",
            fields: (intent === "read" ? { id: String(n.id) } : {}) as Fields,
            wrote: async () => Boolean((await w.db.select().from(notifications).where(eq(notifications.id, n.id)).limit(1))[0]!.readAt),
          };
        },
      }),
    ),
  );
}

const count = async (w: World, query: ReturnType<typeof sql>) => (await rows<{ n: number }>(w.db, query))[0]?.n ?? 0;

/**
 * The second step of signing in (/login/code): the code of an account with a second factor, sent
 * by the browser that gave its password. Only that visitor is signed in; a signed-in person is
 * sent on, and a code without the half sign-in, or a wrong code, signs nobody in.
 */
function signInCodeRows(): PostRow[] {
  const variants = [
    [undefined, { challenge: true, goodCode: true }],
    ["without the half sign-in", { challenge: false, goodCode: true }],
    ["wrong code", { challenge: true, goodCode: false }],
  ] as const;
  return variants.map(([variant, { challenge, goodCode }]): PostRow => ({
    route: "routes/login_.code",
    intent: "verify",
    variant,
    allowed: variant ? NOBODY : ["visitor"],
    // Without the half sign-in a visitor is sent back to the password; a wrong code is a 400 on the code form.
    visitor: goodCode ? "login" : "status",
    async setup(w) {
      const who = await w.user("moderator");
      await w.enrol(who);
      const sessionsOf = () => count(w, sql`select count(*) as n from sessions where user_id = ${who.id}`);
      const before = await sessionsOf();
      const code = await w.code(who);
      return {
        path: "/login/code",
        cookie: challenge ? await w.challengeCookie(who) : undefined,
        fields: { code: goodCode ? code : code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10), redirectTo: "/" },
        wrote: async () => (await sessionsOf()) > before,
      };
    },
  }));
}

/**
 * One's own second factor on /account/two-factor, for an account that is setting one up
 * ("enrolling": admins' factors are removed first, as after an operator's reset) or has one
 * confirmed ("factor on": moderators and planners are enrolled first). Residents have none.
 */
function twoFactorRow(
  intent: "confirm" | "new-secret" | "renew-codes" | "disable",
  allowed: readonly ActorKind[],
  state: "enrolling" | "on",
  variant?: string,
): PostRow {
  return {
    route: "routes/account.two-factor",
    intent,
    variant,
    allowed,
    async setup(w, actor) {
      const user = actor.user;
      if (w.mayHaveFactor(user)) {
        if (state === "enrolling") {
          await w.dropFactor(user);
          await w.startEnrolment(user);
        } else if (!(await w.hasFactor(user.id))) await w.enrol(user);
      }
      const before = user ? await w.factorState(user.id) : null;
      const had = user ? await w.hasFactor(user.id) : false;
      const code = await w.code(user);
      const fields: Fields =
        intent === "confirm" ? { code } : intent === "renew-codes" ? { renewCode: code } : intent === "disable" ? { password: PASSWORD, code } : {};
      return {
        path: "/account/two-factor",
        fields: { ...fields, redirectTo: "/account" },
        // Confirming, a new secret, new recovery codes: the factor's stored state changed; turning it off: it is gone.
        wrote: async () => Boolean(user) && (intent === "disable" ? had && !(await w.hasFactor(user!.id)) : (await w.factorState(user!.id)) !== before),
      };
    },
  };
}

export const POST_ROWS: PostRow[] = [
  // Nothing to post to: 404 (unknown paths) and 405 (the read-only open-data API), never a sign-in page.
  { route: "routes/$", intent: "", allowed: NOBODY, visitor: "status", setup: async () => ({ path: "/tidak-ada-halaman-ini" }) },
  { route: "routes/api.v1.projects", intent: "", allowed: NOBODY, visitor: "status", setup: async () => ({ path: "/api/v1/projects" }) },
  {
    route: "routes/api.v1.projects.$slug",
    intent: "",
    allowed: NOBODY,
    visitor: "status",
    setup: async (w) => ({ path: `/api/v1/projects/${(await w.project()).slug}` }),
  },
  { route: "routes/api.v1.projects[.]geojson", intent: "", allowed: NOBODY, visitor: "status", setup: async () => ({ path: "/api/v1/projects.geojson" }) },

  // ----- the account's own pages: self-service, suspended or not
  {
    route: "routes/account._index",
    intent: "change-password",
    allowed: SIGNED_IN,
    async setup(w, actor) {
      const before = actor.user?.passwordHash;
      return {
        path: "/account",
        fields: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
        wrote: async () => Boolean(actor.user && (await w.reload(actor.user.id)).passwordHash !== before),
      };
    },
  },
  twoFactorRow("confirm", STAFF_READERS, "enrolling"),
  twoFactorRow("confirm", NOBODY, "on", "factor on"),
  twoFactorRow("new-secret", STAFF_READERS, "enrolling"),
  // A session alone never replaces a confirmed factor's secret.
  twoFactorRow("new-secret", NOBODY, "on", "factor on"),
  twoFactorRow("renew-codes", STAFF_READERS, "on"),
  // Admins of a deployment must keep theirs (403); other staff turn it off with the password and a code.
  twoFactorRow("disable", ["moderator", "planner", "suspendedModerator", "suspendedPlanner"], "on"),
  ...ownership(
    [
      [undefined, OWNER],
      // An appeal is the author's: a suspended author may appeal too (DESIGN.md, Roles).
      ["own content", SIGNED_IN],
    ],
    (variant, allowed) => ({
      route: "routes/account.decisions",
      intent: "appeal",
      variant,
      allowed,
      async setup(w, actor) {
        const author = variant && actor.user ? actor.user : await w.ownerFor(actor);
        const project = await w.project();
        const thread = await w.thread(await w.user("resident"), project.id);
        const comment = await w.comment(author, thread.id);
        await w.rejected("comment", comment.id);
        return {
          path: "/account/decisions",
          fields: { type: "comment", id: String(comment.id), appeal: "Mohon ditinjau ulang." },
          wrote: async () =>
            (await count(
              w,
              sql`select count(*) as n from review_items where target_type = 'comment' and target_id = ${comment.id} and appeal_text is not null`,
            )) > 0,
        };
      },
    }),
  ),
  {
    route: "routes/account.delete",
    intent: "delete-account",
    allowed: SIGNED_IN,
    setup: async (w, actor) => ({
      path: "/account/delete",
      fields: { password: PASSWORD },
      wrote: async () => Boolean(actor.user && (await w.reload(actor.user.id)).deletedAt),
    }),
  },
  {
    route: "routes/account.email",
    intent: "set-email-mode",
    allowed: SIGNED_IN,
    setup: async (w, actor) => ({
      path: "/account/email",
      fields: { mode: "digest" },
      wrote: async () => Boolean(actor.user && (await getEmailMode(w.db, actor.user.id)) === "digest"),
    }),
  },
  ...notificationRows(),
  {
    route: "routes/verify-email._index",
    intent: "resend",
    allowed: SIGNED_IN,
    async setup(w, actor) {
      const user = actor.user;
      if (user)
        await withWriteTx(w.db, async (tx) => {
          await tx.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, user.id));
        });
      return {
        path: "/verify-email",
        fields: { redirectTo: "/account" },
        wrote: async () =>
          Boolean(
            user &&
            (await exists(
              w.db
                .select()
                .from(outbox)
                .where(and(eq(outbox.userId, user.id), eq(outbox.kind, "verify_email"))),
            )),
          ),
      };
    },
  },
  {
    route: "routes/language",
    intent: "set-language",
    allowed: ALL,
    setup: async (w, actor) => ({
      path: "/language",
      fields: { locale: "en", redirectTo: "/projects" },
      wrote: actor.user ? async () => (await w.reload(actor.user!.id)).locale === "en" : undefined,
    }),
  },

  // ----- signing in and out, registering, links sent by e-mail: open to everyone
  {
    route: "routes/login",
    intent: "sign-in",
    allowed: ALL,
    async setup(w, actor) {
      const who = actor.user ?? (await w.user("resident"));
      const sessionsOf = () => count(w, sql`select count(*) as n from sessions where user_id = ${who.id}`);
      const challengesOf = () => count(w, sql`select count(*) as n from sign_in_challenges where user_id = ${who.id}`);
      const before = { sessions: await sessionsOf(), challenges: await challengesOf() };
      // An account with a second factor (the admins) gets half a sign-in for the code page, and no session yet.
      const twoStep = await w.hasFactor(who.id);
      return {
        path: "/login",
        fields: { email: who.email!, password: PASSWORD, redirectTo: "/" },
        wrote: async () =>
          twoStep ? (await challengesOf()) > before.challenges && (await sessionsOf()) === before.sessions : (await sessionsOf()) > before.sessions,
      };
    },
  },
  ...signInCodeRows(),
  {
    route: "routes/logout",
    intent: "sign-out",
    allowed: ALL,
    setup: async (w, actor) => ({
      path: "/logout",
      wrote: actor.user ? async () => !(await exists(w.db.select().from(sessions).where(eq(sessions.userId, actor.user!.id)))) : undefined,
    }),
  },
  {
    route: "routes/register",
    intent: "register",
    allowed: ALL,
    async setup(w) {
      const email = `daftar-${w.next()}-${process.pid}@keamanan.test`;
      return {
        path: "/register",
        fields: { displayName: "Warga Baru", email, password: NEW_PASSWORD, areaId: "" },
        wrote: () => exists(w.db.select().from(users).where(eq(users.email, email))),
      };
    },
  },
  {
    route: "routes/forgot-password",
    intent: "request-reset",
    allowed: ALL,
    async setup(w, actor) {
      const who = actor.user ?? (await w.user("resident"));
      return {
        path: "/forgot-password",
        fields: { email: who.email! },
        wrote: () =>
          exists(
            w.db
              .select()
              .from(emailTokens)
              .where(and(eq(emailTokens.userId, who.id), eq(emailTokens.purpose, "reset"))),
          ),
      };
    },
  },
  {
    route: "routes/reset-password.$token",
    intent: "reset-password",
    allowed: ALL,
    async setup(w) {
      const who = await w.user("resident");
      return {
        path: `/reset-password/${await w.resetToken(who)}`,
        fields: { password: NEW_PASSWORD },
        wrote: async () => (await w.reload(who.id)).passwordHash !== who.passwordHash,
      };
    },
  },
  {
    route: "routes/verify-email.$token",
    intent: "verify",
    allowed: ALL,
    async setup(w) {
      const who = await w.user("resident", { emailVerifiedAt: null });
      return { path: `/verify-email/${await w.verifyToken(who)}`, wrote: async () => Boolean((await w.reload(who.id)).emailVerifiedAt) };
    },
  },
  {
    route: "routes/unsubscribe.$token",
    intent: "unsubscribe",
    allowed: ALL,
    async setup(w) {
      const who = await w.user("resident");
      return {
        path: `/unsubscribe/${await w.unsubscribeToken(who)}`,
        fields: { "List-Unsubscribe": "One-Click" },
        wrote: async () => (await getEmailMode(w.db, who.id)) === "none",
      };
    },
  },

  // ----- taking part on a project
  {
    route: "routes/projects.$slug._index",
    intent: "vote",
    // Only residents' ballots count (decision 009).
    allowed: RESIDENTS,
    async setup(w, actor) {
      const project = await w.project();
      return {
        path: `/projects/${project.slug}`,
        fields: { choice: "support" },
        wrote: async () =>
          Boolean(
            actor.user &&
            (await exists(
              w.db
                .select()
                .from(votes)
                .where(and(eq(votes.projectId, project.id), eq(votes.userId, actor.user.id))),
            )),
          ),
      };
    },
  },
  {
    route: "routes/projects.$slug._index",
    intent: "follow",
    // Following only decides what one is notified of: self-service, suspended or not.
    allowed: SIGNED_IN,
    async setup(w, actor) {
      const project = await w.project();
      return { path: `/projects/${project.slug}`, wrote: async () => Boolean(actor.user && (await w.isFollowing(actor.user.id, project.id))) };
    },
  },
  {
    route: "routes/projects.$slug._index",
    intent: "unfollow",
    allowed: SIGNED_IN,
    async setup(w, actor) {
      const project = await w.project();
      if (actor.user) await w.follow(actor.user, project.id);
      return { path: `/projects/${project.slug}`, wrote: async () => Boolean(actor.user && !(await w.isFollowing(actor.user.id, project.id))) };
    },
  },
  ...newContentRows("routes/projects.$slug.threads.new", "threads", "open"),
  ...newContentRows("routes/projects.$slug.proposals.new", "proposals", "submit"),

  // ----- a thread's page
  threadState("lock"),
  threadState("unlock"),
  threadState("pin"),
  threadState("unpin"),
  ...commentRows("routes/projects.$slug.threads.$id", threadPage),

  // ----- a proposal's page
  {
    route: "routes/projects.$slug.proposals.$id",
    intent: "support",
    // Residents support others' proposals; staff do not (decision 009); nobody their own.
    allowed: ["other"],
    async setup(w, actor) {
      const { page, proposalId } = await proposalPage(w, await w.ownerFor(actor));
      return {
        path: page,
        wrote: async () =>
          Boolean(
            actor.user &&
            (await exists(
              w.db
                .select()
                .from(supports)
                .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, actor.user.id))),
            )),
          ),
      };
    },
  },
  {
    route: "routes/projects.$slug.proposals.$id",
    intent: "unsupport",
    // Taking back one's own support (staff may hold one given while they were a resident).
    allowed: WRITERS,
    async setup(w, actor) {
      const { page, proposalId } = await proposalPage(w, await w.user("resident"));
      if (actor.user) await w.support(actor.user, proposalId);
      return {
        path: page,
        wrote: async () =>
          Boolean(
            actor.user &&
            !(await exists(
              w.db
                .select()
                .from(supports)
                .where(and(eq(supports.proposalId, proposalId), eq(supports.userId, actor.user.id))),
            )),
          ),
      };
    },
  },
  ...ownership(
    [
      [undefined, OWNER],
      ["own proposal", WRITERS],
    ],
    (variant, allowed) => ({
      route: "routes/projects.$slug.proposals.$id",
      intent: "withdraw",
      variant,
      allowed,
      async setup(w, actor) {
        const { page, proposalId } = await proposalPage(w, variant && actor.user ? actor.user : await w.ownerFor(actor));
        return { path: page, wrote: async () => (await proposalById(w, proposalId)).status === "withdrawn" };
      },
    }),
  ),
  {
    route: "routes/projects.$slug.proposals.$id",
    intent: "answer",
    allowed: PLANNERS,
    async setup(w, actor) {
      const { page, proposalId } = await proposalPage(w, await w.ownerFor(actor));
      return {
        path: page,
        fields: { mode: "answer", status: "accepted", answer: "Diterima dan akan dilaksanakan." },
        wrote: async () => (await proposalById(w, proposalId)).status === "accepted",
      };
    },
  },
  {
    route: "routes/projects.$slug.proposals.$id",
    intent: "preview",
    variant: "answer",
    allowed: WRITERS,
    setup: async (w, actor) => ({
      path: (await proposalPage(w, await w.ownerFor(actor))).page,
      fields: { mode: "answer", status: "accepted", answer: "**Pratinjau**" },
    }),
  },
  ...commentRows("routes/projects.$slug.proposals.$id", proposalPage),

  // ----- moderation
  queueDecision("approve", MODERATORS),
  queueDecision("approve", NOBODY, "own content"),
  queueDecision("reject", MODERATORS),
  queueDecision("reject", NOBODY, "own content"),
  suspendDecision("1d"),
  suspendDecision("7d"),
  suspendDecision("30d"),
  suspendDecision("permanent"),
  queueDecision("bulk-approve", MODERATORS),
  queueDecision("bulk-approve", NOBODY, "own content"),
  queueDecision("bulk-reject", MODERATORS),
  queueDecision("bulk-reject", NOBODY, "own content"),
  lift(MODERATORS, "resident"),
  // Only an admin lifts a staff member's suspension; nobody their own (decision 009).
  lift(ADMINS, "staff member"),
  lift(NOBODY, "oneself"),

  // ----- planners' projects
  ...(["preview", "edit", "phase", "update"] as const).map((intent): PostRow => ({
    route: "routes/staff.projects.$slug",
    intent,
    allowed: PLANNERS,
    async setup(w) {
      const project = await w.project();
      const path = `/staff/projects/${project.slug}`;
      const now = async () => (await w.db.select().from(projects).where(eq(projects.id, project.id)).limit(1))[0]!;
      if (intent === "preview") return { path, fields: { section: "update", body: "**Pratinjau**" } };
      if (intent === "edit") {
        const title = `Judul diubah ${w.next()}`;
        return { path, fields: projectForm(w, title, project.slug), wrote: async () => (await now()).title === title };
      }
      if (intent === "phase") return { path, fields: { to: "review", note: "Konsultasi ditutup." }, wrote: async () => (await now()).phase === "review" };
      return {
        path,
        fields: { body: "Kabar terbaru proyek." },
        wrote: async () => (await count(w, sql`select count(*) as n from project_updates where project_id = ${project.id} and kind = 'update'`)) > 0,
      };
    },
  })),
  {
    route: "routes/staff.projects.$slug_.report",
    intent: "themes",
    // Computing themes again writes; it is a planner's power, so not while suspended.
    allowed: PLANNERS,
    async setup(w, actor) {
      const project = await w.project();
      const thread = await w.thread(await w.ownerFor(actor), project.id);
      await w.comment(await w.user("resident"), thread.id);
      return {
        path: `/staff/projects/${project.slug}/report`,
        wrote: () => exists(w.db.select().from(reportThemeRuns).where(eq(reportThemeRuns.projectId, project.id))),
      };
    },
  },
  ...(["preview", "create"] as const).map((intent): PostRow => ({
    route: "routes/staff.projects.new",
    intent,
    allowed: PLANNERS,
    async setup(w) {
      const slug = `proyek-baru-uji-${w.next()}`;
      return {
        path: "/staff/projects/new",
        fields: projectForm(w, `Proyek baru ${slug}`, slug),
        wrote: intent === "create" ? () => exists(w.db.select().from(projects).where(eq(projects.slug, slug))) : undefined,
      };
    },
  })),

  // ----- admin
  {
    route: "routes/staff.settings",
    intent: "save-settings",
    allowed: ADMINS,
    async setup(w) {
      const current = await currentModerationSettings(w.db);
      const word = `kataterlarang${w.next()}`;
      return {
        path: "/staff/settings",
        fields: {
          ...Object.fromEntries(Object.entries(current.numbers).map(([k, v]) => [k, String(v)])),
          blockedWords: [...current.blockedWords, word].join("\n"),
        },
        wrote: async () => (await getSetting(w.db, "blockedWords")).includes(word),
      };
    },
  },
  ...ownership(
    [
      [undefined, ADMINS],
      ["oneself", NOBODY],
    ],
    (variant, allowed) => ({
      route: "routes/staff.users",
      intent: "change-role",
      variant,
      allowed,
      async setup(w, actor) {
        const target = variant && actor.user ? actor.user : await w.user("resident");
        const role = target.role === "moderator" ? "planner" : "moderator";
        return { path: "/staff/users", fields: { userId: String(target.id), role }, wrote: async () => (await w.reload(target.id)).role === role };
      },
    }),
  ),
];

/** The first row of each route, for the suites that need one valid case per action. */
export function firstPostRowByRoute(): Map<string, PostRow> {
  const out = new Map<string, PostRow>();
  for (const row of POST_ROWS) if (!out.has(row.route)) out.set(row.route, row);
  return out;
}
