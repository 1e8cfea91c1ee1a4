import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~db/client";
import { immediate } from "~db/client";
import { projects, votes, CHOICES, type Choice, type User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { assertMayWrite } from "~/accounts/users.server";
import { assertConsultationOpen, followProject, getProjectForWrite } from "~/projects/projects.server";
import { touchProject } from "~/content/counts.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";

const TALLY_COLUMN = { support: projects.votesSupport, oppose: projects.votesOppose, abstain: projects.votesAbstain } as const;
const TALLY_NAME = { support: "votes_support", oppose: "votes_oppose", abstain: "votes_abstain" } as const;

export function isChoice(value: unknown): value is Choice {
  return typeof value === "string" && (CHOICES as readonly string[]).includes(value);
}

/**
 * Casts or changes the resident's one ballot on a project while its consultation is open.
 * The read-then-write runs in BEGIN IMMEDIATE, so concurrent submissions from any number of
 * processes serialise; the unique (project, user) index is the last line of defence.
 * The stored tallies change in the same transaction.
 */
export function castVote(db: Db, user: User, projectId: number, choice: unknown, now = new Date()): { changed: boolean; choice: Choice } {
  if (!isChoice(choice)) throw new DomainError(400, "voting.choiceRequired", {}, "choice");
  // A ballot counts a resident: only a verified e-mail address may cast one, and staff do not.
  assertMayWrite(user, now, { verified: true, resident: true });
  const limited = rateLimit(db, `vote:user:${user.id}`, getSetting(db, "rateVotesPerMinute"), now);
  if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
  return immediate(db, () => {
    const project = getProjectForWrite(db, projectId);
    assertConsultationOpen(project, now);
    const existing = db
      .select()
      .from(votes)
      .where(and(eq(votes.projectId, projectId), eq(votes.userId, user.id)))
      .get();
    if (existing?.choice === choice) return { changed: false, choice };
    if (existing) {
      db.update(votes).set({ choice, updatedAt: now }).where(eq(votes.id, existing.id)).run();
      db.run(sql`update ${projects} set ${sql.raw(TALLY_NAME[existing.choice])} = ${TALLY_COLUMN[existing.choice]} - 1 where ${projects.id} = ${projectId}`);
    } else {
      db.insert(votes).values({ projectId, userId: user.id, choice, areaId: user.areaId, createdAt: now }).run();
    }
    db.run(sql`update ${projects} set ${sql.raw(TALLY_NAME[choice])} = ${TALLY_COLUMN[choice]} + 1 where ${projects.id} = ${projectId}`);
    touchProject(db, projectId, now);
    followProject(db, user.id, projectId, { automatic: true });
    return { changed: true, choice };
  });
}

/** The resident's own ballot, shown only to them. */
export function getOwnVote(db: Db, userId: number, projectId: number): Choice | null {
  return (
    db
      .select({ choice: votes.choice })
      .from(votes)
      .where(and(eq(votes.projectId, projectId), eq(votes.userId, userId)))
      .get()?.choice ?? null
  );
}

export interface Tally {
  support: number;
  oppose: number;
  abstain: number;
  total: number;
}

/** Public tallies from the stored counts; never who voted how. */
export function tallyOf(project: { votesSupport: number; votesOppose: number; votesAbstain: number }): Tally {
  const { votesSupport: support, votesOppose: oppose, votesAbstain: abstain } = project;
  return { support, oppose, abstain, total: support + oppose + abstain };
}
