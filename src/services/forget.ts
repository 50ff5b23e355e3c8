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
import { BUSY_TIMEOUT_MS, ioFromSqlite, writeWaitMs } from '../store/db.js';
import { forgetPerson, purgeFreedSpace, type PurgeResult } from '../store/privacy.js';
import { setInterruptNote } from '../io/signals.js';
import { isSqliteFile, isTempName } from '../io/files.js';

export async function forget(app: App, personId: number): Promise<void> {
  await app.tx(async () => forgetPerson(await app.db(), personId, app.ctx.now().toISOString(), app.audit));
  if (app.onServer) {
    // The copies ngo itself kept of a server database (before a restore) still hold the person.
    const kept = keptServerCopies(app.ctx.dataDir());
    if (kept.length > 0) {
      app.warn(`copies made before the erasure still hold this person's data: ${kept.join(', ')} (delete or re-make them if the erasure must reach them)`);
    }
    // No file to compact: the live tables hold no trace of the person now, but the server's dead row
    // versions (until VACUUM), its WAL archives, replicas and backups do, for as long as they are kept.
    app.warn(
      `person #${personId} is erased from the live tables; the PostgreSQL server keeps old row versions until VACUUM runs, and its WAL archives, replicas and backups keep them for as long as they are kept (ask your IT how long)`,
    );
    return;
  }
  setInterruptNote(`the erasure of person #${personId} is saved; the next ngo command completes its compaction`);
  let result: PurgeResult;
  try {
    result = await compact(app);
  } finally {
    setInterruptNote(null);
  }
  const copies = oldCopies(app.dbPath);
  if (copies.length > 0) {
    app.warn(`copies made before the erasure still hold this person's data: ${copies.join(', ')} (delete or re-make them if the erasure must reach them)`);
  }
  if (!result.done) {
    throw new IoError(
      `the erasure of person #${personId} is saved, but old copies of their data are still in the database file: ${result.reason}`,
      result.busy
        ? 'it is completed by the next ngo command that opens the database once that process has finished (`ngo db check` reports it until then)'
        : 'fix the cause, then run any ngo command: it completes the compaction (`ngo db check` reports it until then)',
    );
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * VACUUM and an emptied WAL, waiting for other processes as a write waits for writers
 * (NGO_BUSY_TIMEOUT), in steps of the event loop so that Ctrl-C works (the erasure is saved; the
 * compaction is completed later). A failure that waiting cannot cure (a full disk) ends at once.
 */
async function compact(app: App): Promise<PurgeResult> {
  const total = writeWaitMs(app.ctx.env);
  const started = Date.now();
  let told = false;
  for (;;) {
    let r: PurgeResult;
    try {
      r = await purgeFreedSpace(await app.db());
    } catch (e) {
      const err = ioFromSqlite(e, app.dbPath);
      return { done: false, busy: false, reason: `compacting failed: ${err.message}` };
    }
    if (r.done || !r.busy) return r;
    const waited = Date.now() - started;
    if (waited >= total) return r;
    if (!told && waited >= BUSY_TIMEOUT_MS) {
      told = true;
      app.info(
        `waiting for other ngo commands to finish with the database (up to ${Math.round(total / 1000)} s; Ctrl-C to stop waiting, the erasure is saved)`,
      );
    }
    await sleep(50);
  }
}

/**
 * Copies beside the database that predate the erasure: those ngo keeps (before migrations and
 * restores, damaged files), backups (`ngo-backup-*.db` and any other SQLite database in the folder,
 * `mybackup.db`), and the temporary files of killed commands (`.NAME.<16 hex>.tmp`), which may be
 * whole copies (eighth attack, finding 2).
 */
function oldCopies(db: string): string[] {
  const dir = path.dirname(db);
  const base = path.basename(db);
  return filesIn(
    dir,
    (n) =>
      n !== base &&
      (n.startsWith(`${base}.backup-`) ||
        n.startsWith(`${base}.before-restore-`) ||
        n.startsWith(`${base}.damaged-`) ||
        isTempName(n) ||
        isSqliteFile(path.join(dir, n))),
  );
}

/** The copies of a server database that restores kept in the per-user data folder (and their temporary files). */
function keptServerCopies(dir: string): string[] {
  return filesIn(dir, (n) => /^\.?ngo-before-restore-/.test(n));
}

/** The files of a folder that `keep` names (never SQLite's -wal, -shm and -journal side files), sorted, as paths. */
function filesIn(dir: string, keep: (name: string) => boolean): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !/-(wal|shm|journal)$/.test(n) && keep(n))
    .sort()
    .map((n) => path.join(dir, n));
}
