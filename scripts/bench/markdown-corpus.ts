/**
 * Hostile Markdown: shapes known to make Markdown parsers slow (quadratic scans, catastrophic
 * backtracking) or to recurse deeply, each built to a given length (the posting cap by default).
 * Used by `npm run bench:markdown` (scripts/bench/markdown.ts) and by tests/markdown-guard.test.ts.
 */

/** `unit` repeated until the text is `length` characters long (the last repetition cut). */
export function fill(unit: string, length: number, prefix = "", suffix = ""): string {
  const room = Math.max(0, length - prefix.length - suffix.length);
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

export interface HostileInput {
  name: string;
  text: string;
}

export function hostileCorpus(length = 10_000): HostileInput[] {
  const half = Math.floor((length - 10) / 2);
  const inputs: HostileInput[] = [
    // The report: one long run of letters ending in "@" (GFM email autolink scanning).
    { name: "'a' × n + '@'", text: fill("a", length, "", "@") },
    { name: "'a@' × n", text: fill("a@", length) },
    { name: "'a.' × n + '@'", text: fill("a.", length, "", "@") },
    { name: "'a_' × n + '@b'", text: fill("a_", length, "", "@b") },
    { name: "'www.' × n", text: fill("www.", length) },
    { name: "'http://' × n", text: fill("http://", length) },
    { name: "'https://a' + '.a' × n", text: fill(".a", length, "https://a") },
    { name: "'a:' × n", text: fill("a:", length) },
    // CVE-2022-21680 (block.def) and CVE-2022-21681 (inline.reflinkSearch).
    { name: "CVE-2022-21680 '[x]:' + spaces + 'x' + spaces + 'x'", text: `[x]:${" ".repeat(half)}x ${" ".repeat(half)} x`.slice(0, length) },
    { name: "'[x]: x' + tabs", text: fill("\t", length, "[x]: x", "\n") },
    { name: "CVE-2022-21681 '[x]: x\\n\\n' + '\\\\[\\\\](' × n", text: fill("\\[\\](", length, "[x]: x\n\n") },
    { name: "'[x]: x\\n\\n' + '[x]' × n", text: fill("[x]", length, "[x]: x\n\n") },
    { name: "'[x]: x\\n\\n' + '[' × n", text: fill("[", length, "[x]: x\n\n") },
    { name: "spaces + newline × n (heading/def)", text: fill(`${" ".repeat(40)}\n`, length) },
    { name: "'#' + spaces × n + 'x'", text: fill(" ", length, "#", "x") },
    // Brackets, images, emphasis.
    { name: "'[' × n", text: fill("[", length) },
    { name: "'![' × n", text: fill("![", length) },
    { name: "'[a](' × n", text: fill("[a](", length) },
    { name: "'](' × n", text: fill("](", length) },
    { name: "'[]' × n", text: fill("[]", length) },
    { name: "'[a' × n + ']'", text: fill("[a", length, "", "]") },
    { name: "'**_' × n", text: fill("**_", length) },
    { name: "'*a' × n", text: fill("*a", length) },
    { name: "'_a' × n", text: fill("_a", length) },
    { name: "'*' × n", text: fill("*", length) },
    { name: "'~' × n + 'a'", text: fill("~", length, "", "a") },
    { name: "'a **' × n", text: fill("a **", length) },
    { name: "'*a **a' × n", text: fill("*a **a", length) },
    // Code spans and HTML-looking text.
    { name: "'`' × n", text: fill("`", length) },
    { name: "'`a' × n", text: fill("`a", length) },
    { name: "'``a`' × n", text: fill("``a`", length) },
    { name: "'<' × n", text: fill("<", length) },
    { name: "'<a' × n", text: fill("<a", length) },
    { name: "'<a ' × n", text: fill("<a ", length) },
    { name: "'<!--' × n", text: fill("<!--", length) },
    { name: "'<a href=\"' × n", text: fill('<a href="', length) },
    { name: "'&' × n", text: fill("&", length) },
    { name: "'\\\\' × n", text: fill("\\", length) },
    // Links with long titles and destinations.
    { name: "'[a](b \"' + '\\\\\"' × n", text: fill('\\"', length, '[a](b "') },
    { name: "'[a](<' + 'b' × n", text: fill("b", length, "[a](<") },
    { name: "'[a](' + '(' × n", text: fill("(", length, "[a](") },
    { name: "'[a]: <b> \"' + 'c' × n", text: fill("c", length, '[a]: <b> "') },
    // Block structure: setext headings, tables, fences, lists, quotes.
    { name: "'a\\n=\\n' × n", text: fill("a\n=\n", length) },
    { name: "'a\\n-\\n' × n", text: fill("a\n-\n", length) },
    { name: "'|a' × n header + '\\n|-'", text: `${fill("|a", length - 8)}\n|-|-|\n` },
    { name: "table: '|a|b|\\n|-|-|\\n' + '|c|d|\\n' × n", text: fill("|c|d|\n", length, "|a|b|\n|-|-|\n") },
    { name: "table: 100 columns × rows", text: fill(`${"|c".repeat(100)}|\n`, length, `${"|a".repeat(100)}|\n${"|-".repeat(100)}|\n`) },
    { name: "'```\\n' × n", text: fill("```\n", length) },
    { name: "'    a\\n' × n (indented code)", text: fill("    a\n", length) },
    { name: "'- a\\n' × n (long list)", text: fill("- a\n", length) },
    { name: "'1. a\\n' × n", text: fill("1. a\n", length) },
    { name: "'a  \\n' × n (hard breaks)", text: fill("a  \n", length) },
    { name: "'\\n' × n", text: fill("\n", length) },
    { name: "'- ' × 20 + 'a\\n' × n (allowed nesting)", text: fill(`${"- ".repeat(20)}a\n`, length) },
    { name: "'> ' × 20 + 'a\\n' × n (allowed nesting)", text: fill(`${"> ".repeat(20)}a\n`, length) },
    // Deep nesting (refused by the guard).
    { name: "'>' × n", text: fill(">", length) },
    { name: "'> ' × n", text: fill("> ", length) },
    { name: "'- ' × n", text: fill("- ", length) },
    { name: "'* ' × n", text: fill("* ", length) },
    { name: "'1. ' × n", text: fill("1. ", length) },
    { name: "'> - ' × n", text: fill("> - ", length) },
    { name: "indented list ('  ' × i + '- a\\n')", text: fill(Array.from({ length: 200 }, (_, i) => `${"  ".repeat(i)}- a\n`).join(""), length) },
    { name: "'*[' × n", text: fill("*[", length) },
    { name: "'[*' × n", text: fill("[*", length) },
    { name: "'**' × n + 'a' + '**' × n", text: `${"**".repeat(Math.floor(length / 4))}a${"**".repeat(Math.floor(length / 4))}`.slice(0, length) },
    { name: "'[' × n + 'a' + '](b)' × n", text: `${"[".repeat(Math.floor(length / 5))}a${"](b)".repeat(Math.floor(length / 5))}`.slice(0, length) },
    // Found by fuzzing the guard itself (each was quadratic in an earlier version of it).
    { name: "'> - a\\nb\\n' × n (quote resumed after lazy lines)", text: fill("> - a\nb\n", length) },
    { name: "'* \\n\\t[ ' × n", text: fill("* \n\t[ ", length) },
    { name: "'1. b\\n\\\\\\na*' × n", text: fill("1. b\n\\\na*", length) },
    { name: "'\\```' × n (unclosed code spans)", text: fill("\\```", length) },
    { name: "'a\\n' × n + '---' (setext underline after a long paragraph)", text: fill("a\n", length, "", "---") },
    // Ordinary prose, for comparison.
    {
      name: "prose with links (comparison)",
      text: fill("Jalan Cibeureum sering banjir, lihat https://example.org/laporan dan **foto** di [sini](https://example.org/foto). ", length),
    },
  ];
  return inputs;
}
