import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const INTRO = `# Benchmarks

Figures measured by the scripts behind \`npm run bench\` on the machine named in each section.
Each benchmark rewrites only its own section, between its marker comments.
`;

/**
 * Replaces the section between `<!-- <id>:start -->` and `<!-- <id>:end -->` in `file` (creating
 * the file, or appending the section, when it is not there), leaving the rest untouched.
 */
export function writeBenchmarkSection(file: string, id: string, markdown: string) {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : INTRO;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  let next: string;
  if (from >= 0 && to > from) next = current.slice(0, from) + section + current.slice(to + end.length);
  else next = `${current.trimEnd()}\n\n${section}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, next);
}
