/** The record of each import (file name, SHA-256, counts): all the SQL. */
import type { Conn } from './conn.js';
import { randomBytes } from 'node:crypto';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
}

/** The import's row, made when it starts (inside its transaction): its id and its random reference. */
export async function startImport(db: Conn, kind: string, fileName: string, startedAt: string, actor: string): Promise<{ id: number; token: string }> {
  const token = randomBytes(4).toString('hex');
  const id = await db.insertId(
    'INSERT INTO imports(kind, file_name, sha256, started_at, actor, token) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    kind,
    fileName,
    '',
    startedAt,
    actor,
    token,
  );
  return { id, token };
}

/** Whether this database holds the committed import with this id and reference (a rejects file's tag names it). */
export async function importIs(db: Conn, id: number, token: string): Promise<boolean> {
  return (await db.value('SELECT EXISTS (SELECT 1 FROM imports WHERE id = ? AND token = ? AND finished_at IS NOT NULL)', id, token)) === 1;
}

/** The import's file hash, end and counts, written just before it commits. */
export async function finishImport(db: Conn, id: number, sha256: string, finishedAt: string, c: ImportCounts): Promise<void> {
  await db.run(
    'UPDATE imports SET sha256 = ?, finished_at = ?, inserted = ?, updated = ?, unchanged = ?, skipped = ?, invalid = ? WHERE id = ?',
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
