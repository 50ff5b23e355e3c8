/** Integrity and data-rule checks, online backup and verified restore. */
import type { Conn } from './conn.js';
import { sqliteOf } from './sqlite-conn.js';
import { PgConn, pgSchemaState } from './pg-conn.js';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeFsError, isTempName } from '../io/files.js';
import { BUSY_TIMEOUT_MS, connect, migrateInTransaction, type DB } from './db.js';
export { standAlone } from './db.js';
import { LATEST_SCHEMA_VERSION } from './schema.js';
import { ERASED_FIELDS } from './privacy.js';
import { formatCents } from '../domain/money.js';
import { formatHours } from '../domain/duration.js';

export interface CheckResult {
  check: string;
  /** `warn`: listed for someone to review, never a failure (exit 0): what `hours log` only warns about. */
  status: 'ok' | 'fail' | 'warn';
  detail: string;
  /** integrity problems are I/O-class (exit 6); data-rule problems are conflicts (exit 5). */
  severity: 'integrity' | 'rule';
}

/**
 * Every check, each on its own: a damaged page that makes one of them fail with an SQLite error is
 * reported as that check failing (integrity severity, exit 6), and the others still run.
 * `{ wholeFile: false }` (ngo status) leaves out the two that read every page of the file, integrity
 * and foreign keys (seconds on a large database; `db check` runs them).
 */
export async function runChecks(db: Conn, o: { wholeFile?: boolean } = {}): Promise<CheckResult[]> {
  if (db instanceof PgConn) return runServerChecks(db);
  const wholeFile = o.wholeFile !== false;
  const raw = sqliteOf(db);
  const out: CheckResult[] = [];
  out.push(writable(raw.name));
  out.push(privateFile(raw.name));
  out.push(leftoverFiles(raw.name));
  const fault = (check: string, e: unknown): CheckResult => ({
    check,
    status: 'fail',
    detail: `cannot be checked: ${(e as Error).message} (${String((e as { code?: unknown }).code ?? 'error')})`,
    severity: 'integrity',
  });
  const step = async (check: string, fn: () => void | Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      if (typeof (e as { code?: unknown }).code !== 'string' || !String((e as { code: string }).code).startsWith('SQLITE_')) throw e;
      out.push(fault(check, e));
    }
  };
  if (wholeFile)
    await step('integrity', () => {
      const integrity = (raw.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      out.push({
        check: 'integrity',
        status: integrity.length === 1 && integrity[0] === 'ok' ? 'ok' : 'fail',
        detail: integrity.slice(0, 5).join('; '),
        severity: 'integrity',
      });
    });
  if (wholeFile)
    await step('foreign_keys', () => {
      const fk = raw.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      out.push({
        check: 'foreign_keys',
        status: fk.length === 0 ? 'ok' : 'fail',
        detail:
          fk.length === 0
            ? 'ok'
            : fk
                .slice(0, 5)
                .map((r) => `${r.table} row ${r.rowid} → missing ${r.parent}`)
                .join('; ') + (fk.length > 5 ? ` … and ${fk.length - 5} more` : ''),
        severity: 'integrity',
      });
    });
  await step('schema_version', () => {
    const version = raw.pragma('user_version', { simple: true }) as number;
    out.push({
      check: 'schema_version',
      status: version === LATEST_SCHEMA_VERSION ? 'ok' : 'fail',
      detail: `${version} (this program: ${LATEST_SCHEMA_VERSION})`,
      severity: 'integrity',
    });
  });
  await step('rules', () => dataRules(db, out));
  return out;
}

/**
 * db check on a PostgreSQL server. The file checks become the server's: whether it accepts writes (a
 * read-only replica or a read-only role does not); pages and foreign keys are the server's to keep
 * (foreign keys are always enforced there); the schema version is schema_migrations'. The data rules
 * are the same queries as on SQLite.
 */
async function runServerChecks(db: PgConn): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const r = await db.get<{ ro: string; rec: number; ins: number }>(
    `SELECT current_setting('default_transaction_read_only') AS ro, CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS rec,
            CASE WHEN has_table_privilege('hours', 'INSERT') AND has_table_privilege('audit_log', 'INSERT') THEN 1 ELSE 0 END AS ins`,
  );
  const why =
    r?.rec === 1
      ? 'the server is a read-only replica'
      : r?.ro === 'on'
        ? 'the session is read-only'
        : r?.ins !== 1
          ? 'this role may not write the tables'
          : null;
  out.push({ check: 'writable', status: why ? 'fail' : 'ok', detail: why ? `${why}: reports work, every change would fail` : 'ok', severity: 'integrity' });
  out.push({ check: 'integrity', status: 'ok', detail: "the server's own (PostgreSQL checks its pages; see amcheck)", severity: 'integrity' });
  out.push({ check: 'foreign_keys', status: 'ok', detail: 'always enforced by the server', severity: 'integrity' });
  const version = (await pgSchemaState(db)).version;
  out.push({
    check: 'schema_version',
    status: version === LATEST_SCHEMA_VERSION ? 'ok' : 'fail',
    detail: `${version} (this program: ${LATEST_SCHEMA_VERSION})`,
    severity: 'integrity',
  });
  await dataRules(db, out);
  return out;
}

async function dataRules(db: Conn, out: CheckResult[]): Promise<void> {
  /** A data rule: ok when nothing breaks it, else its first offenders (queries fetch six: see listed). */
  const rule = (check: string, offenders: string[], okDetail = 'ok', broken: 'fail' | 'warn' = 'fail') =>
    out.push({ check, status: offenders.length === 0 ? 'ok' : broken, detail: offenders.length === 0 ? okDetail : listed(offenders), severity: 'rule' });

  const overDay = (await db.all(`SELECT person_id, date, SUM(minutes) AS m FROM hours WHERE voided_at IS NULL AND status <> 'rejected'
       GROUP BY person_id, date HAVING SUM(minutes) > 1440 ORDER BY date, person_id LIMIT 6`)) as { person_id: number; date: string; m: number }[];
  rule(
    'hours_per_day',
    overDay.map((r) => `person #${r.person_id} on ${r.date}: ${formatHours(r.m)} h`),
    'no person has more than 24 h in a day',
    // `hours log` and imports only warn about such a day (a shift across midnight can be entered that
    // way): the check lists it for review and does not fail, so a cron job's `db check` agrees with them.
    'warn',
  );
  const overAward = (await db.all(`SELECT g.id, g.amount, SUM(d.amount) AS total FROM grants g JOIN disbursements d ON d.grant_id = g.id
       WHERE d.status IN ('paid','scheduled') GROUP BY g.id HAVING SUM(d.amount) > g.amount ORDER BY g.id LIMIT 6`)) as {
    id: number;
    amount: number;
    total: number;
  }[];
  rule(
    'disbursements_within_award',
    overAward.map((r) => `grant #${r.id}: ${formatCents(r.total)} disbursed of ${formatCents(r.amount)}`),
    'no grant is disbursed beyond its award',
  );
  const selfSup = (await db.all(
    'SELECT s.id FROM supervision_sessions s JOIN supervision_attendees a ON a.session_id = s.id WHERE a.supervisee_id = s.supervisor_id ORDER BY s.id LIMIT 6',
  )) as { id: number }[];
  rule(
    'no_self_supervision',
    selfSup.map((r) => `session #${r.id}`),
  );

  // The schema's CHECK (mentor_id <> mentee_id) and its partial unique index guard these two, but a file
  // edited outside ngo (ignore_check_constraints, a dropped index) can still hold them.
  const selfMentor = (await db.all('SELECT id FROM mentorships WHERE mentor_id = mentee_id ORDER BY id LIMIT 6')) as { id: number }[];
  rule(
    'no_self_mentorship',
    selfMentor.map((r) => `pairing #${r.id}`),
  );
  const openPairs =
    (await db.all(`SELECT mentor_id, mentee_id, string_agg(CAST(id AS TEXT), ', #' ORDER BY id) AS ids FROM mentorships WHERE status IN ('active','paused')
       GROUP BY mentor_id, mentee_id HAVING count(*) > 1 ORDER BY mentor_id, mentee_id LIMIT 6`)) as { mentor_id: number; mentee_id: number; ids: string }[];
  rule(
    'one_open_pairing_per_pair',
    openPairs.map((r) => `mentor #${r.mentor_id} and mentee #${r.mentee_id}: pairings #${r.ids}`),
  );
  // `funders fund` refuses overlapping agreements of one funder and program (reports would count twice).
  const overlaps = (await db.all(`SELECT a.id AS a, b.id AS b FROM funding a JOIN funding b
         ON a.funder_id = b.funder_id AND a.program_id = b.program_id AND a.id < b.id
        AND a.start_date <= COALESCE(b.end_date, '9999-12-31') AND b.start_date <= COALESCE(a.end_date, '9999-12-31')
       ORDER BY a.id, b.id LIMIT 6`)) as { a: number; b: number }[];
  rule(
    'funding_no_overlap',
    overlaps.map((r) => `agreements #${r.a} and #${r.b}`),
  );
  // An erased person keeps no personal field (people forget; edits and imports refuse erased people).
  // archived_reason is left out: archiving an erased person later (with a reason) is allowed.
  const personal = ERASED_FIELDS.filter((f) => f !== 'first_name' && f !== 'archived_reason')
    .map((f) => `${f} IS NOT NULL`)
    .join(' OR ');
  const unscrubbed = (await db.all(`SELECT id FROM people WHERE erased_at IS NOT NULL AND (${personal} OR first_name <> 'Erased person #' || id
         OR EXISTS (SELECT 1 FROM supervision_sessions s WHERE s.supervisor_id = people.id AND (s.supervisor_license_expires IS NOT NULL
            OR COALESCE(s.supervisor_license_number, '[erased]') <> '[erased]' OR COALESCE(s.supervisor_credential, '[erased]') <> '[erased]'
            OR COALESCE(s.supervisor_license_region, '[erased]') <> '[erased]')))
       ORDER BY id LIMIT 6`)) as { id: number }[];
  rule(
    'erased_people_scrubbed',
    unscrubbed.map((r) => `person #${r.id}`),
  );
  const purge = (await db.get("SELECT since, detail FROM maintenance_due WHERE task = 'purge'")) as { since: string; detail: string | null } | undefined;
  rule(
    'erasures_compacted',
    purge
      ? [
          `the erasure of person #${(purge.detail ?? '?').split(',').join(', #')} (${purge.since}) still leaves old copies in the file (the file could not be compacted: another process was using it, or the disk was full); any ngo command completes it when it can`,
        ]
      : [],
    'no erased data is left in free space or the WAL',
  );
}

/**
 * The database and its folder can be written (ngo writes the -wal and -shm files beside it). A
 * read-only file can still be read, but every write would fail: a failing integrity-class check.
 */
function writable(file: string): CheckResult {
  const problems: string[] = [];
  for (const [what, p] of [
    ['the file', file],
    ['its folder', path.dirname(file)],
    // Left by a reader of a read-only file with the file's own mode: writes fail until they go.
    ['its -wal file', `${file}-wal`],
    ['its -shm file', `${file}-shm`],
  ] as const) {
    if (what.startsWith('its -') && !fs.existsSync(p)) continue;
    try {
      fs.accessSync(p, fs.constants.W_OK);
    } catch {
      problems.push(what);
    }
  }
  if (problems.length > 0) {
    return {
      check: 'writable',
      status: 'fail',
      detail: `${problems.length === 1 ? problems[0] : `${problems.slice(0, -1).join(', ')} and ${problems.at(-1)}`} cannot be written: reports work, every change would fail`,
      severity: 'integrity',
    };
  }
  const space = freeSpace(path.dirname(file));
  return { check: 'writable', status: space === null ? 'ok' : 'fail', detail: space ?? 'ok', severity: 'integrity' };
}

/** What a write needs at least: the pages of a transaction in the -wal (a few 4 KiB pages, with room). */
const PROBE_BYTES = 64 * 1024;

/**
 * Whether the folder's disk takes a real write: access rights say nothing of free space, and with the
 * -wal and -shm already there SQLite opens a full disk without complaint (third attack, F6: `db check`
 * passed, the next write failed). A private temporary file of PROBE_BYTES is written, synced and
 * removed. Null when it can be written, else the reason.
 */
function freeSpace(dir: string): string | null {
  const probe = path.join(dir, `.ngo-space-${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    fs.writeSync(fd, Buffer.alloc(PROBE_BYTES));
    fs.fsyncSync(fd);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      return `the disk holding it is full (a ${PROBE_BYTES / 1024} KiB write to its folder failed: ${code}): reports work, every change would fail`;
    return `its folder cannot be written (${code ?? (e as Error).message}): reports work, every change would fail`;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(probe, { force: true });
  }
}

/** SQLite's quick check of the whole file: null when sound, else its first findings (or the error). */
export async function quickCheck(db: Conn): Promise<string | null> {
  const raw = sqliteOf(db);
  try {
    const r = (raw.pragma('quick_check') as { quick_check: string }[]).map((x) => x.quick_check);
    return r.length === 1 && r[0] === 'ok' ? null : r.slice(0, 3).join('; ');
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The database holds personal data: anyone on the machine being able to read it (a file made by
 * another tool or copied with a loose umask) is a failing rule; ngo makes its files 0600.
 */
function privateFile(file: string): CheckResult {
  let open: string[] = [];
  if (process.platform !== 'win32') {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      try {
        if ((fs.statSync(f).mode & 0o004) !== 0) open.push(path.basename(f));
      } catch {
        /* not there */
      }
    }
  }
  open = [...new Set(open)];
  return {
    check: 'not_world_readable',
    status: open.length === 0 ? 'ok' : 'fail',
    detail:
      open.length === 0 ? 'only its owner (and group) can read the database' : `${open.join(', ')} can be read by anyone on this machine: chmod 600 ${file}`,
    severity: 'rule',
  };
}

/** Nothing was ever recorded in the database: no audit entry, person, program or funder (the demo fills only such a one). */
export async function isEmptyDatabase(db: Conn): Promise<boolean> {
  const n = (await db.value(
    'SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM people) + (SELECT COUNT(*) FROM programs) + (SELECT COUNT(*) FROM funders)',
  )) as number;
  return n === 0;
}

/** A temporary file untouched for this long is left over from a killed command, not in use by a running one. */
const LEFTOVER_AFTER_MS = 10 * 60 * 1000;

/**
 * Temporary files beside the database that a command killed with SIGKILL (or a power cut) could not
 * remove: a restore's staged copy, a report's or backup's unfinished file. They may hold a whole copy
 * of the database, personal data included, so the check names them (sixth attack, finding 4).
 */
function leftoverFiles(file: string): CheckResult {
  const dir = path.dirname(file);
  const now = Date.now();
  let found: string[] = [];
  try {
    found = fs
      .readdirSync(dir)
      .filter((n) => isTempName(n, { sideFiles: true }) || n.startsWith('.ngo-restore-') || n.startsWith('.ngo-space-'))
      .filter((n) => {
        try {
          return now - fs.lstatSync(path.join(dir, n)).mtimeMs > LEFTOVER_AFTER_MS;
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    /* an unreadable folder: writable says so */
  }
  return {
    check: 'no_leftover_files',
    status: found.length === 0 ? 'ok' : 'fail',
    detail:
      found.length === 0
        ? 'no temporary file of a killed command beside the database'
        : `temporary files of a killed command (they may hold a copy of the database) in ${dir}: ${listed(found)}; remove them when no ngo command runs`,
    severity: 'rule',
  };
}

/** At most five items, then "… and more" (queries fetch six to know). */
function listed(items: string[]): string {
  return items.slice(0, 5).join('; ') + (items.length > 5 ? '; … and more' : '');
}

/** Verify a database file before it replaces the live one: opens, integrity ok, schema not newer. */
export function verifyDatabaseFile(file: string): { ok: true; version: number } | { ok: false; reason: string } {
  if (!fs.existsSync(file)) return { ok: false, reason: 'file does not exist' };
  let db: DB | undefined;
  const tidy = sideFilesTidier(file);
  try {
    db = connect(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    return verifyOpen(db);
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  } finally {
    db?.close();
    tidy();
  }
}

/**
 * A read-only connection to a WAL-mode file creates its -wal and -shm and, being read-only, cannot
 * remove them: a backup that `db restore` read was left with an empty -wal and a -shm beside it (third
 * attack, F9.2). Called before opening a file that is not live (a backup), the returned function,
 * called after closing, removes the side files that were not there before, and the -wal only when
 * it is empty (nothing of the database is ever in what it removes).
 */
function sideFilesTidier(file: string): () => void {
  const had = { wal: fs.existsSync(`${file}-wal`), shm: fs.existsSync(`${file}-shm`) };
  return () => {
    try {
      if (!had.wal && fs.statSync(`${file}-wal`).size === 0) fs.rmSync(`${file}-wal`);
    } catch {
      /* not there, or not ours to remove */
    }
    try {
      // The wal-index this read made (no connection had the file open then, or there would have been
      // one): SQLite builds it again from the WAL at the next open (attack on the PostgreSQL store, F13).
      if (!had.shm) fs.rmSync(`${file}-shm`);
    } catch {
      /* not there, or not ours to remove */
    }
  };
}

function openReadOnly(file: string): DB {
  const db = connect(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get(); // opens the WAL now, not at the first query
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * An integer in the backup beyond ±(2^53 − 1), which ngo never writes and cannot read back exactly:
 * restored, it was changed silently and then made every list of its table, the backup and the next
 * restore fail (second attack on the PG store, N3). One pass per table; names the first one found.
 */
function integerBeyondSafe(db: DB): string | null {
  const LIMIT = Number.MAX_SAFE_INTEGER;
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const t of tables) {
    const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all(t) as { name: string }[]).map((c) => `"${c.name.replace(/"/g, '""')}"`);
    if (cols.length === 0) continue;
    const cond = cols.map((c) => `(typeof(${c}) = 'integer' AND (${c} > ${LIMIT} OR ${c} < -${LIMIT}))`).join(' OR ');
    const hit = db
      .prepare(`SELECT * FROM "${t.replace(/"/g, '""')}" WHERE ${cond} LIMIT 1`)
      .safeIntegers(true)
      .get() as Record<string, unknown> | undefined;
    if (hit) {
      const col = Object.keys(hit).find((k) => typeof hit[k] === 'bigint' && ((hit[k] as bigint) > BigInt(LIMIT) || (hit[k] as bigint) < -BigInt(LIMIT)));
      return `table ${t} holds an integer beyond what ngo can hold exactly (${col ?? 'a column'} = ${String(col ? hit[col] : '')}); it was not written by ngo`;
    }
  }
  return null;
}

/** The checks of a restore's source, on an SQLite file opened by itself. */
function verifyOpen(raw: DB): { ok: true; version: number } | { ok: false; reason: string } {
  const version = raw.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION) return { ok: false, reason: `schema version ${version} is newer than this program supports (${LATEST_SCHEMA_VERSION})` };
  if (version === 0) return { ok: false, reason: 'not an ngo database (schema version 0)' };
  const res = (raw.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  if (!(res.length === 1 && res[0] === 'ok')) return { ok: false, reason: `integrity check failed: ${res.slice(0, 3).join('; ')}` };
  const fk = raw.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) return { ok: false, reason: `${fk.length} row(s) refer to records that do not exist (foreign key check)` };
  const hasPeople = raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'people'").get();
  if (!hasPeople) return { ok: false, reason: 'not an ngo database (no people table)' };
  return { ok: true, version };
}

/**
 * The first step of a restore: read `source` through SQLite (so that its un-checkpointed WAL is
 * included) and copy it with SQLite's backup API into `staging`, an empty file of ours; verify the
 * copy and bring it to the current schema. The source file itself is opened read-only and never
 * changed. Returns the source's schema version, or the reason it cannot be restored.
 */
export async function stageRestore(source: string, staging: string): Promise<{ ok: true; version: number; notes: string[] } | { ok: false; reason: string }> {
  let st: fs.Stats;
  try {
    st = fs.statSync(source);
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file does not exist' : (e as Error).message };
  }
  // A FIFO or a device would block SQLite's open for ever (and is no backup).
  if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
  let src: DB | undefined;
  let copyDir: string | undefined;
  const tidy = sideFilesTidier(source);
  try {
    try {
      src = openReadOnly(source);
    } catch (e) {
      // A WAL-mode backup on read-only media (a CD, a read-only share): SQLite cannot create the
      // -shm beside it. Nobody can be writing there, so a plain copy of the file and its WAL, read
      // through SQLite in a folder of ours, is the same database.
      if (!/^SQLITE_(CANTOPEN|READONLY)/.test(String((e as { code?: unknown }).code ?? ''))) throw e;
      copyDir = fs.mkdtempSync(path.join(path.dirname(staging), '.ngo-restore-'));
      const copy = path.join(copyDir, 'source.db');
      fs.copyFileSync(source, copy);
      if (fs.existsSync(`${source}-wal`)) fs.copyFileSync(`${source}-wal`, `${copy}-wal`);
      src = openReadOnly(copy);
    }
    const head = verifyOpen(src);
    if (!head.ok) return head;
    await src.backup(staging);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // A file system error (a copy that cannot be made) in words, not Node's raw message.
    if (typeof err.syscall === 'string' && typeof err.code === 'string') return { ok: false, reason: `cannot read it: ${describeFsError(err)}` };
    return { ok: false, reason: err.message };
  } finally {
    src?.close();
    tidy();
    if (copyDir) fs.rmSync(copyDir, { recursive: true, force: true });
  }
  const copy = connect(staging, { timeout: BUSY_TIMEOUT_MS });
  const notes: string[] = [];
  try {
    const v = verifyOpen(copy);
    if (!v.ok) return v;
    const huge = integerBeyondSafe(copy);
    if (huge) return { ok: false, reason: huge };
    copy.pragma('journal_mode = DELETE');
    if (v.version < LATEST_SCHEMA_VERSION) {
      try {
        notes.push(...(await migrateInTransaction(copy)).notes);
      } catch (e) {
        return { ok: false, reason: `it cannot be migrated from schema ${v.version} (${(e as Error).message}): its tables do not match its schema version` };
      }
    }
    return { ...v, notes };
  } finally {
    copy.close();
  }
}

/**
 * The second step, under the write lock `db` holds (BEGIN IMMEDIATE, taken like every write): replace
 * everything in the live database with the staged copy, attached as `src`, in that one transaction.
 * Other ngo processes keep their connections to the same file and, once the lock is released, see the
 * restored data (a swap of the file under them would let a waiting import write into the old, unlinked
 * one). A failure rolls it all back. `audit` runs last, inside the transaction, so the restored log
 * records the restore.
 */
export async function replaceFromAttached(db: Conn, audit: () => Promise<void>): Promise<void> {
  const raw = sqliteOf(db);
  raw.pragma('defer_foreign_keys = ON');
  const objects = (schema: string) =>
    raw.prepare(`SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL`).all() as {
      type: string;
      name: string;
      tbl_name: string;
      sql: string;
    }[];
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const live = objects('main');
  for (const o of live.filter((x) => x.type === 'view' || x.type === 'trigger')) raw.exec(`DROP ${o.type.toUpperCase()} IF EXISTS main.${q(o.name)}`);
  for (const o of live.filter((x) => x.type === 'table')) raw.exec(`DROP TABLE IF EXISTS main.${q(o.name)}`);
  const source = objects('src');
  const tables = source.filter((x) => x.type === 'table');
  for (const t of tables) raw.exec(t.sql);
  for (const t of tables) {
    const cols = (raw.prepare(`SELECT name FROM pragma_table_info(?, 'src')`).all(t.name) as { name: string }[]).map((c) => q(c.name));
    const withoutRowid = /\)\s*(STRICT\s*,\s*)?WITHOUT\s+ROWID/i.test(t.sql) || /WITHOUT\s+ROWID\s*(,\s*STRICT)?\s*$/i.test(t.sql);
    const list = (withoutRowid ? cols : ['rowid', ...cols]).join(', ');
    raw.exec(`INSERT INTO main.${q(t.name)} (${list}) SELECT ${list} FROM src.${q(t.name)}`);
  }
  for (const o of source.filter((x) => x.type === 'index' || x.type === 'view' || x.type === 'trigger')) raw.exec(o.sql);
  raw.pragma(`user_version = ${raw.pragma('src.user_version', { simple: true }) as number}`);
  await audit();
}
