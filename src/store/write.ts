/**
 * A write transaction driven step by step (imports, restore), on either engine: the single-writer lock
 * with the busy wait (NGO_BUSY_TIMEOUT), commit, roll back, and a savepoint per imported row. Commands
 * whose write is one function use App.tx instead.
 */
import type { Conn } from './conn.js';
import { beginImmediateAsync, commit, ioFromSqlite, rollbackIfOpen, rowSavepoints, useImportCache, type WriteWait } from './db.js';
import { PgConn, pgLock } from './pg-conn.js';
import { sqliteOf } from './sqlite-conn.js';

/** BEGIN with the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the advisory lock), waiting as every write does. */
export async function beginWrite(c: Conn, wait: WriteWait): Promise<void> {
  if (c instanceof PgConn) {
    await c.begin();
    try {
      await pgLock(c, c.lockKey, wait.ms, wait.notice);
    } catch (e) {
      await c.rollback().catch(() => undefined);
      throw e;
    }
    return;
  }
  await beginImmediateAsync(sqliteOf(c), wait);
}

/** A bulk write (an import) on SQLite gets a larger page cache; PostgreSQL's is the server's. */
export async function forBulkWrite(c: Conn): Promise<void> {
  if (!(c instanceof PgConn)) await useImportCache(sqliteOf(c));
}

export async function commitWrite(c: Conn): Promise<void> {
  if (c instanceof PgConn) return c.commit();
  const raw = sqliteOf(c);
  try {
    commit(raw);
  } catch (e) {
    throw ioFromSqlite(e, raw.name);
  }
}

/** Roll back the open transaction, if there is one. */
export async function rollbackWrite(c: Conn): Promise<void> {
  if (c instanceof PgConn) {
    if (c.inTransaction) await c.rollback();
    return;
  }
  rollbackIfOpen(sqliteOf(c));
}

export interface RowSavepoints {
  begin(): Promise<void>;
  release(): Promise<void>;
  rollback(): Promise<void>;
}

/** A savepoint around each row: begin, keep (release) or undo (roll back to it and release). */
export function savepointsOf(c: Conn): RowSavepoints {
  if (c instanceof PgConn) {
    return {
      begin: () => c.exec('SAVEPOINT ngo_import_row'),
      release: () => c.exec('RELEASE SAVEPOINT ngo_import_row'),
      rollback: () => c.exec('ROLLBACK TO SAVEPOINT ngo_import_row; RELEASE SAVEPOINT ngo_import_row'),
    };
  }
  const sp = rowSavepoints(sqliteOf(c));
  return {
    begin: async () => sp.begin(),
    release: async () => sp.release(),
    rollback: async () => sp.rollback(),
  };
}
