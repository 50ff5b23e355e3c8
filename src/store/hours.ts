/** Volunteer hours: all the SQL. */
import type { Conn } from './conn.js';
import { sqliteOf } from './sqlite-conn.js';
import type { PgConn } from './pg-conn.js';
import { fingerprint, type EntryContent, type HoursStatus, type ListStatus } from '../domain/hours.js';

/** A stored entry. */
export interface HoursEntry extends EntryContent {
  id: number;
  status: HoursStatus;
  reject_reason: string | null;
  voided_at: string | null;
  void_reason: string | null;
  supervision_id: number | null;
  import_id: number | null;
  fingerprint: Buffer | null;
  seq: number | null;
  created_at: string;
  updated_at: string;
}

/** A row of `hours list` (hours/miles/expenses in hundredths for dec2 columns). */
export interface HoursListRow {
  id: number;
  date: string;
  person_id: number;
  first_name: string;
  last_name: string | null;
  email: string | null;
  program_code: string;
  activity: string;
  hours: number;
  miles: number;
  expenses: number;
  reimbursed: 'yes' | 'no';
  status: string;
  note: string | null;
  [key: string]: string | number | null;
}

const ENTRY_COLS =
  'id, person_id, program_id, date, minutes, activity, miles, expenses, reimbursed, status, reject_reason, note, voided_at, void_reason, supervision_id, import_id, fingerprint, seq, created_at, updated_at';

export function getHours(db: Conn, id: number): Promise<HoursEntry | undefined> {
  return db.get(`SELECT ${ENTRY_COLS} FROM hours WHERE id = ?`, id) as Promise<HoursEntry | undefined>;
}

/**
 * The next free seq for a fingerprint: 1 + the largest held, by an entry's current key or by one of
 * its earlier keys (hours_keys, schema 6), voided entries included.
 */
export async function nextSeq(db: Conn, fp: Buffer): Promise<number> {
  const r = (await db.value(
    'SELECT MAX(seq) FROM (SELECT MAX(seq) AS seq FROM hours WHERE fingerprint = ? UNION ALL SELECT MAX(seq) FROM hours_keys WHERE fingerprint = ?) t',
    fp,
    fp,
  )) as number | null;
  return (r ?? 0) + 1;
}

export interface NewEntry extends EntryContent {
  status: HoursStatus;
  reject_reason?: string | null;
  supervision_id?: number | null;
  import_id?: number | null;
  /** Defaults: the content's fingerprint and the next free seq for it. */
  fingerprint?: Buffer;
  seq?: number;
}

const INSERT_SQL = `INSERT INTO hours(person_id, program_id, date, minutes, activity, miles, expenses, reimbursed, status, reject_reason, note,
  supervision_id, import_id, fingerprint, seq, created_at, updated_at)
  VALUES (@person_id, @program_id, @date, @minutes, @activity, @miles, @expenses, @reimbursed, @status, @reject_reason, @note,
  @supervision_id, @import_id, @fingerprint, @seq, @now, @now)`;

function insertParams(e: NewEntry, fp: Buffer, seq: number, now: string): Record<string, unknown> {
  return {
    person_id: e.person_id,
    program_id: e.program_id,
    date: e.date,
    minutes: e.minutes,
    activity: e.activity,
    miles: e.miles,
    expenses: e.expenses,
    reimbursed: e.reimbursed,
    status: e.status,
    reject_reason: e.reject_reason ?? null,
    note: e.note,
    supervision_id: e.supervision_id ?? null,
    import_id: e.import_id ?? null,
    fingerprint: fp,
    seq,
    now,
  };
}

/**
 * Insert one entry (hours log, supervision --log-hours, demo). It gets the fingerprint of its content
 * and the next seq for it, so that importing an export of these entries finds them and adds nothing.
 */
export async function insertHours(db: Conn, e: NewEntry, now: string): Promise<number> {
  const fp = e.fingerprint ?? fingerprint(e);
  const seq = e.seq ?? (await nextSeq(db, fp));
  return db.insertId(INSERT_SQL + ' RETURNING id', insertParams(e, fp, seq, now));
}

/** Update the given columns of an entry. */
export async function updateHours(db: Conn, id: number, changes: Record<string, unknown>, now: string): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  await db.run(`UPDATE hours SET ${keys.map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, ...keys.map((k) => changes[k] ?? null), now, id);
}

/**
 * An entry's content changed (hours edit): its current key follows the new content, and the key it
 * had is kept among its earlier keys (hours_keys), so that any earlier export of it, or the file it
 * was imported from, re-imports as unchanged instead of adding it again (fourth attack, finding 1).
 * An entry corrected back to a content it had before takes that content's key back. Keys are never
 * given to another entry: the k-th repeat of a content keeps meaning the same entry.
 */
export async function refingerprint(db: Conn, e: { id: number; fingerprint: Buffer | null; seq: number | null }, newFp: Buffer, now: string): Promise<void> {
  if (e.fingerprint && e.fingerprint.equals(newFp)) return;
  const earlier = (await db.value('SELECT seq FROM hours_keys WHERE entry_id = ? AND fingerprint = ? ORDER BY seq LIMIT 1', e.id, newFp)) as number | undefined;
  if (earlier !== undefined) await db.run('DELETE FROM hours_keys WHERE fingerprint = ? AND seq = ?', newFp, earlier);
  await updateHours(db, e.id, { fingerprint: newFp, seq: earlier ?? (await nextSeq(db, newFp)) }, now);
  if (e.fingerprint && e.seq !== null) await db.run('INSERT INTO hours_keys(fingerprint, seq, entry_id) VALUES (?, ?, ?)', e.fingerprint, e.seq, e.id);
}

// ---- invalid rows of committed imports, waiting for their fixed copy (schema 7) ---------------------

export interface RejectedRow {
  import_id: number;
  line: number;
  fingerprint: Buffer | null;
  seq: number | null;
  state: 'open' | 'filled' | 'moved';
  person_id: number | null;
  date: string | null;
  pending: number;
  /** Where a moved row waits now. */
  moved_to_import: number | null;
  moved_to_line: number | null;
}

/** An invalid row of the import being committed; with the slot it took when its content was known. */
export async function recordRejected(
  db: Conn,
  importId: number,
  line: number,
  fp: Buffer | null,
  seq: number | null,
  key: { personId: number | null; date: string | null } = { personId: null, date: null },
  pending = false,
): Promise<void> {
  await db.run(
    `INSERT INTO hours_rejected(import_id, line, fingerprint, seq, state, person_id, date, pending) VALUES (?, ?, ?, ?, 'open', ?, ?, ?)
       ON CONFLICT (import_id, line) DO UPDATE SET fingerprint = excluded.fingerprint, seq = excluded.seq, state = excluded.state, moved_to_import = NULL,
         moved_to_line = NULL, person_id = excluded.person_id, date = excluded.date, pending = excluded.pending`,
    importId,
    line,
    fp,
    seq,
    key.personId,
    key.date,
    pending ? 1 : 0,
  );
}

/** How many rows still wait whose volunteer or date could not be read. */
export function waitingUnread(db: Conn): Promise<number> {
  return db.value("SELECT COUNT(*) FROM hours_rejected WHERE state = 'open' AND (person_id IS NULL OR date IS NULL)") as Promise<number>;
}

/** `person_id:date` of the rows still waiting whose volunteer and date could be read. */
export async function waitingDays(db: Conn): Promise<Set<string>> {
  const rows = (await db.column(
    "SELECT DISTINCT person_id || ':' || date FROM hours_rejected WHERE state = 'open' AND person_id IS NOT NULL AND date IS NOT NULL",
  )) as string[];
  return new Set(rows);
}

/**
 * The rows waiting or once waiting at `line` of a file: of import `importId` and of every other
 * committed import of the same file (the same SHA-256: a file imported twice waits once).
 */
export async function rejectedGroup(db: Conn, importId: number, line: number): Promise<RejectedRow[]> {
  return (await db.all(
    `SELECT r.import_id, r.line, r.fingerprint, r.seq, r.state, r.person_id, r.date, r.pending, r.moved_to_import, r.moved_to_line FROM hours_rejected r
       WHERE r.line = ? AND (r.import_id = ? OR r.import_id IN (
         SELECT i.id FROM imports i WHERE i.sha256 <> '' AND i.sha256 = (SELECT sha256 FROM imports WHERE id = ?)))
       ORDER BY r.import_id`,
    line,
    importId,
    importId,
  )) as RejectedRow[];
}

export async function setRejectedState(db: Conn, rows: RejectedRow[], state: 'filled' | 'moved', movedTo?: { importId: number; line: number }): Promise<void> {
  for (const r of rows)
    await db.run(
      'UPDATE hours_rejected SET state = ?, moved_to_import = ?, moved_to_line = ? WHERE import_id = ? AND line = ?',
      state,
      movedTo?.importId ?? null,
      movedTo?.line ?? null,
      r.import_id,
      r.line,
    );
}

/**
 * rejectedGroup, following moves: a row fixed from an older rejects file after a later round found
 * it still invalid waits under that later import.
 */
export async function rejectedGroupFollowed(db: Conn, importId: number, line: number): Promise<RejectedRow[]> {
  let group = await rejectedGroup(db, importId, line);
  for (let hops = 0; hops < 100 && group.length > 0 && group.every((g) => g.state === 'moved'); hops++) {
    const { moved_to_import: i, moved_to_line: l } = group[0]!;
    if (i === null || l === null) break;
    group = await rejectedGroup(db, i, l);
  }
  return group;
}

/** Whether an entry holds the slot (fp, seq), by its current key or an earlier one. */
export async function slotTaken(db: Conn, fp: Buffer, seq: number): Promise<boolean> {
  return (
    (await db.value(
      'SELECT EXISTS (SELECT 1 FROM hours WHERE fingerprint = ? AND seq = ?) OR EXISTS (SELECT 1 FROM hours_keys WHERE fingerprint = ? AND seq = ?)',
      fp,
      seq,
      fp,
      seq,
    )) === 1
  );
}

/** The lowest slot of fp that no entry holds and no waiting invalid row has reserved. */
export async function firstFreeSeq(db: Conn, fp: Buffer): Promise<number> {
  const taken = (await db.column(
    `SELECT seq FROM hours WHERE fingerprint = ? UNION SELECT seq FROM hours_keys WHERE fingerprint = ?
       UNION SELECT seq FROM hours_rejected WHERE fingerprint = ? AND seq IS NOT NULL AND state = 'open' ORDER BY 1 NULLS FIRST`,
    fp,
    fp,
    fp,
  )) as number[];
  let want = 1;
  for (const s of taken) {
    if (s > want) break;
    if (s === want) want++;
  }
  return want;
}

/** The entry a supervision session logged for its supervisor, if any. */
export function hoursOfSession(db: Conn, sessionId: number): Promise<number | undefined> {
  return db.value('SELECT id FROM hours WHERE supervision_id = ? ORDER BY id LIMIT 1', sessionId) as Promise<number | undefined>;
}

/** Minutes a person has on a day, counting approved and pending entries (not rejected, not voided). */
export async function dayMinutes(db: Conn, personId: number, date: string): Promise<number> {
  const r = (await db.get(
    "SELECT COALESCE(SUM(minutes), 0) AS m FROM hours WHERE person_id = ? AND date = ? AND voided_at IS NULL AND status <> 'rejected'",
    personId,
    date,
  )) as { m: number };
  return r.m;
}

export interface HoursFilter {
  personId?: number;
  programId?: number;
  activity?: string;
  start?: string;
  end?: string;
  status?: ListStatus;
  ids?: number[];
}

const LIST_SELECT = `
  SELECT h.id, h.date, h.person_id, p.first_name, p.last_name, p.email, g.code AS program_code, h.activity,
         (h.minutes * 100 + 30) / 60 AS hours, h.miles, h.expenses,
         CASE h.reimbursed WHEN 1 THEN 'yes' ELSE 'no' END AS reimbursed,
         CASE WHEN h.voided_at IS NOT NULL THEN 'void' ELSE h.status END AS status, h.note, h.reject_reason, h.void_reason
  FROM hours h JOIN people p ON p.id = h.person_id JOIN programs g ON g.id = h.program_id`;

function where(f: HoursFilter): { sql: string; args: Record<string, unknown> } {
  const w: string[] = [];
  const args: Record<string, unknown> = {};
  if (f.personId !== undefined) {
    w.push('h.person_id = @person');
    args['person'] = f.personId;
  }
  if (f.programId !== undefined) {
    w.push('h.program_id = @program');
    args['program'] = f.programId;
  }
  if (f.activity !== undefined) {
    w.push('h.activity = @activity');
    args['activity'] = f.activity;
  }
  if (f.start !== undefined) {
    w.push('h.date >= @start');
    args['start'] = f.start;
  }
  if (f.end !== undefined) {
    w.push('h.date <= @end');
    args['end'] = f.end;
  }
  switch (f.status ?? 'nonvoid') {
    case 'all':
      break;
    case 'void':
      w.push('h.voided_at IS NOT NULL');
      break;
    case 'nonvoid':
      w.push('h.voided_at IS NULL');
      break;
    default:
      w.push('h.voided_at IS NULL AND h.status = @status');
      args['status'] = f.status;
  }
  if (f.ids) w.push(`h.id IN (${f.ids.map((n) => Number(n)).join(', ') || 'NULL'})`);
  return { sql: w.length ? 'WHERE ' + w.join(' AND ') : '', args };
}

/** Entries for `hours list`, in date order. `status` undefined = every non-void entry. */
export async function listHours(db: Conn, f: HoursFilter): Promise<HoursListRow[]> {
  const { sql, args } = where(f);
  return (await db.all(`${LIST_SELECT} ${sql} ORDER BY h.date, h.id`, args)) as HoursListRow[];
}

export function hoursListRow(db: Conn, id: number): Promise<HoursListRow | undefined> {
  return db.get(`${LIST_SELECT} WHERE h.id = ?`, id) as Promise<HoursListRow | undefined>;
}

/** Ids of the pending, non-void entries matching a filter (approve --all-pending). */
export async function pendingIds(db: Conn, f: Omit<HoursFilter, 'status' | 'ids'>): Promise<number[]> {
  const { sql, args } = where({ ...f, status: 'pending' });
  return ((await db.all(`SELECT h.id FROM hours h ${sql} ORDER BY h.date, h.id`, args)) as { id: number }[]).map((r) => r.id);
}

// ---- import ------------------------------------------------------------------------------------

const IMPORT_COLUMNS_WITH_ID = [
  'id',
  'person_id',
  'program_id',
  'date',
  'minutes',
  'activity',
  'miles',
  'expenses',
  'reimbursed',
  'status',
  'reject_reason',
  'note',
  'import_id',
  'fingerprint',
  'seq',
  'created_at',
  'updated_at',
];

/** The columns an import writes (its ids are the database's on SQLite; PostgreSQL's COPY gives them, IMPORT_COLUMNS_WITH_ID). */
const IMPORT_COLUMNS = IMPORT_COLUMNS_WITH_ID.slice(1);
const IMPORT_INSERT = `INSERT INTO hours(${IMPORT_COLUMNS.join(', ')}) VALUES (${IMPORT_COLUMNS.map(() => '?').join(', ')})`;

/** The values of IMPORT_COLUMNS for one imported entry, in its order. */
function importedEntryValues(e: NewEntry & { fingerprint: Buffer; seq: number; import_id: number }, now: string): unknown[] {
  return [
    e.person_id,
    e.program_id,
    e.date,
    e.minutes,
    e.activity,
    e.miles,
    e.expenses,
    e.reimbursed,
    e.status,
    e.reject_reason ?? null,
    e.note,
    e.import_id,
    e.fingerprint,
    e.seq,
    now,
    now,
  ];
}

/**
 * Prepared statements of one hours import, made once (runImport's `begin` hook).
 *
 * `place(fp)` decides where the next file row with fingerprint `fp` goes. With k = how many rows of
 * this file had `fp` before it, plus 1, the row is the k-th repeat: it matches the entry holding
 * (fp, k) if there is one (`existing`), else it is inserted with seq k. k is found without keeping
 * every fingerprint of the file in memory:
 *  - no entry has `fp` yet → no earlier row of the file had it (it would have matched or inserted
 *    one) → k = 1;
 *  - the entry with the highest seq for `fp` was inserted by this import, with seq s → the row that
 *    inserted it was the s-th, and no later row had `fp` (it would hold a higher seq) → k = s + 1;
 *  - otherwise the highest is older than this import: k is counted in a TEMP table keyed by
 *    fingerprint (only fingerprints already in the database get there, i.e. re-imported rows).
 * So a first import of a million new rows touches no temp table; memory stays flat either way.
 *
 * An invalid row whose content is known still takes its place (it is the k-th repeat, and the next
 * row of that content the k+1-th): `place` with `{ claimOnly: true }` counts it in the TEMP table,
 * where every later row of that fingerprint is then counted too (the inferences above assume that
 * every counted row matched or inserted an entry). Until the first such row, nothing changes.
 */
export interface HoursImportStatements {
  place(fp: Buffer, importId: number, o?: { claimOnly?: boolean }): Place | Promise<Place>;
  insert(e: NewEntry & { fingerprint: Buffer; seq: number; import_id: number }, now: string): void | Promise<void>;
  /** Write what insert buffered (PostgreSQL): before anything else reads the hours table. */
  flush?(): Promise<void>;
  /** Load what place() will need for these contents, all at once (PostgreSQL: one round trip, not one a row). */
  prefetch?(fps: Buffer[]): Promise<void>;
  /** Begin writing what insert buffered, without waiting for it (the next prefetch or flush waits). */
  startFlush?(): void;
}

type Place = { seq: number; existing?: { voided: boolean } };

export async function prepareHoursImport(db: Conn): Promise<HoursImportStatements> {
  if (db.dialect !== 'sqlite') return prepareHoursImportPortable(db);
  // SQLite: better-sqlite3 statements prepared once, run once per imported row, synchronously.
  const raw = sqliteOf(db);
  raw.exec('CREATE TEMP TABLE IF NOT EXISTS hours_import_seen (fingerprint BLOB PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID');
  raw.exec('DELETE FROM temp.hours_import_seen');
  const count = raw.prepare('INSERT INTO temp.hours_import_seen(fingerprint, n) VALUES (?, 1) ON CONFLICT(fingerprint) DO UPDATE SET n = n + 1 RETURNING n');
  count.pluck(true);
  // Entries corrected by hand also hold their earlier keys (hours_keys, schema 6). Only when there is
  // one do the lookups read both tables; an ordinary import pays nothing for them.
  const earlierKeys = (await db.value('SELECT EXISTS (SELECT 1 FROM hours_keys)')) === 1;
  const top = earlierKeys
    ? raw.prepare(
        `SELECT seq, import_id, v FROM (
           SELECT seq, import_id, voided_at IS NOT NULL AS v FROM hours WHERE fingerprint = @fp
           UNION ALL SELECT k.seq, h.import_id, h.voided_at IS NOT NULL FROM hours_keys k JOIN hours h ON h.id = k.entry_id WHERE k.fingerprint = @fp)
         ORDER BY seq DESC LIMIT 1`,
      )
    : raw.prepare('SELECT seq, import_id, voided_at IS NOT NULL AS v FROM hours WHERE fingerprint = @fp ORDER BY seq DESC LIMIT 1');
  top.raw(true);
  const probe = earlierKeys
    ? raw.prepare(
        `SELECT v FROM (
           SELECT voided_at IS NOT NULL AS v FROM hours WHERE fingerprint = @fp AND seq = @seq
           UNION ALL SELECT h.voided_at IS NOT NULL FROM hours_keys k JOIN hours h ON h.id = k.entry_id WHERE k.fingerprint = @fp AND k.seq = @seq)
         LIMIT 1`,
      )
    : raw.prepare('SELECT voided_at IS NOT NULL AS v FROM hours WHERE fingerprint = @fp AND seq = @seq');
  probe.pluck(true);
  const seen = raw.prepare('SELECT n FROM temp.hours_import_seen WHERE fingerprint = ?');
  seen.pluck(true);
  const setSeen = raw.prepare('INSERT INTO temp.hours_import_seen(fingerprint, n) VALUES (?, ?) ON CONFLICT(fingerprint) DO UPDATE SET n = excluded.n');
  /** True once an invalid row has taken a place: from then on every row consults the counts. */
  let claimed = false;
  const settle = (fp: Buffer, k: number, maxSeq: number, topVoided: number | null): { seq: number; existing?: { voided: boolean } } => {
    if (k > maxSeq) return { seq: k };
    if (k === maxSeq && topVoided !== null) return { seq: k, existing: { voided: topVoided === 1 } };
    const v = probe.get({ fp, seq: k }) as number | undefined;
    return v === undefined ? { seq: k } : { seq: k, existing: { voided: v === 1 } };
  };
  const insert = raw.prepare(IMPORT_INSERT);
  return {
    place(fp, importId, o) {
      const t = top.get({ fp }) as [number, number | null, number] | undefined;
      const [maxSeq, topImport, topVoided] = t ?? [0, null, 0];
      if (claimed || o?.claimOnly) {
        // k from the count of this file's rows with fp when there is one, else as inferred below.
        const n = claimed ? (seen.get(fp) as number | undefined) : undefined;
        const k = n !== undefined ? n + 1 : t === undefined ? 1 : topImport === importId ? maxSeq + 1 : (count.get(fp) as number);
        setSeen.run(fp, k);
        if (o?.claimOnly) claimed = true;
        return t === undefined ? { seq: k } : settle(fp, k, maxSeq, k === maxSeq ? topVoided : null);
      }
      if (t === undefined) return { seq: 1 };
      if (topImport === importId) return { seq: maxSeq + 1 };
      return settle(fp, count.get(fp) as number, maxSeq, topVoided);
    },
    insert(e, now) {
      insert.run(...importedEntryValues(e, now));
    },
  };
}

/**
 * prepareHoursImport for PostgreSQL, where a query is a round trip (about 200 µs: a lookup a row was
 * most of an import's time). The same decisions as the SQLite statements, made in memory:
 *
 * - `prefetch` (called by the import for each batch of rows before it handles them) reads, in a few
 *   queries, the batch's counts of repeats so far (a TEMP table, as on SQLite: memory stays bounded by
 *   the batch, not the file), each content's slot with the highest seq, and the slots of the seqs the
 *   batch's repeats can take below it. A content met without a prefetch, or a seq outside what was
 *   read (none should be), is read alone.
 * - inserted entries wait in a buffer and go in by COPY, BUFFERED at a time, and join the loaded slots
 *   at once; counts changed by the batch are written back at the next prefetch or flush.
 *
 * The import holds the write lock and is the only writer of hours meanwhile: what was loaded stays true.
 */
type Slot = { seq: number | null; import_id: number | null; v: number };
/**
 * A content's slots: the one with the highest seq (as ORDER BY seq DESC NULLS LAST LIMIT 1: a null seq
 * only when there is no other), and each by seq (a file may repeat one content many thousand times).
 */
type Slots = { top: Slot | undefined; bySeq: Map<number, Slot> };

function addSlot(s: Slots, x: Slot): void {
  if (x.seq !== null && !s.bySeq.has(x.seq)) s.bySeq.set(x.seq, x);
  if (s.top === undefined || (x.seq !== null && (s.top.seq === null || x.seq > s.top.seq))) s.top = x;
}

async function prepareHoursImportPortable(db: Conn): Promise<HoursImportStatements> {
  const pg = db as PgConn;
  await db.exec('CREATE TEMP TABLE IF NOT EXISTS hours_import_seen (fingerprint BYTEA PRIMARY KEY, n BIGINT NOT NULL)');
  await db.exec('DELETE FROM hours_import_seen');
  const earlierKeys = (await db.value('SELECT CASE WHEN EXISTS (SELECT 1 FROM hours_keys) THEN 1 ELSE 0 END')) === 1;
  // Per content: its slot with the highest seq (a null seq only when there is no other; by the
  // index, backwards), and the slots of the seqs this batch can ask about (the repeats it holds,
  // after those counted so far). Not every slot: a file of one content repeated 400,000 times read
  // them all again for every batch (quadratic, and hundreds of MB: second attack on the PG store, F5).
  const V = 'CASE WHEN voided_at IS NOT NULL THEN 1 ELSE 0 END';
  // Backwards in the index: the highest seq, or a null seq (SQL's DESC puts nulls first), then for
  // those few the highest non-null one.
  const TOPS = `SELECT u.f, t.seq, t.import_id, t.v FROM unnest(?::bytea[]) AS u(f) CROSS JOIN LATERAL (
      SELECT seq, import_id, ${V} AS v FROM hours WHERE fingerprint = u.f ORDER BY seq DESC LIMIT 1) t`;
  const TOPS_NOT_NULL = `SELECT u.f, t.seq, t.import_id, t.v FROM unnest(?::bytea[]) AS u(f) CROSS JOIN LATERAL (
      SELECT seq, import_id, ${V} AS v FROM hours WHERE fingerprint = u.f AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1) t`;
  const VH = 'CASE WHEN h.voided_at IS NOT NULL THEN 1 ELSE 0 END';
  const WINDOW = `SELECT h.fingerprint AS f, h.seq, h.import_id, ${VH} AS v
      FROM unnest(?::bytea[], ?::bigint[]) AS w(f, s) JOIN hours h ON h.fingerprint = w.f AND h.seq = w.s`;
  // Earlier keys of corrected entries (schema 6) are few: all of a content's are read.
  const KEYS = `SELECT k.fingerprint AS f, k.seq, h.import_id, ${VH} AS v
      FROM hours_keys k JOIN hours h ON h.id = k.entry_id WHERE k.fingerprint = ANY(?::bytea[])`;
  type SlotRow = { f: Buffer; seq: number | null; import_id: number | null; v: number };
  const BUFFERED = 5000;
  const buffer: unknown[][] = [];
  let nextId = 0;
  /** Slots of the contents loaded since the last prefetch, by content (latin1 of the fingerprint). */
  const slots = new Map<string, Slots>();
  /** This file's count of repeats for the loaded contents; `dirty` those changed and not yet written back. */
  const seen = new Map<string, number>();
  const dirty = new Map<string, Buffer>();
  let seenRows = false;

  /**
   * A COPY under way (startFlush): the server adds a batch while this process reads the next one.
   * The connection runs statements in order, so whatever is sent after it sees its rows; its failure
   * is kept and thrown by the next flush (never left unobserved).
   */
  let inflight: Promise<void> | null = null;
  let failed: { e: unknown } | null = null;
  const startFlush = () => {
    if (buffer.length === 0) return;
    const rows = buffer.splice(0, buffer.length);
    const previous = inflight;
    inflight = (async () => {
      await previous;
      if (failed) return;
      try {
        await pg.copyRows('hours', IMPORT_COLUMNS_WITH_ID, rows);
      } catch (e) {
        failed = { e };
      }
    })();
  };
  const flush = async () => {
    startFlush();
    if (inflight) {
      await inflight;
      inflight = null;
    }
    if (failed) throw failed.e;
    if (dirty.size > 0) {
      await db.run(
        `INSERT INTO hours_import_seen(fingerprint, n) SELECT * FROM unnest(?::bytea[], ?::bigint[])
         ON CONFLICT(fingerprint) DO UPDATE SET n = excluded.n`,
        [...dirty.values()],
        [...dirty.keys()].map((key) => seen.get(key)!),
      );
      dirty.clear();
      seenRows = true;
    }
  };
  /**
   * The lookups below go by index probes, one per content, planned each time (allPlanned): the table's
   * statistics are those from before the import, and with them a table that was empty then is "small"
   * however much the import has added. A sequential scan, or a hash or merge join of the whole table
   * against a batch, then ran for every batch (quadratic in the file).
   */
  const byIndex = (on: boolean) =>
    db.exec(
      on
        ? 'SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off'
        : 'RESET enable_seqscan; RESET enable_hashjoin; RESET enable_mergejoin',
    );
  /** Each loaded content's seqs [lo, hi] whose slots were read (beyond them a probe asks the database). */
  const windows = new Map<string, { lo: number; hi: number }>();
  const load = async (fps: Buffer[]) => {
    const fresh = new Map<string, { fp: Buffer; m: number }>();
    for (const fp of fps) {
      const key = fp.toString('latin1');
      if (slots.has(key)) continue;
      const f = fresh.get(key);
      if (f) f.m++;
      else fresh.set(key, { fp, m: 1 });
    }
    if (fresh.size === 0) return;
    const list = [...fresh.values()].map((f) => f.fp);
    for (const key of fresh.keys()) slots.set(key, { top: undefined, bySeq: new Map() });
    await byIndex(true);
    if (seenRows) {
      const counts = await pg.allPlanned<{ f: Buffer; n: number }>(
        'SELECT fingerprint AS f, n FROM hours_import_seen WHERE fingerprint = ANY(?::bytea[])',
        list,
      );
      for (const c of counts) seen.set(c.f.toString('latin1'), c.n);
    }
    const add = (rows: SlotRow[]) => {
      for (const r of rows) addSlot(slots.get(r.f.toString('latin1'))!, { seq: r.seq, import_id: r.import_id, v: r.v });
    };
    const tops = await pg.allPlanned<SlotRow>(TOPS, list);
    add(tops);
    const nullTops = tops.filter((t) => t.seq === null).map((t) => t.f);
    if (nullTops.length > 0) add(await pg.allPlanned<SlotRow>(TOPS_NOT_NULL, nullTops));
    // The window of each content that has slots reaching into it (a first import's contents have none).
    const wf: Buffer[] = [];
    const ws: number[] = [];
    for (const [key, { fp, m }] of fresh) {
      const lo = (seen.get(key) ?? 0) + 1;
      windows.set(key, { lo, hi: lo + m - 1 });
      const top = slots.get(key)!.top;
      if (top === undefined || top.seq === null || top.seq < lo) continue;
      for (let k = lo; k < lo + m && k < top.seq; k++) {
        // (the top's own slot is known: a content imported once needs nothing more)
        wf.push(fp);
        ws.push(k);
      }
    }
    if (wf.length > 0) add(await pg.allPlanned<SlotRow>(WINDOW, wf, ws));
    if (earlierKeys) add(await pg.allPlanned<SlotRow>(KEYS, list));
    await byIndex(false);
  };
  /** The slot of (fp, k) when k is outside what was read for it (none should be): from the database. */
  const probe = async (fp: Buffer, k: number): Promise<Slot | undefined> => {
    await flush();
    await byIndex(true);
    const rows = await pg.allPlanned<SlotRow>(WINDOW, [fp], [k]);
    await byIndex(false);
    return rows[0] ? { seq: rows[0].seq, import_id: rows[0].import_id, v: rows[0].v } : undefined;
  };
  const slotsOf = async (fp: Buffer, key: string): Promise<Slots> => {
    let s = slots.get(key);
    if (s === undefined) {
      await flush();
      await load([fp]);
      s = slots.get(key)!;
    }
    return s;
  };
  const setSeen = (fp: Buffer, key: string, n: number) => {
    seen.set(key, n);
    dirty.set(key, fp);
  };
  const settle = async (fp: Buffer, key: string, s: Slots, k: number, maxSeq: number, topVoided: number | null): Promise<Place> => {
    if (k > maxSeq) return { seq: k };
    if (k === maxSeq && topVoided !== null) return { seq: k, existing: { voided: topVoided === 1 } };
    let hit = s.bySeq.get(k);
    const w = windows.get(key);
    if (hit === undefined && (w === undefined || k < w.lo || k > w.hi)) {
      hit = await probe(fp, k);
      if (hit) addSlot(s, hit);
    }
    return hit === undefined ? { seq: k } : { seq: k, existing: { voided: hit.v === 1 } };
  };
  let claimed = false;
  return {
    startFlush,
    async prefetch(fps) {
      await flush();
      slots.clear();
      seen.clear();
      windows.clear();
      await load(fps);
    },
    flush,
    async place(fp, importId, o) {
      const key = fp.toString('latin1');
      const s = await slotsOf(fp, key);
      const t = s.top;
      const maxSeq = t?.seq ?? 0;
      const topImport = t?.import_id ?? null;
      const topVoided = t?.v ?? 0;
      const count = () => {
        const n = (seen.get(key) ?? 0) + 1;
        setSeen(fp, key, n);
        return n;
      };
      if (claimed || o?.claimOnly) {
        const n = claimed ? seen.get(key) : undefined;
        const k = n !== undefined ? n + 1 : t === undefined ? 1 : topImport === importId ? maxSeq + 1 : count();
        setSeen(fp, key, k);
        if (o?.claimOnly) claimed = true;
        return t === undefined ? { seq: k } : settle(fp, key, s, k, maxSeq, k === maxSeq ? topVoided : null);
      }
      if (t === undefined) return { seq: 1 };
      if (topImport === importId) return { seq: maxSeq + 1 };
      return settle(fp, key, s, count(), maxSeq, topVoided);
    },
    async insert(e, now) {
      if (nextId === 0) nextId = Number(await db.value('SELECT COALESCE(MAX(id), 0) + 1 FROM hours'));
      const s = await slotsOf(e.fingerprint, e.fingerprint.toString('latin1'));
      addSlot(s, { seq: e.seq, import_id: e.import_id, v: 0 });
      buffer.push([nextId++, ...importedEntryValues(e, now)]);
      if (buffer.length >= BUFFERED) await flush();
    },
  };
}

/**
 * People/days an import added counting time to (approved or pending, not voided) whose total now
 * passes `limitMinutes`. The import's entries are those with an id above `highWater`, the largest id
 * before it began: ids only grow, and the import holds the write lock. Returns at most `max` of the
 * days, and how many there are in all.
 *
 * A small import looks up only the days it touched, through hours_person_date. A bulk import (one
 * that rebuilt the indexes, or on a server one as large: a large share of the table is its own) reads the table once and sorts
 * it: a touched-day lookup per row, or a pass in person_id/date index order with a table lookup per
 * entry, both read the table in random order and took more than twice as long at 1M entries.
 */
export async function importDayOverflows(
  db: Conn,
  highWater: number,
  bulk: boolean,
  limitMinutes: number,
  max: number,
): Promise<{ rows: { person_id: number; first_name: string; last_name: string | null; date: string; minutes: number }[]; total: number }> {
  const counted = "voided_at IS NULL AND status <> 'rejected'";
  const over = bulk
    ? `SELECT person_id, date, SUM(minutes) AS minutes
       FROM hours${db.dialect === 'sqlite' ? ' NOT INDEXED' : ''}
       WHERE ${counted}
       GROUP BY person_id, date
       HAVING SUM(minutes) > @limit AND MAX(CASE WHEN id > @hw THEN 1 ELSE 0 END) = 1`
    : `SELECT person_id, date, minutes FROM (
         SELECT t.person_id, t.date,
                (SELECT SUM(h.minutes) FROM hours h${db.dialect === 'sqlite' ? ' INDEXED BY hours_person_date' : ''}
                 WHERE h.person_id = t.person_id AND h.date = t.date AND h.voided_at IS NULL AND h.status <> 'rejected') AS minutes
         FROM (SELECT DISTINCT person_id, date FROM hours WHERE id > @hw AND ${counted}) t) d
       WHERE minutes > @limit`;
  const rows = (await db.all(
    `WITH over AS (${over})
       SELECT o.person_id, p.first_name, p.last_name, o.date, o.minutes, COUNT(*) OVER () AS total
       FROM over o JOIN people p ON p.id = o.person_id
       ORDER BY o.date, o.person_id LIMIT @max`,
    { hw: highWater, limit: limitMinutes, max },
  )) as {
    person_id: number;
    first_name: string;
    last_name: string | null;
    date: string;
    minutes: number;
    total: number;
  }[];
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/**
 * Indexes a large hours import drops and builds again at its end, inside its one transaction.
 *
 * Inserting a million entries in random order into these four indexes (about 110 MB at that size,
 * far more than the page cache) cost most of an import's time: each insert read and rewrote pages
 * of every index. CREATE INDEX sorts instead, about a second per index per million entries. The
 * fingerprint index stays: the import reads it for every row. If the import fails, is rolled back or
 * is killed, the indexes come back with everything else (DROP and CREATE are part of the transaction).
 * The definitions are read from the schema, so they come back exactly as the migrations made them.
 */
const DEFERRABLE_HOURS_INDEXES = ['hours_date', 'hours_person_date', 'hours_program_date', 'hours_report'];

export interface DeferredIndexes {
  rebuild(): Promise<void>;
}

export async function dropHoursIndexes(db: Conn): Promise<DeferredIndexes | null> {
  // PostgreSQL: DROP INDEX would lock every reader out of the table on a shared server, and the study
  // measured no gain: the indexes stay.
  if (db.dialect !== 'sqlite') return null;
  const defs = (await db.all(
    `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'hours' AND name IN (${DEFERRABLE_HOURS_INDEXES.map(() => '?').join(', ')})`,
    ...DEFERRABLE_HOURS_INDEXES,
  )) as { name: string; sql: string }[];
  for (const d of defs) await db.exec(`DROP INDEX "${d.name}"`);
  return {
    async rebuild() {
      for (const d of defs) await db.exec(d.sql);
    },
  };
}

/** The hours table's size as its largest id (cheap: no count over a large table). */
export function hoursHighWater(db: Conn): Promise<number> {
  return db.value('SELECT COALESCE(MAX(id), 0) FROM hours') as Promise<number>;
}
