import { and, eq, sql, type SQL } from "drizzle-orm";
import { forUpdate, tables, withWriteTx, type AppDb } from "~db/engine";
import { CHOICES, type Choice, type User } from "~db/schema";
import { DomainError } from "~/domain-error";
import { assertMayWrite } from "~/accounts/users.server";
import { assertConsultationOpen, followProject, getProjectForWrite } from "~/projects/projects.server";
import { touchProject } from "~/content/counts.server";
import { rateLimit } from "~/rate-limit.server";
import { getSetting } from "~/settings.server";

/** The stored tally of each choice on the project's row. */
const TALLY_KEY = { support: "votesSupport", oppose: "votesOppose", abstain: "votesAbstain" } as const;

/** Moves one choice's stored tally by one, in place (never read and written back), in the ballot's transaction. */
async function moveTally(tx: AppDb, projectId: number, choice: Choice, delta: 1 | -1): Promise<void> {
  const { projects } = tables(tx);
  const key = TALLY_KEY[choice];
  const set = { [key]: sql`${projects[key]} + ${delta}` } as Partial<Record<(typeof TALLY_KEY)[Choice], SQL>>;
  await tx.update(projects).set(set).where(eq(projects.id, projectId));
}

export function isChoice(value: unknown): value is Choice {
  return typeof value === "string" && (CHOICES as readonly string[]).includes(value);
}

/**
 * Casts or changes the resident's one ballot on a project while its consultation is open.
 * The read-then-write runs in one write transaction: on SQLite the one writer serialises every
 * process; on PostgreSQL the project's row and the resident's ballot are locked while they are
 * read. The unique (project, user) index is the last line of defence: a first ballot that meets
 * another one cast at the same moment inserts nothing, reads the one that won and changes it.
 * The stored tallies change in the same transaction, in place.
 */
export async function castVote(db: AppDb, user: User, projectId: number, choice: unknown, now = new Date()): Promise<{ changed: boolean; choice: Choice }> {
  if (!isChoice(choice)) throw new DomainError(400, "voting.choiceRequired", {}, "choice");
  // A ballot counts a resident: only a verified e-mail address may cast one, and staff do not.
  assertMayWrite(user, now, { verified: true, resident: true });
  const limited = await rateLimit(db, `vote:user:${user.id}`, await getSetting(db, "rateVotesPerMinute"), now);
  if (!limited.ok) throw new DomainError(429, "errors.rateLimitedFor", { seconds: limited.retryAfterSeconds });
  return withWriteTx(db, async (tx) => {
    const { votes } = tables(tx);
    const project = await getProjectForWrite(tx, projectId);
    assertConsultationOpen(project, now);
    const ownBallot = async () =>
      (
        await forUpdate(
          tx
            .select()
            .from(votes)
            .where(and(eq(votes.projectId, projectId), eq(votes.userId, user.id)))
            .limit(1),
        )
      )[0];
    let existing = await ownBallot();
    if (!existing) {
      const cast = await tx
        .insert(votes)
        .values({ projectId, userId: user.id, choice, areaId: user.areaId, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: votes.id });
      // Another first ballot of this resident was committed meanwhile: this one changes it.
      if (!cast.length) existing = await ownBallot();
    }
    if (existing?.choice === choice) return { changed: false, choice };
    if (existing) {
      await tx.update(votes).set({ choice, updatedAt: now }).where(eq(votes.id, existing.id));
      await moveTally(tx, projectId, existing.choice, -1);
    }
    await moveTally(tx, projectId, choice, 1);
    await touchProject(tx, projectId, now);
    await followProject(tx, user.id, projectId, { automatic: true });
    return { changed: true, choice };
  });
}

/** The resident's own ballot, shown only to them. */
export async function getOwnVote(db: AppDb, userId: number, projectId: number): Promise<Choice | null> {
  const { votes } = tables(db);
  const [row] = await db
    .select({ choice: votes.choice })
    .from(votes)
    .where(and(eq(votes.projectId, projectId), eq(votes.userId, userId)))
    .limit(1);
  return row?.choice ?? null;
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
