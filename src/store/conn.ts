/**
 * The one interface every store function runs its SQL through, with an implementation per engine:
 * SQLite (better-sqlite3, src/store/sqlite-conn.ts) and PostgreSQL (`pg`, src/store/pg-conn.ts, loaded
 * only for a postgres URL). SQL is written once, with `?` placeholders; each engine's connection turns
 * it into its own form (PostgreSQL: `$1`, `$2`…). Where the two dialects differ, the store writes the
 * portable form (../shared/research/postgres-study.md): `NULLS FIRST`, `lower()` for case-insensitive
 * order, `BIGINT` casts, `RETURNING id`, CASE instead of booleans, `COALESCE`.
 */

export type Dialect = 'sqlite' | 'pg';

/** A value bound to a placeholder: text, a number, null or bytes (integers beyond 2^53 never occur). */
export type Param = unknown;

/** How long a write waits behind another process's (NGO_BUSY_TIMEOUT), and how it says so. */
export interface WriteWait {
  /** Give up (exit 5) after this many milliseconds. */
  ms: number;
  /** Told once when the wait outlasts the ordinary busy timeout. */
  notice?: (message: string) => void;
}

/** A savepoint around each imported row: begin, keep (release) or undo (roll back to it and release). */
export interface RowSavepoints {
  begin(): Promise<void>;
  release(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * The store: queries, and what each engine does its own way (transactions under the single writer's
 * lock, snapshots, the schema version, bulk writes). SqliteConn and PgConn implement it; the store
 * functions of each entity take one.
 */
export interface Conn {
  readonly dialect: Dialect;
  /** Every row of a query. */
  all<R>(sql: string, ...params: Param[]): Promise<R[]>;
  /** The first row of a query, if any. */
  get<R>(sql: string, ...params: Param[]): Promise<R | undefined>;
  /** The first column of the first row, if any. */
  value<V>(sql: string, ...params: Param[]): Promise<V | undefined>;
  /** The first column of every row. */
  column<V>(sql: string, ...params: Param[]): Promise<V[]>;
  /** A statement that changes rows: how many it changed. */
  run(sql: string, ...params: Param[]): Promise<{ changes: number }>;
  /** An INSERT … RETURNING id: the new row's id. */
  insertId(sql: string, ...params: Param[]): Promise<number>;
  /** Statements without parameters (DDL, several separated by `;`). */
  exec(sql: string): Promise<void>;
  /** Whether a transaction is open on this connection. */
  readonly inTransaction: boolean;

  /**
   * One write transaction around `fn` under the single-writer lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
   * a transaction-level advisory lock), waiting as `wait` says, then exit 5. Called inside one: a savepoint.
   */
  write<T>(wait: WriteWait, fn: () => Promise<T>): Promise<T>;
  /** The reads of `fn` in one consistent snapshot (inside a transaction: that one). */
  read<T>(fn: () => Promise<T>): Promise<T>;
  /** A write driven step by step (imports): BEGIN with the lock and the same wait as write(). */
  beginWrite(wait: WriteWait): Promise<void>;
  commitWrite(): Promise<void>;
  /** Roll back the open transaction, if there is one. */
  rollbackWrite(): Promise<void>;
  rowSavepoints(): RowSavepoints;
  /** Before a bulk write in the open transaction (SQLite: a larger page cache; a server has its own). */
  forBulkWrite(): Promise<void>;
  /** After a commit that added many rows to `tables` (PostgreSQL: VACUUM (ANALYZE) of them; SQLite: nothing). */
  afterBulk(tables: readonly string[]): Promise<void>;
  /** The schema version of the database (0: none). */
  schemaVersion(): Promise<number>;
}

/** `INSERT INTO table(cols…) VALUES (?…) RETURNING id` with the values of `cols` in `row` (a missing one is NULL). */
export function insertRow(db: Conn, table: string, cols: readonly string[], row: Record<string, unknown>): Promise<number> {
  return db.insertId(`INSERT INTO ${table}(${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) RETURNING id`, ...cols.map((c) => row[c] ?? null));
}

/** `UPDATE table SET k = ?… WHERE id = ?` for the keys of `changes` (none: nothing). */
export async function updateRow(db: Conn, table: string, id: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  await db.run(`UPDATE ${table} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, ...keys.map((k) => changes[k] ?? null), id);
}

const namedCache = new Map<string, { sql: string; names: string[] }>();

/**
 * SQL with `@name` parameters and one object of values → SQL with `?` and the values in order (a
 * name used twice is bound twice). SQLite binds names itself; the PostgreSQL connection uses this.
 * Names inside quoted text are left alone.
 */
export function expandNamed(sql: string, params: readonly unknown[]): { sql: string; params: unknown[] } {
  const only = params[0];
  if (params.length !== 1 || only === null || typeof only !== 'object' || Buffer.isBuffer(only) || Array.isArray(only)) return { sql, params: [...params] };
  let e = namedCache.get(sql);
  if (!e) {
    const names: string[] = [];
    const text = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|@([A-Za-z_][A-Za-z0-9_]*)/g, (all, name: string | undefined) => {
      if (name === undefined) return all;
      names.push(name);
      return '?';
    });
    namedCache.set(sql, (e = { sql: text, names }));
  }
  const values = only as Record<string, unknown>;
  return { sql: e.sql, params: e.names.map((n) => values[n] ?? null) };
}
