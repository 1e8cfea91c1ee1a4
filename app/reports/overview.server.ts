import { asc, count, desc, sql, type SQL } from "drizzle-orm";
import { rows, tables, type AppDb } from "~db/engine";
import type { Choice, Project } from "~db/schema";
import { NO_FILTERS } from "./filters.server";
import { participantsByArea } from "./figures.server";
import { excludedThreads, PUBLISHED_PROPOSAL, PUBLISHED_THREAD, visibleCommentOf } from "./scope.server";
import { paginate } from "~/paginate";

/** A project's unfiltered headline figures, live from the published content (as its report shows them). */
export interface ProjectHeadline {
  participants: number;
  threads: number;
  comments: number;
  proposals: number;
  supports: number;
  followers: number;
  ballots: Record<Choice, number>;
}

export async function projectHeadline(db: AppDb, project: Pick<Project, "id">): Promise<ProjectHeadline> {
  const pid = project.id;
  const n = async (q: SQL) => (await rows<{ n: number }>(db, q))[0]?.n ?? 0;
  const ballots: Record<Choice, number> = { support: 0, oppose: 0, abstain: 0 };
  for (const r of await rows<{ choice: Choice; n: number }>(db, sql`select choice, count(*) as n from votes where project_id = ${pid} group by choice`)) {
    ballots[r.choice] = r.n;
  }
  const visible = visibleCommentOf(await excludedThreads(db, pid));
  return {
    participants: [...(await participantsByArea(db, pid, NO_FILTERS, null, visible)).values()].reduce((a, b) => a + b, 0),
    threads: await n(sql`select count(*) as n from threads t where t.project_id = ${pid} and ${PUBLISHED_THREAD} and t.proposal_id is null`),
    comments: await n(sql`select count(*) as n from comments c where c.project_id = ${pid} and ${visible}`),
    proposals: await n(sql`select count(*) as n from proposals p where p.project_id = ${pid} and ${PUBLISHED_PROPOSAL}`),
    supports: await n(sql`select count(*) as n from supports s join proposals p on p.id = s.proposal_id where s.project_id = ${pid} and ${PUBLISHED_PROPOSAL}`),
    followers: await n(sql`select count(*) as n from follows f where f.project_id = ${pid} and f.active = true`),
    ballots,
  };
}

export const OVERVIEW_PAGE_SIZE = 20;

/** /staff/reports: every project (drafts too) with its headline figures, newest activity first. */
export async function listProjectHeadlines(db: AppDb, page: number) {
  const { projects } = tables(db);
  const total = (await db.select({ n: count() }).from(projects).limit(1))[0]?.n ?? 0;
  const { page: current, pageCount, offset } = paginate(total, page, OVERVIEW_PAGE_SIZE, { clamp: true });
  const found = await db
    .select()
    .from(projects)
    .orderBy(sql`${projects.lastActivityAt} is null`, desc(projects.lastActivityAt), asc(projects.id))
    .limit(OVERVIEW_PAGE_SIZE)
    .offset(offset);
  const out = [];
  for (const p of found) {
    out.push({
      slug: p.slug,
      title: p.title,
      phase: p.phase,
      consultationClosesAt: p.consultationClosesAt?.toISOString() ?? null,
      headline: await projectHeadline(db, p),
    });
  }
  return { total, page: current, pageCount, rows: out };
}
