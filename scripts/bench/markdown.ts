/**
 * Markdown under hostile input:
 *
 *   npm run bench:markdown  (= node --import tsx scripts/bench/markdown.ts --write)
 *   node --import tsx scripts/bench/markdown.ts [--write] [--runs=N] [--baseline=<git revision>|none]
 *
 * Runs every input of the hostile corpus (scripts/bench/markdown-corpus.ts), each at the posting
 * cap, through what a write does with a body (cook it, and count its links for the screening), and
 * prints each input's median and slowest time over a few runs, its outcome (links found, or the
 * refusal) and the worst case. Times are wall-clock in this process, which is what a request
 * holding the event loop costs everybody else.
 *
 * --baseline=<rev> (by default 9a535ae, the last revision before the guard) also runs the corpus
 * through the Markdown module as it was at that revision (app/content/markdown.server.ts, or app/discussion/ before it moved;
 * extracted with `git show` into node_modules/.cache), with that revision's API, for
 * a before/after table. With --write, rewrites its own section of docs/BENCHMARKS.md (between the
 * markdown-benchmark markers).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DomainError } from "~/domain-error";
import { BODY_MAX } from "~/discussion/discussion.server";
import { cookMarkdownWithLinks } from "~/content/markdown.server";
import { MARKDOWN_TIME_BUDGET_MS } from "~/content/markdown-guard.server";
import { writeBenchmarkSection } from "./benchmarks-doc";
import { hostileCorpus } from "./markdown-corpus";

const ROOT = resolve(import.meta.dirname, "../..");
const WRITE = process.argv.includes("--write");
const RUNS = Number(process.argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5);
/** The last revision before the guard (app/content/markdown-guard.server.ts): stock marked, the body parsed twice. */
const BEFORE_THE_GUARD = "9a535ae";
const baselineArg = process.argv.find((a) => a.startsWith("--baseline="))?.slice(11) ?? BEFORE_THE_GUARD;
const BASELINE = baselineArg === "none" ? undefined : baselineArg;

type WritePath = (source: string) => { html: string; links: number };

/** The cooking path of an earlier revision: before cookMarkdownWithLinks, a write cooked the body and cooked it again to count links. */
async function baselinePath(rev: string): Promise<WritePath> {
  const show = (path: string) => execFileSync("git", ["show", `${rev}:${path}`], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  let source: string;
  try {
    source = show("app/content/markdown.server.ts");
  } catch {
    // Markdown cooking lived in app/discussion/ until it moved to the content kernel.
    source = show("app/discussion/markdown.server.ts");
  }
  const dir = join(ROOT, "node_modules/.cache/rembug-bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `markdown-${rev.replace(/[^\w.-]/g, "_")}.server.ts`);
  writeFileSync(file, source);
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod.cookMarkdownWithLinks === "function") return (s) => mod.cookMarkdownWithLinks(s);
  return (s) => ({ html: mod.cookMarkdown(s), links: mod.countLinks(s) });
}

interface Measure {
  median: number;
  max: number;
  outcome: string;
}

function outcomeOf(error: unknown): string {
  if (error instanceof DomainError) return `refused: ${error.status} ${error.key}`;
  if (error instanceof Error) return `throws ${error.name}: ${error.message.split("\n")[0]!.slice(0, 60)}`;
  return `throws ${String(error)}`;
}

function measure(path: WritePath, text: string): Measure {
  const times: number[] = [];
  let outcome = "";
  // The first run warms up; inputs slower than a second are run twice only, so the whole stays in minutes.
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    try {
      const { html, links } = path(text);
      outcome = `${links} link${links === 1 ? "" : "s"}, ${html.length.toLocaleString("en")} B of HTML`;
    } catch (error) {
      outcome = outcomeOf(error);
    }
    const ms = performance.now() - t0;
    if (i > 0 || ms > 1000) times.push(ms);
    if (ms > 1000 && times.length >= 2) break;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor((times.length - 1) / 2)]!, max: times[times.length - 1]!, outcome };
}

const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString("en"));
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

const before = BASELINE ? await baselinePath(BASELINE) : null;
const after: WritePath = (s) => cookMarkdownWithLinks(s);
const loadAtStart = os.loadavg()[0]!;

const rows = hostileCorpus(BODY_MAX).map(({ name, text }) => {
  const now = measure(after, text);
  const old = before ? measure(before, text) : null;
  console.log(
    `${ms(now.median).padStart(9)} ms${old ? ` (before ${ms(old.median).padStart(7)} ms)` : ""}  ${name}  (${now.outcome}${old && old.outcome !== now.outcome ? `; before: ${old.outcome}` : ""})`,
  );
  return { name, length: text.length, now, old };
});

const worstOf = (pick: (r: (typeof rows)[number]) => Measure | null) =>
  rows.reduce<{ name: string; m: Measure } | null>((w, r) => {
    const m = pick(r);
    return m && (!w || m.max > w.m.max) ? { name: r.name, m } : w;
  }, null);
const worst = worstOf((r) => r.now)!;
const worstBefore = before ? worstOf((r) => r.old) : null;
const total = rows.reduce((sum, r) => sum + r.now.median, 0);
const loadAtEnd = os.loadavg()[0]!;
console.log(`\nworst: ${ms(worst.m.max)} ms (median ${ms(worst.m.median)} ms) for ${worst.name}; ${rows.length} inputs, medians add up to ${ms(total)} ms`);
if (worstBefore) console.log(`worst before (${BASELINE}): ${ms(worstBefore.m.max)} ms (median ${ms(worstBefore.m.median)} ms) for ${worstBefore.name}`);
console.log(`load average ${loadAtStart.toFixed(2)} at the start, ${loadAtEnd.toFixed(2)} at the end`);

if (WRITE) {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const markdown = `## Markdown under hostile input

Written by \`npm run bench:markdown\` (\`scripts/bench/markdown.ts${BASELINE && BASELINE !== BEFORE_THE_GUARD ? ` --baseline=${BASELINE}` : ""}\`) on ${new Date().toISOString()}; the text between the markers is rewritten on every run. Not a test: nothing fails on a slow figure; tests/markdown-guard.test.ts checks what the guard does with each shape instead.

**Machine**: ${os.availableParallelism()} cores (nproc), ${cpu}, Node ${process.version}; 1-minute load average ${loadAtStart.toFixed(2)} at the start and ${loadAtEnd.toFixed(2)} at the end (the machine is shared, so figures move by tens of per cent from run to run).

**Method**: each input of \`scripts/bench/markdown-corpus.ts\` is ${BODY_MAX.toLocaleString("en")} characters long (the posting cap, which previews now share) and goes through what a write does with a body: \`cookMarkdownWithLinks\` of \`app/content/markdown.server.ts\` (the nesting check, marked with the bounded tokenizer of \`markdown-guard.server.ts\`, sanitize-html, the link count from the HTML). The guard's last resort, a parse abandoned after ${MARKDOWN_TIME_BUDGET_MS.toLocaleString("en")} ms, is never reached by this corpus. Wall-clock median and slowest of ${RUNS} runs after a warm-up, in one process.${
    BASELINE
      ? ` "Before" is the Markdown module at \`${BASELINE}\` through its own write path: stock marked, the body cooked once for storage and once more by \`countLinks\` for the screening.`
      : ""
  }

**Worst case**: ${ms(worst.m.max)} ms slowest, ${ms(worst.m.median)} ms median (${cell(worst.name)}); the ${rows.length} medians add up to ${ms(total)} ms.${
    worstBefore ? ` Before: ${ms(worstBefore.m.max)} ms slowest, ${ms(worstBefore.m.median)} ms median (${cell(worstBefore.name)}).` : ""
  }

| input | median ms | slowest ms |${before ? " before: median ms |" : ""} outcome |
| --- | ---: | ---: |${before ? " ---: |" : ""} --- |
${rows
  .map(
    (r) =>
      `| ${cell(r.name)} | ${ms(r.now.median)} | ${ms(r.now.max)} |${r.old ? ` ${ms(r.old.median)} |` : ""} ${cell(r.now.outcome)}${r.old && r.old.outcome !== r.now.outcome ? ` (before: ${cell(r.old.outcome)})` : ""} |`,
  )
  .join("\n")}
`;
  writeBenchmarkSection(join(ROOT, "docs/BENCHMARKS.md"), "markdown-benchmark", markdown);
  console.log("docs/BENCHMARKS.md updated");
}
