import { asc, inArray, sql } from "drizzle-orm";
import { rows as rawRows, tables, type AppDb } from "~db/engine";
import type { TargetType, Visibility } from "~db/schema";
import { commentPath, proposalPath, threadPath } from "~/content/links";
import { paginate } from "~/paginate";

export const OWN_DECISIONS_PAGE_SIZE = 20;

/** "edit" is a held edit of a comment: the published text stays live until it is approved. */
export type OwnModeratedKind = TargetType | "edit";

type Row = {
  kind: OwnModeratedKind;
  id: number;
  project_id: number;
  title: string | null;
  body_html: string;
  visibility: Visibility;
  /** Milliseconds on SQLite, a Date on PostgreSQL. */
  created_at: number | Date;
  thread_id: number | null;
  proposal_id: number | null;
};

/**
 * The signed-in author's content that moderation holds or took down: held or hidden items
 * waiting for review, held edits, and rejected items with the decision's reason and the state
 * of their one appeal. A fixed number of queries per page, the same SQL on both engines.
 */
export async function listOwnModeratedContent(db: AppDb, authorId: number, page = 1) {
  const { projects, reviewItems, threads } = tables(db);
  const union = sql`
    select 'thread' as kind, id, project_id, title, body_html, visibility, created_at, id as thread_id, proposal_id
      from threads where author_id = ${authorId} and visibility in ('pending', 'hidden', 'rejected')
    union all
    select 'comment', id, project_id, null, body_html, visibility, created_at, thread_id, null
      from comments where author_id = ${authorId} and visibility in ('pending', 'hidden', 'rejected')
    union all
    select 'proposal', id, project_id, title, body_html, visibility, created_at, null, id
      from proposals where author_id = ${authorId} and visibility in ('pending', 'hidden', 'rejected')
    union all
    select 'edit', r.comment_id, c.project_id, null, r.body_html, 'pending', r.created_at, c.thread_id, null
      from comment_revisions r join comments c on c.id = r.comment_id
      where r.editor_id = ${authorId} and c.author_id = ${authorId} and r.visibility = 'pending'`;
  const [counted] = await rawRows<{ n: number }>(db, sql`select count(*) as n from (${union}) as own`);
  const total = Number(counted?.n ?? 0);
  const { offset, pageCount } = paginate(total, page, OWN_DECISIONS_PAGE_SIZE);
  const rows = await rawRows<Row>(
    db,
    sql`select * from (${union}) as own order by created_at desc, kind, id limit ${OWN_DECISIONS_PAGE_SIZE} offset ${offset}`,
  );
  const projectIds = [...new Set(rows.map((r) => r.project_id))];
  const projectRows = projectIds.length
    ? await db.select({ id: projects.id, slug: projects.slug, title: projects.title }).from(projects).where(inArray(projects.id, projectIds))
    : [];
  const threadIds = [...new Set(rows.filter((r) => r.kind === "comment" || r.kind === "edit").map((r) => r.thread_id!))];
  const threadRows = threadIds.length
    ? await db.select({ id: threads.id, title: threads.title, proposalId: threads.proposalId }).from(threads).where(inArray(threads.id, threadIds))
    : [];
  const targets = rows.filter((r) => r.kind !== "edit");
  const items = targets.length
    ? await db
        .select()
        .from(reviewItems)
        .where(
          sql`(${reviewItems.targetType}, ${reviewItems.targetId}) in (${sql.join(
            targets.map((r) => sql`(${r.kind}, ${r.id})`),
            sql`, `,
          )})`,
        )
        .orderBy(asc(reviewItems.id))
    : [];
  return {
    rows: rows.map((r) => {
      const project = projectRows.find((p) => p.id === r.project_id);
      const thread = r.thread_id ? threadRows.find((t) => t.id === r.thread_id) : undefined;
      const slug = project?.slug ?? "";
      const link =
        r.kind === "proposal"
          ? proposalPath(slug, r.id)
          : r.kind === "thread"
            ? threadPath(slug, { id: r.id, proposalId: r.proposal_id })
            : commentPath(slug, { id: r.thread_id!, proposalId: thread?.proposalId ?? null }, r.id);
      const mine = r.kind === "edit" ? [] : items.filter((i) => i.targetType === r.kind && i.targetId === r.id);
      const appealItem = mine.find((i) => i.appealText !== null) ?? null;
      const rejection = [...mine].reverse().find((i) => i.status === "rejected" && i !== appealItem) ?? null;
      return {
        kind: r.kind,
        id: r.id,
        title: r.title,
        bodyHtml: r.body_html,
        visibility: r.visibility,
        createdAt: new Date(r.created_at),
        project: project ? { slug: project.slug, title: project.title } : null,
        threadTitle: thread?.title ?? null,
        link,
        rejection: rejection ? { reason: rejection.decisionReason, decidedAt: rejection.decidedAt } : null,
        appeal: appealItem
          ? {
              text: appealItem.appealText!,
              appealedAt: appealItem.appealedAt,
              status: appealItem.status,
              reason: appealItem.decisionReason,
              decidedAt: appealItem.decidedAt,
            }
          : null,
        canAppeal: r.kind !== "edit" && r.visibility === "rejected" && !appealItem,
      };
    }),
    total,
    page,
    pageCount,
  };
}
