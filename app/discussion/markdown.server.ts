/**
 * Markdown cooking lives in the content kernel (app/content/markdown.server.ts). This re-export
 * remains only for tests/security/support/world.ts; remove it once that file imports the kernel.
 */
export * from "../content/markdown.server";
