/**
 * `ngo grants …`: scholarships and training grants, paid in tranches (disbursements, paid or
 * scheduled), optionally tied to a service commitment (pro bono hours the grantee gives afterwards).
 */
import { Option } from '../commander.js';
import { withDrops } from '../io/table.js';
import type { App, ListOptions } from '../app.js';
import { ConflictError, UsageError, ValidationError } from '../errors.js';
import { examples, flag, withFormat, withJson, type Register } from './common.js';
import {
  CLOSE_STATUSES,
  GRANT_STATUSES,
  assertDatabaseCurrency,
  assertOpen,
  parseCurrency,
  parseServiceHours,
  serviceMinutesRemaining,
  type CloseStatus,
  type GrantStatus,
} from '../domain/grants.js';
import {
  assertServiceBy,
  awardGrant,
  cancelDisbursementRecord,
  closeGrant,
  disburseGrant,
  loadDisbursement,
  loadGrant,
  payDisbursement,
} from '../services/grants.js';
import { parseRecordId, resolveFunder, resolvePerson } from '../services/refs.js';
import { displayName } from '../domain/people.js';
import { parseDate } from '../domain/dates.js';
import { formatCents, parseMoney } from '../domain/money.js';
import { parseNote } from '../domain/hours.js';
import { formatHours, minutesToHundredths } from '../domain/duration.js';
import {
  allScheduled,
  getDisbursement,
  getGrant,
  grantSummary,
  grantTotals,
  listDisbursements,
  listGrantSummaries,
  openGrantSummaries,
  overAgreements,
  agreementsCovering,
  scheduledDisbursements,
  getRepayment,
  type GrantSummary,
  type Repayment,
} from '../store/grants.js';
import type { Column, Row } from '../io/output.js';
import { askDate, askParsed, askText, pickOptionalFunder, pickOptionalProgram, pickPerson } from '../io/pickers.js';
import { dueBy, flagsOf, grantFlags, type GrantFlags } from '../reports/grants-status.js';
import { disbursementState } from '../domain/grants.js';
import { REQUIREMENT_COLUMNS, registerGrantRequirements, requirementRows } from './grants-requirements.js';
import { addGrantCorrections } from './corrections.js';

/** `grants list` columns; `grants show` prints the same row, then the disbursements. */
export const GRANT_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'grantee_id', kind: 'int' },
  { key: 'grantee' },
  { key: 'funder_code' },
  { key: 'program_code' },
  { key: 'purpose' },
  { key: 'awarded_on', kind: 'date' },
  { key: 'amount', kind: 'dec2' },
  { key: 'currency' },
  { key: 'paid', kind: 'dec2' },
  { key: 'scheduled', kind: 'dec2' },
  { key: 'remaining', kind: 'dec2' },
  { key: 'status' },
  { key: 'service_commitment_hours', kind: 'dec2' },
  { key: 'service_hours_logged', kind: 'dec2' },
  { key: 'service_hours_remaining', kind: 'dec2' },
  // issue 21 (appended, so that scripts reading the earlier columns are unaffected):
  { key: 'service_by', kind: 'date' },
  { key: 'overdue_scheduled', kind: 'dec2' },
  { key: 'requirements_open', kind: 'int' },
  { key: 'requirements_overdue', kind: 'int' },
  { key: 'repayment_owed', kind: 'dec2' },
  { key: 'flags' },
];

/**
 * `grants list` on a narrow terminal: the grant, the grantee, program, date, amount, what remains
 * and the status stay; the ids, service hours, currency, purpose, scheduled and paid go first.
 */
const GRANT_TABLE = withDrops(GRANT_COLUMNS, {
  // issue 21's columns first (grants show and ngo status tell the same); the flags last of them.
  service_by: 15,
  requirements_open: 14,
  overdue_scheduled: 13,
  repayment_owed: 12,
  requirements_overdue: 11,
  flags: 10,
  grantee_id: 9,
  service_hours_remaining: 8,
  service_hours_logged: 7,
  service_commitment_hours: 6,
  currency: 5,
  purpose: 4,
  scheduled: 3,
  paid: 2,
  funder_code: 1,
});

/** The disbursements table of `grants show`. */
export const DISBURSEMENT_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'amount', kind: 'dec2' },
  { key: 'status' },
  { key: 'reference' },
  { key: 'cancel_reason' },
  { key: 'flag' },
];

/** A disbursement as `--json` prints it after disburse / pay / cancel-disbursement. */
export const DISBURSEMENT_RECORD_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'grant_id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'amount', kind: 'dec2' },
  { key: 'status' },
  { key: 'reference' },
  { key: 'cancel_reason' },
];

/** What remains to be paid: amount − paid while open or fully paid; 0 once closed (nothing more will be paid). */
function remainingCents(g: { amount: number; closed_on: string | null }, paid: number): number {
  return g.closed_on !== null ? 0 : Math.max(0, g.amount - paid);
}

export function grantRow(g: GrantSummary, f: GrantFlags = flagsOf(new Map(), g.id)): Row {
  const remainingMinutes = serviceMinutesRemaining(g.service_minutes, g.service_logged_minutes);
  return {
    id: g.id,
    grantee_id: g.grantee_id,
    grantee: displayName(g),
    funder_code: g.funder_code,
    program_code: g.program_code,
    purpose: g.purpose,
    awarded_on: g.awarded_on,
    amount: g.amount,
    currency: g.currency,
    paid: g.paid,
    scheduled: g.scheduled,
    remaining: remainingCents(g, g.paid),
    status: g.status,
    service_commitment_hours: g.service_minutes === null ? null : minutesToHundredths(g.service_minutes),
    service_hours_logged: minutesToHundredths(g.service_logged_minutes),
    service_hours_remaining: remainingMinutes === null ? null : minutesToHundredths(remainingMinutes),
    service_by: g.service_by,
    overdue_scheduled: f.overdueScheduled,
    requirements_open: f.requirementsOpen,
    requirements_overdue: f.requirementsOverdue,
    repayment_owed: f.repayment,
    flags: f.text,
  };
}

/** The `grants list` rows of some grants, with their flags as of today. */
export async function grantRows(app: App, list: GrantSummary[]): Promise<Row[]> {
  const flags = await grantFlags(await app.db(), app.today(), list);
  return list.map((g) => grantRow(g, flagsOf(flags, g.id)));
}

async function grantRecord(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: (await grantRows(app, [(await grantSummary(await app.db(), id))!]))[0]!, columns: GRANT_COLUMNS };
}

async function disbursementRecord(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  return { row: (await getDisbursement(await app.db(), id))! as unknown as Row, columns: DISBURSEMENT_RECORD_COLUMNS };
}

// ---- references and parsing ----------------------------------------------------------------------

const parseAmount = (s: string): number => parseMoney(s, '--amount', { allowZero: false });
const parseDateFlag = (s: string): string => parseDate(s, 'iso', '--date');

/** A payment is money that has gone out: never dated in the future (use --scheduled for that). */
function grantLabel(g: { id: number; first_name: string; last_name: string | null; purpose: string }): string {
  return `#${g.id} ${displayName(g)} — ${g.purpose}`;
}

async function pickGrant(app: App): Promise<string> {
  const choices = (await openGrantSummaries(await app.db())).map((g) => ({
    name: `${grantLabel(g)} (paid ${formatCents(g.paid)} + scheduled ${formatCents(g.scheduled)} of ${formatCents(g.amount)} ${g.currency})`,
    value: String(g.id),
  }));
  if (choices.length === 0) return askParsed(app, 'Grant id', (x) => String(parseRecordId(x, 'grant')), { check: (id) => loadGrant(app, id) });
  return app.prompter.search({
    message: 'Grant',
    source: (term) => (term ? choices.filter((c) => c.name.toLowerCase().includes(term.toLowerCase())) : choices),
  });
}

async function pickScheduled(app: App): Promise<string> {
  const choices = (await allScheduled(await app.db())).map((d) => ({
    name: `#${d.id} ${d.date} ${formatCents(d.amount)} ${d.currency} — grant #${d.grant_id} ${displayName(d)} (${d.purpose})`,
    value: String(d.id),
  }));
  if (choices.length === 0)
    return askParsed(app, 'Disbursement id', (x) => String(parseRecordId(x, 'disbursement')), { check: (id) => loadDisbursement(app, id) });
  return app.prompter.search({
    message: 'Scheduled disbursement',
    source: (term) => (term ? choices.filter((c) => c.name.toLowerCase().includes(term.toLowerCase())) : choices),
  });
}

async function askAmount(app: App, message: string): Promise<string> {
  // The answer is kept as typed (the callers parse it as they parse --amount).
  return askParsed(app, message, (s) => {
    parseAmount(s);
    return s;
  });
}

async function totalsText(app: App, grantId: number): Promise<string> {
  const g = (await getGrant(await app.db(), grantId))!;
  const t = await grantTotals(await app.db(), grantId);
  return `paid ${formatCents(t.paid)} + scheduled ${formatCents(t.scheduled)} of ${formatCents(g.amount)} ${g.currency}; ${g.status}`;
}

// ---- award -------------------------------------------------------------------------------------

interface AwardOptions {
  amount?: string;
  purpose?: string;
  funder?: string;
  program?: string;
  date?: string;
  currency?: string;
  serviceHours?: string;
  serviceBy?: string;
  json?: boolean;
}

async function award(app: App, granteeArg: string | undefined, opts: AwardOptions): Promise<void> {
  // Bad flags fail before any prompt.
  const given = flag('--amount', opts.amount, parseAmount);
  let date = flag('--date', opts.date, parseDateFlag);
  const currency = opts.currency !== undefined ? parseCurrency(opts.currency) : undefined;
  let serviceMinutes = opts.serviceHours !== undefined ? parseServiceHours(opts.serviceHours) : null;
  const serviceBy = flag('--service-by', opts.serviceBy, (s) => parseDate(s, 'iso', '--service-by')) ?? null;
  // Checked against the flags before any prompt (and again below, once the date is known).
  if (serviceBy !== null && date !== undefined) assertServiceBy(serviceBy, date, serviceMinutes);
  const interactive = app.canPrompt && (granteeArg === undefined || opts.amount === undefined || opts.purpose === undefined);
  const v = await app.need({
    grantee: { flag: 'GRANTEE', value: granteeArg, ask: () => pickPerson(app, 'Grantee') },
    amount: { flag: '--amount', value: opts.amount, ask: () => askAmount(app, 'Amount awarded (e.g. 1500.00)') },
    purpose: { flag: '--purpose', value: opts.purpose, ask: () => askText(app, 'Purpose (e.g. "LCSW exam fees and supervision")', { required: true }) },
  });
  let funder = opts.funder;
  let programRef = opts.program;
  if (interactive) {
    // The funder and program put the award in that funder's report and under its funding agreement.
    if (funder === undefined) funder = await pickOptionalFunder(app, 'Funder (whose money it is; the award shows in its funder report)');
    if (programRef === undefined) programRef = await pickOptionalProgram(app, 'Program it belongs to');
    if (date === undefined) date = await askDate(app, 'Award date', { allowFuture: true });
    if (opts.serviceHours === undefined)
      serviceMinutes =
        (await askParsed(app, 'Service commitment: pro bono hours the grantee gives after the award (optional)', parseServiceHours, { optional: true })) ??
        null;
  }
  date ??= app.today();
  if (serviceBy !== null) assertServiceBy(serviceBy, date, serviceMinutes);
  const amount = given ?? parseAmount(v.amount);
  const purpose = parseNote(v.purpose, '--purpose') ?? '';
  if (!purpose) throw new ValidationError('--purpose cannot be empty');
  const dbCurrency = (await app.setting('currency')).toUpperCase();
  const cur = currency ?? dbCurrency;
  assertDatabaseCurrency(cur, dbCurrency);
  await app.confirmWrite(`Award ${formatCents(amount)} ${cur} to ${displayName(await resolvePerson(await app.db(), v.grantee))} for "${purpose}" on ${date}`);

  const id = await awardGrant(
    app,
    { grantee: v.grantee, funder, program: programRef },
    { purpose, awarded_on: date, amount, currency: cur, service_minutes: serviceMinutes, service_by: serviceBy },
  );
  await warnOverAgreement(app, id);
  const s = (await grantSummary(await app.db(), id))!;
  const commitment = serviceMinutes !== null ? `, ${formatHours(serviceMinutes)} h of service committed${serviceBy ? ` by ${serviceBy}` : ''}` : '';
  app.emitWrite(
    id,
    `Awarded ${formatCents(amount)} ${cur} to ${displayName(s)} for "${purpose}" on ${date}${commitment} — grant #${id}`,
    opts,
    await grantRecord(app, id),
  );
}

/**
 * An award that takes the awards under its funder and program past the amount of the funding
 * agreement covering it is recorded (the agreement may be amended, or the overage funded otherwise)
 * with a warning naming both figures (SPEC "Figures that stay true").
 */
async function warnOverAgreement(app: App, grantId: number): Promise<void> {
  const g = (await getGrant(await app.db(), grantId))!;
  if (g.funder_id === null || g.program_id === null) return;
  const covering = await agreementsCovering(await app.db(), g.funder_id, g.program_id, g.awarded_on);
  for (const o of await overAgreements(await app.db(), covering)) {
    const window = `${o.start_date}..${o.end_date ?? 'open'}`;
    app.warn(
      `awards under ${o.funder_code} / ${o.program_code} now total ${formatCents(o.awarded)} (${o.grants} grant${o.grants === 1 ? '' : 's'}), more than the ${formatCents(o.agreement)} of funding agreement #${o.funding_id} (${window}); grant #${grantId} is recorded`,
    );
  }
}

// ---- disburse ----------------------------------------------------------------------------------

interface DisburseOptions {
  amount?: string;
  date?: string;
  scheduled?: boolean;
  reference?: string;
  json?: boolean;
}

async function disburse(app: App, grantArg: string | undefined, opts: DisburseOptions): Promise<void> {
  const given = flag('--amount', opts.amount, parseAmount);
  flag('--date', opts.date, parseDateFlag);
  const v = await app.need({
    grant: { flag: 'GRANT', value: grantArg, ask: () => pickGrant(app) },
    amount: { flag: '--amount', value: opts.amount, ask: () => askAmount(app, opts.scheduled ? 'Amount to schedule' : 'Amount paid') },
    // A scheduled (planned) payment needs its date; a payment defaults to today.
    date: { flag: '--date', value: opts.scheduled ? opts.date : (opts.date ?? app.today()), ask: () => askDate(app, 'Planned payment date') },
  });
  const amount = given ?? parseAmount(v.amount);
  const date = parseDateFlag(v.date);
  const status = opts.scheduled ? 'scheduled' : 'paid';
  const interactive = app.canPrompt && (grantArg === undefined || opts.amount === undefined || (opts.scheduled === true && opts.date === undefined));
  const reference = (opts.reference ?? (interactive ? await askText(app, 'Reference (cheque/transfer; optional)') : undefined))?.trim() || null;

  const id = await disburseGrant(app, v.grant, { amount, date, status, reference });
  const d = (await getDisbursement(await app.db(), id))!;
  const verb = status === 'paid' ? 'Paid' : 'Scheduled';
  app.emitWrite(
    id,
    `${verb} ${formatCents(amount)} on ${date} on grant #${d.grant_id} (${await totalsText(app, d.grant_id)}) — disbursement #${id}`,
    opts,
    await disbursementRecord(app, id),
  );
}

// ---- pay ---------------------------------------------------------------------------------------

async function pay(app: App, ref: string | undefined, opts: { date?: string; reference?: string; json?: boolean }): Promise<void> {
  const dateGiven = flag('--date', opts.date, parseDateFlag);
  const v = await app.need({ disbursement: { flag: 'DISBURSEMENT', value: ref, ask: () => pickScheduled(app) } });
  const interactive = app.canPrompt && ref === undefined;
  const date = dateGiven ?? (interactive ? await askDate(app, 'Date paid', { allowFuture: false }) : app.today());
  // An empty answer keeps the reference given when it was scheduled.
  const reference =
    opts.reference ??
    (interactive ? (await askText(app, 'Reference (cheque/transfer; optional, Enter keeps the scheduled one)')).trim() || undefined : undefined);
  const id = await payDisbursement(app, v.disbursement, date, reference);
  const d = (await getDisbursement(await app.db(), id))!;
  app.emitWrite(
    id,
    `Paid ${formatCents(d.amount)} on ${date} on grant #${d.grant_id} (${await totalsText(app, d.grant_id)}) — disbursement #${id}`,
    opts,
    await disbursementRecord(app, id),
  );
}

// ---- close -------------------------------------------------------------------------------------

async function close(
  app: App,
  grantArg: string | undefined,
  opts: { status?: string; reason?: string; date?: string; yes?: boolean; json?: boolean },
): Promise<void> {
  const dateGiven = flag('--date', opts.date, parseDateFlag);
  const v = await app.need({
    grant: { flag: 'GRANT', value: grantArg, ask: () => pickGrant(app) },
    status: {
      flag: '--status',
      value: opts.status,
      ask: (p) => p.select<string>({ message: 'Close as', choices: CLOSE_STATUSES.map((s) => ({ name: s, value: s })) }),
    },
  });
  if (!(CLOSE_STATUSES as readonly string[]).includes(v.status)) throw new UsageError(`invalid --status "${v.status}" (expected completed or cancelled)`);
  const to = v.status as CloseStatus;
  const interactive = app.canPrompt && (grantArg === undefined || opts.status === undefined);
  const date = dateGiven ?? (interactive ? await askDate(app, 'Closing date', { allowFuture: false }) : app.today());
  const reason = (opts.reason ?? (interactive ? await askText(app, 'Reason (optional)') : undefined))?.trim() || null;

  const g0 = await loadGrant(app, v.grant);
  // A completed grant may still be cancelled when its service commitment is unmet (closeGrant decides).
  if (!(to === 'cancelled' && g0.status === 'completed' && g0.service_minutes !== null)) assertOpen(g0, 'close it');
  const scheduled0 = await scheduledDisbursements(await app.db(), g0.id);
  const s0 = (await grantSummary(await app.db(), g0.id))!;
  const what = scheduled0.length
    ? `; its ${scheduled0.length} scheduled disbursement${scheduled0.length > 1 ? 's' : ''} (${formatCents(scheduled0.reduce((a, d) => a + d.amount, 0))}) will be cancelled`
    : '';
  await app.confirm(`Close grant ${grantLabel(s0)} as ${to}${what}?`, opts.yes);

  const repayment = await closeGrant(app, g0.id, to, date, reason);
  const n = scheduled0.length;
  app.emitWrite(
    g0.id,
    `Closed grant #${g0.id} as ${to} on ${date}${n ? `; cancelled ${n} scheduled disbursement${n > 1 ? 's' : ''}` : ''}` +
      (repayment ? `; repayment owed: ${repaymentText(repayment)}` : ''),
    opts,
    await grantRecord(app, g0.id),
  );
}

// ---- cancel one disbursement ---------------------------------------------------------------------

async function cancelDisbursement(app: App, ref: string | undefined, opts: { reason?: string; yes?: boolean; json?: boolean }): Promise<void> {
  const v = await app.need({
    disbursement: { flag: 'DISBURSEMENT', value: ref, ask: () => pickScheduled(app) },
    reason: { flag: '--reason', value: opts.reason, ask: () => askText(app, 'Reason', { required: true }) },
  });
  const reason = v.reason.trim();
  if (!reason) throw new ValidationError('--reason cannot be empty');
  const d0 = await loadDisbursement(app, v.disbursement);
  if (d0.status === 'cancelled') throw new ConflictError(`disbursement #${d0.id} is already cancelled`);
  const g0 = (await getGrant(await app.db(), d0.grant_id))!;
  if (g0.closed_on !== null) throw new ConflictError(`grant #${g0.id} was closed as ${g0.status} on ${g0.closed_on}; its disbursements cannot change`);
  await app.confirm(`Cancel ${d0.status} disbursement #${d0.id} of ${formatCents(d0.amount)} dated ${d0.date} on grant #${g0.id}?`, opts.yes);
  await cancelDisbursementRecord(app, d0.id, reason);
  app.emitWrite(
    d0.id,
    `Cancelled disbursement #${d0.id} (${formatCents(d0.amount)}) on grant #${g0.id} (${await totalsText(app, g0.id)})`,
    opts,
    await disbursementRecord(app, d0.id),
  );
}

/** `350.00 (500.00 paid × 70.00 of 100.00 committed hours unmet, as of 2026-05-31)` */
export function repaymentText(r: Repayment): string {
  const unmet = Math.max(0, r.committed_minutes - r.served_minutes);
  return `${formatCents(r.amount)} (${formatCents(r.paid)} paid × ${formatHours(unmet)} of ${formatHours(r.committed_minutes)} committed hours unmet, as of ${r.computed_on})`;
}

// ---- show --------------------------------------------------------------------------------------

async function show(app: App, ref: string, opts: ListOptions): Promise<void> {
  const g = await loadGrant(app, ref);
  const row = (await grantRows(app, [(await grantSummary(await app.db(), g.id))!]))[0]!;
  const today = app.today();
  const by = dueBy(today);
  const disb = (await listDisbursements(await app.db(), g.id)).map((d) => ({ ...d, flag: disbursementState(d, today, by) })) as unknown as Row[];
  const reqs = await requirementRows(app, g.id);
  // On a terminal, a closed grant also says when and why, and what a cancellation left owed.
  const table = app.format(opts) === 'table';
  const extra: Row = {};
  const extraColumns: Column[] = [];
  if (table && g.closed_on !== null) {
    Object.assign(extra, { closed_on: g.closed_on, closed_reason: g.closed_reason });
    extraColumns.push({ key: 'closed_on', kind: 'date' }, { key: 'closed_reason' });
  }
  const repayment = table ? await getRepayment(await app.db(), g.id) : undefined;
  if (repayment) {
    extra['repayment'] = repaymentText(repayment);
    extraColumns.push({ key: 'repayment' });
  }
  await app.printShow(
    { row: { ...row, ...extra }, columns: [...GRANT_COLUMNS, ...extraColumns] },
    [
      { key: 'disbursements', title: 'Disbursements', rows: disb, columns: DISBURSEMENT_COLUMNS },
      { key: 'requirements', title: 'Requirements', rows: reqs, columns: REQUIREMENT_COLUMNS },
    ],
    opts,
  );
}

// ---- registration ------------------------------------------------------------------------------

export const registerGrants: Register = (program, env) => {
  const grants = program.command('grants').description('scholarships and training grants: awards, disbursements (paid or scheduled), service commitments');

  examples(
    withJson(
      grants
        .command('award')
        .argument('[grantee]', 'the person receiving the grant (id, email or external id)')
        .description('award a scholarship or training grant; prints its id')
        .option('--amount <amount>', 'amount awarded, e.g. 1500.00')
        .option('--purpose <text>', 'what it pays for')
        .option('--funder <code>', 'funder whose money it is')
        .option('--program <code>', 'program it belongs to')
        .option('--date <date>', 'award date (YYYY-MM-DD; default today)')
        .option('--currency <code>', 'ISO 4217 code; must be the database currency (setting `currency`)')
        .option('--service-hours <n>', 'service commitment: pro bono hours the grantee gives after the award')
        .option(
          '--service-by <date>',
          'deadline of the service commitment (YYYY-MM-DD; needs --service-hours); cancelling before it is met records a prorated repayment',
        ),
    ),
    'ngo grants award mei.zhang@example.org --amount 1500.00 --purpose "LCSW licensing exam and prep course" --funder HOPE --program TRAIN --service-hours 40',
    'ngo grants award V-01036 --amount 800 --purpose "Trauma-informed care certificate" --date 2026-03-01',
    'ngo grants award ana@example.org --amount 2000 --purpose "Supervision fees" --service-hours 100 --service-by 2027-06-30',
  ).action((grantee: string | undefined, opts: AwardOptions, cmd) => award(env.app(cmd), grantee, opts));

  examples(
    withJson(
      grants
        .command('disburse')
        .argument('[grant]', 'grant id')
        .description('record a payment on a grant (or, with --scheduled, plan one); prints the disbursement id. Paid + scheduled never exceed the award')
        .option('--amount <amount>', 'amount, e.g. 500.00')
        .option('--date <date>', 'date paid (default today); with --scheduled the planned date (required)')
        .option('--scheduled', 'a planned payment, not yet made (mark it paid later with `ngo grants pay`)')
        .option('--reference <ref>', 'cheque/transfer reference'),
    ),
    'ngo grants disburse 12 --amount 500.00 --date 2026-02-01 --reference TRF-3381',
    'ngo grants disburse 12 --amount 1000.00 --scheduled --date 2026-09-01',
  ).action((grant: string | undefined, opts: DisburseOptions, cmd) => disburse(env.app(cmd), grant, opts));

  examples(
    withJson(
      grants
        .command('pay')
        .argument('[disbursement]', 'id of a scheduled disbursement')
        .description('mark a scheduled disbursement paid; prints its id')
        .option('--date <date>', 'date paid (default today)')
        .option('--reference <ref>', 'cheque/transfer reference'),
    ),
    'ngo grants pay 31 --date 2026-09-03 --reference TRF-4410',
  ).action((ref: string | undefined, opts, cmd) => pay(env.app(cmd), ref, opts));

  examples(
    withFormat(
      grants
        .command('list')
        .description('list grants with paid, scheduled and remaining amounts and service hours logged since the award')
        .addOption(new Option('--status <status>', 'grant status').choices([...GRANT_STATUSES, 'all']).default('all'))
        .option('--funder <code>', 'only grants of this funder')
        .option('--person <ref>', 'only grants to this person'),
    ),
    'ngo grants list --status active',
    'ngo grants list --funder HOPE --format csv > hope-grants.csv',
  ).action(async (opts: { status: GrantStatus | 'all'; funder?: string; person?: string; format?: string; json?: boolean }, cmd) => {
    const app = env.app(cmd);
    const funderId = opts.funder !== undefined ? (await resolveFunder(await app.db(), opts.funder)).id : undefined;
    const personId = opts.person !== undefined ? (await resolvePerson(await app.db(), opts.person)).id : undefined;
    await app.printRows(
      await grantRows(app, await listGrantSummaries(await app.db(), { status: opts.status, funderId, personId })),
      GRANT_COLUMNS,
      opts,
      GRANT_TABLE,
    );
  });

  examples(
    withFormat(grants.command('show').argument('<grant>', 'grant id').description('a grant (the `grants list` row) and its disbursements')),
    'ngo grants show 12',
    'ngo grants show 12 --json',
  ).action((ref: string, opts, cmd) => show(env.app(cmd), ref, opts));

  examples(
    withJson(
      grants
        .command('close')
        .argument('[grant]', 'grant id')
        .description('close a grant as completed (e.g. under-spent) or cancelled; its scheduled disbursements are cancelled')
        .addOption(new Option('--status <status>', 'completed or cancelled').choices([...CLOSE_STATUSES]))
        .option('--reason <text>', 'why')
        .option('--date <date>', 'closing date (default today)')
        .option('--yes', 'do not ask for confirmation'),
    ).addHelpText(
      'after',
      '\nCancelling a grant whose service commitment is not met by the closing date records the repayment owed:\nthe amount paid × the unmet share of the committed hours (hours logged from the award to the closing date).',
    ),
    'ngo grants close 12 --status cancelled --reason "grantee withdrew from the course" --yes',
    'ngo grants close 9 --status completed --reason "course cost less than budgeted" --yes',
  ).action((ref: string | undefined, opts, cmd) => close(env.app(cmd), ref, opts));

  examples(
    withJson(
      grants
        .command('cancel-disbursement')
        .argument('[disbursement]', 'disbursement id')
        .description('cancel one scheduled disbursement, or a payment recorded in error; it stops counting toward the award')
        .option('--reason <text>', 'why (required)')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo grants cancel-disbursement 31 --reason "second tranche not needed" --yes',
  ).action((ref: string | undefined, opts, cmd) => cancelDisbursement(env.app(cmd), ref, opts));

  registerGrantRequirements(grants, env);
  addGrantCorrections(grants, env);
};
