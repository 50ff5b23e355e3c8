/** `ngo hours …`: log, list, review (approve, reject, edit, void) and import volunteer hours. */
import { Option, type Command } from '../commander.js';
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import {
  examples,
  flag,
  importHours,
  periodOf,
  withDuration,
  withFormat,
  withImportOptions,
  withJson,
  withPeriod,
  type PeriodOptions,
  type Register,
} from './common.js';
import {
  ACTIVITIES,
  DEFAULT_ACTIVITY,
  LIST_STATUSES,
  MAX_DAY_MINUTES,
  parseNote,
  parseActivity,
  validateEntry,
  type Activity,
  type EntryContent,
  type HoursStatus,
  type ListStatus,
} from '../domain/hours.js';
import { assertActivePerson, assertActiveProgram, parseRecordId, resolvePerson, resolveProgram } from '../services/refs.js';
import { approveEntries, assertVoidable, describeEntry, editEntry, loadEntry, logEntry, rejectEntry, voidEntryRecord } from '../services/hours.js';
import { displayName } from '../domain/people.js';
import { parseDate, type DateFormat } from '../domain/dates.js';
import { parseMoney } from '../domain/money.js';
import { durationFromOptions, formatHours } from '../domain/duration.js';
import { parseKm, parseMiles } from '../domain/distance.js';
import { getPerson } from '../store/people.js';
import { dayMinutes, getHours, hoursListRow, listHours } from '../store/hours.js';
import { renderJson, type Column, type Row } from '../io/output.js';
import { askDate, askDuration, askParsed, askText, pickPerson, pickProgram } from '../io/pickers.js';
import { addHoursCorrections } from './corrections.js';

export const HOURS_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'person_id', kind: 'int' },
  { key: 'first_name' },
  { key: 'last_name' },
  { key: 'email' },
  { key: 'program_code' },
  { key: 'activity' },
  { key: 'hours', kind: 'dec2' },
  { key: 'miles', kind: 'dec2' },
  { key: 'expenses', kind: 'dec2' },
  { key: 'reimbursed' },
  { key: 'status' },
  { key: 'note' },
];
/**
 * What a narrow terminal leaves out of the entries' table first (src/io/table.ts): the note, then
 * the person id, reimbursed, expenses, miles, activity; never the id, date, volunteer, program,
 * hours or status. `--columns` brings any back.
 */
const TABLE_DROP: Record<string, number> = { note: 6, person_id: 5, reimbursed: 4, expenses: 3, miles: 2, activity: 1 };
/** What a terminal table shows of an entry: the volunteer's name in one column, no e-mail (CSV and JSON have every column). */
const HOURS_TABLE: Column[] = [
  ...HOURS_COLUMNS.slice(0, 3),
  { key: 'volunteer' },
  ...HOURS_COLUMNS.filter((c) => !['id', 'date', 'person_id', 'first_name', 'last_name', 'email'].includes(c.key)),
].map((c) => (TABLE_DROP[c.key] === undefined ? c : { ...c, drop: TABLE_DROP[c.key] }));
/**
 * Why an entry is void or rejected (issue 19): a last table column of `--status rejected|void|all`
 * (the default list keeps its width). CSV and JSON keep the contract's columns; `ngo audit --entity
 * hours --id N` has every reason.
 */
const REASON_COLUMN: Column = { key: 'reason' };

/** The fields of an entry that the audit log records. */
async function recordOf(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: (await hoursListRow(await app.db(), id)) as unknown as Row, columns: HOURS_COLUMNS };
}

/** "12", "#12" → 12; anything else is a usage error. */
export function parseEntryId(s: string): number {
  return parseRecordId(s, 'entry');
}

const parseExpenses = (s: string): number => parseMoney(s, 'expenses', { allowZero: true });

/** Miles from --miles or --km (converted), in hundredths. */
function distanceFromOptions(opts: { miles?: string; km?: string }): number | undefined {
  if (opts.miles !== undefined && opts.km !== undefined) throw new UsageError('give --miles or --km, not both');
  if (opts.miles !== undefined) return flag('--miles', opts.miles, parseMiles);
  if (opts.km !== undefined) return flag('--km', opts.km, parseKm);
  return undefined;
}

function durationOf(opts: { hours?: string; minutes?: string; duration?: string }): number | undefined {
  return durationFromOptions({ hours: opts.hours, minutes: opts.minutes, duration: opts.duration });
}

/** Warn when a person's day passes 24 h (approved + pending entries). */
export async function warnDay(app: App, personId: number, date: string): Promise<void> {
  const total = await dayMinutes(await app.db(), personId, date);
  if (total > MAX_DAY_MINUTES) {
    const p = await getPerson(await app.db(), personId);
    app.warn(
      `${p ? displayName(p) : `person #${personId}`} now has ${formatHours(total)} h on ${date}, more than 24 h in one day; check for a duplicate or a typo`,
    );
  }
}

// ---- log ---------------------------------------------------------------------------------------

interface LogOptions {
  program?: string;
  hours?: string;
  minutes?: string;
  duration?: string;
  date?: string;
  activity?: string;
  miles?: string;
  km?: string;
  expenses?: string;
  reimbursed?: boolean;
  note?: string;
  pending?: boolean;
  allowFuture?: boolean;
  allowDuplicate?: boolean;
  json?: boolean;
}

async function log(app: App, personArg: string | undefined, opts: LogOptions): Promise<void> {
  // Parse what was given first, so that a bad flag fails before any prompt.
  const given = durationOf(opts);
  let miles = distanceFromOptions(opts);
  let expenses = flag('--expenses', opts.expenses, parseExpenses);
  let reimbursed = opts.reimbursed === true;
  let note: string | null | undefined = parseNote(opts.note);
  let activity = flag('--activity', opts.activity, parseActivity);
  let date = flag('--date', opts.date, (s) => parseDate(s, 'iso', 'date'));
  const interactive = app.canPrompt && (personArg === undefined || opts.program === undefined || given === undefined);

  const v = await app.need({
    person: { flag: 'PERSON', value: personArg, ask: () => pickPerson(app, 'Volunteer') },
    program: { flag: '--program', value: opts.program, ask: () => pickProgram(app) },
    minutes: { flag: '--hours, --minutes or --duration', value: given, ask: () => askDuration(app) },
  });
  if (interactive) {
    if (date === undefined) date = await askDate(app, 'Date of service', { allowFuture: opts.allowFuture === true });
    if (activity === undefined) {
      activity = await app.prompter.select<Activity>({
        message: 'Activity',
        choices: ACTIVITIES.map((a) => ({ name: a, value: a })),
        default: DEFAULT_ACTIVITY,
      });
    }
    // Mileage and out-of-pocket costs are what the tax report deducts: asked with the flags' own rules.
    if (miles === undefined) miles = await askParsed(app, 'Miles driven for the service (optional)', (s) => parseMiles(s), { optional: true });
    if (expenses === undefined) expenses = await askParsed(app, 'Out-of-pocket expenses, e.g. 12.50 (optional)', parseExpenses, { optional: true });
    if (opts.reimbursed === undefined && ((miles ?? 0) > 0 || (expenses ?? 0) > 0))
      reimbursed = await app.prompter.confirm({ message: 'Did the NGO pay them back (then they are not deductible)?', default: false });
    if (opts.note === undefined) note = await askParsed(app, 'Note (optional; never client-identifying details)', (s) => parseNote(s), { optional: true });
  }

  const person = await resolvePerson(await app.db(), v.person);
  const program = await resolveProgram(await app.db(), v.program);
  const content: EntryContent = {
    person_id: person.id,
    program_id: program.id,
    date: date ?? app.today(),
    minutes: v.minutes,
    activity: activity ?? DEFAULT_ACTIVITY,
    miles: miles ?? 0,
    expenses: expenses ?? 0,
    reimbursed: reimbursed ? 1 : 0,
    note: note ?? null,
  };
  validateEntry(content, { today: app.today(), allowFuture: opts.allowFuture });
  assertActivePerson(person);
  assertActiveProgram(program);
  const status: HoursStatus = opts.pending ? 'pending' : 'approved';
  await app.confirmWrite(
    `Log ${formatHours(content.minutes)} h of ${content.activity} for ${displayName(person)} (${program.code}) on ${content.date}${status === 'pending' ? ' as pending' : ''}`,
  );

  const id = await logEntry(app, content, status, { allowDuplicate: opts.allowDuplicate });
  await warnDay(app, person.id, content.date);
  app.emitWrite(
    id,
    `Logged ${formatHours(content.minutes)} h${status === 'pending' ? ' (pending approval)' : ''} for ${displayName(person)} (${program.code}) — entry #${id}`,
    opts,
    await recordOf(app, id),
  );
}

// ---- list --------------------------------------------------------------------------------------

async function list(
  app: App,
  opts: PeriodOptions & { person?: string; program?: string; activity?: string; status?: string; format?: string; json?: boolean },
): Promise<void> {
  const period = await periodOf(app, opts);
  const status = opts.status === undefined ? undefined : (opts.status.toLowerCase() as ListStatus);
  const rows = await listHours(await app.db(), {
    personId: opts.person !== undefined ? (await resolvePerson(await app.db(), opts.person)).id : undefined,
    programId: opts.program !== undefined ? (await resolveProgram(await app.db(), opts.program)).id : undefined,
    activity: flag('--activity', opts.activity, parseActivity),
    start: period?.start,
    end: period?.end,
    status,
  });
  const table = app.format(opts) === 'table';
  const shown = table
    ? rows.map((r) => ({
        ...r,
        volunteer: displayName({ first_name: r.first_name as string, last_name: r.last_name as string | null }),
        reason: r.status === 'void' ? r.void_reason : r.status === 'rejected' ? r.reject_reason : null,
      }))
    : rows;
  const withReasons = table && status !== undefined && status !== 'approved' && status !== 'pending';
  await app.printRows(shown as unknown as Row[], HOURS_COLUMNS, opts, withReasons ? [...HOURS_TABLE, REASON_COLUMN] : HOURS_TABLE);
}

// ---- review ------------------------------------------------------------------------------------

async function printMany(app: App, ids: number[], summary: string, opts: { json?: boolean }): Promise<void> {
  if (opts.json) {
    app.outData(renderJson((await listHours(await app.db(), { ids, status: 'all' })) as unknown as Row[], HOURS_COLUMNS));
  } else if (ids.length > 0) {
    app.out(ids.join('\n') + '\n');
  }
  app.success(summary);
}

async function approve(
  app: App,
  idArgs: string[],
  opts: PeriodOptions & { allPending?: boolean; person?: string; program?: string; json?: boolean },
): Promise<void> {
  const scoped = opts.period !== undefined || opts.from !== undefined || opts.to !== undefined || opts.person !== undefined || opts.program !== undefined;
  if (idArgs.length > 0 && opts.allPending) throw new UsageError('give entry ids or --all-pending, not both');
  if (idArgs.length === 0 && !opts.allPending) throw new UsageError('missing entry ids: give one or more ids, or --all-pending [--period P]');
  if (!opts.allPending && scoped) throw new UsageError('--period, --from, --to, --person and --program go with --all-pending');
  const requested = idArgs.map(parseEntryId);
  const period = opts.allPending ? await periodOf(app, opts) : undefined;
  const personId = opts.person !== undefined ? (await resolvePerson(await app.db(), opts.person)).id : undefined;
  const programId = opts.program !== undefined ? (await resolveProgram(await app.db(), opts.program)).id : undefined;

  const result = await approveEntries(app, opts.allPending ? { start: period?.start, end: period?.end, personId, programId } : Array.from(new Set(requested)));
  const n = result.ids.length;
  await printMany(
    app,
    result.ids,
    n === 0 ? 'No pending entries to approve' : `Approved ${n} entr${n === 1 ? 'y' : 'ies'} (${formatHours(result.minutes)} h)`,
    opts,
  );
}

async function reject(app: App, idArg: string, opts: { reason?: string; json?: boolean }): Promise<void> {
  const id = parseEntryId(idArg);
  await loadEntry(app, id);
  const { reason } = await app.need({
    reason: { flag: '--reason', value: opts.reason?.trim() || undefined, ask: () => askText(app, 'Reason for rejecting', { required: true }) },
  });
  await rejectEntry(app, id, reason);
  app.emitWrite(id, `Rejected ${await describeEntry(app, (await getHours(await app.db(), id))!)}: ${reason.trim()}`, opts, await recordOf(app, id));
}

async function voidEntry(app: App, idArg: string, opts: { reason?: string; yes?: boolean; json?: boolean }): Promise<void> {
  const id = parseEntryId(idArg);
  const e0 = await loadEntry(app, id);
  assertVoidable(e0);
  const { reason } = await app.need({
    reason: { flag: '--reason', value: opts.reason?.trim() || undefined, ask: () => askText(app, 'Reason for voiding', { required: true }) },
  });
  await app.confirm(`Void ${await describeEntry(app, e0)}?`, opts.yes);
  await voidEntryRecord(app, id, reason);
  app.emitWrite(id, `Voided ${await describeEntry(app, (await getHours(await app.db(), id))!)}: ${reason.trim()}`, opts, await recordOf(app, id));
}

interface EditOptions extends LogOptions {
  reimbursed?: boolean;
}

async function edit(app: App, idArg: string, opts: EditOptions): Promise<void> {
  const id = parseEntryId(idArg);
  const changes: Partial<EntryContent> = {};
  const minutes = durationOf(opts);
  if (minutes !== undefined) changes.minutes = minutes;
  const miles = distanceFromOptions(opts);
  if (miles !== undefined) changes.miles = miles;
  const expenses = flag('--expenses', opts.expenses, parseExpenses);
  if (expenses !== undefined) changes.expenses = expenses;
  const date = flag('--date', opts.date, (s) => parseDate(s, 'iso', 'date'));
  if (date !== undefined) changes.date = date;
  const activity = flag('--activity', opts.activity, parseActivity);
  if (activity !== undefined) changes.activity = activity;
  if (opts.reimbursed !== undefined) changes.reimbursed = opts.reimbursed ? 1 : 0;
  if (opts.note !== undefined) changes.note = parseNote(opts.note);
  if (opts.program !== undefined) {
    const g = await resolveProgram(await app.db(), opts.program);
    changes.program_id = g.id;
  }
  if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give at least one --field value (see ngo hours edit --help)');

  const changed = await editEntry(app, id, changes, { allowFuture: opts.allowFuture });
  const e = (await getHours(await app.db(), id))!;
  if (changed && ('minutes' in changes || 'date' in changes)) await warnDay(app, e.person_id, e.date);
  app.emitWrite(id, changed ? `Updated entry #${id}` : `Entry #${id} already had these values; nothing changed`, opts, await recordOf(app, id));
}

// ---- registration ------------------------------------------------------------------------------

/** The fields `hours log` and `hours edit` share; `log` defaults the activity, `edit` keeps the entry's. */
function withEntryFields(cmd: Command, activityDefault = `(default ${DEFAULT_ACTIVITY})`): Command {
  return cmd
    .option('--activity <activity>', `one of ${ACTIVITIES.join(', ')} ${activityDefault}`)
    .option('--miles <n>', 'miles driven for the service, up to 2 decimals')
    .option('--km <n>', 'kilometres driven (stored as miles)')
    .option('--expenses <amount>', 'out-of-pocket costs, e.g. 12.50')
    .option('--note <text>', 'a note (never client-identifying details)')
    .option('--allow-future', 'accept a date after today');
}

export const registerHours: Register = (program, env) => {
  const hours = program.command('hours').description('volunteer hours: log, list, approve/reject, edit, void, import');

  examples(
    withJson(
      withEntryFields(
        withDuration(
          hours
            .command('log')
            .argument('[person]', 'id, email or external id (asked for on a terminal)')
            .description('log hours for a volunteer; prints the new entry id')
            .option('--program <code>', 'program code, e.g. TELE'),
        ),
      )
        .option('--date <date>', 'date of service, YYYY-MM-DD (default today)')
        .option('--reimbursed', 'the NGO paid back the mileage/expenses (then they are not tax-deductible)')
        .option('--pending', 'log as pending; it counts in reports once approved')
        .option('--allow-duplicate', 'log it even when an entry with exactly this content exists (a second identical session that day)'),
    ),
    'ngo hours log ana@example.org --program TELE --hours 2.5',
    'ngo hours log V-01001 --program SCHOOL --duration 1:30 --date 2026-11-20 --activity outreach --km 10 --expenses 12.50',
    'ngo hours log 17 --program PEER --minutes 45 --activity peer-support --pending --note "evening group"',
  ).action((person, opts, cmd) => log(env.app(cmd), person, opts));

  examples(
    withFormat(
      withPeriod(
        hours
          .command('list')
          .description('list entries (default: every non-void entry), in date order')
          .option('--person <ref>', 'only this person (id, email or external id)')
          .option('--program <code>', 'only this program')
          .option('--activity <activity>', 'only this activity')
          .addOption(new Option('--status <status>', 'approved, pending, rejected, void or all (default: all but void)').choices([...LIST_STATUSES])),
      ),
    ),
    'ngo hours list --period last-month --status pending',
    'ngo hours list --person ana@example.org --period FY2026 --format json',
    'ngo hours list --program TELE --from 2026-07-01 --to 2026-09-30 > tele-q3.csv',
  ).action((opts, cmd) => list(env.app(cmd), opts));

  examples(
    withPeriod(
      hours
        .command('approve')
        .argument('[ids...]', 'entry ids')
        .description('approve pending entries (all or nothing: a non-pending id stops the command); prints the ids')
        .option('--all-pending', 'approve every pending entry (narrow with --period, --from/--to, --person, --program)')
        .option('--person <ref>', 'with --all-pending: only this person')
        .option('--program <code>', 'with --all-pending: only this program'),
    ).option('--json', 'print the approved entries as JSON instead of their ids'),
    'ngo hours approve 1201 1202 1205',
    'ngo hours approve --all-pending --period last-month',
  ).action((ids, opts, cmd) => approve(env.app(cmd), ids, opts));

  examples(
    withJson(
      hours
        .command('reject')
        .argument('<id>', 'entry id')
        .description('reject a pending or approved entry; it no longer counts in reports')
        .option('--reason <text>', 'why (required; asked for on a terminal)'),
    ),
    'ngo hours reject 1203 --reason "duplicate of 1202"',
  ).action((id, opts, cmd) => reject(env.app(cmd), id, opts));

  examples(
    withJson(
      withEntryFields(
        withDuration(
          hours
            .command('edit')
            .argument('<id>', 'entry id')
            .description('correct an entry; the change is audited')
            .option('--date <date>', 'date of service, YYYY-MM-DD'),
        ),
        '(unchanged unless given)',
      )
        .option('--program <code>', 'program code')
        .option('--reimbursed', 'mark mileage/expenses as reimbursed')
        .option('--no-reimbursed', 'mark them as not reimbursed'),
    ),
    'ngo hours edit 1203 --hours 1.75',
    'ngo hours edit 1203 --km 10 --expenses 0 --note "bus fare paid by client"',
  ).action((id, opts, cmd) => edit(env.app(cmd), id, opts));

  examples(
    withJson(
      hours
        .command('void')
        .argument('<id>', 'entry id')
        .description('void an entry (kept, never counted); entries made by a supervision session are voided with the session')
        .option('--reason <text>', 'why (required; asked for on a terminal)')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo hours void 1203 --reason "logged twice" --yes',
  ).action((id, opts, cmd) => voidEntry(env.app(cmd), id, opts));

  examples(
    withImportOptions(
      hours
        .command('import')
        .description('import hour logs from CSV; re-importing the same or an overlapping file adds no duplicates; all or nothing unless --skip-invalid'),
    )
      .option('--pending', 'import the entries as pending (rows marked rejected stay rejected)')
      .option('--create-programs', 'create programs the file names that do not exist yet (a code made from a name, keeping the name)')
      .option('--program <code>', 'the program of rows that name none (a file with no program column)')
      .option('--activity <activity>', `the activity of rows that name none (default ${DEFAULT_ACTIVITY})`)
      .option('--allow-future', 'accept dates after today')
      .option('--json', 'print the summary (counts, errors) as a JSON object on stdout')
      .addHelpText(
        'after',
        `
Columns (headers match case-insensitively, ignoring spaces, _ and -; common synonyms such as
"Volunteer Email", "Date of Service", "Hours Worked", "Program Code", "Mileage", "Notes" work):
  person | email | external_id   who (person: id, email or external id)        required
    or name | first+last name    a full name ("First Last" or "Last, First") that names exactly one person
  date                           YYYY-MM-DD, M/D/YYYY or D/M/YYYY; a time after it is dropped     required
  hours | minutes | duration     1.5 | 90 | 1:30, 1:5, 01:30:00, 90 min, 1h30, 1.5 h (> 0, <= 24 h) required
    or start + end               9:00 AM + 11:30 AM, or 2025-04-01 09:00:00 + 2025-04-01 11:30:00
  program                        program code or name (--program CODE for a file without one) required
  activity                       ${ACTIVITIES.join(', ')} (default ${DEFAULT_ACTIVITY})
  miles | km                     distance driven (km converted to miles)
  expenses                       out-of-pocket costs, e.g. 12.50 (12,50 with --decimal-comma)
  reimbursed                     yes/no/true/false/1/0 (default no)
  status                         approved (default; also Completed, Verified, Confirmed, Attended),
                                 pending (Submitted, Unverified), rejected (Declined); void, No-Show,
                                 Canceled, Prospect, Web Sign Up: not hours, skipped
  note                           free text
Slash dates without --date-format are read the one way that fits every row; when both fit, nothing
is imported and the error asks for --date-format. Exports of Volunteers for Salesforce, Galaxy
Digital and rubyforgood/casa import as they are: see the README.
The columns of \`ngo hours list\` are accepted as they are, so an export re-imports as unchanged.`,
      ),
    'ngo hours import timesheets-october.csv --dry-run',
    'ngo hours import export.csv --pending --skip-invalid --rejects rejected.csv',
    'ngo hours import sheet.csv --map "Volunteer=email" --map "Time=duration" --date-format mdy --create-programs',
  ).action(async (file, opts, cmd) => {
    const app = env.app(cmd);
    await importHours(app, file, { ...opts, dateFormat: opts.dateFormat as DateFormat });
  });
  addHoursCorrections(hours, env);
};
