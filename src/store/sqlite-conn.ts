/**
 * The SQLite connection behind the Conn interface: better-sqlite3, whose calls complete synchronously.
 * Each method returns a settled promise, so a transaction of many statements still runs without giving
 * the event loop a turn. Statements are prepared once per connection and SQL text.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Conn, Param, RowSavepoints, WriteWait } from './conn.js';
import { UsageError } from '../errors.js';
// db.ts makes SqliteConns and holds SQLite's transaction rules: a cycle of imports used only inside functions.
import { beginImmediateAsync, commit, ioFromSqlite, readTx, rollbackIfOpen, rowSavepoints, schemaVersion, useImportCache, writeTx, type DB } from './db.js';

export class SqliteConn implements Conn {
  readonly dialect = 'sqlite' as const;
  readonly raw: DB;
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  private readonly plucked = new Map<string, BetterSqlite3.Statement>();
  private readonly inserts = new Map<string, BetterSqlite3.Statement>();

  constructor(raw: DB) {
    this.raw = raw;
  }

  /** A statement, prepared once. */
  statement(sql: string): BetterSqlite3.Statement {
    let st = this.cache.get(sql);
    if (!st) this.cache.set(sql, (st = this.raw.prepare(sql)));
    return st;
  }

  private pluckedStatement(sql: string): BetterSqlite3.Statement {
    let st = this.plucked.get(sql);
    if (!st) this.plucked.set(sql, (st = this.raw.prepare(sql).pluck(true)));
    return st;
  }

  get inTransaction(): boolean {
    return this.raw.inTransaction;
  }

  all<R>(sql: string, ...params: Param[]): Promise<R[]> {
    return Promise.resolve(this.statement(sql).all(...params) as R[]);
  }

  get<R>(sql: string, ...params: Param[]): Promise<R | undefined> {
    return Promise.resolve(this.statement(sql).get(...params) as R | undefined);
  }

  value<V>(sql: string, ...params: Param[]): Promise<V | undefined> {
    return Promise.resolve(this.pluckedStatement(sql).get(...params) as V | undefined);
  }

  column<V>(sql: string, ...params: Param[]): Promise<V[]> {
    return Promise.resolve(this.pluckedStatement(sql).all(...params) as V[]);
  }

  run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    return Promise.resolve({ changes: this.statement(sql).run(...params).changes });
  }

  insertId(sql: string, ...params: Param[]): Promise<number> {
    // SQLite runs RETURNING through a temporary table (measured: a roster import of 100,000 people
    // took 15% longer); the rowid of a one-row INSERT is the same number, given without it.
    let st = this.inserts.get(sql);
    if (!st) {
      const plain = sql.replace(/\s+RETURNING\s+id\s*$/i, '');
      if (plain === sql) throw new Error(`insertId needs INSERT … RETURNING id: ${sql}`);
      this.inserts.set(sql, (st = this.raw.prepare(plain)));
    }
    return Promise.resolve(Number(st.run(...params).lastInsertRowid));
  }

  exec(sql: string): Promise<void> {
    this.raw.exec(sql);
    return Promise.resolve();
  }

  write<T>(wait: WriteWait, fn: () => Promise<T>): Promise<T> {
    return writeTx(this.raw, fn, wait);
  }

  read<T>(fn: () => Promise<T>): Promise<T> {
    return readTx(this.raw, fn);
  }

  beginWrite(wait: WriteWait): Promise<void> {
    return beginImmediateAsync(this.raw, wait);
  }

  commitWrite(): Promise<void> {
    try {
      commit(this.raw);
    } catch (e) {
      throw ioFromSqlite(e, this.raw.name);
    }
    return Promise.resolve();
  }

  rollbackWrite(): Promise<void> {
    rollbackIfOpen(this.raw);
    return Promise.resolve();
  }

  rowSavepoints(): RowSavepoints {
    const sp = rowSavepoints(this.raw);
    return {
      begin: async () => sp.begin(),
      release: async () => sp.release(),
      rollback: async () => sp.rollback(),
    };
  }

  forBulkWrite(): Promise<void> {
    return useImportCache(this.raw);
  }

  afterBulk(): Promise<void> {
    return Promise.resolve(); // SQLite's planner needs no statistics here (the queries name their indexes)
  }

  schemaVersion(): Promise<number> {
    return schemaVersion(this.raw);
  }
}

/** The better-sqlite3 database under a connection, for what only SQLite has (pragmas, the backup API, VACUUM). */
export function sqliteOf(c: Conn): DB {
  if (c instanceof SqliteConn) return c.raw;
  throw new UsageError(
    'this operation needs an SQLite database file, and the database is on a PostgreSQL server',
    'run it on an SQLite database file (--db FILE)',
  );
}
