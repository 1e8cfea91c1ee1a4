import { migrateDatabase, openDatabase } from "../db/client";

const url = process.env.DATABASE_URL || "./data/rembug.db";
const db = openDatabase(url);
migrateDatabase(db);
db.$client.close();
console.log(`Migrations applied to ${url}.`);
