/**
 * A second (third …) OS process for the voting concurrency test: opens the same database file as
 * the app does (a writer and a reader, openSqliteApp), waits for "go" on stdin, then casts ballots for one user on each given project, several times
 * each, and prints a JSON summary. Any error other than a DomainError is reported and fails it.
 *
 * argv: <database path> <user id> <comma-separated project ids> <casts per project>
 */
import { eq } from "drizzle-orm";
import { closeSqliteApp, openSqliteApp } from "../../db/sqlite-writer";
import { fromSqlite } from "../../db/engine";
import { users, CHOICES } from "../../db/schema";
import { DomainError } from "../../app/domain-error";
import { castVote } from "../../app/voting/voting.server";
import { onGo } from "./concurrent-children";

/** What the child prints when done (with the times from `onGo`). */
export interface CastVoteSummary {
  changed: number;
  unchanged: number;
  domainErrors: Record<string, number>;
  otherErrors: string[];
}

const [path, userIdArg, projectIdsArg, castsArg] = process.argv.slice(2);
const sqlite = openSqliteApp(path!);
const db = fromSqlite(sqlite);
const [user] = await db
  .select()
  .from(users)
  .where(eq(users.id, Number(userIdArg)))
  .limit(1);
if (!user) throw new Error(`no user ${userIdArg}`);
const projectIds = projectIdsArg!.split(",").map(Number);
const casts = Number(castsArg);

onGo(
  async () => {
    const summary: CastVoteSummary = { changed: 0, unchanged: 0, domainErrors: {}, otherErrors: [] };
    for (const projectId of projectIds) {
      for (let i = 0; i < casts; i++) {
        const choice = CHOICES[(i + process.pid) % CHOICES.length];
        try {
          const result = await castVote(db, user, projectId, choice);
          if (result.changed) summary.changed++;
          else summary.unchanged++;
        } catch (error) {
          if (error instanceof DomainError) summary.domainErrors[error.key] = (summary.domainErrors[error.key] ?? 0) + 1;
          else summary.otherErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        }
      }
    }
    return summary;
  },
  () => closeSqliteApp(sqlite),
);
