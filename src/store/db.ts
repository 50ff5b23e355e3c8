/**
 * The connection: location, file mode, pragmas, migrations, transactions and the audit log.
 * All SQL of the project lives under src/store/.
 */
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConflictError, IoError, NgoError, UsageError } from '../errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MIGRATION_NOTES } from './schema.js';
import { MIGRATION_STEPS } from './migrate-steps.js';
import { FileGuard, ensureDir, fileStamp, writeFileViaSync } from '../io/files.js';
import { withDefaultSignals } from '../io/signals.js';
import { purgeFreedSpace, purgePending, type PurgeResult } from './privacy.js';
import { SqliteConn } from './sqlite-conn.js';
import type { WriteWait } from './conn.js';
import { sleep, waitingNotice } from './wait.js';
import { redactPgUrl } from './pg-conn.js';

export type DB = BetterSqlite3.Database;

/**
 * The driver, loaded with require(): better-sqlite3 is CommonJS, and importing it from ESM (Node's
 * CommonJS wrapper scans its sources again for export names) costs several milliseconds more at
 * start-up.
 */
const require = createRequire(import.meta.url);
const Driver = require('better-sqlite3') as typeof BetterSqlite3;

/**
 * better-sqlite3 finds its native addon with the `bindings` package, which tries a list of build
 * directories in turn (about a millisecond at start-up). When the first one it would take is the
 * usual build/Release, that file is named directly; otherwise (a debug build…) the search is its own.
 */
let nativeBinding: { path: string | undefined } | undefined;
function addonPath(): string | undefined {
  if (!nativeBinding) {
    const build = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build');
    const before = [path.join(build, 'better_sqlite3.node'), path.join(build, 'Debug', 'better_sqlite3.node')];
    const release = path.join(build, 'Release', 'better_sqlite3.node');
    nativeBinding = { path: !before.some((f) => fs.existsSync(f)) && fs.existsSync(release) ? release : undefined };
  }
  return nativeBinding.path;
}

/** A connection to `file`: every connection of the project is opened here. */
export function connect(file: string, options: BetterSqlite3.Options = {}): DB {
  return new Driver(file, { ...options, nativeBinding: addonPath() });
}

const statements = new WeakMap<DB, Map<string, BetterSqlite3.Statement>>();

/**
 * A prepared statement, prepared once per connection: lookups that run once per imported row
 * (person by email, by external id…) must not re-parse their SQL every time.
 */
export function cachedStatement(db: DB, sql: string): BetterSqlite3.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

export interface OpenOptions {
  /** Clock used for backup file names. */
  now: () => Date;
  /** Create the database when the file is missing or empty (`ngo init`, `ngo demo`, `ngo db restore`). */
  create?: boolean;
  /** Open read-only (reports, lists); never migrates. Falls back to read-write when the file needs migrating. */
  readonly?: boolean;
  /** Called with a human message when something noteworthy happens (migration backup). */
  notice?: (message: string) => void;
  /** How long a migration waits for the write lock (NGO_BUSY_TIMEOUT, as every write); default 5 s. */
  writeWait?: WriteWait;
}

export const BUSY_TIMEOUT_MS = 5000;
/** How long a write waits by default for another process's write transaction (an import) to end. */
export const WRITE_WAIT_DEFAULT_S = 120;

/**
 * The longest wait: the largest delay a timer (and SQLite's busy_timeout, a C int) can hold, about
 * 24.8 days. A longer NGO_BUSY_TIMEOUT waits this long, where passing it on made the timer fire at
 * once and the command give up after 5 s (third attack, F8).
 */
export const WRITE_WAIT_MAX_MS = 2 ** 31 - 1;

/** How long a write may wait for the write lock, from env NGO_BUSY_TIMEOUT (seconds, at least 5, at most ~24.8 days). */
export function writeWaitMs(env: Record<string, string | undefined>): number {
  const raw = env['NGO_BUSY_TIMEOUT'];
  const s = raw === undefined || raw.trim() === '' ? WRITE_WAIT_DEFAULT_S : Number(raw);
  if (Number.isNaN(s)) throw new UsageError(`NGO_BUSY_TIMEOUT must be a number of seconds, got ${JSON.stringify(raw)}`);
  return Math.min(WRITE_WAIT_MAX_MS, Math.max(BUSY_TIMEOUT_MS, Math.round(s * 1000)));
}

export type { WriteWait } from './conn.js';

const isBusy = (e: unknown) => {
  const code = (e as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/**
 * BEGIN IMMEDIATE, waiting for another process's write transaction to end. A long import holds the write
 * lock for as long as it runs, so after the connection's busy timeout (5 s) a write says it is waiting and
 * waits up to `wait.ms` in all before giving up with exit 5. SQLite waits inside one synchronous call,
 * where Node cannot run its signal handlers; so for that wait Ctrl-C, SIGTERM and SIGHUP get their
 * default action and end the process at once (nothing has been written yet). Commands that can wait
 * asynchronously (imports, restore) use beginImmediateAsync instead.
 */
export function beginImmediate(db: DB, wait: WriteWait = { ms: BUSY_TIMEOUT_MS }): void {
  const quiet = db.pragma('busy_timeout', { simple: true }) as number;
  withDefaultSignals(() => {
    try {
      db.exec('BEGIN IMMEDIATE');
      return;
    } catch (e) {
      if (!isBusy(e) || wait.ms <= quiet) throw ioFromSqlite(e, db.name, quiet);
    }
    wait.notice?.(waitingNotice(wait.ms));
    db.pragma(`busy_timeout = ${wait.ms - quiet}`);
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      throw ioFromSqlite(e, db.name, wait.ms);
    } finally {
      db.pragma(`busy_timeout = ${quiet}`);
    }
  });
}

/**
 * BEGIN IMMEDIATE, waiting as beginImmediate does, but in steps of the event loop: between attempts
 * Node's signal handlers run, so Ctrl-C ends the command with its usual message and the clean-up of
 * temporary files (a restore's staged copy, an import's rejects).
 */
export async function beginImmediateAsync(db: DB, wait: WriteWait = { ms: BUSY_TIMEOUT_MS }): Promise<void> {
  const quiet = db.pragma('busy_timeout', { simple: true }) as number;
  const started = Date.now();
  let told = false;
  db.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        db.exec('BEGIN IMMEDIATE');
        return;
      } catch (e) {
        if (!isBusy(e)) throw ioFromSqlite(e, db.name);
        const waited = Date.now() - started;
        if (waited >= Math.max(wait.ms, quiet)) throw ioFromSqlite(e, db.name, wait.ms);
        if (!told && waited >= quiet) {
          told = true;
          wait.notice?.(waitingNotice(wait.ms));
        }
      }
      await sleep(25);
    }
  } finally {
    db.pragma(`busy_timeout = ${quiet}`);
  }
}

/**
 * Resolve the database path: --db PATH > env NGO_DB > per-user data directory. An empty --db (or an
 * NGO_DB set to nothing, as a cron line with a misspelt variable gives) is a usage error rather than
 * a silent fall back to another database.
 */
export function resolveDbPath(flag: string | undefined, env: Record<string, string | undefined>, dataDir: () => string): string {
  if (flag !== undefined) {
    if (flag.trim() === '') throw new UsageError('--db is empty', 'give the database file: --db PATH');
    return checkedPath(flag, '--db');
  }
  const fromEnv = env['NGO_DB'];
  if (fromEnv !== undefined) {
    if (fromEnv.trim() === '') throw new UsageError('NGO_DB is set but empty', 'set it to the database file, or unset it to use the default database');
    return checkedPath(fromEnv, 'NGO_DB');
  }
  return path.join(dataDir(), 'ngo.db');
}

/** A database URL with its password replaced by `***` (a password is never printed). */
export function redactUrl(url: string): string {
  return redactPgUrl(url);
}

function checkedPath(given: string, what: string): string {
  // A PostgreSQL URL is the database itself (src/store/pg-store.ts), never a path.
  if (/^postgres(ql)?:\/\//i.test(given.trim())) {
    const url = given.trim();
    let dbName = '';
    try {
      dbName = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
    } catch {
      throw new UsageError(`${what} is not a valid PostgreSQL URL: ${redactUrl(url)}`, 'write it as postgres://USER@HOST:PORT/DATABASE');
    }
    // Without one, PostgreSQL takes the database named after the user (often the server's own postgres).
    if (dbName === '') throw new UsageError(`${what} names no database: ${redactUrl(url)}`, 'add the database to the URL: postgres://USER@HOST:PORT/DATABASE');
    return url;
  }
  // Connection strings in other forms are not paths either: refused before they can be shown or created as files.
  if (/^postgres(ql)?:/i.test(given.trim()) || /(^|\s)(host|password|dbname|user)\s*=/i.test(given)) {
    throw new UsageError(
      `${what} looks like a PostgreSQL connection string, but only URLs are supported: ${redactUrl(given.trim())}`,
      'write it as postgres://USER@HOST:PORT/DATABASE (the password in ~/.pgpass or PGPASSWORD)',
    );
  }
  const file = path.resolve(given);
  // `ngo.db-wal` (tab completion offers it): the side file of a database, never a database of its own.
  const side = /^(.*)-(wal|shm|journal)$/.exec(file);
  if (side && isRegularFile(side[1]!)) {
    throw new UsageError(
      `${what} ${given} is the -${side[2]} file of the database ${side[1]}, not a database of its own`,
      `give the database itself: ${what === '--db' ? '--db ' : 'NGO_DB='}${side[1]}`,
    );
  }
  return file;
}

/** Read the schema version (and whether the file has any table) without writing anything to the file. */
export function readUserVersion(file: string): number {
  return probeFile(file).version;
}

function probeFile(file: string): { version: number; tables: boolean } {
  let probe: DB | undefined;
  try {
    probe = connect(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return schemaState(probe);
  } catch (e) {
    throw ioFromSqlite(e, file);
  } finally {
    probe?.close();
  }
}

/**
 * SQLite gives the -wal and -shm it creates the database file's mode. Read while the file was
 * read-only (chmod a-w), they stay read-only after the file is made writable again, and every write
 * then fails (fourth attack, finding 6). When the file can be written, side files of ours that its
 * owner cannot write get the file's permissions back.
 */
function repairSideFileModes(file: string): void {
  if (process.platform === 'win32') return;
  let db: fs.Stats;
  try {
    db = fs.statSync(file);
    fs.accessSync(file, fs.constants.W_OK);
  } catch {
    return;
  }
  if ((db.mode & 0o200) === 0) return;
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    try {
      const st = fs.lstatSync(side);
      if (st.isFile() && st.uid === process.getuid?.() && (st.mode & 0o200) === 0) fs.chmodSync(side, db.mode & 0o666);
    } catch {
      /* absent, or not ours: SQLite reports what it cannot open */
    }
  }
}

function notNgo(file: string): IoError {
  return new IoError(
    `${file} is an SQLite database, but not an ngo one (it has tables and no ngo schema version)`,
    'give the path of an ngo database, or create one with `ngo init --db NEW-FILE`',
  );
}

/**
 * The schema version and whether any table exists, read in one statement and so from one snapshot:
 * read one after the other, an `ngo init` committing in between (tables and version 4 at once) looks
 * like a foreign database with tables and no version.
 */
function schemaState(db: DB): { version: number; tables: boolean } {
  const r = db
    .prepare("SELECT (SELECT user_version FROM pragma_user_version) AS version, EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table') AS tables")
    .get() as { version: number; tables: number };
  return { version: r.version, tables: r.tables === 1 };
}

/** SQLite result codes of a damaged file, a read-only file or folder, a full disk, an I/O failure. */
export function isSqliteFault(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|CANTOPEN|IOERR|READONLY|FULL|PERM|AUTH|FORMAT)/.test(code);
}

/**
 * Map an SQLite error to the documented exit codes: busy → 5; damaged, read-only, full, I/O → 6, with
 * one line that says which. Anything else is returned as it is.
 */
export function ioFromSqlite(e: unknown, file: string, waitedMs = BUSY_TIMEOUT_MS): Error {
  if (e instanceof NgoError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (isBusy(e)) {
    return new ConflictError(
      `database is busy (locked by another ngo process for more than ${Math.round(waitedMs / 1000)} s): ${file}`,
      'try again when the other command has finished',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_FORMAT') {
    return new IoError(`database file is damaged or not an ngo database: ${file}`, 'run `ngo db check`, or restore a backup with `ngo db restore FILE`');
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new IoError(
      `the database ${file} is read-only (${code === 'SQLITE_READONLY_DIRECTORY' ? 'its folder cannot be written' : 'the file or its folder cannot be written'})`,
      'ngo needs write access to the database file, its folder, and its -wal and -shm files if they exist (a reader without write access may have left them read-only)',
    );
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE') {
    return new IoError(`the disk holding the database ${file} is full; nothing was written`, 'free some space and run the command again');
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new IoError(
      `disk I/O error on the database ${file} (${err.message ?? code}); nothing was written`,
      'check the disk (full? failing? a network share that went away?)',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new IoError(`cannot open the database ${file}: ${err.message ?? code}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * Make a database file stand alone (rollback-journal mode): a backup or a kept copy needs no -wal
 * and -shm beside it, so it can be read where nothing can be created (read-only media).
 */
export function standAlone(file: string): void {
  const db = connect(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** The hint every "no database here" error gives. */
function missingDatabase(file: string): IoError {
  let empty = false;
  try {
    empty = fs.statSync(file).size === 0;
  } catch {
    /* missing */
  }
  // A zero-byte file may be a database emptied by a redirection (`ngo … > "$NGO_DB"`): name both ways out.
  if (empty)
    return new IoError(
      `no ngo database at ${file} (the file is empty)`,
      `if it held your data, restore the latest backup: ngo db restore BACKUP --yes; to start afresh: ngo init --db ${file}`,
    );
  return new IoError(`no ngo database at ${file}`, `create it with: ngo init --db ${file} (or check NGO_DB)`);
}

/** A file exists and is not empty (a zero-byte file holds no database: SQLite would make it one). */
export function databaseExists(file: string): boolean {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size > 0;
  } catch {
    return false;
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function makePrivate(file: string): void {
  try {
    fs.chmodSync(file, 0o600);
  } catch {
    /* not ours to change: SQLite will say what it cannot do */
  }
}

function createFile(file: string): void {
  try {
    ensureDir(path.dirname(file));
    const fd = fs.openSync(file, 'a', 0o600);
    fs.closeSync(fd);
    fs.chmodSync(file, 0o600);
  } catch (e) {
    throw new IoError(`cannot create the database ${file}: ${(e as Error).message}`);
  }
}

export function backupName(file: string, version: number, now: Date): string {
  return `${file}.backup-v${version}-${fileStamp(now)}`;
}

/**
 * A database is a regular file (or nothing yet). A device or a FIFO (`--db /dev/null`) is refused
 * before anything happens to it: SQLite would open it, and a restore or init would replace or chmod it.
 */
export function assertDatabasePath(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return; // nothing there yet
  }
  if (st.isDirectory()) throw new IoError(`cannot open the database ${file}: it is a folder`, 'give the database file, e.g. --db ' + path.join(file, 'ngo.db'));
  if (!st.isFile())
    throw new IoError(`cannot use ${file} as the database: it is not a regular file (a device, a pipe or a socket)`, 'give the path of a database file');
}

/**
 * The one place a database is opened. With `create` (only `ngo init`, `ngo demo`, `ngo db restore`)
 * a missing or zero-byte file is created; otherwise it is exit 6 and nothing is created. Migrates an
 * older schema (after keeping a copy); refuses, untouched, a newer one, and a file that is an SQLite
 * database but not an ngo one.
 */
export async function openDatabase(file: string, opts: OpenOptions): Promise<DB> {
  assertDatabasePath(file);
  const exists = databaseExists(file);
  if (!exists) {
    if (!opts.create) {
      // A folder, a device, a dangling link: say what it is rather than "no database".
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(file);
      } catch {
        /* missing */
      }
      if (st?.isDirectory())
        throw new IoError(`cannot open the database ${file}: it is a folder`, 'give the database file, e.g. --db ' + path.join(file, 'ngo.db'));
      throw missingDatabase(file);
    }
    if (!fs.existsSync(file)) createFile(file);
    else makePrivate(file); // a zero-byte file (touch ngo.db) becomes the database: 0600 as if created
  } else {
    const { version, tables } = probeFile(file);
    // Decided before anything is written (switching to WAL mode would already change the file).
    if (version === 0 && tables) throw notNgo(file);
    if (version < 0)
      throw new IoError(
        `database file is damaged or not an ngo database: ${file} (schema version ${version})`,
        'run `ngo db check`, or restore a backup with `ngo db restore FILE`',
      );
    if (version === 0) {
      // An SQLite file with nothing in it (made by another tool, or a VACUUM of nothing): no ngo
      // database yet. Only init, demo and restore make it one.
      if (!opts.create)
        throw new IoError(`no ngo database at ${file} (the file is an empty SQLite database)`, `create it with: ngo init --db ${file} (or check NGO_DB)`);
      makePrivate(file);
    }
    if (version > LATEST_SCHEMA_VERSION) {
      throw new IoError(
        `database ${file} has schema version ${version}, newer than this program supports (${LATEST_SCHEMA_VERSION})`,
        'upgrade ngo to the version that wrote this database; the file was not modified',
      );
    }
    if (opts.readonly && version === LATEST_SCHEMA_VERSION) {
      try {
        const ro = connect(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
        ro.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        return ro;
      } catch (e) {
        throw ioFromSqlite(e, file);
      }
    }
  }
  repairSideFileModes(file);
  let db: DB;
  try {
    db = connect(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
  } catch (e) {
    throw ioFromSqlite(e, file);
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A database that is already in WAL mode (every ngo database) needs no write to say so, so a
    // read-only file still opens for reading.
    if ((db.pragma('journal_mode', { simple: true }) as string) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    await migrate(db, file, opts);
  } catch (e) {
    db.close();
    throw ioFromSqlite(e, file);
  }
  await finishPendingPurge(db, opts);
  return db;
}

/**
 * An erasure (people forget) whose compaction could not finish is completed by the next command that
 * opens the database; if a reader still blocks it, it stays pending and this says so.
 */
async function finishPendingPurge(db: DB, opts: OpenOptions): Promise<void> {
  let pending: boolean;
  try {
    pending = await purgePending(new SqliteConn(db));
  } catch {
    return;
  }
  if (!pending) return;
  let r: PurgeResult;
  try {
    r = await purgeFreedSpace(new SqliteConn(db)); // one attempt, waiting for nobody: a read must not wait behind a writer
  } catch (e) {
    r = { done: false, busy: false, reason: (e as Error).message };
  }
  if (r.done) opts.notice?.('completed the compaction of an earlier erasure (people forget): no old copy of the erased data is left in the file');
  else opts.notice?.(`an earlier erasure (people forget) is not yet compacted out of the database file (${r.reason}); it will be retried`);
}

async function migrate(db: DB, file: string, opts: OpenOptions): Promise<void> {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === LATEST_SCHEMA_VERSION) return;
  if (version > LATEST_SCHEMA_VERSION) {
    throw new IoError(`database ${file} has schema version ${version}, newer than this program supports (${LATEST_SCHEMA_VERSION})`);
  }
  let kept: string | null = null;
  if (version > 0) {
    const guard = new FileGuard();
    guard.protectDatabase(file);
    const target = backupName(file, version, opts.now());
    kept = writeFileViaSync(guard, { path: target, shown: target, label: 'the pre-migration copy' }, 'unique', (temp) => {
      db.exec(`VACUUM INTO '${temp.replace(/'/g, "''")}'`);
      standAlone(temp);
    });
  }
  let notes: string[];
  try {
    const r = await migrateInTransaction(db, file, opts.writeWait);
    notes = r.notes;
    if (!r.migrated && kept) {
      // Another process migrated it first (and kept its own copy).
      fs.rmSync(kept, { force: true });
      kept = null;
    }
  } catch (e) {
    // Rolled back: the database is as it was, so the copy is not needed (and a retry would pile them up).
    if (kept) fs.rmSync(kept, { force: true });
    if (e instanceof NgoError || isSqliteFault(e)) throw e;
    throw new IoError(
      `database ${file} cannot be migrated from schema ${version} to ${LATEST_SCHEMA_VERSION} (${(e as Error).message}): its tables do not match its schema version; nothing was changed`,
      'restore a backup with `ngo db restore FILE`, or ask for help with the file',
    );
  }
  if (kept) opts.notice?.(`backed up the database to ${kept} before migrating it from schema ${version} to ${LATEST_SCHEMA_VERSION}`);
  for (const note of notes) opts.notice?.(note);
}

/**
 * Run the migrations up to the latest in one write transaction (or inside the caller's), from the
 * version the file has once the lock is held: another process that opened the same file at the same
 * moment (two cron jobs after an upgrade, two `ngo init`) may have migrated it meanwhile. `migrated`
 * is false then. `notes`: what the user should be told about the migrations (MIGRATION_NOTES).
 */
export async function migrateInTransaction(db: DB, file?: string, wait?: WriteWait): Promise<{ migrated: boolean; notes: string[] }> {
  const own = !db.inTransaction;
  if (own) beginImmediate(db, wait);
  try {
    // Read again under the lock: another process may have created or migrated it meanwhile.
    const { version: from, tables } = schemaState(db);
    if (from === 0 && tables) throw notNgo(file ?? 'the database');
    if (from >= LATEST_SCHEMA_VERSION) {
      if (own) db.exec('COMMIT');
      return { migrated: false, notes: [] };
    }
    const stepNotes: string[] = [];
    for (let v = Math.max(from, 0); v < LATEST_SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      const note = from > 0 ? await MIGRATION_STEPS[v + 1]?.(new SqliteConn(db)) : undefined;
      if (note) stepNotes.push(note);
    }
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION}`);
    const notes = from > 0 ? [...(await migrationNotes(db, from)), ...stepNotes] : [];
    if (own) db.exec('COMMIT');
    return { migrated: true, notes };
  } catch (e) {
    if (own && db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

async function migrationNotes(db: DB, from: number): Promise<string[]> {
  const out: string[] = [];
  if (from < 4) {
    const n = db.prepare(MIGRATION_NOTES[4]!).get() as { rates: number; sessions: number };
    if (n.rates > 0)
      out.push(
        `schema 4: the hourly rates of ${n.rates} ${n.rates === 1 ? 'person' : 'people'} are now dated (each applies from the start, as until now; \`ngo people edit REF --rate X\` changes one from a date on); every report stays as it was`,
      );
    if (n.sessions > 0) {
      out.push(
        `schema 4: ${n.sessions} earlier supervision session${n.sessions === 1 ? '' : 's'} now keep${n.sessions === 1 ? 's' : ''} the supervisor's credential and licence, filled from the supervisors' records as they are today; check them with \`ngo supervision list\``,
      );
    }
  }
  return out;
}

/**
 * A larger page cache for an import (set by runImport): every row adds to a table and its indexes at
 * scattered places, and pages evicted from a small cache are written out and read back. Measured on
 * a 1M-row hours file in random date order before bulk mode (see dropHoursIndexes): 16 MB (the
 * default) 37-41 s, 24 MB 33 s, 48 MB 32 s. With bulk mode the size hardly matters any more (24, 64
 * and 128 MB: 25.8, 25.9 and 26.6 s) while each MB adds to peak memory, so it stays at 24 MB.
 */
export async function useImportCache(db: DB): Promise<void> {
  db.pragma('cache_size = -24000');
}

/**
 * Run `fn` inside one BEGIN IMMEDIATE transaction; nested, inside a savepoint. On SQLite every
 * statement completes synchronously, so `fn` runs to its end without giving the event loop a turn
 * (no signal handler, no other work runs in the middle of it).
 */
export async function writeTx<T>(db: DB, fn: () => Promise<T>, wait?: WriteWait): Promise<T> {
  if (db.inTransaction) {
    db.exec('SAVEPOINT ngo_nested');
    try {
      const result = await fn();
      db.exec('RELEASE ngo_nested');
      return result;
    } catch (e) {
      if (db.inTransaction) {
        db.exec('ROLLBACK TO ngo_nested');
        db.exec('RELEASE ngo_nested');
      }
      throw e;
    }
  }
  beginImmediate(db, wait);
  try {
    const result = await fn();
    db.exec('COMMIT');
    return result;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (isBusy(e)) throw ioFromSqlite(e, db.name);
    throw e;
  }
}

// ---- transaction primitives for code that drives a transaction step by step (imports, restore) ----

/** End the open transaction keeping its changes. */
export function commit(db: DB): void {
  db.exec('COMMIT');
}

/** End the open transaction, if there is one, discarding its changes. */
export function rollbackIfOpen(db: DB): void {
  if (db.inTransaction) db.exec('ROLLBACK');
}

/** Run `fn` in one read transaction (one WAL snapshot), or inside the transaction already open. */
export async function readTx<T>(db: DB, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return fn();
  db.exec('BEGIN');
  try {
    return await fn();
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
  }
}

/** A savepoint around each row of an import: begin, keep (release) or undo (rollback and release). */
export function rowSavepoints(db: DB): { begin: () => void; release: () => void; rollback: () => void } {
  const begin = db.prepare('SAVEPOINT ngo_import_row');
  const release = db.prepare('RELEASE ngo_import_row');
  const undo = db.prepare('ROLLBACK TO ngo_import_row');
  return {
    begin: () => void begin.run(),
    release: () => void release.run(),
    rollback: () => {
      undo.run();
      release.run();
    },
  };
}

/** The schema version of an open database. */
export async function schemaVersion(db: DB): Promise<number> {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Attach another database file as `name` (a restore's staged copy). */
export async function attach(db: DB, file: string, name: string): Promise<void> {
  db.exec(`ATTACH DATABASE '${file.replace(/'/g, "''")}' AS ${name}`);
}

/** Detach `name` if it is attached. */
export async function detachIfAttached(db: DB, name: string): Promise<void> {
  try {
    db.exec(`DETACH DATABASE ${name}`);
  } catch {
    /* not attached */
  }
}

/** Set how long SQLite itself waits for a lock on this connection. */
export async function setBusyTimeout(db: DB, ms: number): Promise<void> {
  db.pragma(`busy_timeout = ${ms}`);
}
