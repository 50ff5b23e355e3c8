/**
 * The correction commands of issue 19, each in its own function, added to their nouns by one line
 * in the noun's register function: `mentorship meetings | edit-meeting | void-meeting`,
 * `supervision edit`, `funders edit-funding | end-funding`, `grants edit`, `hours reopen`. They follow
 * the shapes of `hours edit` / `hours void`: an id, `--field value` flags (`""` clears an optional
 * field), `--reason` (required to void, optional for an edit: it goes into the audit entry), `--yes`
 * to void without a terminal, `--json` to print the record. The writes are in services/corrections.ts.
 */
import { Option, type Command } from '../commander.js';
import type { App } from '../app.js';
import { NotFoundError, UsageError, ValidationError } from '../errors.js';
import { getPairing } from '../store/mentorship.js';
import { examples, flag, periodOf, withDuration, withFormat, withJson, withPeriod, type CommandEnv, type PeriodOptions } from './common.js';
import {
  editFunding,
  editGrant,
  editMeeting,
  editSession,
  endFunding,
  loadFunding,
  assertMeetingVoidable,
  loadMeeting,
  reopenEntry,
  voidMeeting,
  type FundingChanges,
  type GrantChanges,
  type MeetingChanges,
  type SessionChanges,
} from '../services/corrections.js';
import { describeEntry, loadEntry } from '../services/hours.js';
import { parseRecordId, resolveFunder, resolvePerson, resolveProgram, assertActiveFunder, assertActiveProgram } from '../services/refs.js';
import { displayName } from '../domain/people.js';
import { parseDate } from '../domain/dates.js';
import { parseNote } from '../domain/hours.js';
import { durationFromOptions, formatHours, minutesToHundredths } from '../domain/duration.js';
import { formatCents, parseMoney } from '../domain/money.js';
import { parseServiceHours } from '../domain/grants.js';
import { FORMATS, MODALITIES, parseFormat, parseModality } from '../domain/supervision.js';
import { parsePairingId } from '../domain/mentorship.js';
import { listMeetings, type MeetingListRow } from '../store/mentorship.js';
import { getFunding } from '../store/orgs.js';
import { agreementsCovering, grantSummary, overAgreements } from '../store/grants.js';
import { getHours, hoursListRow } from '../store/hours.js';
import { listSessions } from '../store/supervision.js';
import type { Column, Row } from '../io/output.js';
import { askText } from '../io/pickers.js';
import { FUNDING_COLUMNS } from './orgs.js';
import { GRANT_COLUMNS, grantRow } from './grants.js';
import { HOURS_COLUMNS } from './hours.js';
import { SESSION_COLUMNS, sessionRows } from './supervision.js';

/** A reason that must be given (void): asked for on a terminal, else exit 2 naming --reason. */
async function needReason(app: App, given: string | undefined, message: string): Promise<string> {
  const { reason } = await app.need({ reason: { flag: '--reason', value: given?.trim() || undefined, ask: () => askText(app, message, { required: true }) } });
  const r = reason.trim();
  if (!r) throw new ValidationError('--reason cannot be empty');
  return r;
}

const nothingToChange = (cmd: string) => new UsageError(`nothing to change: give at least one --field value (see ngo ${cmd} --help)`);
const parseDateFlag = (name: string) => (s: string) => parseDate(s, 'iso', name);

// ---- mentorship meetings ---------------------------------------------------------------------------

export const MEETING_LIST_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'pairing_id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'mentor_id', kind: 'int' },
  { key: 'mentor' },
  { key: 'mentee_id', kind: 'int' },
  { key: 'mentee' },
  { key: 'program_code' },
  { key: 'minutes', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'note' },
  { key: 'status' },
  { key: 'void_reason' },
];
/**
 * What a terminal shows: names, no person ids or minutes (a row fits 80 columns); the status and the
 * void reason only when void meetings are listed (`--status void|all`).
 */
const MEETING_TABLE = MEETING_LIST_COLUMNS.filter((c) => ['id', 'pairing_id', 'date', 'mentor', 'mentee', 'hours', 'note'].includes(c.key));
const MEETING_VOID_TABLE = [...MEETING_TABLE, { key: 'status' }, { key: 'void_reason' }];

function meetingRows(list: MeetingListRow[]): Row[] {
  return list.map((m) => ({
    id: m.id,
    pairing_id: m.pairing_id,
    date: m.date,
    mentor_id: m.mentor_id,
    mentor: displayName({ first_name: m.mentor_first, last_name: m.mentor_last }),
    mentee_id: m.mentee_id,
    mentee: displayName({ first_name: m.mentee_first, last_name: m.mentee_last }),
    program_code: m.program_code,
    minutes: m.minutes,
    hours: minutesToHundredths(m.minutes),
    note: m.note,
    status: m.status,
    void_reason: m.void_reason,
  }));
}

async function meetingRecord(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: meetingRows(await listMeetings(await app.db(), { ids: [id], status: 'all' }))[0]!, columns: MEETING_LIST_COLUMNS };
}

const parseMeetingId = (s: string) => parseRecordId(s, 'meeting', 'ngo mentorship meetings');

export function addMentorshipCorrections(m: Command, env: CommandEnv): void {
  examples(
    withFormat(
      withPeriod(
        m
          .command('meetings')
          .argument('[pairing]', 'only this pairing')
          .description('list mentorship meetings, in date order (default: every meeting that is not void)')
          .option('--person <ref>', 'only meetings of pairings where this person is mentor or mentee')
          .addOption(new Option('--status <status>', 'active (default), void or all').choices(['active', 'void', 'all'])),
      ),
    ),
    'ngo mentorship meetings 7',
    'ngo mentorship meetings --person ana@example.org --period 2026 --status all',
  ).action(
    async (
      pairing: string | undefined,
      opts: PeriodOptions & { person?: string; status?: 'active' | 'void' | 'all'; format?: string; json?: boolean },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const period = await periodOf(app, opts);
      const pairingId = pairing !== undefined ? parsePairingId(pairing) : undefined;
      // An unknown pairing is exit 4, not an empty list (a typo would read as "no meetings").
      if (pairingId !== undefined && !(await getPairing(await app.db(), pairingId)))
        throw new NotFoundError(`no pairing #${pairingId}`, 'see `ngo mentorship list`');
      const rows = await listMeetings(await app.db(), {
        pairingId,
        personId: opts.person !== undefined ? (await resolvePerson(await app.db(), opts.person)).id : undefined,
        start: period?.start,
        end: period?.end,
        status: opts.status,
      });
      await app.printRows(meetingRows(rows), MEETING_LIST_COLUMNS, opts, opts.status === 'void' || opts.status === 'all' ? MEETING_VOID_TABLE : MEETING_TABLE);
    },
  );

  examples(
    withJson(
      withDuration(
        m
          .command('edit-meeting')
          .argument('<meeting>', 'meeting id (see ngo mentorship meetings)')
          .description('correct a meeting (date, duration, note); audited. A void meeting cannot be edited'),
      )
        .option('--date <date>', 'date of the meeting, YYYY-MM-DD (inside the pairing)')
        .option('--note <text>', 'a note ("" clears it; never client-identifying details)')
        .option('--reason <text>', 'why (kept in the audit log)')
        .option('--allow-future', 'accept a date after today'),
    ),
    'ngo mentorship edit-meeting 31 --duration 0:45',
    'ngo mentorship edit-meeting 31 --date 2026-11-18 --reason "entered on the wrong day"',
  ).action(
    async (
      ref: string,
      opts: { hours?: string; minutes?: string; duration?: string; date?: string; note?: string; reason?: string; allowFuture?: boolean; json?: boolean },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const id = parseMeetingId(ref);
      const changes: MeetingChanges = {};
      const minutes = durationFromOptions(opts);
      if (minutes !== undefined) changes.minutes = minutes;
      const date = flag('--date', opts.date, parseDateFlag('--date'));
      if (date !== undefined) changes.date = date;
      if (opts.note !== undefined) changes.note = parseNote(opts.note);
      if (Object.keys(changes).length === 0) throw nothingToChange('mentorship edit-meeting');
      await loadMeeting(app, id);
      const changed = await editMeeting(app, id, changes, { allowFuture: opts.allowFuture, reason: opts.reason });
      const r = await meetingRecord(app, id);
      app.emitWrite(
        id,
        changed
          ? `Updated meeting #${id} of pairing #${r.row['pairing_id']} (${r.row['date']}, ${formatHours(r.row['minutes'] as number)} h)`
          : `Meeting #${id} already had these values; nothing changed`,
        opts,
        r,
      );
    },
  );

  examples(
    withJson(
      m
        .command('void-meeting')
        .argument('<meeting>', 'meeting id')
        .description('void a meeting (kept, never counted in lists, reports or days since contact)')
        .option('--reason <text>', 'why (required; asked for on a terminal)')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo mentorship void-meeting 31 --reason "recorded twice" --yes',
  ).action(async (ref: string, opts: { reason?: string; yes?: boolean; json?: boolean }, cmd: Command) => {
    const app = env.app(cmd);
    const id = parseMeetingId(ref);
    const m0 = await loadMeeting(app, id);
    assertMeetingVoidable(m0); // refused (exit 5) before any prompt
    const reason = await needReason(app, opts.reason, 'Reason for voiding');
    const what = `meeting #${id} of pairing #${m0.mentorship_id} (${m0.date}, ${formatHours(m0.minutes)} h)`;
    await app.confirm(`Void ${what}?`, opts.yes);
    await voidMeeting(app, id, reason);
    app.emitWrite(id, `Voided ${what}: ${reason}`, opts, await meetingRecord(app, id));
  });
}

// ---- supervision sessions --------------------------------------------------------------------------------

export function addSupervisionCorrections(sup: Command, env: CommandEnv): void {
  examples(
    withJson(
      withDuration(
        sup
          .command('edit')
          .argument('<id>', 'session id')
          .description(
            'correct a session (date, duration, format, modality, program, topic); audited. Its supervisees stay: to change them, void it and add it again. A --log-hours entry follows its date, duration and program',
          ),
      )
        .option('--date <date>', 'date of the session, YYYY-MM-DD')
        .addOption(new Option('--format <format>', 'individual, triadic or group (must fit the supervisees)').choices([...FORMATS]))
        .addOption(new Option('--modality <modality>', 'in-person, video or phone').choices([...MODALITIES]))
        .option('--program <code>', 'program the session belongs to ("" for none)')
        .option('--topic <text>', 'topic ("" clears it; never client-identifying details)')
        .option('--reason <text>', 'why (kept in the audit log)')
        .option('--allow-future', 'accept a date after today')
        .option('--allow-unlicensed', 'move it to a date its recorded licence does not cover (it then never counts toward licensure)'),
    ),
    'ngo supervision edit 42 --duration 1:30',
    'ngo supervision edit 42 --date 2026-11-19 --reason "entered for the wrong date"',
  ).action(
    async (
      ref: string,
      opts: {
        hours?: string;
        minutes?: string;
        duration?: string;
        date?: string;
        format?: string;
        modality?: string;
        program?: string;
        topic?: string;
        reason?: string;
        allowFuture?: boolean;
        allowUnlicensed?: boolean;
        json?: boolean;
      },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const id = parseRecordId(ref, 'session', 'ngo supervision list');
      const changes: SessionChanges = {};
      const minutes = durationFromOptions(opts);
      if (minutes !== undefined) changes.minutes = minutes;
      const date = flag('--date', opts.date, parseDateFlag('--date'));
      if (date !== undefined) changes.date = date;
      const format = flag('--format', opts.format, parseFormat);
      if (format !== undefined) changes.format = format;
      const modality = flag('--modality', opts.modality, parseModality);
      if (modality !== undefined) changes.modality = modality;
      if (opts.topic !== undefined) changes.topic = parseNote(opts.topic, 'topic');
      if (opts.program !== undefined) changes.program_id = opts.program.trim() === '' ? null : (await resolveProgram(await app.db(), opts.program)).id;
      if (Object.keys(changes).length === 0) throw nothingToChange('supervision edit');
      const r = await editSession(app, id, changes, { allowFuture: opts.allowFuture, allowUnlicensed: opts.allowUnlicensed, reason: opts.reason });
      if (r.problem) app.warn(`session #${id} now ${r.licensed ? 'counts' : 'never counts'} toward licensure: the supervisor's ${r.problem}`);
      const row = (await sessionRows(app, await listSessions(await app.db(), { ids: [id], status: 'all' })))[0]!;
      app.emitWrite(
        id,
        r.changed
          ? `Updated supervision session #${id} (${row['date']}, ${formatHours(row['minutes'] as number)} h)${r.hoursIds.length ? `; hours entry #${r.hoursIds.join(', #')} follows it` : ''}`
          : `Session #${id} already had these values; nothing changed`,
        opts,
        { row, columns: SESSION_COLUMNS },
      );
    },
  );
}

// ---- funding agreements ------------------------------------------------------------------------------

async function fundingRecord(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: (await getFunding(await app.db(), id))! as unknown as Row, columns: FUNDING_COLUMNS };
}

async function warnOver(app: App, id: number): Promise<void> {
  for (const o of await overAgreements(await app.db(), [id])) {
    app.warn(
      `awards under ${o.funder_code} / ${o.program_code} dated within agreement #${id} total ${formatCents(o.awarded)} (${o.grants} grant${o.grants === 1 ? '' : 's'}), more than its ${formatCents(o.agreement)}`,
    );
  }
}

export function addFundingCorrections(funders: Command, env: CommandEnv): void {
  examples(
    withJson(
      funders
        .command('edit-funding')
        .argument('<agreement>', 'funding agreement id (see ngo funders funding)')
        .description(
          'correct a funding agreement (dates, amount, reference); audited. Agreements of one funder and program never overlap. Reports of the dates it covers change with it',
        )
        .option('--from <date>', 'first day funded (YYYY-MM-DD)')
        .option('--to <date>', 'last day funded ("" for open-ended)')
        .option('--amount <amount>', 'amount of the agreement ("" for none)')
        .option('--reference <ref>', 'grant/contract reference ("" clears it)')
        .option('--reason <text>', 'why (kept in the audit log)'),
    ),
    'ngo funders edit-funding 3 --amount 60000.00 --reason "amended by the funder"',
    'ngo funders edit-funding 3 --to 2027-06-30',
  ).action(async (ref: string, opts: { from?: string; to?: string; amount?: string; reference?: string; reason?: string; json?: boolean }, cmd: Command) => {
    const app = env.app(cmd);
    const id = parseRecordId(ref, 'funding agreement', 'ngo funders funding');
    const changes: FundingChanges = {};
    if (opts.from !== undefined) changes.start_date = parseDate(opts.from, 'iso', '--from date');
    if (opts.to !== undefined) changes.end_date = opts.to.trim() === '' ? null : parseDate(opts.to, 'iso', '--to date');
    if (opts.amount !== undefined) changes.amount = opts.amount.trim() === '' ? null : parseMoney(opts.amount, '--amount', { allowZero: false });
    if (opts.reference !== undefined) changes.reference = opts.reference.trim() || null;
    if (Object.keys(changes).length === 0) throw nothingToChange('funders edit-funding');
    await loadFunding(app, id);
    const changed = await editFunding(app, id, changes, opts.reason);
    if (changed) await warnOver(app, id);
    const g = (await getFunding(await app.db(), id))!;
    app.emitWrite(
      id,
      changed
        ? `Updated agreement #${id}: ${g.funder_code} funds ${g.program_code} from ${g.start_date}${g.end_date ? ` to ${g.end_date}` : ' (open-ended)'}${g.amount !== null ? `, ${formatCents(g.amount)}` : ''}`
        : `Agreement #${id} already had these values; nothing changed`,
      opts,
      await fundingRecord(app, id),
    );
  });

  examples(
    withJson(
      funders
        .command('end-funding')
        .argument('<agreement>', 'funding agreement id')
        .description('end a funding agreement on a day (its last funded day; default today), e.g. before a new agreement of the same funder and program starts')
        .option('--date <date>', 'last day funded (default today)')
        .option('--reason <text>', 'why (kept in the audit log)'),
    ),
    'ngo funders end-funding 3 --date 2026-12-31',
  ).action(async (ref: string, opts: { date?: string; reason?: string; json?: boolean }, cmd: Command) => {
    const app = env.app(cmd);
    const id = parseRecordId(ref, 'funding agreement', 'ngo funders funding');
    const date = flag('--date', opts.date, parseDateFlag('--date')) ?? app.today();
    await endFunding(app, id, date, opts.reason);
    const g = (await getFunding(await app.db(), id))!;
    app.emitWrite(id, `Ended agreement #${id} (${g.funder_code} funds ${g.program_code} from ${g.start_date}) on ${date}`, opts, await fundingRecord(app, id));
  });
}

// ---- grants ------------------------------------------------------------------------------------------

export function addGrantCorrections(grants: Command, env: CommandEnv): void {
  examples(
    withJson(
      grants
        .command('edit')
        .argument('<grant>', 'grant id')
        .description(
          'correct a grant (amount, purpose, funder, program, award date, service commitment); audited. A closed grant cannot be edited; the amount never goes below what is paid and scheduled',
        )
        .option('--amount <amount>', 'amount awarded, e.g. 1500.00')
        .option('--purpose <text>', 'what it pays for')
        .option('--funder <code>', 'funder whose money it is ("" for none)')
        .option('--program <code>', 'program it belongs to ("" for none)')
        .option('--date <date>', 'award date (YYYY-MM-DD; not after its first disbursement)')
        .option('--service-hours <n>', 'service commitment in hours ("" for none)')
        .option('--service-by <date>', 'service commitment deadline (YYYY-MM-DD; "" for none)')
        .option('--reason <text>', 'why (kept in the audit log)'),
    ),
    'ngo grants edit 12 --amount 1800.00 --reason "course fee rose"',
    'ngo grants edit 12 --program TRAIN --funder HOPE',
  ).action(
    async (
      ref: string,
      opts: {
        amount?: string;
        purpose?: string;
        funder?: string;
        program?: string;
        date?: string;
        serviceHours?: string;
        serviceBy?: string;
        reason?: string;
        json?: boolean;
      },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const id = parseRecordId(ref, 'grant', 'ngo grants list');
      const changes: GrantChanges = {};
      if (opts.amount !== undefined) changes.amount = parseMoney(opts.amount, '--amount', { allowZero: false });
      if (opts.purpose !== undefined) {
        const p = parseNote(opts.purpose, '--purpose') ?? '';
        if (!p) throw new ValidationError('--purpose cannot be empty');
        changes.purpose = p;
      }
      if (opts.date !== undefined) changes.awarded_on = parseDate(opts.date, 'iso', '--date');
      if (opts.serviceHours !== undefined) changes.service_minutes = opts.serviceHours.trim() === '' ? null : parseServiceHours(opts.serviceHours);
      if (opts.serviceBy !== undefined) changes.service_by = opts.serviceBy.trim() === '' ? null : parseDate(opts.serviceBy, 'iso', '--service-by');
      if (opts.funder !== undefined) {
        if (opts.funder.trim() === '') changes.funder_id = null;
        else {
          const f = await resolveFunder(await app.db(), opts.funder);
          assertActiveFunder(f);
          changes.funder_id = f.id;
        }
      }
      if (opts.program !== undefined) {
        if (opts.program.trim() === '') changes.program_id = null;
        else {
          const p = await resolveProgram(await app.db(), opts.program);
          assertActiveProgram(p);
          changes.program_id = p.id;
        }
      }
      if (Object.keys(changes).length === 0) throw nothingToChange('grants edit');
      const changed = await editGrant(app, id, changes, opts.reason);
      const s = (await grantSummary(await app.db(), id))!;
      if (changed && s.funder_id !== null && s.program_id !== null)
        for (const fid of await agreementsCovering(await app.db(), s.funder_id, s.program_id, s.awarded_on)) await warnOver(app, fid);
      app.emitWrite(
        id,
        changed
          ? `Updated grant #${id} (${formatCents(s.amount)} ${s.currency} to ${displayName(s)}; ${s.status})`
          : `Grant #${id} already had these values; nothing changed`,
        opts,
        {
          row: grantRow(s),
          columns: GRANT_COLUMNS,
        },
      );
    },
  );
}

// ---- hours: reopen ------------------------------------------------------------------------------------

export function addHoursCorrections(hours: Command, env: CommandEnv): void {
  examples(
    withJson(
      hours
        .command('reopen')
        .argument('<id>', 'entry id')
        .description('reopen a rejected entry: back to pending, to approve or reject again (the reject reason stays in the audit log)')
        .option('--reason <text>', 'why (kept in the audit log)'),
    ),
    'ngo hours reopen 1203 --reason "the volunteer sent the timesheet"',
  ).action(async (ref: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
    const app = env.app(cmd);
    const id = parseRecordId(ref, 'entry');
    await loadEntry(app, id);
    await reopenEntry(app, id, opts.reason);
    app.emitWrite(id, `Reopened ${await describeEntry(app, (await getHours(await app.db(), id))!)}: pending approval again`, opts, {
      row: (await hoursListRow(await app.db(), id)) as unknown as Row,
      columns: HOURS_COLUMNS,
    });
  });
}
