/**
 * `ngo db restore FILE` (SPEC "Files ngo writes"): load a backup in place of the live database.
 *
 * 1. The backup is read through SQLite (its un-checkpointed WAL included), copied with SQLite's backup
 *    API into a staged file beside the live database, verified and brought to the current schema. The
 *    backup file itself is opened read-only and never changed.
 * 2. The write lock of the live database is taken like every write (the same wait, then exit 5).
 *    Holding it, the live state is copied to a kept file whose name never collides; then, in that same
 *    transaction, everything in the live database is replaced by the staged copy and the restore is
 *    audited. Nothing can commit in between: an import that reported its rows committed before the
 *    lock was taken (they are in the kept copy); one that waits gets the lock afterwards and writes
 *    into the restored database, through the connection it already has (the file is never swapped).
 * 3. Only when there is no database yet, or the live file is too damaged to be opened, is the staged
 *    file put in place by rename (keeping the damaged file under a new name).
 */
import { SqliteConn } from '../store/sqlite-conn.js';
import { PgConn } from '../store/pg-conn.js';
import { TABLES_IN_ORDER, holdsData, loadSqliteFileIntoPg, pgToSqliteFile } from '../store/transfer.js';
import { setCommitted, setSavedNote } from '../io/signals.js';
import { afterBulkWrite } from '../io/importer.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from '../app.js';
import { IoError, UsageError } from '../errors.js';
import {
  BUSY_TIMEOUT_MS,
  assertDatabasePath,
  attach,
  beginImmediateAsync,
  commit,
  connect,
  databaseExists,
  detachIfAttached,
  ioFromSqlite,
  rollbackIfOpen,
  setBusyTimeout,
  type DB,
} from '../store/db.js';
import { replaceFromAttached, stageRestore, standAlone } from '../store/maintenance.js';
import { makeAudit } from '../store/audit.js';
import { FileGuard, discardScratch, fileStamp, keepCopyName, placeScratch, scratchFile, tempDir, writeFileVia } from '../io/files.js';

function isDamage(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export async function restoreDatabase(app: App, file: string, yes: boolean): Promise<void> {
  if (app.onServer) return restoreIntoServer(app, file, yes);
  const source = path.resolve(app.ctx.cwd, file);
  const live = app.dbPath;
  assertDatabasePath(live);
  const self = new FileGuard();
  self.protectDatabase(live);
  const clash = self.clash(source);
  if (clash)
    throw new UsageError(
      `${file} is ${clash.what.replace('the database', 'the live database')}; there is nothing to restore from it`,
      'give a backup made by `ngo db backup FILE`',
    );
  const staged = scratchFile(live);
  try {
    const v = await stageRestore(source, staged);
    if (!v.ok) throw new IoError(`cannot restore ${file}: ${v.reason}; the live database was not changed`);
    for (const note of v.notes) app.info(note);
    await app.confirm(`Replace the database ${live} with ${file}?`, yes);
    let kept: string | null = null;
    if (!databaseExists(live)) {
      await auditStaged(app, staged, file, null);
      installNew(app, staged, live);
    } else {
      // The live WAL as it is now: opening a damaged file can make SQLite consume it, and a file too
      // damaged to open is kept with it.
      const walNow = fs.existsSync(`${live}-wal`) ? scratchFile(live) : null;
      if (walNow) {
        fs.rmSync(walNow);
        fs.linkSync(`${live}-wal`, walNow);
      }
      try {
        kept = await replaceLocked(app, live, staged, file);
      } catch (e) {
        if (!isDamage(e)) throw ioFromSqlite(e, live);
        kept = await swapDamaged(app, live, staged, walNow, file);
      } finally {
        if (walNow) discardScratch(walNow);
      }
    }
    app.outData(live + '\n');
    app.success(`Restored ${file} (schema ${v.version})${kept ? `; the previous database is kept at ${kept}` : ''}`);
  } finally {
    discardScratch(staged);
  }
}

/** No database yet: the staged copy becomes it (never replacing a file that appeared meanwhile). */
function installNew(app: App, staged: string, live: string): void {
  // Side files of a database that is gone would be read as this one's: remove them first.
  for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(live + side, { force: true });
  const empty = fs.existsSync(live); // a zero-byte file
  placeScratch(app.files.withoutDatabase(), staged, { path: live, shown: live, label: 'the database' }, empty ? 'replace' : 'refuse');
}

async function replaceLocked(app: App, live: string, staged: string, file: string): Promise<string> {
  const db: DB = connect(live, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
  const conn = new SqliteConn(db);
  let kept: string | null = null;
  try {
    await setBusyTimeout(db, BUSY_TIMEOUT_MS);
    await attach(db, staged, 'src');
    await beginImmediateAsync(db, app.writeWait);
    // The live state as it is now that no other writer can commit: the kept copy.
    const reader = connect(live, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      const name = `${live}.before-restore-${fileStamp(app.ctx.now())}`;
      kept = await writeFileVia(app.files, { path: name, shown: name, label: 'the kept copy' }, 'unique', async (temp) => {
        await reader.backup(temp);
        standAlone(temp);
      });
    } finally {
      reader.close();
    }
    const keptAt = kept;
    await replaceFromAttached(conn, async () => {
      await makeAudit(conn, app.actor, app.ctx.now)('restore', 'database', null, { from: [null, file], kept: [null, keptAt] });
    });
    commit(db);
    setSavedNote(`the restore itself was done (the previous database is kept at ${keptAt})`);
    return kept;
  } catch (e) {
    rollbackIfOpen(db);
    if (kept) fs.rmSync(kept, { force: true });
    throw e;
  } finally {
    await detachIfAttached(db, 'src');
    db.close();
  }
}

/**
 * A restore that puts the staged copy in place (no database yet, or a damaged one) audits itself in
 * that copy, as a restore over a live database does in it (and as on a server).
 */
async function auditStaged(app: App, staged: string, file: string, kept: string | null): Promise<void> {
  const db = connect(staged, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    await makeAudit(new SqliteConn(db), app.actor, app.ctx.now)('restore', 'database', null, { from: [null, file], kept: [null, kept] });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** The live file cannot even be read: keep it (and its WAL) under a new name, put the staged copy in place. */
async function swapDamaged(app: App, live: string, staged: string, walBefore: string | null, file: string): Promise<string> {
  const kept = keepCopyName(live, `${live}.damaged-${fileStamp(app.ctx.now())}`);
  await auditStaged(app, staged, file, kept);
  if (walBefore && fs.existsSync(walBefore)) fs.linkSync(walBefore, kept + '-wal');
  else if (fs.existsSync(live + '-wal')) fs.linkSync(live + '-wal', kept + '-wal');
  // The old side files go before the new file arrives: SQLite would read them as the new one's.
  for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(live + side, { force: true });
  placeScratch(app.files.withoutDatabase(), staged, { path: live, shown: live, label: 'the database' }, 'replace');
  return kept;
}

/**
 * `db restore FILE` into a PostgreSQL database: the backup (an ngo SQLite file, from either engine) is
 * staged, verified and migrated in a private temporary folder as for a file; then, under the
 * single-writer lock and in one transaction, the server's current state is written to a kept SQLite file
 * (in the per-user data folder, a name that never collides) and replaced by the backup's rows. An
 * empty server database gets the schema first (restore is one of the commands that create a database).
 */
async function restoreIntoServer(app: App, file: string, yes: boolean): Promise<void> {
  const source = path.resolve(app.ctx.cwd, file);
  const { dir: work, done } = tempDir(os.tmpdir(), 'ngo-restore-');
  try {
    const staged = path.join(work, 'staged.db');
    fs.closeSync(fs.openSync(staged, 'wx', 0o600));
    const v = await stageRestore(source, staged);
    if (!v.ok) throw new IoError(`cannot restore ${file}: ${v.reason}; the live database was not changed`);
    for (const note of v.notes) app.info(note);
    await app.confirm(`Replace the database ${app.dbPath} with ${file}?`, yes);
    const conn = await app.db();
    if (!(conn instanceof PgConn)) throw new Error('restoreIntoServer needs a PostgreSQL database');
    let kept: string | null = null;
    try {
      await app.tx(async () => {
        if (await holdsData(conn)) {
          const dir = app.ctx.dataDir();
          // Named after the server database (and schema), so that copies of different databases can be told apart.
          const u = new URL(app.dbTarget);
          const schema = /-csearch_path=([^\s,]+)/.exec(u.searchParams.get('options') ?? '')?.[1];
          const which = `${u.hostname}-${u.pathname.replace(/^\//, '')}${schema ? `-${schema}` : ''}`.replace(/[^A-Za-z0-9_.-]/g, '_');
          const name = path.join(dir, `ngo-before-restore-${which}-${fileStamp(app.ctx.now())}.db`);
          kept = await writeFileVia(app.files, { path: name, shown: name, label: 'the kept copy' }, 'unique', (temp) =>
            pgToSqliteFile(conn, temp, app.ctx.now),
          );
        }
        try {
          await loadSqliteFileIntoPg(conn, staged, app.ctx.now().toISOString());
        } catch (e) {
          // A value the server cannot hold (a NUL byte in a text, an integer beyond 64 bits): a bad
          // backup, refused as one, not an internal error (attack on the PostgreSQL store 2, F3).
          const code = (e as { code?: unknown }).code;
          if (typeof code === 'string' && code.startsWith('22'))
            throw new IoError(`cannot restore ${file}: the server refuses a value in it (${(e as Error).message}); the live database was not changed`);
          throw e;
        }
        await app.audit('restore', 'database', null, { from: [null, file], kept: [null, kept] });
      });
    } catch (e) {
      // Nothing was replaced: the kept copy (personal data) goes with the attempt, as on a file.
      if (kept) fs.rmSync(kept, { force: true });
      throw e;
    }
    setCommitted(`the restore itself was done${kept ? ` (the previous database is kept at ${kept})` : ''}`);
    // Fresh statistics and visibility for the planner: the reports read the whole of a year (see PgConn.afterBulk).
    await afterBulkWrite(app, conn, TABLES_IN_ORDER);
    app.outData(app.dbPath + '\n');
    app.success(`Restored ${file} (schema ${v.version})${kept ? `; the previous database is kept at ${kept}` : ''}`);
  } finally {
    done();
  }
}
