/**
 * `npm run data-controller -- --name "Pemerintah Kota Sukamaju" --contact "ppid@sukamaju.go.id"`:
 * names the data controller that /privacy shows (UU 27/2022): the city government and how to
 * reach it. Without arguments it prints the current value.
 */
import { parseArgs } from "node:util";
import { closeAppDatabase } from "../db/engine";
import { getSetting, setSetting } from "../app/settings.server";
import { commandDatabaseUrl, openCommandDatabase } from "./command-db";

const { values } = parseArgs({ options: { name: { type: "string" }, contact: { type: "string" } } });
const db = await openCommandDatabase(commandDatabaseUrl());
try {
  if (values.name === undefined && values.contact === undefined) {
    const current = await getSetting(db, "dataController");
    console.log(current.name ? `Data controller: ${current.name}\nContact: ${current.contact || "(none)"}` : "No data controller named yet.");
  } else {
    const current = await getSetting(db, "dataController");
    const next = { name: values.name ?? current.name, contact: values.contact ?? current.contact };
    await setSetting(db, "dataController", next);
    console.log(`Data controller set: ${next.name} (${next.contact || "no contact"}). /privacy shows it now.`);
  }
} catch (error) {
  console.error(`Could not set the data controller: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeAppDatabase(db);
}
