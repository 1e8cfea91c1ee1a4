import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { VISIBILITIES, type Phase, type Role, type Visibility } from "~db/schema/values";
import { MODERATOR_ROLES, PLANNER_ROLES } from "~db/schema/values";

/**
 * Who may open a thread, a comment or a proposal: the rule of docs/decisions/011-who-sees-what.md,
 * written once. `mayView` decides for one piece of content in code; `visibleSql` is the same rule
 * as a SQL condition for lists, searches and reports. Nothing else decides it.
 */

export type ContentKind = "thread" | "comment" | "proposal";

/** Whoever is looking: null for a visitor who is not signed in. */
export type Viewer = { id: number; role: Role } | null;

/** Who is shown content in one visibility. */
type Audience = "everyone" | "author and moderators" | "nobody";

interface Cell {
  audience: Audience;
  /** False for a placeholder: the place is shown ("deleted by its author"), never the text. */
  body: boolean;
}

const SHOWN: Cell = { audience: "everyone", body: true };
const MODERATED: Cell = { audience: "author and moderators", body: true };
const GONE: Cell = { audience: "nobody", body: false };

/**
 * The rule, kind × visibility. Held, hidden and rejected content is its author's (with its state,
 * so they can edit or appeal) and the moderators' (to decide it); planners are not moderators and
 * see what residents see. An author's delete removes the text for everybody, moderators included;
 * a deleted comment keeps its place in its thread so that the replies keep their context.
 */
export const VISIBILITY_RULE: Record<ContentKind, Record<Visibility, Cell>> = {
  thread: { published: SHOWN, pending: MODERATED, hidden: MODERATED, rejected: MODERATED, deleted: GONE },
  proposal: { published: SHOWN, pending: MODERATED, hidden: MODERATED, rejected: MODERATED, deleted: GONE },
  comment: { published: SHOWN, pending: MODERATED, hidden: MODERATED, rejected: MODERATED, deleted: { audience: "everyone", body: false } },
};

export interface ViewableContent {
  kind: ContentKind;
  visibility: Visibility;
  authorId: number;
  /** The phase of its project, where known: a draft project and all in it are for its planners alone. */
  projectPhase?: Phase;
  /** What it sits in, where that matters: a comment's thread; a proposal's discussion's proposal. */
  container?: ViewableContent | null;
}

const isModerator = (viewer: Viewer) => Boolean(viewer && MODERATOR_ROLES.includes(viewer.role));
const seesDrafts = (viewer: Viewer) => Boolean(viewer && PLANNER_ROLES.includes(viewer.role));

function reaches(audience: Audience, viewer: Viewer, authorId: number): boolean {
  if (audience === "everyone") return true;
  if (audience === "nobody") return false;
  return isModerator(viewer) || viewer?.id === authorId;
}

/** Whether content in this visibility shows its text to those who may see it (false: a placeholder). */
export function showsBody(kind: ContentKind, visibility: Visibility): boolean {
  return VISIBILITY_RULE[kind][visibility].body;
}

/**
 * What `viewer` is shown of `content`: the whole of it, only its place (a comment its author
 * deleted), or nothing (null). Content inside something the viewer may not read is not shown.
 */
export function viewOf(viewer: Viewer, content: ViewableContent): "full" | "placeholder" | null {
  if (content.projectPhase === "draft" && !seesDrafts(viewer)) return null;
  if (content.container && viewOf(viewer, content.container) !== "full") return null;
  const cell = VISIBILITY_RULE[content.kind][content.visibility];
  if (!reaches(cell.audience, viewer, content.authorId)) return null;
  return cell.body ? "full" : "placeholder";
}

export function mayView(viewer: Viewer, content: ViewableContent): boolean {
  return viewOf(viewer, content) !== null;
}

/** The columns `visibleSql` reads, for a table or a (joined) alias: `comments.visibility`, `sql.raw("c.visibility")`. */
export interface VisibilityColumns {
  kind: ContentKind;
  visibility: SQLWrapper;
  authorId: SQLWrapper;
  projectPhase?: SQLWrapper;
  container?: VisibilityColumns;
  /** For a container that not every row has (a proposal around a thread): the column that is null without one. */
  presentWhen?: SQLWrapper;
}

const quoted = (values: readonly Visibility[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

/**
 * `mayView` as a SQL condition on `columns`, for the rows of a list. With `bodies`, only rows
 * whose text the viewer reads (no placeholders): what search and reports take, with a null viewer.
 * Visibilities are inlined (a closed set); the viewer's id is the only parameter.
 */
export function visibleSql(viewer: Viewer, columns: VisibilityColumns, { bodies = false }: { bodies?: boolean } = {}): SQL {
  const toAll: Visibility[] = [];
  const toAuthor: Visibility[] = [];
  for (const visibility of VISIBILITIES) {
    const cell = VISIBILITY_RULE[columns.kind][visibility];
    if (bodies && !cell.body) continue;
    if (cell.audience === "everyone" || (cell.audience === "author and moderators" && isModerator(viewer))) toAll.push(visibility);
    else if (cell.audience === "author and moderators" && viewer) toAuthor.push(visibility);
  }
  const cases: SQL[] = [];
  if (toAll.length) cases.push(sql`${columns.visibility} in (${quoted(toAll)})`);
  if (toAuthor.length && viewer) cases.push(sql`(${columns.visibility} in (${quoted(toAuthor)}) and ${columns.authorId} = ${viewer.id})`);
  // `1 = 0`, not `0`: PostgreSQL wants a boolean where SQLite takes a number.
  const parts: SQL[] = [cases.length ? sql`(${sql.join(cases, sql` or `)})` : sql`1 = 0`];
  if (columns.projectPhase && !seesDrafts(viewer)) parts.push(sql`${columns.projectPhase} <> 'draft'`);
  if (columns.container) parts.push(visibleSql(viewer, columns.container, { bodies: true }));
  const condition = parts.length > 1 ? sql`(${sql.join(parts, sql` and `)})` : parts[0]!;
  return columns.presentWhen ? sql`(${columns.presentWhen} is null or ${condition})` : condition;
}

/** What everybody reads: published content in published containers (search and reports). */
export function publishedSql(columns: VisibilityColumns): SQL {
  return visibleSql(null, columns, { bodies: true });
}
