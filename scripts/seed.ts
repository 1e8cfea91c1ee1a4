import { closeAppDatabase } from "../db/engine";
import { seedDemo } from "../db/seed";
import { commandDatabaseUrl, openCommandDatabase, shownDatabaseUrl } from "./command-db";

const url = commandDatabaseUrl();
const db = await openCommandDatabase(url);
let seeded: boolean;
try {
  seeded = await seedDemo(db);
} finally {
  await closeAppDatabase(db);
}
console.log(seeded ? `Demo city seeded into ${shownDatabaseUrl(url)}.` : `The demo city is already in ${shownDatabaseUrl(url)}; nothing changed.`);
