/**
 * A database moved between engines through an ngo SQLite file (SPEC "Where the data lives": `db backup
 * FILE` writes an ngo SQLite file from either store, `db restore FILE` loads one into either). The two
 * schemas have the same tables and columns (pg-schema.ts); rows are copied as they are, ids included, in
 * an order where every row's parents come first (the order the tables are created in).
 */
import { connect, BUSY_TIMEOUT_MS, openDatabase, type DB } from './db.js';
import { PG_SCHEMA } from './pg-schema.js';
import type { Conn } from './conn.js';
import { PgConn, pgCreateSchema, pgSchemaState, pgSnapshot } from './pg-conn.js';

/** Every table of an ngo database, parents before children (schema_migrations is the server's own). */
export const TABLES_IN_ORDER: readonly string[] = [...PG_SCHEMA.matchAll(/CREATE TABLE (\w+) \(/g)].map((m) => m[1]!).filter((t) => t !== 'schema_migrations');

const PAGE = 5000;

function columnsOf(db: DB, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whether a database holds anything worth keeping before a restore replaces it (an audit entry or a person). */
export async function holdsData(conn: Conn): Promise<boolean> {
  return Number(await conn.value('SELECT COUNT(*) FROM audit_log')) > 0 || Number(await conn.value('SELECT COUNT(*) FROM people')) > 0;
}

/**
 * Fill `file` (an empty file of ours) with a copy of the PostgreSQL database, as one consistent
 * snapshot: an ngo SQLite database of the current schema, standing alone (no -wal).
 */
export async function pgToSqliteFile(conn: PgConn, file: string, now: () => Date): Promise<void> {
  const out = await openDatabase(file, { create: true, now });
  try {
    out.exec('BEGIN');
    // The new file's own rows (the seeded rates) give way to the copied ones.
    for (const t of [...TABLES_IN_ORDER].reverse()) out.exec(`DELETE FROM ${q(t)}`);
    await pgSnapshot(conn, async () => {
      for (const t of TABLES_IN_ORDER) {
        const cols = columnsOf(out, t);
        const list = cols.map(q).join(', ');
        const insert = out.prepare(`INSERT INTO ${q(t)} (${list}) VALUES (${cols.map(() => '?').join(', ')})`);
        const put = (rows: Record<string, unknown>[]) => {
          for (const r of rows) insert.run(cols.map((c) => r[c] ?? null));
        };
        if (cols[0] === 'id') {
          // In pages by id: a million entries never sit in memory at once.
          let after = 0;
          for (;;) {
            const rows = await conn.all<Record<string, unknown>>(`SELECT ${list} FROM ${q(t)} WHERE id > ? ORDER BY id LIMIT ${PAGE}`, after);
            put(rows);
            if (rows.length < PAGE) break;
            after = rows[rows.length - 1]!['id'] as number;
          }
        } else put(await conn.all<Record<string, unknown>>(`SELECT ${list} FROM ${q(t)}`));
      }
    });
    out.exec('COMMIT');
    out.pragma('journal_mode = DELETE');
  } finally {
    if (out.inTransaction) out.exec('ROLLBACK');
    out.close();
  }
}

/**
 * Inside the caller's write transaction (holding the single-writer lock): replace everything in the
 * PostgreSQL database by the rows of the ngo SQLite file `staged` (verified and at the current schema),
 * creating the schema first in an empty database. Identity sequences are moved past the copied ids.
 */
export async function loadSqliteFileIntoPg(conn: PgConn, staged: string, nowIso: string): Promise<void> {
  if (!conn.inTransaction) throw new Error('loadSqliteFileIntoPg runs inside a write transaction');
  if ((await pgSchemaState(conn)).version === 0) await pgCreateSchema(conn, nowIso);
  const src = connect(staged, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    for (const t of [...TABLES_IN_ORDER].reverse()) await conn.exec(`DELETE FROM ${q(t)}`);
    for (const t of TABLES_IN_ORDER) {
      const cols = columnsOf(src, t);
      const list = cols.map(q).join(', ');
      // Several rows a statement, within PostgreSQL's 65,535 parameters.
      const perInsert = Math.max(1, Math.min(1000, Math.floor(60000 / cols.length)));
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const one = `(${cols.map(() => '?').join(', ')})`;
        await conn.run(`INSERT INTO ${q(t)} (${list}) VALUES ${batch.map(() => one).join(', ')}`, ...batch.flat());
        batch = [];
      };
      for (const r of src
        .prepare(`SELECT ${list} FROM ${q(t)}${cols[0] === 'id' ? ' ORDER BY id' : ''}`)
        .raw(true)
        .iterate() as IterableIterator<unknown[]>) {
        batch.push(r);
        if (batch.length >= perInsert) await flush();
      }
      await flush();
      if (cols[0] === 'id') await conn.value(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), COALESCE((SELECT MAX(id) FROM ${q(t)}), 0) + 1, false)`);
    }
  } finally {
    src.close();
  }
}
