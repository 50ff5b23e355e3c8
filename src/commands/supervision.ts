/** `ngo supervision …`: clinical supervision sessions (add, list, void) and progress toward licensure. */
import { Option, type Command } from '../commander.js';
import { withDrops } from '../io/table.js';
import type { App } from '../app.js';
import { ConflictError, UsageError, ValidationError } from '../errors.js';
import { collect, examples, flag, periodOf, withDuration, withFormat, withJson, withPeriod, type PeriodOptions, type Register } from './common.js';
import { warnDay } from './hours.js';
import {
  FORMATS,
  MODALITIES,
  checkAttendance,
  checkFormat,
  defaultFormat,
  formatsFor,
  licenceProblem,
  licenceSnapshot,
  parseFormat,
  parseModality,
  parseShare,
  type Modality,
  type SupervisionFormat,
} from '../domain/supervision.js';
import { assertActivePerson, assertActiveProgram, describePerson, parseRecordId, resolvePerson, resolveProgram } from '../services/refs.js';
import { assertSessionVoidable, loadSession, recordSession, voidSessionRecord } from '../services/supervision.js';
import { displayName, type Person } from '../domain/people.js';
import { parseDate } from '../domain/dates.js';
import { assertNotFuture, parseNote } from '../domain/hours.js';
import { durationFromOptions, formatHours, minutesToHundredths, parseHours } from '../domain/duration.js';
import { getPerson } from '../store/people.js';
import { attendeesOf, linkedHoursIds, listSessions, type SessionListRow, type SessionStatus } from '../store/supervision.js';
import type { Column, Row } from '../io/output.js';
import { askDate, askDuration, askText, pickOptionalProgram, pickPerson, pickProgram } from '../io/pickers.js';
import { PROGRESS_COLUMNS, PROGRESS_OVERVIEW_COLUMNS, progressOverview, progressRows, superviseeProgress } from '../reports/supervision.js';
import type { ProgressRules } from '../domain/supervision.js';
import { registerSupervisionPlan } from './supervision-plan.js';
import { planProgress } from './supervision-progress-plan.js';
import { addSupervisionCorrections } from './corrections.js';

export const TOPIC_WARNING = 'never client-identifying details (no names, initials, dates of birth or case numbers)';

export const SESSION_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'supervisor_id', kind: 'int' },
  { key: 'supervisor' },
  { key: 'supervisor_credential' },
  { key: 'supervisee_ids' },
  { key: 'supervisees' },
  { key: 'format' },
  { key: 'modality' },
  { key: 'program_code' },
  { key: 'minutes', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'topic' },
  { key: 'hours_entry_id', kind: 'int' },
  { key: 'status' },
];
const SESSION_TABLE: Column[] = withDrops(
  SESSION_COLUMNS.filter((c) => ['id', 'date', 'supervisor', 'supervisees', 'format', 'modality', 'program_code', 'hours', 'status'].includes(c.key)),
  { modality: 4, program_code: 3, format: 2, status: 1 },
);
/** `supervision progress --all` on a narrow terminal: who, the last session, hours, months under the minimum, status. */
const PROGRESS_OVERVIEW_TABLE: Column[] = withDrops(PROGRESS_OVERVIEW_COLUMNS, {
  individual_hours: 8,
  group_hours: 7,
  first_session: 6,
  required_hours: 5,
  remaining_hours: 4,
  months: 3,
  group_share: 2,
  sessions: 1,
});
/** Why a session is void (issue 19): a last table column of `--status void|all`. CSV and JSON keep the contract's columns. */
const VOID_REASON_COLUMN: Column = { key: 'void_reason' };

export async function sessionRows(app: App, list: SessionListRow[]): Promise<Row[]> {
  const attendees = await attendeesOf(
    await app.db(),
    list.map((s) => s.id),
  );
  return list.map((s) => {
    const who = attendees.get(s.id) ?? [];
    return {
      id: s.id,
      date: s.date,
      supervisor_id: s.supervisor_id,
      supervisor: displayName({ first_name: s.supervisor_first, last_name: s.supervisor_last }),
      supervisor_credential: s.supervisor_credential,
      supervisee_ids: who.map((p) => p.id).join(';'),
      supervisees: who.map((p) => displayName(p)).join('; '),
      format: s.format,
      modality: s.modality,
      program_code: s.program_code,
      minutes: s.minutes,
      hours: minutesToHundredths(s.minutes),
      topic: s.topic,
      hours_entry_id: s.hours_entry_id,
      status: s.status,
      void_reason: s.void_reason,
    };
  });
}

async function recordOf(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: (await sessionRows(app, await listSessions(await app.db(), { ids: [id], status: 'all' })))[0]!, columns: SESSION_COLUMNS };
}

export function parseSessionId(s: string): number {
  return parseRecordId(s, 'session', 'ngo supervision list');
}

const name = async (app: App, id: number): Promise<string> => {
  const p = await getPerson(await app.db(), id);
  return p ? displayName(p) : `person #${id}`;
};

// ---- add ---------------------------------------------------------------------------------------

interface AddOptions {
  supervisor?: string;
  supervisee?: string[];
  hours?: string;
  minutes?: string;
  duration?: string;
  date?: string;
  format?: string;
  modality?: string;
  program?: string;
  topic?: string;
  logHours?: boolean;
  allowFuture?: boolean;
  allowUnlicensed?: boolean;
  json?: boolean;
}

/** Ask for supervisees one by one until the user says that is all. */
async function askSupervisees(app: App): Promise<string[]> {
  const refs = [await pickPerson(app, 'Supervisee')];
  while (await app.prompter.confirm({ message: 'Add another supervisee to this session?', default: false })) refs.push(await pickPerson(app, 'Supervisee'));
  return refs;
}

async function add(app: App, opts: AddOptions): Promise<void> {
  // Bad flags fail before any prompt.
  const given = durationFromOptions({ hours: opts.hours, minutes: opts.minutes, duration: opts.duration });
  let date = flag('--date', opts.date, (s) => parseDate(s, 'iso', '--date'));
  let format = flag('--format', opts.format, parseFormat);
  let modality = flag('--modality', opts.modality, parseModality);
  const refsGiven = opts.supervisee
    ?.flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const interactive = app.canPrompt && (opts.supervisor === undefined || !refsGiven?.length || given === undefined);

  const v = await app.need({
    supervisor: { flag: '--supervisor', value: opts.supervisor, ask: () => pickPerson(app, 'Supervisor') },
    supervisees: { flag: '--supervisee', value: refsGiven?.length ? refsGiven : undefined, ask: () => askSupervisees(app) },
    minutes: { flag: '--hours, --minutes or --duration', value: given, ask: () => askDuration(app) },
  });
  let topic = opts.topic;
  let programRef = opts.program;
  let logHours = opts.logHours === true;
  if (interactive) {
    if (date === undefined) date = await askDate(app, 'Date of the session', { allowFuture: opts.allowFuture === true });
    // The head count decides the format, except for two supervisees (triadic, or a group where two came).
    const fitting = formatsFor(v.supervisees.length);
    if (format === undefined && fitting.length > 1) {
      format = await app.prompter.select<SupervisionFormat>({
        message: `Format (${v.supervisees.length} supervisees)`,
        choices: fitting.map((f) => ({ name: f, value: f })),
        default: defaultFormat(v.supervisees.length),
      });
    }
    if (modality === undefined)
      modality = await app.prompter.select<Modality>({ message: 'Modality', choices: MODALITIES.map((m) => ({ name: m, value: m })), default: 'in-person' });
    // The program puts the session in that program's funder reports; --log-hours needs one.
    if (programRef === undefined && !logHours) {
      programRef = await pickOptionalProgram(app, 'Program (counts in that program’s funder reports)');
      if (programRef !== undefined && opts.logHours === undefined)
        logHours = await app.prompter.confirm({ message: `Also log the supervisor’s time as volunteer hours in ${programRef}?`, default: false });
    }
    if (topic === undefined) topic = await askText(app, `Topic (optional; ${TOPIC_WARNING})`);
  }
  if (logHours && programRef === undefined) {
    programRef = (
      await app.need({
        program: { flag: '--program (needed by --log-hours)', value: undefined, ask: () => pickProgram(app, 'Program for the supervisor’s hours') },
      })
    ).program;
  }

  const supervisor = await resolvePerson(await app.db(), v.supervisor);
  const people: Person[] = [];
  for (const r of v.supervisees) people.push(await resolvePerson(await app.db(), r));
  const ids = people.map((p) => p.id);
  checkAttendance(supervisor.id, ids, (id) => (id === supervisor.id ? displayName(supervisor) : displayName(people.find((p) => p.id === id)!)));
  for (const p of [supervisor, ...people]) assertActivePerson(p);
  const program = programRef !== undefined ? await resolveProgram(await app.db(), programRef) : undefined;
  if (program) assertActiveProgram(program);
  const fmt = format ?? defaultFormat(ids.length);
  checkFormat(fmt, ids.length);
  const day = date ?? app.today();
  assertNotFuture(day, app.today(), opts.allowFuture);
  // Only a licence valid on the session date makes the session count toward licensure.
  const problem = licenceProblem(supervisor, day);
  // On a terminal the question replaces the flag: a supervisor without a valid licence is not a typo.
  const allowUnlicensed =
    opts.allowUnlicensed === true ||
    (problem !== null &&
      interactive &&
      (await app.prompter.confirm({
        message: `${describePerson(supervisor)} ${problem}: record the session anyway? It will never count toward licensure`,
        default: false,
      })));
  if (problem && !allowUnlicensed) {
    throw new ConflictError(
      `${describePerson(supervisor)} ${problem}: a session on ${day} under them would not count toward licensure`,
      `record the licence first (ngo people edit ${supervisor.id} --license-number N --license-expires DATE), or add --allow-unlicensed to record it anyway (it will never count, and the log marks it)`,
    );
  }
  const values = {
    ...licenceSnapshot(supervisor),
    licensed: problem === null ? (1 as const) : (0 as const),
    supervisor_id: supervisor.id,
    date: day,
    minutes: v.minutes,
    format: fmt,
    modality: modality ?? 'in-person',
    program_id: program?.id ?? null,
    topic: parseNote(topic, 'topic'),
  };
  const whoText = `${displayName(supervisor)} with ${people.map(displayName).join(', ')}`;
  await app.confirmWrite(
    `Record ${formatHours(values.minutes)} h of ${fmt} supervision (${values.modality}): ${whoText} on ${day}${logHours ? ', and log the supervisor’s hours' : ''}`,
  );

  const { id, hoursId } = await recordSession(app, values, ids, logHours ? program!.id : null);
  if (hoursId !== undefined) await warnDay(app, supervisor.id, day);
  if (problem) app.warn(`${displayName(supervisor)} ${problem}: session #${id} is recorded but never counts toward licensure (the log marks it)`);
  app.emitWrite(
    id,
    `Recorded ${formatHours(values.minutes)} h of ${fmt} supervision: ${whoText} on ${day} — session #${id}${hoursId !== undefined ? ` (supervisor’s hours: entry #${hoursId})` : ''}`,
    opts,
    await recordOf(app, id),
  );
}

// ---- list --------------------------------------------------------------------------------------

async function list(
  app: App,
  opts: PeriodOptions & { supervisor?: string; supervisee?: string; status?: SessionStatus; format?: string; json?: boolean },
): Promise<void> {
  const period = await periodOf(app, opts);
  const rows = await listSessions(await app.db(), {
    supervisorId: opts.supervisor !== undefined ? (await resolvePerson(await app.db(), opts.supervisor)).id : undefined,
    superviseeId: opts.supervisee !== undefined ? (await resolvePerson(await app.db(), opts.supervisee)).id : undefined,
    start: period?.start,
    end: period?.end,
    status: opts.status,
  });
  const shown = await sessionRows(app, rows);
  const voidShown = app.format(opts) === 'table' && (opts.status === 'void' || opts.status === 'all');
  await app.printRows(shown, SESSION_COLUMNS, opts, voidShown ? [...SESSION_TABLE, VOID_REASON_COLUMN] : SESSION_TABLE);
}

// ---- void --------------------------------------------------------------------------------------

async function voidCmd(app: App, idArg: string, opts: { reason?: string; yes?: boolean; json?: boolean }): Promise<void> {
  const id = parseSessionId(idArg);
  const s0 = await loadSession(app, id);
  assertSessionVoidable(s0);
  const { reason } = await app.need({
    reason: { flag: '--reason', value: opts.reason?.trim() || undefined, ask: () => askText(app, 'Reason for voiding', { required: true }) },
  });
  const linked = await linkedHoursIds(await app.db(), id);
  const supervisees: string[] = [];
  for (const p of s0.supervisee_ids) supervisees.push(await name(app, p));
  const describe = `supervision session #${id} (${s0.date}, ${formatHours(s0.minutes)} h, ${await name(app, s0.supervisor_id)} with ${supervisees.join(', ')})`;
  await app.confirm(`Void ${describe}${linked.length ? ` and its hours entry #${linked.join(', #')}` : ''}?`, opts.yes);

  const voided = await voidSessionRecord(app, id, reason);
  app.emitWrite(id, `Voided ${describe}${voided.length ? `, with hours entry #${voided.join(', #')}` : ''}: ${reason.trim()}`, opts, await recordOf(app, id));
}

// ---- progress ----------------------------------------------------------------------------------

interface ProgressOptions {
  supervisee?: string;
  all?: boolean;
  requiredHours?: string;
  monthlyMinHours: string;
  groupMaxShare: string;
  format?: string;
  json?: boolean;
}

function rulesOf(opts: ProgressOptions): ProgressRules {
  const required = flag('--required-hours', opts.requiredHours, (s) => parseHours(s, '--required-hours'));
  if (required === 0) throw new ValidationError('--required-hours must be more than 0');
  return {
    requiredMinutes: required,
    monthlyMinMinutes: flag('--monthly-min-hours', opts.monthlyMinHours, (s) => parseHours(s, '--monthly-min-hours'))!,
    groupMaxShare: flag('--group-max-share', opts.groupMaxShare, parseShare)!,
  };
}

async function progressCmd(app: App, opts: ProgressOptions, cmd?: Command): Promise<void> {
  const rules = rulesOf(opts);
  if (opts.all && opts.supervisee !== undefined) throw new UsageError('give --supervisee REF or --all, not both');
  const today = app.today();
  if (opts.all) {
    const rows = await progressOverview(await app.db(), rules, today);
    await app.printRows(rows, PROGRESS_OVERVIEW_COLUMNS, opts, PROGRESS_OVERVIEW_TABLE);
    const off = rows.filter((r) => r['status'] === 'off-track');
    app.info(
      rows.length === 0
        ? 'No supervision sessions recorded yet.'
        : `${rows.length} supervisee${rows.length === 1 ? '' : 's'}, ${off.length} off track${off.length ? ': ' + off.map((r) => r['supervisee']).join(', ') : ''}`,
    );
    return;
  }
  const { supervisee } = await app.need({ supervisee: { flag: '--supervisee (or --all)', value: opts.supervisee, ask: () => pickPerson(app, 'Supervisee') } });
  const person = await resolvePerson(await app.db(), supervisee);
  if (await planProgress(app, person, rules, opts, cmd)) return;
  const p = await superviseeProgress(await app.db(), person.id, rules, today);
  await app.printRows(progressRows(p), PROGRESS_COLUMNS, opts);
  const c = app.chalk;
  app.info(progressSummary(person, p, rules), p.sessions === 0 ? '' : p.onTrack ? c.green('On track.') : c.red('Off track.'));
}

function progressSummary(person: Person, p: Awaited<ReturnType<typeof superviseeProgress>>, rules: ProgressRules): string {
  const who = displayName(person);
  if (p.sessions === 0) return `${who} has no supervision sessions yet.`;
  const parts = [`${who}: ${formatHours(p.minutes)} h of supervision in ${p.sessions} session${p.sessions === 1 ? '' : 's'} since ${p.firstDate}`];
  if (p.requiredMinutes !== null) parts.push(`${formatHours(p.remainingMinutes!)} h to go of ${formatHours(p.requiredMinutes)} h required`);
  parts.push(
    p.monthsUnder.length === 0
      ? `every complete month has at least ${formatHours(rules.monthlyMinMinutes)} h`
      : `${p.monthsUnder.length} month${p.monthsUnder.length === 1 ? '' : 's'} under ${formatHours(rules.monthlyMinMinutes)} h (${p.monthsUnder.join(', ')})`,
  );
  const share = (n: number | null) => (n === null ? '0.00' : (n / 100).toFixed(2));
  parts.push(`group share ${share(p.groupShare)} (at most ${share(rules.groupMaxShare)})${p.groupOver ? ' — too much group supervision' : ''}`);
  return parts.join('; ') + '. ';
}

// ---- registration ------------------------------------------------------------------------------

export const registerSupervision: Register = (program, env) => {
  const sup = program.command('supervision').description('clinical supervision sessions toward licensure: add, list, void, progress');

  examples(
    withJson(
      withDuration(
        sup
          .command('add')
          .description(`record a supervision session with one or more supervisees; prints the session id.\nTopic is free text: ${TOPIC_WARNING}.`)
          .option('--supervisor <ref>', 'the supervising clinician (id, email or external id)')
          .option('--supervisee <ref[,ref…]>', 'supervisee(s), comma-separated or repeated', collect),
      )
        .option('--date <date>', 'date of the session, YYYY-MM-DD (default today)')
        .addOption(
          new Option('--format <format>', 'individual, triadic or group (default from the number of supervisees: 1 individual, 2 triadic, 3+ group)').choices([
            ...FORMATS,
          ]),
        )
        .addOption(new Option('--modality <modality>', 'in-person (default), video or phone').choices([...MODALITIES]))
        .option('--program <code>', 'program the session belongs to (counts in that program’s funder reports)')
        .option('--topic <text>', `what was covered — ${TOPIC_WARNING}`)
        .option('--log-hours', 'also log the supervisor’s time as volunteer hours (activity supervision), voided with the session; needs --program')
        .option('--allow-future', 'accept a date after today')
        .option('--allow-unlicensed', 'record it although the supervisor has no licence valid on that date (it never counts toward licensure)'),
    ),
    'ngo supervision add --supervisor grace@example.org --supervisee ana@example.org --hours 1 --modality video --program TRAIN',
    'ngo supervision add --supervisor 3 --supervisee 11,12,15 --duration 1:30 --date 2026-11-20 --topic "risk assessment practice" --program TRAIN --log-hours',
  ).action((opts, cmd: Command) => add(env.app(cmd), opts));

  examples(
    withFormat(
      withPeriod(
        sup
          .command('list')
          .description('list sessions in date order (default: every session that is not void)')
          .option('--supervisor <ref>', 'only sessions this person supervised')
          .option('--supervisee <ref>', 'only sessions this person attended')
          .addOption(new Option('--status <status>', 'active (default), void or all').choices(['active', 'void', 'all'])),
      ),
    ),
    'ngo supervision list --supervisee ana@example.org --period 2026',
    'ngo supervision list --supervisor grace@example.org --period last-month --format csv > sessions.csv',
  ).action((opts, cmd: Command) => list(env.app(cmd), opts));

  examples(
    withJson(
      sup
        .command('void')
        .argument('<id>', 'session id')
        .description('void a session (kept, never counted) together with the supervisor’s hours entry logged with it')
        .option('--reason <text>', 'why (required; asked for on a terminal)')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo supervision void 42 --reason "entered for the wrong date" --yes',
  ).action((id, opts, cmd: Command) => voidCmd(env.app(cmd), id, opts));

  examples(
    withFormat(
      sup
        .command('progress')
        .description(
          'progress toward licensure: hours per month, months under the monthly minimum, group share, running total (to today); with --all, one line per supervisee showing who is off track',
        )
        .option('--supervisee <ref>', 'the supervisee (id, email or external id)')
        .option('--all', 'every supervisee, one row each')
        .option('--required-hours <n>', 'total supervised hours the board requires, e.g. 200')
        .option('--monthly-min-hours <n>', 'minimum supervision per month', '4')
        .option('--group-max-share <share>', 'largest share of group supervision allowed, 0–1 or a percentage', '0.5'),
    ),
    'ngo supervision progress --supervisee ana@example.org --required-hours 200',
    'ngo supervision progress --all --monthly-min-hours 4 --group-max-share 0.5',
  ).action((opts, cmd: Command) => progressCmd(env.app(cmd), opts, cmd));

  registerSupervisionPlan(sup, env);
  addSupervisionCorrections(sup, env);
};
