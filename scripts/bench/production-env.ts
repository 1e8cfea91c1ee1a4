// Imported first by run.ts: React and Remix pick their production code when they are first
// loaded, so the environment must say "production" before anything imports them.
process.env.NODE_ENV = "production";
delete process.env.REMBUG_DEMO;
