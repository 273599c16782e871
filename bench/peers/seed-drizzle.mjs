// Seed a `seed init` database with drizzle-seed, at given row counts per table:
//
//     node seed-drizzle.mjs DATABASE_URL COUNTS.json      (COUNTS: {"User": 45, ...})
//
// The schema is generated/schema.mjs (see pull-schema.mjs). drizzle-seed fills every column
// itself and picks foreign keys among the rows it generated, with `seed: 0` (its
// self-references, Message.replyToId and Comment.parentId, are only valid with seed 0). Where it
// cannot keep a unique key by itself, the key columns get explicit values, worked out here from
// the schema, not table by table:
//
// - a key made only of foreign-key columns (Client's primary key userId, ClientEngagement.clientId,
//   ...): drizzle-seed ignores uniqueness on foreign-key columns, so the column gets the first N
//   keys of its parent, `f.valuesFromArray({ values, isUnique: true })`. The parent's key values
//   must be known for that, so its primary key gets explicit values too ("User:0", "User:1", ...);
// - a composite unique key of foreign keys (Membership(userId, communityId), ...): drizzle-seed
//   has no composite uniques. One column X (the one with the most parents) is made unique as
//   above; when the table has more rows than X has parents, the table is seeded in L layers
//   (L = ceil(rows / parents of X)), one `seed()` call each: layer j takes the other column from
//   the j-th of L disjoint groups of its parents, so no pair repeats.
//
// Prints one JSON line: {"tables": n, "rows": n, "calls": n, "seconds": {"main": s, "layers": s},
// "layered": {...}} (seconds: the first seed() call, with every table but the layered ones, and
// the layers' calls after it).

import { readFileSync } from "node:fs";
import { getTableName, getTableColumns, is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { PgTable, getTableConfig } from "drizzle-orm/pg-core";
import { seed } from "drizzle-seed";
import pg from "pg";

const [url, countsPath] = process.argv.slice(2);
if (!url || !countsPath) {
  console.error("usage: node seed-drizzle.mjs DATABASE_URL COUNTS.json");
  process.exit(2);
}
const schema = await import(new URL("./generated/schema.mjs", import.meta.url));
const counts = JSON.parse(readFileSync(countsPath, "utf8"));

// --- the schema, by database table name ------------------------------------------------------

const tables = new Map(); // db name -> { key, table, tsColumn(dbCol), fks, uniqueKeys, pk }
for (const [key, table] of Object.entries(schema)) {
  if (!is(table, PgTable)) continue;
  const config = getTableConfig(table);
  const toTs = Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([ts, col]) => [col.name, ts]));
  const fks = new Map(); // db column -> { table, column } (single-column foreign keys)
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    if (ref.columns.length === 1) {
      fks.set(ref.columns[0].name,
        { table: getTableName(ref.foreignTable), column: ref.foreignColumns[0].name });
    }
  }
  const pk = config.columns.filter((c) => c.primary).map((c) => c.name);
  const uniqueKeys = [pk, ...config.columns.filter((c) => c.isUnique).map((c) => [c.name])];
  for (const index of config.indexes) {
    if (index.config.unique) uniqueKeys.push(index.config.columns.map((c) => c.name));
  }
  tables.set(getTableName(table), { key, table, toTs, fks, pk, uniqueKeys, config });
}
for (const name of Object.keys(counts)) {
  if (!tables.has(name)) throw new Error(`no table ${name} in the drizzle schema`);
}

// --- explicit key values where drizzle-seed cannot keep a key unique -------------------------

const refine = new Map(); // db table -> { db column -> generator factory f => generator }
const known = new Map(); // "Table.column" -> the values that column will hold
const layered = new Map(); // db table -> { x, y, layers }

function setColumn(table, column, make) {
  if (!refine.has(table)) refine.set(table, new Map());
  refine.get(table).set(column, make);
}

// The values of table.column, made explicit when they are not already.
function keysOf(table, column) {
  const id = `${table}.${column}`;
  if (known.has(id)) return known.get(id);
  const info = tables.get(table);
  const n = counts[table] ?? 0;
  const fk = info.fks.get(column);
  let values;
  if (fk) {
    values = keysOf(fk.table, fk.column).slice(0, n);
    setColumn(table, column, (f) => f.valuesFromArray({ values, isUnique: true }));
  } else {
    values = Array.from({ length: n }, (_, i) => `${table}:${i}`);
    setColumn(table, column, (f) => f.valuesFromArray({ values, isUnique: true }));
  }
  known.set(id, values);
  return values;
}

for (const [name, info] of tables) {
  const n = counts[name] ?? 0;
  if (n === 0) continue;
  for (const key of info.uniqueKeys) {
    if (key.length === 0 || !key.every((c) => info.fks.has(c))) continue;
    if (key.length === 1) {
      keysOf(name, key[0]);
      continue;
    }
    if (key.some((c) => known.has(`${name}.${c}`))) continue; // one column unique already
    // The column with the most parents is made unique; the layers split the other one.
    const parents = (c) => counts[info.fks.get(c).table] ?? 0;
    const x = [...key].sort((a, b) => parents(b) - parents(a))[0];
    const layers = Math.ceil(n / parents(x));
    if (layers === 1) {
      const values = keysOf(info.fks.get(x).table, info.fks.get(x).column).slice(0, n);
      setColumn(name, x, (f) => f.valuesFromArray({ values, isUnique: true }));
      known.set(`${name}.${x}`, values);
      continue;
    }
    const y = key.find((c) => c !== x);
    if (layers > parents(y)) {
      throw new Error(`${name}: ${n} rows cannot have unique (${key}) with these parents`);
    }
    for (const ref of info.fks.values()) keysOf(ref.table, ref.column); // parents' keys, explicit
    layered.set(name, { x, y, layers, key });
  }
}
for (const [name] of layered) {
  for (const [other, info] of tables) {
    for (const fk of info.fks.values()) {
      if (fk.table === name && (counts[other] ?? 0) > 0) {
        throw new Error(`${name} is seeded in layers, but ${other} refers to it`);
      }
    }
  }
}

// --- seeding -----------------------------------------------------------------------------------

function refinements(names, f, countOf = (name) => counts[name], extra = () => ({})) {
  const out = {};
  for (const name of names) {
    const info = tables.get(name);
    const columns = {};
    for (const [column, make] of refine.get(name) ?? []) columns[info.toTs[column]] = make(f);
    Object.assign(columns, extra(name, f));
    out[info.key] = { count: countOf(name), columns };
  }
  return out;
}

const pool = new pg.Pool({ connectionString: url, max: 1 });
const db = drizzle(pool);
let calls = 0;
const started = performance.now();

const main = [...tables.keys()].filter((n) => (counts[n] ?? 0) > 0 && !layered.has(n));
await seed(db, Object.fromEntries(main.map((n) => [tables.get(n).key, tables.get(n).table])),
  { seed: 0 }).refine((f) => refinements(main, f));
calls += 1;
const mainSeconds = (performance.now() - started) / 1000;

for (const [name, { x, y, layers }] of layered) {
  const info = tables.get(name);
  const n = counts[name];
  const xParent = info.fks.get(x);
  const yParent = info.fks.get(y);
  const xValues = keysOf(xParent.table, xParent.column);
  const yValues = keysOf(yParent.table, yParent.column);
  let offset = 0;
  for (let j = 0; j < layers; j++) {
    const rows = Math.floor((n * (j + 1)) / layers) - Math.floor((n * j) / layers);
    const ids = Array.from({ length: rows }, (_, i) => `${name}:${offset + i}`);
    const group = yValues.filter((_, i) => i % layers === j);
    offset += rows;
    await seed(db, { [info.key]: info.table }, { seed: j }).refine((f) => refinements(
      [name], f, () => rows, () => {
        const columns = {
          [info.toTs[x]]: f.valuesFromArray({ values: xValues.slice(0, rows), isUnique: true }),
          [info.toTs[y]]: f.valuesFromArray({ values: group }),
        };
        for (const column of info.pk) {
          columns[info.toTs[column]] = f.valuesFromArray({ values: ids, isUnique: true });
        }
        // Any other foreign key of the table: its parent's rows, as explicit values.
        for (const [column, ref] of info.fks) {
          if (column !== x && column !== y) {
            columns[info.toTs[column]] = f.valuesFromArray({ values: keysOf(ref.table, ref.column) });
          }
        }
        return columns;
      }));
    calls += 1;
  }
}
await pool.end();

const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  tables: main.length + layered.size,
  rows: total,
  calls,
  seconds: { main: +mainSeconds.toFixed(3), layers: +((performance.now() - started) / 1000 - mainSeconds).toFixed(3) },
  layered: Object.fromEntries([...layered].map(([n, l]) => [n, { unique: l.x, split: l.y, layers: l.layers }])),
}));
