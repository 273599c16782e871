// The drizzle schema of a database that `seed init` created, generated from the database:
//
//     node pull-schema.mjs DATABASE_URL [OUT_DIR]      (OUT_DIR defaults to ./generated)
//
// 1. `drizzle-kit pull` writes OUT_DIR/pull/schema.ts (42 tables, enums, indexes, foreign keys).
// 2. Two fixes, made here from the database's catalog, never by hand:
//    - a column whose TypeScript key is not its database name gets the name spelled out
//      (drizzle-kit renders "isPRCLicensed" as `isPrcLicensed: text()`, which drizzle would then
//      send as "isPrcLicensed");
//    - a unique index on one column becomes the column's `.unique()`: drizzle-seed reads only
//      column-level uniques, and would otherwise generate duplicates (Community.name,
//      User.email, ...). Composite unique indexes are left to the seeding script.
// 3. OUT_DIR/schema.mjs: the fixed schema compiled to JavaScript (esbuild), so the timed seeding
//    process is plain `node` with no TypeScript step.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import pg from "pg";

const here = dirname(fileURLToPath(import.meta.url));
const [url, outArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: node pull-schema.mjs DATABASE_URL [OUT_DIR]");
  process.exit(2);
}
const out = resolve(outArg ?? join(here, "generated"));
const pullDir = join(out, "pull");
mkdirSync(pullDir, { recursive: true });

const config = join(out, "drizzle.config.json");
writeFileSync(config, JSON.stringify({
  dialect: "postgresql",
  out: pullDir,
  schemaFilter: ["public"],
  dbCredentials: { url },
}));
const pulled = spawnSync(join(here, "node_modules", ".bin", "drizzle-kit"),
  ["pull", "--config", config], { cwd: here, encoding: "utf8" });
if (pulled.status !== 0) {
  console.error(pulled.stdout, pulled.stderr);
  throw new Error(`drizzle-kit pull failed (exit ${pulled.status})`);
}

// The database's own column names, per table.
const client = new pg.Client({ connectionString: url });
await client.connect();
const { rows } = await client.query(
  "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
await client.end();
const dbColumns = new Map();
for (const { table_name: table, column_name: column } of rows) {
  if (!dbColumns.has(table)) dbColumns.set(table, new Set());
  dbColumns.get(table).add(column);
}

const source = readFileSync(join(pullDir, "schema.ts"), "utf8").split("\n");
const tableStart = /^export const (\w+) = pgTable\("([^"]+)"/;
const columnLine = /^(\t)(\w+): (\w+)\((.*?)\)(.*)$/;
const singleUnique = /uniqueIndex\("[^"]+"\)\.using\("btree", table\.(\w+)\.asc\(\)[^,]*\)\),?$/;

// Pass 1: single-column unique indexes, by database table and TypeScript key.
const uniques = new Set();
let table = null;
for (const line of source) {
  const start = line.match(tableStart);
  if (start) table = start[2];
  const unique = line.match(singleUnique);
  if (table && unique) uniques.add(`${table}.${unique[1]}`);
}

// Pass 2: rewrite the column lines.
const renamed = [];
const madeUnique = [];
table = null;
const fixed = source.map((line) => {
  const start = line.match(tableStart);
  if (start) {
    table = start[2];
    return line;
  }
  if (line.startsWith("}")) table = null;
  const column = table && line.match(columnLine);
  if (!column) return line;
  let [, indent, key, type, args, rest] = column;
  const names = dbColumns.get(table) ?? new Set();
  if (!args.startsWith('"') && !names.has(key)) {
    const real = [...names].find((n) => n.toLowerCase() === key.toLowerCase());
    if (!real) throw new Error(`${table}.${key}: no such column in the database`);
    args = args ? `"${real}", ${args}` : `"${real}"`;
    renamed.push(`${table}.${real} (was ${key})`);
  }
  if (uniques.has(`${table}.${key}`) && !rest.includes(".primaryKey()") && !rest.includes(".unique()")) {
    rest = rest.replace(/,$/, ".unique(),");
    madeUnique.push(`${table}.${key}`);
  }
  return `${indent}${key}: ${type}(${args})${rest}`;
});
const schemaTs = fixed.join("\n");
writeFileSync(join(out, "schema.ts"), schemaTs);
const { code } = transformSync(schemaTs, { loader: "ts", format: "esm", target: "node20" });
writeFileSync(join(out, "schema.mjs"), code);

console.log(`schema: ${join(out, "schema.mjs")}`);
console.log(`renamed to their database names: ${renamed.join(", ") || "none"}`);
console.log(`unique indexes made column-level .unique(): ${madeUnique.join(", ") || "none"}`);
