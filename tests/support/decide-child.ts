/**
 * A moderator in a second (third …) OS process for the concurrent-decision test: opens the same
 * database file (a writer and a read connection, as the app does), waits for "go" on stdin, then
 * decides each given review item at the version the moderator saw, and prints a JSON summary with
 * every outcome. Any error other than a DomainError is reported and fails the test.
 *
 * argv: <database path> <moderator id> <approve|reject> <comma-separated itemId:version pairs>
 */
import { eq } from "drizzle-orm";
import { closeSqliteApp, openSqliteApp } from "../../db/sqlite-writer";
import { fromSqlite } from "../../db/engine";
import { users } from "../../db/schema";
import { DomainError } from "../../app/domain-error";
import { decideReviewItem, type Decision } from "../../app/moderation/review.server";
import { onGo } from "./concurrent-children";

export type DecideOutcome = { id: number; ok: true } | { id: number; ok: false; status: number; key: string; params: Record<string, string | number> };
/** What the child prints when done (with the times from `onGo`). */
export interface DecideSummary {
  outcomes: DecideOutcome[];
  otherErrors: string[];
}

const [path, moderatorIdArg, decisionArg, itemsArg] = process.argv.slice(2);
const sqlite = openSqliteApp(path!);
const db = fromSqlite(sqlite);
const [moderator] = await db
  .select()
  .from(users)
  .where(eq(users.id, Number(moderatorIdArg)))
  .limit(1);
if (!moderator) throw new Error(`no user ${moderatorIdArg}`);
const decision = decisionArg as Decision;
const items = itemsArg!.split(",").map((pair) => {
  const [id, version] = pair.split(":").map(Number);
  return { id: id!, version: version! };
});

onGo(
  async () => {
    const summary: DecideSummary = { outcomes: [], otherErrors: [] };
    for (const { id, version } of items) {
      try {
        await decideReviewItem(db, moderator, id, { decision, version, reason: decision === "reject" ? `Ditolak oleh proses ${process.pid}` : null });
        summary.outcomes.push({ id, ok: true });
      } catch (error) {
        if (error instanceof DomainError) summary.outcomes.push({ id, ok: false, status: error.status, key: error.key, params: error.params });
        else summary.otherErrors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
    return summary;
  },
  () => closeSqliteApp(sqlite),
);
