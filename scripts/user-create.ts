import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { closeAppDatabase, isUniqueViolation } from "../db/engine";
import { createVerifiedUser } from "../app/accounts/users.server";
import { ROLES, type Role } from "../db/schema";
import { commandDatabaseUrl, openCommandDatabase } from "./command-db";

/** Reads a line without echoing it when on a terminal; from a pipe it reads the first line. */
function readSecret(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const input = process.stdin;
    if (!input.isTTY) {
      const rl = createInterface({ input });
      rl.once("line", (line) => {
        // Resolve before closing: close() emits "close" at once, which would answer "".
        resolve(line);
        rl.close();
      });
      rl.once("close", () => resolve(""));
      return;
    }
    process.stdout.write(prompt);
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          input.setRawMode(false);
          input.pause();
          input.off("data", onData);
          process.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") process.exit(130);
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on("data", onData);
  });
}

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string", default: "resident" }, name: { type: "string" } },
});
if (!values.email || !ROLES.includes(values.role as Role)) {
  console.error(`Usage: npm run user:create -- --email admin@kota.go.id --role admin [--name "Admin Kota"]\nRoles: ${ROLES.join(", ")}`);
  process.exit(2);
}
const password = await readSecret("Password (10–128 characters; a short sentence of four or more words): ");
const db = await openCommandDatabase(commandDatabaseUrl());
try {
  const user = await createVerifiedUser(db, {
    email: values.email,
    role: values.role as Role,
    displayName: values.name ?? values.email.split("@")[0]!,
    password,
  });
  console.log(`Created ${user.role} account #${user.id}. It counts as verified.`);
} catch (error) {
  const message = isUniqueViolation(error) ? "an account with this e-mail already exists" : (error as Error).message;
  console.error(`Could not create the account: ${message}`);
  process.exitCode = 1;
} finally {
  await closeAppDatabase(db);
}
