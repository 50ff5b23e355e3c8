/**
 * `ngo people forget`: erase a person (store/privacy.ts), then compact the file so that no old copy of
 * their data survives in free space or the WAL. The erasure commits first; should the compaction not
 * finish (another process holds an older snapshot open, or writes), the command exits 6, never 0:
 * the erasure stays saved and marked as not yet compacted, and the next ngo command that opens the
 * database completes it (openDatabase), as `ngo db check` shows until then.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { IoError } from '../errors.js';
import { BUSY_TIMEOUT_MS, writeWaitMs } from '../store/db.js';
import { forgetPerson, purgeFreedSpace, type PurgeResult } from '../store/privacy.js';

export function forget(app: App, personId: number): void {
  app.tx(() => forgetPerson(app.db, personId, app.ctx.now().toISOString(), app.audit));
  const result = compact(app);
  const copies = oldCopies(app.dbPath);
  if (copies.length > 0) {
    app.warn(`copies made before the erasure still hold this person's data: ${copies.join(', ')} (delete or re-make them if the erasure must reach them)`);
  }
  if (!result.done) {
    throw new IoError(
      `the erasure of person #${personId} is saved, but old copies of their data are still in the database file: ${result.reason}`,
      'it is completed by the next ngo command that opens the database once that process has finished (`ngo db check` reports it until then)',
    );
  }
}

/** VACUUM and an emptied WAL, waiting for readers as a write waits for writers (NGO_BUSY_TIMEOUT). */
function compact(app: App): PurgeResult {
  const total = writeWaitMs(app.ctx.env);
  const attempt = (ms: number): PurgeResult => {
    try {
      return purgeFreedSpace(app.db, ms);
    } catch (e) {
      return { done: false, reason: `compacting failed (${(e as Error).message})` };
    }
  };
  const first = attempt(BUSY_TIMEOUT_MS);
  if (first.done || total <= BUSY_TIMEOUT_MS) return first;
  app.info(`waiting for other ngo commands to finish reading the database (up to ${Math.round(total / 1000)} s; Ctrl-C to stop waiting, the erasure is saved)`);
  // The wait happens inside SQLite, where Node cannot run its SIGINT handler: Ctrl-C takes its default action.
  const sigint = process.listeners('SIGINT');
  process.removeAllListeners('SIGINT');
  try {
    return attempt(total - BUSY_TIMEOUT_MS);
  } finally {
    for (const l of sigint) process.on('SIGINT', l as NodeJS.SignalsListener);
  }
}

/** Copies ngo keeps beside the database (before migrations, restores) that predate the erasure. */
function oldCopies(db: string): string[] {
  const dir = path.dirname(db);
  const base = path.basename(db);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(`${base}.backup-`) || n.startsWith(`${base}.before-restore-`) || n.startsWith(`${base}.damaged-`))
    .filter((n) => !n.endsWith('-wal') && !n.endsWith('-shm'))
    .sort()
    .map((n) => path.join(dir, n));
}
