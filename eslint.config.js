// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";
import globals from "globals";

/** The domain folders of app/: each owns its rules and may not reach into routes or HTTP. */
const DOMAINS = [
  "accounts",
  "areas",
  "audit",
  "content",
  "discussion",
  "moderation",
  "notifications",
  "privacy",
  "projects",
  "proposals",
  "reports",
  "search",
  "voting",
];

/** db/schema's tables: app code takes them from its handle (`tables(db)`, decision 012), never from an import. */
const TABLES = [
  "settings",
  "rateLimits",
  "users",
  "sessions",
  "twoFactors",
  "recoveryCodes",
  "signInChallenges",
  "threads",
  "comments",
  "commentRevisions",
  "projects",
  "projectUpdates",
  "follows",
  "votes",
  "notifications",
  "flags",
  "reviewItems",
  "moderationLog",
  "areas",
  "outbox",
  "emailTokens",
  "notificationPreferences",
  "reportThemeRuns",
  "reportThemes",
  "proposals",
  "proposalRevisions",
  "supports",
];

/** What SQLite's builders offer and PostgreSQL's lack: not for code that runs on both engines (decision 012). */
const ONE_ENGINE_CALLS = [
  {
    selector: "CallExpression[arguments.length=0] > MemberExpression.callee > Identifier.property[name=/^(get|all|run)$/]",
    message: "Await the query (`const [row] = await q.limit(1)`, `await q`): .get()/.all()/.run() exist on SQLite only (decision 012).",
  },
  {
    selector: "MemberExpression > Identifier.property[name='$client']",
    message: "The driver's client is the engine's business: go through db/engine (withWriteTx, withReadSnapshot, rows, execute).",
  },
  {
    selector: "CallExpression > MemberExpression.callee > Identifier.property[name='transaction']",
    message: "Write through withWriteTx(db, async (tx) => …) and read consistently through withReadSnapshot (db/engine).",
  },
];

export default tseslint.config(
  { ignores: ["build/**", "build-*/**", "node_modules/**", "test-results/**", "playwright-report/**", "public/**", ".cache/**", "tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-control-regex": "off",
    },
  },
  {
    // Code that runs on both engines: app/, the server, the seed and the commands.
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts", "db/seed.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...ONE_ENGINE_CALLS],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "~db/schema",
              importNames: TABLES,
              allowTypeImports: true,
              message: "Take tables from the handle: `const { users } = tables(db)` (db/engine, decision 012).",
            },
            {
              name: "~db/client",
              importNames: ["immediate", "openDatabase"],
              message: "Write through withWriteTx and open through openAppDatabase (db/engine).",
            },
          ],
        },
      ],
    },
  },
  {
    // A query or a write not awaited runs after the answer went out, or outside its transaction.
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/await-thenable": "error",
    },
  },
  // The floor plan (docs/ARCHITECTURE.md): what each floor may import.
  {
    // Rule modules (.ts); a domain's components (.tsx) render with Remix's Link and Form.
    files: DOMAINS.map((d) => `app/${d}/**/*.ts`),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/routes/*", "../routes/*"], message: "A domain never imports a route." },
            { group: ["@remix-run/*"], message: "Domain rules know nothing of HTTP: requests, responses and redirects live in app/http/." },
            { group: ["~/http/*"], message: "app/http is the floor above the domains (it calls them); a domain never imports it." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/ui/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: DOMAINS.map((d) => `~/${d}/*`), message: "app/ui holds components for every page and imports no domain." },
            { group: ["~/http/*"], message: "app/ui renders what a loader hands it; it imports no HTTP glue." },
          ],
        },
      ],
    },
  },
  {
    files: ["db/schema/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/*", "../../app/*"], message: "The schema imports nothing from app/." }] }],
    },
  },
  {
    // Playwright's fixtures call `use`, and tests' helpers are named use…: not React hooks.
    files: ["tests/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  prettier,
);
