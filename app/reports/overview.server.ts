import { asc, count, desc, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { projects, type Choice, type Project } from "~db/schema";
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

export function projectHeadline(db: Db, project: Pick<Project, "id">): ProjectHeadline {
  const pid = project.id;
  const n = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q)?.n ?? 0;
  const ballots: Record<Choice, number> = { support: 0, oppose: 0, abstain: 0 };
  for (const r of db.all<{ choice: Choice; n: number }>(sql`select choice, count(*) as n from votes where project_id = ${pid} group by choice`)) {
    ballots[r.choice] = r.n;
  }
  const visible = visibleCommentOf(excludedThreads(db, pid));
  return {
    participants: [...participantsByArea(db, pid, NO_FILTERS, null, visible).values()].reduce((a, b) => a + b, 0),
    threads: n(sql`select count(*) as n from threads t where t.project_id = ${pid} and ${PUBLISHED_THREAD} and t.proposal_id is null`),
    comments: n(sql`select count(*) as n from comments c where c.project_id = ${pid} and ${visible}`),
    proposals: n(sql`select count(*) as n from proposals p where p.project_id = ${pid} and ${PUBLISHED_PROPOSAL}`),
    supports: n(sql`select count(*) as n from supports s join proposals p on p.id = s.proposal_id where s.project_id = ${pid} and ${PUBLISHED_PROPOSAL}`),
    followers: n(sql`select count(*) as n from follows f where f.project_id = ${pid} and f.active = 1`),
    ballots,
  };
}

export const OVERVIEW_PAGE_SIZE = 20;

/** /staff/reports: every project (drafts too) with its headline figures, newest activity first. */
export function listProjectHeadlines(db: Db, page: number) {
  const total = db.select({ n: count() }).from(projects).get()?.n ?? 0;
  const { page: current, pageCount, offset } = paginate(total, page, OVERVIEW_PAGE_SIZE, { clamp: true });
  const rows = db
    .select()
    .from(projects)
    .orderBy(sql`${projects.lastActivityAt} is null`, desc(projects.lastActivityAt), asc(projects.id))
    .limit(OVERVIEW_PAGE_SIZE)
    .offset(offset)
    .all();
  return {
    total,
    page: current,
    pageCount,
    rows: rows.map((p) => ({
      slug: p.slug,
      title: p.title,
      phase: p.phase,
      consultationClosesAt: p.consultationClosesAt?.toISOString() ?? null,
      headline: projectHeadline(db, p),
    })),
  };
}
