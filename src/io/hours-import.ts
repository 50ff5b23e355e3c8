/**
 * `ngo hours import`: hour logs from CSV, idempotent.
 *
 * Each valid row's content (person, date, minutes, program, activity, miles, expenses, reimbursed,
 * note) is fingerprinted. The k-th row of the file with fingerprint f is "already there" when an entry
 * holding (f, k) exists — voided entries included, so a re-import never brings back what someone
 * voided (those rows are counted as skipped); otherwise it is inserted with (f, k). k is found without
 * holding the file's fingerprints in memory (see prepareHoursImport in store/hours.ts). Statements are
 * prepared once; person/program lookups are cached in bounded maps; rows carry import_id and are not
 * audited one by one (the import is one audit entry). State rules (archived person/program, future
 * date) apply to rows that would be inserted, not to rows that match existing entries.
 */
import type { App } from '../app.js';
import { ConflictError, NgoError, NotFoundError } from '../errors.js';
import {
  DEFAULT_ACTIVITY,
  MAX_DAY_MINUTES,
  assertNotFuture,
  fingerprint,
  parseNote,
  parseActivity,
  parseImportStatus,
  type EntryContent,
  type HoursStatus,
} from '../domain/hours.js';
import { parseDate, type DateFormat } from '../domain/dates.js';
import { parseClock, parseEntryHours, parseMinutes, validateEntryMinutes, formatHours } from '../domain/duration.js';
import { parseKm, parseMiles } from '../domain/distance.js';
import { parseMoney } from '../domain/money.js';
import { parseBool } from '../domain/text.js';
import { resolvePerson } from '../services/refs.js';
import { displayName, type Person } from '../domain/people.js';
import { closestMatches } from '../domain/text.js';
import { getPerson, personByEmail, personByExternalId, personCandidates, rosterKeys, type RosterKeys } from '../store/people.js';
import { insertProgram, listPrograms, programByCode, type Program } from '../store/orgs.js';
import { diff } from '../store/audit.js';
import {
  dropHoursIndexes,
  firstFreeSeq,
  hoursHighWater,
  importDayOverflows,
  prepareHoursImport,
  recordRejected,
  rejectedGroupFollowed,
  waitingDays,
  waitingUnread,
  setRejectedState,
  slotTaken,
  type DeferredIndexes,
  type HoursImportStatements,
} from '../store/hours.js';
import { RowError, rowsFromEnv, runImport, type ImportRow, type ImportSummary, type RejectsRef, type RowOutcome } from './importer.js';
import type { FieldSpec } from './headers.js';

/** Hours import fields and their header synonyms (normalised: lower case, no spaces, `_`, `-`, `.`). */
export const HOURS_FIELD_SPECS: FieldSpec[] = [
  { field: 'person', synonyms: ['person', 'personid', 'volunteer', 'personref'] },
  { field: 'email', synonyms: ['email', 'emailaddress', 'mail', 'volunteeremail', 'personemail', 'volunteeremailaddress'] },
  { field: 'external_id', synonyms: ['externalid', 'extid', 'volunteerid', 'memberid', 'staffid', 'volunteernumber'] },
  { field: 'date', synonyms: ['date', 'dateofservice', 'servicedate', 'day', 'workdate', 'shiftdate', 'activitydate'] },
  { field: 'hours', synonyms: ['hours', 'hoursworked', 'hrs', 'totalhours', 'hoursserved', 'volunteerhours', 'hoursvolunteered'] },
  { field: 'minutes', synonyms: ['minutes', 'mins', 'minutesworked', 'totalminutes'] },
  { field: 'duration', synonyms: ['duration', 'hhmm', 'timespent', 'length'] },
  { field: 'program', synonyms: ['program', 'programcode', 'programme', 'programmecode', 'project', 'projectcode'] },
  { field: 'activity', synonyms: ['activity', 'activitytype', 'servicetype', 'task'] },
  { field: 'miles', synonyms: ['miles', 'mileage', 'milesdriven', 'mi'] },
  { field: 'km', synonyms: ['km', 'kms', 'kilometres', 'kilometers', 'kmdriven'] },
  { field: 'expenses', synonyms: ['expenses', 'expense', 'outofpocket', 'outofpocketcosts', 'outofpocketexpenses', 'costs', 'unreimbursedexpenses'] },
  { field: 'reimbursed', synonyms: ['reimbursed', 'wasreimbursed', 'reimbursement'] },
  { field: 'status', synonyms: ['status', 'approvalstatus'] },
  { field: 'note', synonyms: ['note', 'notes', 'comment', 'comments', 'description'] },
  // Informational columns of our own `hours list` export: recognised (no unknown-column warning, --strict
  // passes) but not used — the person is identified by person/email/external_id.
  { field: 'id', synonyms: ['id', 'entryid'] },
  { field: 'first_name', synonyms: ['firstname', 'first', 'givenname'] },
  { field: 'last_name', synonyms: ['lastname', 'last', 'surname'] },
  { field: 'name', synonyms: ['name', 'fullname', 'volunteername'] },
];

export interface HoursImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  map?: string[];
  dateFormat?: DateFormat;
  delimiter?: string;
  strict?: boolean;
  json?: boolean;
  pending?: boolean;
  createPrograms?: boolean;
  allowFuture?: boolean;
}

/**
 * Caches are cleared when full, so memory stays bounded whatever the file holds. The people cache is
 * sized to hold a large roster whole: a file's rows name its volunteers in any order, and with a
 * smaller cache most rows missed it and looked their person up again (a quarter of a 1M-row import
 * of 100,000 volunteers). Its values are mostly small integers (see PersonHit), about 70 bytes an entry.
 */
const CACHE_MAX = 10_000;
const PEOPLE_CACHE_MAX = 250_000;

/**
 * An import that has inserted this many rows, and at least half as many as the table held before,
 * drops the report indexes and builds them again at its end (dropHoursIndexes): from then on that
 * is cheaper than keeping them up to date row by row. Env NGO_IMPORT_BULK_ROWS overrides it.
 */
export const BULK_INSERT_ROWS = 100_000;

export function bulkInsertRows(env: Record<string, string | undefined>): number {
  return rowsFromEnv(env, 'NGO_IMPORT_BULK_ROWS', BULK_INSERT_ROWS);
}

class BoundedCache<V> {
  constructor(private readonly max = CACHE_MAX) {}
  private m = new Map<string, V>();
  get(k: string): V | undefined {
    return this.m.get(k);
  }
  set(k: string, v: V): void {
    if (this.m.size >= this.max) this.m.clear();
    this.m.set(k, v);
  }
  clear(): void {
    this.m.clear();
  }
}

type Cached<T> = { ok: T } | { err: RowError };

/** A row read by readRow: a `void` status (skipped), or its content and what the import needs to place it. */
type ReadRow =
  | 'void'
  | {
      statusCell: HoursStatus | undefined;
      statusError: unknown;
      date: string;
      person: PersonHit;
      program: Program;
      content: EntryContent;
      fp: Buffer;
    };

/**
 * A row's person as cached: the id of a person who may get new entries (the common case, kept as a
 * bare number), or the whole record of one who may not (archived or erased: the refusal names them).
 */
type PersonHit = number | Person;

/** A field parsed by `fn`; a validation error becomes a row error on that field's column. */
function cell<T>(row: ImportRow, field: string, fn: (s: string) => T): T | undefined {
  const raw = row.get(field);
  if (raw === undefined || raw === '') return undefined;
  try {
    return fn(raw);
  } catch (e) {
    if (e instanceof NgoError) throw new RowError(row.columnOf(field) ?? field, e.message);
    throw e;
  }
}

function rowError(e: unknown, column: string | null): RowError {
  if (e instanceof RowError) return e;
  if (e instanceof NgoError) return new RowError(column, e.hint ? `${e.message} (${e.hint})` : e.message);
  throw e;
}

export async function importHours(app: App, file: string, o: HoursImportOptions): Promise<ImportSummary> {
  const dateFormat = o.dateFormat ?? 'iso';
  const bulkRows = bulkInsertRows(app.ctx.env); // a bad value is a usage error before anything is read
  const db = await app.db();
  const today = app.today();
  const now = app.ctx.now().toISOString();
  const people = new BoundedCache<PersonHit | { err: RowError }>(PEOPLE_CACHE_MAX);
  const programs = new BoundedCache<Cached<Program>>();
  let stmts: HoursImportStatements | null = null;
  let highWater = 0;
  let bulkAt = Infinity;
  let insertedRows = 0;
  let deferred: DeferredIndexes | null = null;
  let voidRows = 0;
  let matchedVoided = 0;
  const created: string[] = [];

  const personOf = async (row: ImportRow): Promise<PersonHit> => {
    const ref = row.get('person') ?? '';
    const email = row.get('email') ?? '';
    const ext = row.get('external_id') ?? '';
    const key = `${ref}\u0001${email}\u0001${ext}`;
    let hit = people.get(key);
    if (hit === undefined) {
      hit = await resolveRowPerson(row, ref, email, ext);
      people.set(key, hit);
    }
    if (typeof hit === 'object' && 'err' in hit) throw hit.err;
    return hit;
  };

  /** On a server, every person's keys, read once (see rosterKeys); else null: one query per person. */
  let roster: RosterKeys | null = null;
  type Found = Pick<Person, 'id' | 'status' | 'erased_at'>;
  const byKey = async (field: 'email' | 'external_id', key: string): Promise<Found | undefined> => {
    if (roster === null) return field === 'email' ? personByEmail(db, key) : personByExternalId(db, key);
    const id = roster[field].get(field === 'email' ? key.trim().toLowerCase() : key.trim());
    if (id === undefined) return undefined;
    return roster.unusable.has(id) ? getPerson(db, id) : { id, status: 'active', erased_at: null };
  };

  const resolveRowPerson = async (row: ImportRow, ref: string, email: string, ext: string): Promise<PersonHit | { err: RowError }> => {
    try {
      if (!ref && !email && !ext) {
        throw new RowError(
          row.columnOf('person') ?? row.columnOf('email') ?? row.columnOf('external_id'),
          'a row needs the person: a person (id, email or external id), email or external_id cell',
        );
      }
      const found: [string, Found][] = [];
      if (ref) {
        try {
          found.push(['person', await resolvePerson(db, ref)]);
        } catch (e) {
          // Ids only, and no suggestions: the message goes into the rejects file, back to whoever sent
          // the rows, and must not list other volunteers' names and addresses (ninth attack, finding 3).
          if (e instanceof ConflictError) {
            const ids = (await personCandidates(db, ref)).map((p) => `#${p.id}`);
            throw new RowError(row.columnOf('person'), `person "${ref}" names ${ids.length} people (${ids.join(', ')}): use the numeric id (#N) or the email`);
          }
          if (e instanceof NotFoundError) throw new RowError(row.columnOf('person'), e.message);
          throw rowError(e, row.columnOf('person'));
        }
      }
      if (ext) {
        const p = await byKey('external_id', ext);
        if (!p) throw new RowError(row.columnOf('external_id'), `no person with external id "${ext}"`);
        found.push(['external_id', p]);
      }
      if (email) {
        const p = await byKey('email', email);
        if (!p) throw new RowError(row.columnOf('email'), `no person with email "${email}"`);
        found.push(['email', p]);
      }
      const [firstField, first] = found[0]!;
      for (const [field, p] of found.slice(1)) {
        if (p.id !== first.id) {
          throw new RowError(
            row.columnOf(field),
            // Ids only: a rejects file goes back to whoever sent the rows, and must not show them anyone's name
            // or address that the row did not hold (fifth attack, finding 2).
            `conflict: ${firstField} ${row.get(firstField)} is person #${first.id} but ${field} ${row.get(field)} is person #${p.id}`,
          );
        }
      }
      return first.status === 'active' && !first.erased_at ? first.id : ((await getPerson(db, first.id)) as Person);
    } catch (e) {
      return { err: rowError(e, row.columnOf('person')) };
    }
  };

  /** The row's program, or the code of a program to create (--create-programs) once the row is known to be good. */
  const programOf = async (row: ImportRow): Promise<Program | string> => {
    const raw = row.get('program') ?? '';
    if (!raw) throw new RowError(row.columnOf('program') ?? 'program', 'a program code is required');
    const key = raw.toUpperCase();
    let hit = programs.get(key);
    if (!hit) {
      const p = await programByCode(db, raw);
      if (p) hit = { ok: p };
      else if (o.createPrograms) {
        if (/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(raw)) return key;
        hit = { err: new RowError(row.columnOf('program'), `invalid program code "${raw}" (letters, digits, - and _; at most 32 characters)`) };
      } else {
        const close = closestMatches(
          raw,
          (await listPrograms(db)).map((x) => x.code),
        );
        hit = {
          err: new RowError(
            row.columnOf('program'),
            `unknown program "${raw}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}; add it with ngo programs add, or use --create-programs`,
          ),
        };
      }
      programs.set(key, hit);
    }
    if ('err' in hit) throw hit.err;
    return hit.ok;
  };

  /** Create a program named by the file. Nothing may fail for the row after this (the cache keeps it). */
  const createProgram = async (code: string): Promise<Program> => {
    const values = { code, name: code, description: 'created by hours import' };
    const id = await insertProgram(db, values, now);
    await app.audit('create', 'program', id, diff(null, values));
    created.push(code);
    const p = (await programByCode(db, code))!;
    programs.set(code, { ok: p });
    return p;
  };

  // Cell parsers, made once (not per row).
  const DURATION_FIELDS = ['hours', 'minutes', 'duration'] as const;
  const parseDuration: Record<(typeof DURATION_FIELDS)[number], (s: string) => number> = {
    hours: (s) => validateEntryMinutes(parseEntryHours(s)),
    minutes: (s) => validateEntryMinutes(parseMinutes(s)),
    duration: (s) => validateEntryMinutes(parseClock(s)),
  };
  const parseDateCell = (s: string) => parseDate(s, dateFormat, 'date');
  const parseMilesCell = (s: string) => parseMiles(s);
  const parseKmCell = (s: string) => parseKm(s);
  const parseExpensesCell = (s: string) => parseMoney(s, 'expenses', { allowZero: true });
  const parseReimbursedCell = (s: string) => parseBool(s, 'reimbursed');

  const minutesOf = (row: ImportRow): number => {
    let found: (typeof DURATION_FIELDS)[number] | undefined;
    for (const f of DURATION_FIELDS) {
      const v = row.get(f);
      if (v === undefined || v === '') continue;
      if (found !== undefined) throw new RowError(row.columnOf(f), `give only one of ${row.columnOf(found)}, ${row.columnOf(f)}`);
      found = f;
    }
    if (found === undefined) {
      throw new RowError(
        row.columnOf('hours') ?? row.columnOf('minutes') ?? row.columnOf('duration') ?? 'hours',
        'a duration is required (an hours, minutes or duration cell)',
      );
    }
    return cell(row, found, parseDuration[found])!;
  };

  /** Rules for new entries; they apply only to rows that would be inserted (see handle). */
  const assertNewEntryAllowed = (row: ImportRow, date: string, person: PersonHit, program: Program | null): void => {
    if (!o.allowFuture && date > today) {
      try {
        assertNotFuture(date, today, o.allowFuture);
      } catch (e) {
        throw rowError(e, row.columnOf('date'));
      }
    }
    if (typeof person === 'object') {
      if (person.erased_at) throw new RowError(null, `person #${person.id} was erased; new entries are refused`);
      if (person.status !== 'active') throw new RowError(null, `person #${person.id} is archived; new entries are refused`);
    }
    if (program && program.status !== 'active') throw new RowError(row.columnOf('program'), `program ${program.code} is archived; new entries are refused`);
  };

  /**
   * `person_id:date` of rows of earlier imports still waiting for their fixed copy, and how many rows
   * of this file fall on one (a row whose content was known always has its volunteer and date, so
   * this covers a row with the very content of a waiting one too).
   */
  let waitingOn = new Set<string>();
  /** Rows waiting whose volunteer or date could not be read, and how many rows of this file (not from a rejects file) matched. */
  let unreadableWaiting = 0;
  let plainUnchanged = 0;
  let matchedWaiting = 0;
  /** Invalid rows whose content was known, by line: the repeat slot each took (recorded by `rejected`). */
  const slotsOfInvalid = new Map<number, { fp: Buffer; seq: number }>();

  /**
   * What a row holds, read and checked (its program created when --create-programs names a new one):
   * everything handleRow needs before it looks for the row's place among the entries.
   */
  const readRow = async (row: ImportRow): Promise<ReadRow> => {
    // The status is not part of a row's content: a bad status cell is reported after the content
    // has claimed its place among the repeats (below), like any invalid row whose content is known.
    let statusCell: HoursStatus | 'void' | undefined;
    let statusError: unknown;
    try {
      statusCell = cell(row, 'status', parseImportStatus);
    } catch (e) {
      statusError = e;
    }
    if (statusCell === 'void') {
      voidRows++;
      return 'void';
    }
    const date = cell(row, 'date', parseDateCell);
    if (date === undefined) throw new RowError(row.columnOf('date') ?? 'date', 'a date is required');
    const minutes = minutesOf(row);
    const milesCell = cell(row, 'miles', parseMilesCell);
    const kmCell = cell(row, 'km', parseKmCell);
    if (milesCell !== undefined && kmCell !== undefined) throw new RowError(row.columnOf('km'), 'give miles or km, not both');
    const expenses = cell(row, 'expenses', parseExpensesCell) ?? 0;
    const reimbursed = cell(row, 'reimbursed', parseReimbursedCell) ?? false;
    const activity = cell(row, 'activity', parseActivity) ?? DEFAULT_ACTIVITY;
    const note = cell(row, 'note', parseNote) ?? null;
    const person = await personOf(row);
    const prog = await programOf(row);
    let program: Program;
    if (typeof prog === 'string') {
      // A new program: no entry can match yet, so the row will be inserted; check it before creating.
      if (statusError) throw statusError;
      assertNewEntryAllowed(row, date, person, null);
      program = await createProgram(prog);
    } else program = prog;
    const content: EntryContent = {
      person_id: typeof person === 'number' ? person : person.id,
      program_id: program.id,
      date,
      minutes,
      activity,
      miles: milesCell ?? kmCell ?? 0,
      expenses,
      reimbursed: reimbursed ? 1 : 0,
      note,
    };
    const fp = fingerprint(content);
    return { statusCell, statusError, date, person, program, content, fp };
  };

  /** Rows a prefetch read ahead (server store), taken by handleRow in turn. */
  const readAhead = new Map<ImportRow, { ok: ReadRow } | { err: unknown }>();
  /** A server store: a batch's contents read, then their places looked up in a few queries, not a few a row. */
  const prefetch = async (rows: ImportRow[]): Promise<void> => {
    const fps: Buffer[] = [];
    for (const row of rows) {
      try {
        const r = await readRow(row);
        readAhead.set(row, { ok: r });
        if (r !== 'void') fps.push(r.fp);
      } catch (e) {
        readAhead.set(row, { err: e });
      }
    }
    await stmts!.prefetch!(fps);
  };

  const handleRow = async (row: ImportRow, importId: number, from?: RejectsRef): Promise<RowOutcome> => {
    const ahead = readAhead.get(row);
    if (ahead) readAhead.delete(row);
    if (ahead && 'err' in ahead) throw ahead.err;
    const r = ahead ? ahead.ok : await readRow(row);
    if (r === 'void') return 'skipped';
    const { statusCell, statusError, date, person, program, content, fp } = r;
    // Every row whose content is known takes its place among the repeats of that content (the k-th
    // of k), even an invalid one: once fixed and imported again from the rejects file, it is the k-th
    // again and does not take the place of a valid row that repeats it.
    if (statusError) {
      slotsOfInvalid.set(row.line, { fp, seq: (await stmts!.place(fp, importId, { claimOnly: true })).seq });
      throw statusError;
    }
    // A fixed row of a rejects file whose invalid original waits (hours_rejected, found by the import
    // its error cell names and its line there): it takes the slot the original reserved (or, when its
    // content was not known then, the first free one), so that the loop ends as one corrected import
    // of the original file would. Once filled, the same fixed row only matches, as any row does.
    // A row of a rejects file may look at the entries themselves (slotTaken, firstFreeSeq): the buffered ones first go in.
    if (from?.importId !== undefined) await stmts!.flush?.();
    const group = from?.importId === undefined ? [] : await rejectedGroupFollowed(db, from.importId, from.line);
    const waiting = group.filter((r) => r.state === 'open');
    if (waiting.length === 0 && group.some((r) => r.state === 'filled')) {
      // Its fixed copy was imported already (this rejects file, or an earlier round's, again): the
      // row is in, and must not be matched as the k-th repeat of another row's content (seventh
      // attack, finding 1). A later change to it is a correction: ngo hours edit.
      await stmts!.place(fp, importId, { claimOnly: true });
      return 'unchanged';
    }
    if (waiting.length > 0) {
      await setRejectedState(db, waiting, 'filled');
      await stmts!.place(fp, importId, { claimOnly: true }); // counted among this file's repeats
      const reserved = waiting.find((r) => r.fingerprint && r.seq !== null && r.fingerprint.equals(fp));
      let seq: number;
      if (reserved) {
        if (await slotTaken(db, fp, reserved.seq!)) return 'unchanged'; // imported since, by a corrected original
        seq = reserved.seq!;
      } else seq = await firstFreeSeq(db, fp);
      // Its import ran with --pending: an approved row comes in pending, as it would have then.
      const cell = (statusCell ?? 'approved') === 'approved' && waiting.some((r) => r.pending === 1) ? 'pending' : statusCell;
      return insertRow(row, content, fp, seq, cell, importId, date, person, program);
    }
    // SQLite answers synchronously: no promise to wait for on the path every row takes (a million rows).
    const placed = stmts!.place(fp, importId);
    const place = placed instanceof Promise ? await placed : placed;
    if (from?.importId === undefined && waitingOn.size > 0 && waitingOn.has(`${content.person_id}:${date}`)) matchedWaiting++;
    if (place.existing) {
      if (place.existing.voided) {
        matchedVoided++;
        return 'skipped';
      }
      return 'unchanged';
    }
    return insertRow(row, content, fp, place.seq, statusCell, importId, date, person, program);
  };

  const insertRow = async (
    row: ImportRow,
    content: EntryContent,
    fp: Buffer,
    seq: number,
    statusCell: HoursStatus | undefined,
    importId: number,
    date: string,
    person: PersonHit,
    program: Program,
  ): Promise<RowOutcome> => {
    // Not refused because someone was archived since: a re-import of an old file only matches.
    assertNewEntryAllowed(row, date, person, program);
    let status: HoursStatus = statusCell ?? 'approved';
    if (o.pending && status === 'approved') status = 'pending';
    const e = content as EntryContent & { status: HoursStatus; reject_reason: string | null; import_id: number; fingerprint: Buffer; seq: number };
    e.status = status;
    e.reject_reason = status === 'rejected' ? 'rejected in the imported file' : null;
    e.import_id = importId;
    e.fingerprint = fp;
    e.seq = seq;
    const inserted = stmts!.insert(e, now);
    if (inserted instanceof Promise) await inserted;
    if (++insertedRows === bulkAt) deferred = await dropHoursIndexes(db);
    return 'inserted';
  };

  /** Invalid rows of this import, settled when it commits: see settleRejected. */
  const invalidRows: { line: number; from?: RejectsRef }[] = [];
  /** The volunteer and date of each invalid row, where they could be read (see keyOf). */
  const keysOfInvalid = new Map<number, { personId: number | null; date: string | null }>();
  /** A row's volunteer and date, each when it can be read, whatever else is wrong with the row. */
  const keyOf = async (row: ImportRow): Promise<{ personId: number | null; date: string | null }> => {
    let date: string | null = null;
    let personId: number | null = null;
    try {
      date = cell(row, 'date', parseDateCell) ?? null;
    } catch {
      /* unreadable */
    }
    try {
      const p = await personOf(row);
      personId = typeof p === 'number' ? p : p.id;
    } catch {
      /* unreadable */
    }
    return { personId, date };
  };
  const handle = async (row: ImportRow, importId: number, from?: RejectsRef): Promise<RowOutcome> => {
    try {
      const outcome = await handleRow(row, importId, from);
      if (from?.importId === undefined && outcome === 'unchanged') plainUnchanged++;
      return outcome;
    } catch (e) {
      keysOfInvalid.set(row.line, await keyOf(row));
      throw e;
    }
  };
  const rejected = (_importId: number, line: number, from?: RejectsRef): void => {
    invalidRows.push({ line, from });
  };

  /**
   * Each invalid row of the import waits for its fixed copy (hours_rejected). The waits of one file
   * imported several times are one (rejectedGroup: the same SHA-256), filled together. A row of a
   * rejects file that is still invalid moves its wait to this import (keeping its reserved slot while
   * its content is the same); one whose original was already fixed waits for nothing.
   */
  const settleRejected = async (importId: number): Promise<void> => {
    for (const r of invalidRows) {
      const slot = slotsOfInvalid.get(r.line);
      const key = keysOfInvalid.get(r.line);
      if (r.from?.importId === undefined) {
        await recordRejected(db, importId, r.line, slot?.fp ?? null, slot?.seq ?? null, key, o.pending === true);
        continue;
      }
      const group = await rejectedGroupFollowed(db, r.from.importId, r.from.line);
      const open = group.filter((g) => g.state === 'open');
      if (group.length > 0 && open.length === 0) continue; // fixed already
      await setRejectedState(db, open, 'moved', { importId, line: r.line });
      const kept = open.find((g) => g.fingerprint && g.seq !== null && (!slot || g.fingerprint.equals(slot.fp)));
      const was = open[0];
      await recordRejected(
        db,
        importId,
        r.line,
        kept?.fingerprint ?? slot?.fp ?? null,
        kept?.seq ?? null,
        {
          personId: key?.personId ?? was?.person_id ?? null,
          date: key?.date ?? was?.date ?? null,
        },
        o.pending === true || was?.pending === 1,
      );
    }
  };

  const summary = await runImport(app, {
    kind: 'hours',
    file,
    fields: HOURS_FIELD_SPECS,
    map: o.map,
    strict: o.strict,
    delimiter: o.delimiter,
    dryRun: o.dryRun,
    skipInvalid: o.skipInvalid,
    rejects: o.rejects,
    json: o.json,
    begin: async () => {
      stmts = await prepareHoursImport(db);
      if (db.dialect !== 'sqlite') roster = await rosterKeys(db, PEOPLE_CACHE_MAX);
      waitingOn = await waitingDays(db);
      unreadableWaiting = await waitingUnread(db);
      highWater = await hoursHighWater(db);
      bulkAt = Math.max(bulkRows, Math.ceil(highWater / 2));
    },
    handle,
    // SQLite answers each lookup at once, in process: rows one by one. A server: rows a batch at a time.
    prefetch: db.dialect === 'sqlite' ? undefined : prefetch,
    // The batch's entries go in while the next batch is read.
    batchHandled: () => stmts!.startFlush?.(),
    rejected,
    // A row is validated whole before its one write (the insert; or a program created by
    // --create-programs, which then inserts). The only earlier write is place()'s count of repeats in
    // a TEMP table: a refused row counted there only shifts k for later rows of the same content,
    // which are refused (or matched) alike. So a bad row writes nothing that matters: no savepoint.
    savepointPerRow: false,
    finish: async (importId, status) => {
      await stmts?.flush?.();
      await settleRejected(importId);
      if (matchedWaiting === 0 && plainUnchanged > 0 && unreadableWaiting > 0) {
        app.warn(
          `${unreadableWaiting} row(s) that earlier imports rejected, whose volunteer or date could not be read, still wait for their fixed copy; if this file holds them, fixed, import them from their rejects file as written, with its line and error columns (rows already imported were matched here as ordinary rows)`,
        );
      }
      if (matchedWaiting > 0) {
        // A fixed row without its rejects file's line and error columns cannot find the row it fixes.
        app.warn(
          `${matchedWaiting} row(s) are for a volunteer and day (or have the content) of rows that earlier imports rejected and that still wait for their fixed copy; if they are those rows, fixed, import them from the rejects file as written, with its line and error columns (this import took them as ordinary rows)`,
        );
      }
      if (deferred) {
        // Before anything reads the table by those indexes. About 4 s at 1M entries: say so on a TTY.
        status('rebuilding the report indexes…');
        await deferred.rebuild();
        status('');
      }
      if (created.length > 0)
        app.info(`${o.dryRun ? 'would create' : 'created'} program(s): ${created.join(', ')} (name = code; rename with ngo programs edit)`);
      if (voidRows > 0) app.info(`skipped ${voidRows} row(s) whose status is void`);
      if (matchedVoided > 0)
        app.info(`skipped ${matchedVoided} row(s) matching entries that were voided (a re-import never brings them back; log them again by hand if needed)`);
      // A bulk import (on a server, one that would have rebuilt the indexes on SQLite) reads the table once.
      const bulk = deferred !== null || (db.dialect !== 'sqlite' && insertedRows >= bulkAt);
      const over = await importDayOverflows(db, highWater, bulk, MAX_DAY_MINUTES, 5);
      if (over.total > 0) {
        const list = over.rows.map((r) => `${displayName(r)} (#${r.person_id}) on ${r.date}: ${formatHours(r.minutes)} h`).join('; ');
        app.warn(`${over.total} person-day(s) now pass 24 h: ${list}${over.total > over.rows.length ? `; and ${over.total - over.rows.length} more` : ''}`);
      }
    },
  });
  return summary;
}
