/** `ngo mentorship …`: pairings of mentors and mentees, their meetings, and their lifecycle. */
import { Option, type Command } from '../commander.js';
import { withDrops } from '../io/table.js';
import type { App } from '../app.js';
import { ConflictError, ValidationError } from '../errors.js';
import { examples, flag, withDuration, withFormat, withJson, type Register } from './common.js';
import {
  OUTCOMES,
  PAIRING_LIST_STATUSES,
  assertTransition,
  checkEndDate,
  checkMeetingDate,
  daysSinceContact,
  isStale,
  parseOutcome,
  parsePairingId,
  parseStaleDays,
  type Outcome,
  type PairingListStatus,
} from '../domain/mentorship.js';
import { assertActivePerson, assertActiveProgram, describePerson, resolvePerson, resolveProgram } from '../services/refs.js';
import { endPairing, loadPairing, pairPeople, recordMeeting, setPairingState } from '../services/mentorship.js';
import { displayName } from '../domain/people.js';
import { parseDate } from '../domain/dates.js';
import { assertNotFuture, parseNote } from '../domain/hours.js';
import { durationFromOptions, formatHours, minutesToHundredths } from '../domain/duration.js';
import { getPerson } from '../store/people.js';
import { lastMeeting, listPairings, type Pairing, type PairingListRow } from '../store/mentorship.js';
import type { Column, Row } from '../io/output.js';
import { askDate, askDuration, askParsed, askText, pickOptionalProgram, pickPerson } from '../io/pickers.js';
import { addMentorshipCorrections } from './corrections.js';

export const PAIRING_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'mentor_id', kind: 'int' },
  { key: 'mentor' },
  { key: 'mentee_id', kind: 'int' },
  { key: 'mentee' },
  { key: 'program_code' },
  { key: 'start_date', kind: 'date' },
  { key: 'end_date', kind: 'date' },
  { key: 'status' },
  { key: 'outcome' },
  { key: 'meetings', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'last_meeting', kind: 'date' },
  { key: 'days_since_contact', kind: 'int' },
  { key: 'goals' },
];
const MEETING_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'pairing_id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'minutes', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'note' },
];
const PAIRING_TABLE = withDrops(
  PAIRING_COLUMNS.filter((c) => !['mentor_id', 'mentee_id', 'goals'].includes(c.key)),
  // A narrow terminal keeps who, the status and the last contact: the rest goes first.
  { outcome: 6, end_date: 5, hours: 4, program_code: 3, meetings: 2, start_date: 1 },
);

function pairingRows(app: App, list: PairingListRow[]): Row[] {
  const today = app.today();
  return list.map((p) => ({
    id: p.id,
    mentor_id: p.mentor_id,
    mentor: displayName({ first_name: p.mentor_first, last_name: p.mentor_last }),
    mentee_id: p.mentee_id,
    mentee: displayName({ first_name: p.mentee_first, last_name: p.mentee_last }),
    program_code: p.program_code,
    start_date: p.start_date,
    end_date: p.end_date,
    status: p.status,
    outcome: p.outcome,
    meetings: p.meetings,
    hours: minutesToHundredths(p.minutes),
    last_meeting: p.last_meeting,
    // Only open pairings are waiting for contact; an ended one is not "quiet".
    days_since_contact: p.status === 'ended' ? null : daysSinceContact(today, p.start_date, p.last_meeting),
    goals: p.goals,
  }));
}

async function recordOf(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: pairingRows(app, await listPairings(await app.db(), { ids: [id], status: 'all' }))[0]!, columns: PAIRING_COLUMNS };
}

async function describePairing(app: App, p: Pairing): Promise<string> {
  const n = async (id: number) => {
    const x = await getPerson(await app.db(), id);
    return x ? displayName(x) : `person #${id}`;
  };
  return `pairing #${p.id} (${await n(p.mentor_id)} mentoring ${await n(p.mentee_id)})`;
}

async function pickPairing(app: App, message: string, statuses: PairingListStatus): Promise<string> {
  const choices = pairingRows(app, await listPairings(await app.db(), { status: statuses })).map((r) => ({
    name: `#${r['id']} ${r['mentor']} → ${r['mentee']} (${r['status']}${r['program_code'] ? `, ${r['program_code']}` : ''})`,
    value: String(r['id']),
  }));
  if (choices.length === 0) return askParsed(app, `${message} (pairing id)`, (x) => String(parsePairingId(x)), { check: (id) => loadPairing(app, Number(id)) });
  return app.prompter.search({ message, source: (term) => (term ? choices.filter((c) => c.name.toLowerCase().includes(term.toLowerCase())) : choices) });
}

// ---- pair --------------------------------------------------------------------------------------

interface PairOptions {
  program?: string;
  start?: string;
  goals?: string;
  allowFuture?: boolean;
  json?: boolean;
}

async function pair(app: App, mentorArg: string | undefined, menteeArg: string | undefined, opts: PairOptions): Promise<void> {
  let start = flag('--start', opts.start, (s) => parseDate(s, 'iso', '--start'));
  const interactive = app.canPrompt && (mentorArg === undefined || menteeArg === undefined);
  const v = await app.need({
    mentor: { flag: 'MENTOR', value: mentorArg, ask: () => pickPerson(app, 'Mentor') },
    mentee: { flag: 'MENTEE', value: menteeArg, ask: () => pickPerson(app, 'Mentee') },
  });
  let programRef = opts.program;
  let goals = opts.goals;
  if (interactive) {
    if (programRef === undefined) programRef = await pickOptionalProgram(app, 'Program (counts in that program’s funder reports)');
    if (start === undefined) start = await askDate(app, 'Start date', { allowFuture: opts.allowFuture === true });
    if (goals === undefined) goals = await askText(app, 'Goals (optional)');
  }
  const mentor = await resolvePerson(await app.db(), v.mentor);
  const mentee = await resolvePerson(await app.db(), v.mentee);
  if (mentor.id === mentee.id) throw new ConflictError(`${describePerson(mentor)} cannot mentor themself`);
  assertActivePerson(mentor);
  assertActivePerson(mentee);
  const program = programRef !== undefined ? await resolveProgram(await app.db(), programRef) : undefined;
  if (program) assertActiveProgram(program);
  const startDate = start ?? app.today();
  assertNotFuture(startDate, app.today(), opts.allowFuture);
  await app.confirmWrite(`Pair ${displayName(mentor)} as mentor of ${displayName(mentee)}${program ? ` in ${program.code}` : ''} from ${startDate}`);

  const id = await pairPeople(app, mentor, mentee, program?.id ?? null, startDate, goals);
  app.emitWrite(
    id,
    `Paired ${displayName(mentor)} (mentor) with ${displayName(mentee)}${program ? ` in ${program.code}` : ''} from ${startDate} — pairing #${id}`,
    opts,
    await recordOf(app, id),
  );
}

// ---- list --------------------------------------------------------------------------------------

async function list(app: App, opts: { status?: PairingListStatus; person?: string; stale?: string; format?: string; json?: boolean }): Promise<void> {
  const stale = flag('--stale', opts.stale, parseStaleDays);
  if (stale !== undefined && opts.status !== undefined && opts.status !== 'active') {
    throw new ValidationError('--stale looks at active pairings only; leave out --status or use --status active');
  }
  const rows = await listPairings(await app.db(), {
    status: stale !== undefined ? 'active' : opts.status,
    personId: opts.person !== undefined ? (await resolvePerson(await app.db(), opts.person)).id : undefined,
  });
  const today = app.today();
  const shown = stale === undefined ? rows : rows.filter((p) => isStale(p, today, stale));
  await app.printRows(pairingRows(app, shown), PAIRING_COLUMNS, opts, PAIRING_TABLE);
}

// ---- meet --------------------------------------------------------------------------------------

async function meet(
  app: App,
  pairingArg: string | undefined,
  opts: { hours?: string; minutes?: string; duration?: string; date?: string; note?: string; allowFuture?: boolean; json?: boolean },
): Promise<void> {
  const given = durationFromOptions(opts);
  let date = flag('--date', opts.date, (s) => parseDate(s, 'iso', '--date'));
  const interactive = app.canPrompt && (pairingArg === undefined || given === undefined);
  const v = await app.need({
    pairing: { flag: 'PAIRING', value: pairingArg, ask: () => pickPairing(app, 'Pairing', 'active') },
    minutes: { flag: '--hours, --minutes or --duration', value: given, ask: () => askDuration(app) },
  });
  let note = parseNote(opts.note);
  if (interactive) {
    if (date === undefined) date = await askDate(app, 'Date of the meeting', { allowFuture: opts.allowFuture === true });
    if (opts.note === undefined)
      note = (await askParsed(app, 'Note (optional; never client-identifying details)', (s) => parseNote(s), { optional: true })) ?? null;
  }
  const id = parsePairingId(v.pairing);
  const day = date ?? app.today();
  assertNotFuture(day, app.today(), opts.allowFuture);
  const p0 = await loadPairing(app, id);
  assertTransition(p0, 'meet');
  checkMeetingDate(p0, day);
  await app.confirmWrite(`Record a ${formatHours(v.minutes)} h meeting of ${await describePairing(app, p0)} on ${day}`);

  const meetingId = await recordMeeting(app, id, { date: day, minutes: v.minutes, note });
  const row: Row = { id: meetingId, pairing_id: id, date: day, minutes: v.minutes, hours: minutesToHundredths(v.minutes), note };
  app.emitWrite(meetingId, `Recorded a ${formatHours(v.minutes)} h meeting of ${await describePairing(app, p0)} on ${day} — meeting #${meetingId}`, opts, {
    row,
    columns: MEETING_COLUMNS,
  });
}

// ---- pause / resume / end ----------------------------------------------------------------------

async function setState(app: App, pairingArg: string | undefined, action: 'pause' | 'resume', opts: { json?: boolean }): Promise<void> {
  const v = await app.need({
    pairing: { flag: 'PAIRING', value: pairingArg, ask: () => pickPairing(app, 'Pairing', action === 'pause' ? 'active' : 'paused') },
  });
  const id = parsePairingId(v.pairing);
  const p = await setPairingState(app, id, action);
  app.emitWrite(id, `${action === 'pause' ? 'Paused' : 'Resumed'} ${await describePairing(app, p)}`, opts, await recordOf(app, id));
}

async function end(app: App, pairingArg: string | undefined, opts: { date?: string; outcome?: string; reason?: string; json?: boolean }): Promise<void> {
  let date = flag('--date', opts.date, (s) => parseDate(s, 'iso', '--date'));
  const outcomeGiven = flag('--outcome', opts.outcome, parseOutcome);
  const interactive = app.canPrompt && (pairingArg === undefined || outcomeGiven === undefined);
  const v = await app.need({
    pairing: { flag: 'PAIRING', value: pairingArg, ask: () => pickPairing(app, 'Pairing to end', 'open') },
    outcome: {
      flag: '--outcome',
      value: outcomeGiven,
      ask: () => app.prompter.select<Outcome>({ message: 'Outcome', choices: OUTCOMES.map((o) => ({ name: o, value: o })), default: 'completed' }),
    },
  });
  let reason = opts.reason;
  if (interactive) {
    if (date === undefined) date = await askDate(app, 'End date', { allowFuture: false });
    if (reason === undefined) reason = await askText(app, 'Reason or note (optional)');
  }
  const id = parsePairingId(v.pairing);
  const day = date ?? app.today();
  assertNotFuture(day, app.today(), false);
  const p0 = await loadPairing(app, id);
  assertTransition(p0, 'end');
  checkEndDate(p0, day, await lastMeeting(await app.db(), id));
  await app.confirmWrite(`End ${await describePairing(app, p0)} on ${day} as ${v.outcome}`);

  await endPairing(app, id, { date: day, outcome: v.outcome, reason });
  app.emitWrite(id, `Ended ${await describePairing(app, p0)} on ${day}: ${v.outcome}`, opts, await recordOf(app, id));
}

// ---- registration ------------------------------------------------------------------------------

export const registerMentorship: Register = (program, env) => {
  const m = program.command('mentorship').description('mentorship pairings: pair, list, meet, pause, resume, end');

  examples(
    withJson(
      m
        .command('pair')
        .argument('[mentor]', 'the mentor (id, email or external id; asked for on a terminal)')
        .argument('[mentee]', 'the mentee')
        .description('pair a mentor with a mentee (one open pairing per pair); prints the pairing id')
        .option('--program <code>', 'program the pairing belongs to (counts in that program’s funder reports)')
        .option('--start <date>', 'start date, YYYY-MM-DD (default today)')
        .option('--goals <text>', 'what the pairing is for (never client-identifying details)')
        .option('--allow-future', 'accept a start date after today'),
    ),
    'ngo mentorship pair grace@example.org ana@example.org --program TRAIN --goals "LPC exam preparation; first year of practice"',
    'ngo mentorship pair V-01003 V-01021 --start 2026-09-01',
  ).action((mentor, mentee, opts, cmd: Command) => pair(env.app(cmd), mentor, mentee, opts));

  examples(
    withFormat(
      m
        .command('list')
        .description('pairings with their meetings, hours, last meeting and days since the last contact')
        .addOption(new Option('--status <status>', 'active, paused, ended, open (active or paused; default) or all').choices([...PAIRING_LIST_STATUSES]))
        .option('--person <ref>', 'only pairings where this person is mentor or mentee')
        .option('--stale <days>', 'only active pairings with no meeting for more than DAYS days (counting from the start when they never met)'),
    ),
    'ngo mentorship list',
    'ngo mentorship list --stale 30',
    'ngo mentorship list --status all --person ana@example.org --format csv',
  ).action((opts, cmd: Command) => list(env.app(cmd), opts));

  examples(
    withJson(
      withDuration(
        m
          .command('meet')
          .argument('[pairing]', 'pairing id (asked for on a terminal)')
          .description('record a meeting of an active pairing; prints the meeting id'),
      )
        .option('--date <date>', 'date of the meeting, YYYY-MM-DD (default today)')
        .option('--note <text>', 'a note (never client-identifying details)')
        .option('--allow-future', 'accept a date after today'),
    ),
    'ngo mentorship meet 7 --hours 1 --note "case conceptualisation"',
    'ngo mentorship meet 7 --duration 0:45 --date 2026-11-18',
  ).action((pairing, opts, cmd: Command) => meet(env.app(cmd), pairing, opts));

  examples(
    withJson(m.command('pause').argument('[pairing]', 'pairing id').description('pause an active pairing (no meetings until it is resumed)')),
    'ngo mentorship pause 7',
  ).action((pairing, opts, cmd: Command) => setState(env.app(cmd), pairing, 'pause', opts));

  examples(withJson(m.command('resume').argument('[pairing]', 'pairing id').description('resume a paused pairing')), 'ngo mentorship resume 7').action(
    (pairing, opts, cmd: Command) => setState(env.app(cmd), pairing, 'resume', opts),
  );

  examples(
    withJson(
      m
        .command('end')
        .argument('[pairing]', 'pairing id')
        .description('end an active or paused pairing with its outcome')
        .option('--date <date>', 'end date, YYYY-MM-DD (default today)')
        .addOption(new Option('--outcome <outcome>', 'completed, withdrawn, rematched or other').choices([...OUTCOMES]))
        .option('--reason <text>', 'a reason or note'),
    ),
    'ngo mentorship end 7 --outcome completed',
    'ngo mentorship end 9 --outcome rematched --reason "mentee moved to the school program" --date 2026-11-15',
  ).action((pairing, opts, cmd: Command) => end(env.app(cmd), pairing, opts));
  addMentorshipCorrections(m, env);
};
