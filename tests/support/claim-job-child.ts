/**
 * Another OS process for the job-claim race (tests/jobs.test.ts): opens the database the app way
 * (a file path or a postgres:// URL), and on "go" claims the housekeeping once per round, each
 * round a moment of its own, and prints the rounds it won.
 *
 * argv: <database path or URL> <first moment, ms> <rounds> <step between rounds, ms>
 */
import { closeAppDatabase, openAppDatabase } from "../../db/engine";
import { claimJob } from "../../app/jobs.server";
import { onGo } from "./concurrent-children";

export interface ClaimJobSummary {
  won: number[];
}

const [url, firstArg, roundsArg, stepArg] = process.argv.slice(2);
const db = await openAppDatabase(url!);
const first = Number(firstArg);
const step = Number(stepArg);

onGo(
  async (): Promise<ClaimJobSummary> => {
    const won: number[] = [];
    for (let round = 0; round < Number(roundsArg); round++) {
      // Due again exactly at the next round's moment: one claim per round can win.
      const claim = await claimJob(db, "housekeeping", step, new Date(first + round * step));
      if (claim.claimed) won.push(round);
    }
    return { won };
  },
  () => closeAppDatabase(db),
);
