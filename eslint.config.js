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
