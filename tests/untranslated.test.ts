import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const ROOT = resolve(__dirname, "..");
/** Words that are the same in every language: the product's name. */
const ALLOWED = new Set(["Rembug"]);
const NAMED_ATTRIBUTES = new Set(["aria-label", "title", "placeholder", "alt", "aria-description", "aria-roledescription"]);

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? tsxFiles(path) : path.endsWith(".tsx") ? [path] : [];
  });
}

/** Text a person would read that is written into a component instead of coming from the locale files. */
function untranslated(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const wordy = (text: string) => /\p{L}{2,}/u.test(text) && !ALLOWED.has(text.trim());
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && wordy(node.text)) found.push(node.text.trim());
    if (
      ts.isJsxAttribute(node) &&
      NAMED_ATTRIBUTES.has(node.name.getText(source)) &&
      node.initializer &&
      ts.isStringLiteral(node.initializer) &&
      wordy(node.initializer.text)
    ) {
      found.push(`${node.name.getText(source)}="${node.initializer.text}"`);
    }
    // A string literal as a JSX child ({"Kirim"}) is text too.
    if (
      ts.isJsxExpression(node) &&
      node.parent &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)) &&
      node.expression &&
      ts.isStringLiteral(node.expression) &&
      wordy(node.expression.text)
    ) {
      found.push(node.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map((text) => `${relative(ROOT, path)}: ${text}`);
}

describe("every string in the interface comes from the locale files", () => {
  it("leaves no readable text, label or title written into a component", () => {
    const files = tsxFiles(resolve(ROOT, "app"));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(untranslated)).toEqual([]);
  });

  it("would notice one (the check itself works)", () => {
    const probe = resolve(ROOT, "tests/support/untranslated-probe.tsx");
    expect(untranslated(probe)).toEqual([
      "tests/support/untranslated-probe.tsx: Kirim sekarang",
      'tests/support/untranslated-probe.tsx: aria-label="Tutup jendela"',
      "tests/support/untranslated-probe.tsx: Batal",
    ]);
  });
});
