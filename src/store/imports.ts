/** The record of each import (file name, SHA-256, counts): all the SQL. */
import { randomBytes } from 'node:crypto';
import type { DB } from './db.js';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
}

/** The import's row, made when it starts (inside its transaction): its id and its random reference. */
export async function startImport(db: DB, kind: string, fileName: string, startedAt: string, actor: string): Promise<{ id: number; token: string }> {
  const token = randomBytes(4).toString('hex');
  const id = Number(
    db
      .prepare('INSERT INTO imports(kind, file_name, sha256, started_at, actor, token) VALUES (?, ?, ?, ?, ?, ?)')
      .run(kind, fileName, '', startedAt, actor, token).lastInsertRowid,
  );
  return { id, token };
}

/** Whether this database holds the committed import with this id and reference (a rejects file's tag names it). */
export async function importIs(db: DB, id: number, token: string): Promise<boolean> {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM imports WHERE id = ? AND token = ? AND finished_at IS NOT NULL)').pluck().get(id, token) === 1;
}

/** The import's file hash, end and counts, written just before it commits. */
export async function finishImport(db: DB, id: number, sha256: string, finishedAt: string, c: ImportCounts): Promise<void> {
  db.prepare('UPDATE imports SET sha256 = ?, finished_at = ?, inserted = ?, updated = ?, unchanged = ?, skipped = ?, invalid = ? WHERE id = ?').run(
    sha256,
    finishedAt,
    c.inserted,
    c.updated,
    c.unchanged,
    c.skipped,
    c.invalid,
    id,
  );
}
