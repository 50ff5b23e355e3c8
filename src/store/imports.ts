/** The record of each import (file name, SHA-256, counts): all the SQL. */
import type { DB } from './db.js';

export interface ImportCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
}

/** The import's row, made when it starts (inside its transaction); returns its id. */
export function startImport(db: DB, kind: string, fileName: string, startedAt: string, actor: string): number {
  return Number(
    db.prepare('INSERT INTO imports(kind, file_name, sha256, started_at, actor) VALUES (?, ?, ?, ?, ?)').run(kind, fileName, '', startedAt, actor)
      .lastInsertRowid,
  );
}

/** The import's file hash, end and counts, written just before it commits. */
export function finishImport(db: DB, id: number, sha256: string, finishedAt: string, c: ImportCounts): void {
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
