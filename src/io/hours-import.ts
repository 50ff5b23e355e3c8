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
import { ConflictError, NgoError, NotFoundError, UsageError, ValidationError } from '../errors.js';
import {
  DEFAULT_ACTIVITY,
  MAX_DAY_MINUTES,
  assertNotFuture,
  fingerprint,
  parseNote,
  parseActivity,
  type EntryContent,
  type HoursStatus,
} from '../domain/hours.js';
import { daysBetween, isValidIsoDate, parseTimeOfDay, splitDateTime, type DateFormat } from '../domain/dates.js';
import { decimalText, minutesBetween, parseDurationCell, formatHours, type DurationColumn } from '../domain/duration.js';
import { parseStatusWord } from '../domain/import-words.js';
import { DateReading } from './date-reading.js';
import { splitFullName } from './headers.js';
import { parseKm, parseMiles } from '../domain/distance.js';
import { parseMoney } from '../domain/money.js';
import { parseBool } from '../domain/text.js';
import { resolvePerson } from '../services/refs.js';
import { displayName, fullNameKey, nameCellKey, type Person } from '../domain/people.js';
import { closestMatches, codeFromName, looseKey } from '../domain/text.js';
import { getPerson, peopleNames, personByEmail, personByExternalId, personCandidates, rosterKeys, type RosterKeys } from '../store/people.js';
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
import { RowError, rowErrors, rowsFromEnv, runImport, type ImportRow, type ImportSummary, type RejectsRef, type RowOutcome } from './importer.js';
import type { FieldSpec } from './headers.js';

/**
 * Hours import fields and the header names other systems give them (compared normalised: lower case,
 * accents dropped, letters and digits only). Data: the next system's export is a synonym here.
 * Volunteers for Salesforce: Full Name, Start Date, Hours Worked, Status, Number of Volunteers, Comments,
 * Volunteer Campaign Name. Galaxy Digital: user_fname, user_lname, user_email, need_title,
 * hour_date_start, hour_date_end, hour_hours, hour_miles, hour_description, hour_status. rubyforgood/casa:
 * Volunteer Name, Learning Hours Title, Duration, Date Of Learning, Duration Minutes, Occurred At, Miles
 * Driven, Creator Email, Case Contact Notes. Spreadsheets: Volunteer Name, Volunteer Email, Date, Start
 * Time, End Time, Hours, Opportunity, Notes.
 */
export const HOURS_FIELD_SPECS: FieldSpec[] = [
  { field: 'person', synonyms: ['person', 'personid', 'volunteer', 'personref'] },
  {
    field: 'email',
    synonyms: ['email', 'emailaddress', 'mail', 'volunteeremail', 'personemail', 'volunteeremailaddress', 'useremail', 'creatoremail', 'contactemail'],
  },
  { field: 'external_id', synonyms: ['externalid', 'extid', 'volunteerid', 'memberid', 'staffid', 'volunteernumber', 'contactid'] },
  {
    field: 'date',
    synonyms: [
      'date',
      'dateofservice',
      'servicedate',
      'day',
      'workdate',
      'shiftdate',
      'activitydate',
      'startdate',
      'dateoflearning',
      'occurredat',
      'dateworked',
      'hourdate',
      'dateofactivity',
      'eventdate',
    ],
  },
  { field: 'start', synonyms: ['start', 'starttime', 'startdatetime', 'startdateandtime', 'hourdatestart', 'timein', 'clockin', 'shiftstart', 'begin'] },
  { field: 'end', synonyms: ['end', 'endtime', 'enddatetime', 'enddateandtime', 'hourdateend', 'timeout', 'clockout', 'shiftend', 'finish'] },
  { field: 'hours', synonyms: ['hours', 'hoursworked', 'hrs', 'totalhours', 'hoursserved', 'volunteerhours', 'hoursvolunteered', 'hourhours'] },
  { field: 'minutes', synonyms: ['minutes', 'mins', 'minutesworked', 'totalminutes', 'durationminutes', 'durationmins'] },
  { field: 'duration', synonyms: ['duration', 'hhmm', 'timespent', 'length'] },
  {
    field: 'program',
    synonyms: [
      'program',
      'programcode',
      'programme',
      'programmecode',
      'project',
      'projectcode',
      'programname',
      'needtitle',
      'need',
      'opportunity',
      'opportunityname',
      'opportunitytitle',
      'volunteercampaignname',
      'volunteercampaign',
      'campaign',
      'campaignname',
    ],
  },
  { field: 'activity', synonyms: ['activity', 'activitytype', 'servicetype', 'task'] },
  { field: 'miles', synonyms: ['miles', 'mileage', 'milesdriven', 'mi', 'hourmiles'] },
  { field: 'km', synonyms: ['km', 'kms', 'kilometres', 'kilometers', 'kmdriven'] },
  { field: 'expenses', synonyms: ['expenses', 'expense', 'outofpocket', 'outofpocketcosts', 'outofpocketexpenses', 'costs', 'unreimbursedexpenses'] },
  { field: 'reimbursed', synonyms: ['reimbursed', 'wasreimbursed', 'reimbursement'] },
  { field: 'status', synonyms: ['status', 'approvalstatus', 'hourstatus', 'shiftstatus'] },
  {
    field: 'note',
    synonyms: ['note', 'notes', 'comment', 'comments', 'description', 'hourdescription', 'casecontactnotes', 'learninghourstitle'],
  },
  // Informational columns: recognised (no unknown-column warning, --strict passes). id, first/last name and
  // name are those of our own `hours list` export; a name (or first and last) also finds the person when
  // no person, email or external id cell does, and is checked against them when one does.
  { field: 'id', synonyms: ['id', 'entryid'] },
  { field: 'first_name', synonyms: ['firstname', 'first', 'givenname', 'userfname', 'fname'] },
  { field: 'last_name', synonyms: ['lastname', 'last', 'surname', 'userlname', 'lname'] },
  { field: 'name', synonyms: ['name', 'fullname', 'volunteername', 'personname', 'creatorname'] },
  // Volunteers for Salesforce: a group's shift (the named volunteer's own Hours Worked are imported) and its product.
  { field: 'headcount', synonyms: ['numberofvolunteers', 'headcount', 'groupsize'] },
  { field: 'total_hours', synonyms: ['totalhoursworked'] },
  { field: 'end_date', synonyms: ['enddate'] },
];

export interface HoursImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  map?: string[];
  dateFormat?: DateFormat;
  delimiter?: string;
  encoding?: string;
  /** Read `1,5` as 1.5; default: on when the delimiter is `;`. */
  decimalComma?: boolean;
  strict?: boolean;
  json?: boolean;
  pending?: boolean;
  createPrograms?: boolean;
  allowFuture?: boolean;
  /** The program of rows that name none (a file without a program column). */
  program?: string;
  /** The activity of rows that name none (default direct-service). */
  activity?: string;
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
  const dates = new DateReading(o.dateFormat, ['date', 'start', 'end']);
  // Known once the reader has chosen the delimiter (begin): a `;` file writes 1,5.
  let decimalComma = o.decimalComma === true;
  let defaultActivity: EntryContent['activity'] = DEFAULT_ACTIVITY;
  if (o.activity !== undefined) {
    try {
      defaultActivity = parseActivity(o.activity);
    } catch (e) {
      throw new UsageError(`--activity: ${(e as Error).message}`);
    }
  }
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
  /** The status words of the rows skipped as not hours, and how many of each. */
  const skippedWords = new Map<string, number>();
  /** Rows of a group (Number of Volunteers above 1): imported as the named volunteer's own hours. */
  let groupRows = 0;
  /** Rows whose date column and dated start, or duration and start-to-end, disagree: the first line and how many. */
  const disagree: { date?: { line: number; n: number }; minutes?: { line: number; n: number } } = {};
  let matchedVoided = 0;
  const created: string[] = [];

  /** The row's whole name as a matching key ('' when it has none): a name cell, or first and last name cells. */
  const nameOf = (row: ImportRow): string => {
    const whole = row.get('name');
    if (whole) return nameCellKey(whole, splitFullName);
    const first = row.get('first_name') ?? '';
    const last = row.get('last_name') ?? '';
    return first || last ? fullNameKey(first || last, first ? last : '') : '';
  };
  const nameColumn = (row: ImportRow) => row.columnOf('name') ?? row.columnOf('first_name') ?? row.columnOf('last_name');
  /** The row's name as it wrote it, for messages. */
  const nameShown = (row: ImportRow) => row.get('name') || `${row.get('first_name') ?? ''} ${row.get('last_name') ?? ''}`.trim();
  /** Ids of the people (not erased) by name key, read once when a row first needs it. */
  let byName: Map<string, number[]> | null = null;
  const peopleNamed = async (key: string): Promise<number[]> => {
    if (byName === null) {
      byName = new Map();
      for (const p of await peopleNames(db)) {
        const k = fullNameKey(p.first_name, p.last_name);
        const ids = byName.get(k);
        if (ids) ids.push(p.id);
        else byName.set(k, [p.id]);
      }
    }
    return byName.get(key) ?? [];
  };

  const personOf = async (row: ImportRow): Promise<PersonHit> => {
    const ref = row.get('person') ?? '';
    const email = row.get('email') ?? '';
    const ext = row.get('external_id') ?? '';
    const name = nameOf(row);
    const key = `${ref}\u0001${email}\u0001${ext}\u0001${name}`;
    let hit = people.get(key);
    if (hit === undefined) {
      hit = await resolveRowPerson(row, ref, email, ext, name);
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

  const resolveRowPerson = async (row: ImportRow, ref: string, email: string, ext: string, name: string): Promise<PersonHit | { err: RowError }> => {
    try {
      if (!ref && !email && !ext && !name) {
        throw new RowError(
          row.columnOf('person') ?? row.columnOf('email') ?? row.columnOf('external_id') ?? nameColumn(row),
          'a row needs the person: a person (id, email or external id), email, external_id or full name cell',
        );
      }
      const found: [string, Found][] = [];
      if (!ref && !email && !ext) {
        // A full name alone: it must name exactly one person. Ids only in the message (a rejects file goes back to the sender).
        const ids = await peopleNamed(name);
        const shown = nameShown(row);
        if (ids.length === 0) throw new RowError(nameColumn(row), `no person named "${shown}" (add them with ngo people add, or add an email column)`);
        if (ids.length > 1) {
          throw new RowError(
            nameColumn(row),
            `"${shown}" names ${ids.length} people (${ids.map((i) => `#${i}`).join(', ')}): add an email or external id column to tell them apart`,
          );
        }
        const p = (await getPerson(db, ids[0]!))!;
        return p.status === 'active' && !p.erased_at ? p.id : p;
      }
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
      if (name) {
        // A name that names other people than the email (or id) does: which one is meant? (A name that names nobody is a nickname, or a typo: the email decides.)
        const ids = await peopleNamed(name);
        if (ids.length > 0 && !ids.includes(first.id)) {
          const shown = nameShown(row);
          throw new RowError(
            nameColumn(row),
            `conflict: ${firstField} ${row.get(firstField)} is person #${first.id} but the name "${shown}" is ${ids.length === 1 ? 'person' : 'people'} ${ids.map((i) => `#${i}`).join(', ')}`,
          );
        }
      }
      return first.status === 'active' && !first.erased_at ? first.id : ((await getPerson(db, first.id)) as Person);
    } catch (e) {
      return { err: rowError(e, row.columnOf('person')) };
    }
  };

  /** Programs by code and by name, matched loosely (case, spaces, punctuation ignored); read when a cell is not a code as written. */
  // A code as written (case aside) is among them: its loose key is the cell's.
  let programIndex: Map<string, Program[]> | null = null;
  const programsMatching = async (raw: string): Promise<Program[]> => {
    if (programIndex === null) {
      programIndex = new Map();
      for (const p of await listPrograms(db)) {
        for (const k of new Set([looseKey(p.code), looseKey(p.name)])) {
          const list = programIndex.get(k);
          if (list) list.push(p);
          else programIndex.set(k, [p]);
        }
      }
    }
    return programIndex.get(looseKey(raw)) ?? [];
  };

  /**
   * The row's program (its code, or its name: Contract v2), or what to create (--create-programs: a code
   * derived from the name, and the name as written) once the row is known to be good.
   */
  const programOf = async (row: ImportRow): Promise<Program | { code: string; name: string }> => {
    const raw = row.get('program') || o.program || '';
    if (!raw) throw new RowError(row.columnOf('program') ?? 'program', 'a program is required (a program column, or --program CODE for every row)');
    let hit = programs.get(raw);
    if (!hit) {
      // Every program whose code or name it matches loosely: a cell that is one program's code and
      // another's name is ambiguous (said, not guessed).
      const found = await programsMatching(raw);
      if (found.length === 1) hit = { ok: found[0]! };
      else if (found.length > 1) {
        hit = {
          err: new RowError(
            row.columnOf('program'),
            `program "${raw}" matches ${found.length} programs by code or name (${found.map((p) => p.code).join(', ')}): write its code`,
          ),
        };
      } else if (o.createPrograms) {
        const code = codeFromName(raw);
        if (code === '') {
          hit = {
            err: new RowError(
              row.columnOf('program'),
              `no program code can be made from "${raw}" (letters A-Z and digits): add it with ngo programs add CODE --name …`,
            ),
          };
        } else {
          const taken = await programByCode(db, code);
          if (!taken) return { code, name: raw };
          hit = {
            err: new RowError(
              row.columnOf('program'),
              `the code ${code} made from "${raw}" is program ${taken.code} ("${taken.name}"), another name: add this program with ngo programs add and a code of its own`,
            ),
          };
        }
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
      programs.set(raw, hit);
    }
    if ('err' in hit) throw hit.err;
    return hit.ok;
  };

  /** Create a program named by the file. Nothing may fail for the row after this (the cache keeps it). */
  const createProgram = async (code: string, name: string): Promise<Program> => {
    const values = { code, name, description: 'created by hours import' };
    const id = await insertProgram(db, values, now);
    await app.audit('create', 'program', id, diff(null, values));
    created.push(code === name ? code : `${code} ("${name}")`);
    const p = (await programByCode(db, code))!;
    programs.set(name, { ok: p });
    programIndex = null;
    return p;
  };

  // Cell parsers, made once (not per row).
  const DURATION_FIELDS = ['hours', 'minutes', 'duration'] as const satisfies readonly DurationColumn[];
  const parseDateCell = (s: string) => dates.parse(s, 'date');
  /** A number cell read with decimalText; an error names the cell as written, not as converted. */
  const decimal =
    <T>(what: string, fn: (t: string) => T) =>
    (s: string): T => {
      const t = decimalText(s, what, decimalComma);
      try {
        return fn(t);
      } catch (e) {
        if (e instanceof ValidationError && t !== s.trim()) throw new ValidationError(e.message.replace(`"${t}"`, `"${s.trim()}"`), e.hint);
        throw e;
      }
    };
  const parseMilesCell = decimal('miles', (t) => parseMiles(t));
  const parseKmCell = decimal('km', (t) => parseKm(t));
  const parseExpensesCell = decimal('expenses', (t) => parseMoney(t, 'expenses', { allowZero: true }));
  const parseReimbursedCell = (s: string) => parseBool(s, 'reimbursed');

  /** A start or end cell: a time of day, a date and a time, or a date alone. */
  const pointOf = (row: ImportRow, field: 'start' | 'end'): { date: string | null; seconds: number | null } => {
    const raw = row.get(field)!;
    const t = parseTimeOfDay(raw);
    if (t !== null) return { date: null, seconds: t };
    const { date, seconds } = splitDateTime(raw);
    try {
      return { date: dates.parse(date, field), seconds };
    } catch (e) {
      if (e instanceof NgoError && !isValidIsoDate(date) && seconds === null) {
        throw new RowError(
          row.columnOf(field),
          `invalid ${field} "${raw}" (expected a time such as 9:00 AM or 13:30, or a date and time such as 2025-04-01 09:00)`,
        );
      }
      throw rowError(e, row.columnOf(field));
    }
  };

  /**
   * The row's date and minutes from its start and end cells (Contract v2: when there is no duration),
   * as far as the row needs them: `needDate` (no date cell), `needMinutes` (no duration cell).
   */
  const spanOf = (row: ImportRow, errs: RowError[]): { date?: string; minutes?: number } => {
    const hasStart = !!row.get('start');
    const hasEnd = !!row.get('end');
    if (!hasStart && !hasEnd) return {};
    // Checked whenever present, like every other cell: a bad time is an error even when an hours cell gives the duration.
    const needMinutes = !(row.get('hours') || row.get('minutes') || row.get('duration'));
    const out: { date?: string; minutes?: number } = {};
    let start: { date: string | null; seconds: number | null } | undefined;
    let end: { date: string | null; seconds: number | null } | undefined;
    try {
      if (hasStart) start = pointOf(row, 'start');
    } catch (e) {
      errs.push(rowError(e, row.columnOf('start')));
    }
    try {
      if (hasEnd) end = pointOf(row, 'end');
    } catch (e) {
      errs.push(rowError(e, row.columnOf('end')));
    }
    if (start?.date) out.date = start.date;
    if (start && end && (needMinutes || (start.seconds !== null && end.seconds !== null))) {
      if (start.seconds === null || end.seconds === null) {
        errs.push(
          new RowError(row.columnOf(start.seconds === null ? 'start' : 'end'), 'a start and an end give the duration only with their times (such as 9:00 AM)'),
        );
      } else {
        const day = (d: string | null) => (d === null ? null : daysBetween('1970-01-01', d));
        try {
          out.minutes = minutesBetween(
            { day: day(start.date), seconds: start.seconds },
            { day: day(end.date ?? start.date), seconds: end.seconds },
            `${row.get('start')} to ${row.get('end')}`,
          );
        } catch (e) {
          // With a duration cell the times only cross-check it (a shift past midnight, given its hours, is fine).
          if (needMinutes) errs.push(rowError(e, row.columnOf('end')));
        }
      }
    }
    return out;
  };

  /** The row's minutes: its one duration cell, or its start and end (span); undefined after an error (in errs). */
  const minutesOf = (row: ImportRow, span: { minutes?: number } | undefined, spanFailed: boolean, errs: RowError[]): number | undefined => {
    let found: (typeof DURATION_FIELDS)[number] | undefined;
    for (const f of DURATION_FIELDS) {
      const v = row.get(f);
      if (v === undefined || v === '') continue;
      if (found !== undefined) {
        errs.push(new RowError(row.columnOf(f), `give only one of ${row.columnOf(found)}, ${row.columnOf(f)}`));
        return undefined;
      }
      found = f;
    }
    if (found === undefined) {
      if (span?.minutes !== undefined) return span.minutes;
      if (spanFailed) return undefined;
      errs.push(
        new RowError(
          row.columnOf('hours') ?? row.columnOf('minutes') ?? row.columnOf('duration') ?? 'hours',
          'a duration is required (an hours, minutes or duration cell, or a start and an end time)',
        ),
      );
      return undefined;
    }
    const col: DurationColumn = found;
    try {
      return cell(row, found, (v) => parseDurationCell(v, col, decimalComma));
    } catch (e) {
      errs.push(rowError(e, row.columnOf(found)));
      return undefined;
    }
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
    let statusCell: HoursStatus | undefined;
    let statusError: unknown;
    try {
      const meaning = cell(row, 'status', parseStatusWord);
      if (meaning === 'skip') {
        // Not hours (No-Show, Canceled, void…): counted as skipped, never stored.
        const word = row.get('status')!;
        skippedWords.set(word, (skippedWords.get(word) ?? 0) + 1);
        voidRows++;
        return 'void';
      }
      statusCell = meaning;
    } catch (e) {
      statusError = e;
    }
    // Every problem of the row is listed (Contract v2), not only the first.
    const errs: RowError[] = [];
    const take = <T>(field: string, fn: (s: string) => T): T | undefined => {
      try {
        return cell(row, field, fn);
      } catch (e) {
        errs.push(rowError(e, row.columnOf(field)));
        return undefined;
      }
    };
    const dateCell = take('date', parseDateCell);
    const dateFailed = errs.length > 0;
    const before = errs.length;
    const span = spanOf(row, errs);
    const spanFailed = errs.length > before;
    const date = dateCell ?? span.date;
    if (date === undefined && !dateFailed && !spanFailed) errs.push(new RowError(row.columnOf('date') ?? 'date', 'a date is required'));
    const minutes = minutesOf(row, span, spanFailed, errs);
    // A date column and a dated start, or a duration and a start and end, that disagree: which is right? Said once, at the end.
    if (dateCell !== undefined && span.date !== undefined && span.date !== dateCell) (disagree.date ??= { line: row.line, n: 0 }).n++;
    if (minutes !== undefined && span.minutes !== undefined && span.minutes !== minutes) (disagree.minutes ??= { line: row.line, n: 0 }).n++;
    const milesCell = take('miles', parseMilesCell);
    const kmCell = take('km', parseKmCell);
    if (milesCell !== undefined && kmCell !== undefined) errs.push(new RowError(row.columnOf('km'), 'give miles or km, not both'));
    const expenses = take('expenses', parseExpensesCell) ?? 0;
    const reimbursed = take('reimbursed', parseReimbursedCell) ?? false;
    const activity = take('activity', parseActivity) ?? defaultActivity;
    const note = take('note', parseNote) ?? null;
    let person: PersonHit | undefined;
    try {
      person = await personOf(row);
    } catch (e) {
      errs.push(rowError(e, row.columnOf('person')));
    }
    let prog: Program | { code: string; name: string } | undefined;
    try {
      prog = await programOf(row);
    } catch (e) {
      errs.push(rowError(e, row.columnOf('program')));
    }
    if (errs.length > 0) {
      if (statusError) errs.push(rowError(statusError, row.columnOf('status')));
      throw rowErrors(errs);
    }
    let program: Program;
    if (!('id' in prog!)) {
      // A new program: no entry can match yet, so the row will be inserted; check it before creating.
      if (statusError) throw statusError;
      assertNewEntryAllowed(row, date!, person!, null);
      program = await createProgram(prog!.code, prog!.name);
    } else program = prog;
    const content: EntryContent = {
      person_id: typeof person === 'number' ? person : person!.id,
      program_id: program.id,
      date: date!,
      minutes: minutes!,
      activity,
      miles: milesCell ?? kmCell ?? 0,
      expenses,
      reimbursed: reimbursed ? 1 : 0,
      note,
    };
    const fp = fingerprint(content);
    const headcount = row.get('headcount');
    if (headcount && /^\d+$/.test(headcount) && Number(headcount) > 1) groupRows++;
    return { statusCell, statusError, date: date!, person: person!, program, content, fp };
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
    encoding: o.encoding,
    dates,
    dryRun: o.dryRun,
    skipInvalid: o.skipInvalid,
    rejects: o.rejects,
    json: o.json,
    begin: async (_importId, read) => {
      decimalComma = o.decimalComma ?? read.delimiter === ';';
      if (o.program !== undefined) {
        // One line for a wrong --program, not one error per row (rows with a program cell of their own keep it).
        const found = await programsMatching(o.program);
        if (found.length === 0 && !o.createPrograms)
          throw new NotFoundError(`--program ${o.program}: no such program`, 'list them with ngo programs list, or add it with ngo programs add');
        if (found.length > 1)
          throw new ConflictError(`--program ${o.program} matches ${found.length} programs (${found.map((p) => p.code).join(', ')}): give its code`);
      }
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
      if (created.length > 0) app.info(`${o.dryRun ? 'would create' : 'created'} program(s): ${created.join(', ')} (rename with ngo programs edit)`);
      if (voidRows > 0)
        app.info(`skipped ${voidRows} row(s) whose status is not hours (${[...skippedWords].map(([w, n]) => `${w} ${n}`).join(', ')}); they were not stored`);
      if (disagree.date)
        app.warn(
          `${disagree.date.n} row(s) have a date that is not the date of their start (from line ${disagree.date.line}): the date column was used; check them`,
        );
      if (disagree.minutes)
        app.warn(
          `${disagree.minutes.n} row(s) have a duration that is not the time from their start to their end (from line ${disagree.minutes.line}): the duration was used (a break taken out?); check them`,
        );
      if (groupRows > 0)
        app.warn(
          `${groupRows} row(s) are a group's shift (Number of Volunteers above 1): each was imported as the named volunteer's own hours, not multiplied; log the others' hours under their own names`,
        );
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
