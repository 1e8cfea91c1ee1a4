import { closeAppDatabase } from "../db/engine";
import { commandDatabaseUrl, openCommandDatabase, shownDatabaseUrl } from "./command-db";

const url = commandDatabaseUrl();
const db = await openCommandDatabase(url);
await closeAppDatabase(db);
console.log(`Migrations applied to ${shownDatabaseUrl(url)}.`);
