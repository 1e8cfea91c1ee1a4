import { migrateDatabase, openDatabase } from "../db/client";
import { seedDemo } from "../db/seed";

const url = process.env.DATABASE_URL || "./data/rembug.db";
const db = openDatabase(url);
migrateDatabase(db);
const seeded = await seedDemo(db);
db.$client.close();
console.log(seeded ? `Demo city seeded into ${url}.` : `The demo city is already in ${url}; nothing changed.`);
