/** `ngo people …`: the roster. */
import { Command, Option } from '../commander.js';
import { withDrops } from '../io/table.js';
import type { App } from '../app.js';
import { ConflictError, UsageError, ValidationError } from '../errors.js';
import { examples, flag, importPeople, withFormat, withImportOptions, withJson, withReportOutput, type Register } from './common.js';
import { ROLES, ROSTER_FIELDS, displayName, emptyPerson, parseField, type Person, type PersonValues, type RosterField } from '../domain/people.js';
import { describePerson, resolvePerson } from '../services/refs.js';
import { getPerson, listPeople, personByEmail, personByExternalId, rateSpans } from '../store/people.js';
import { listHours } from '../store/hours.js';
import type { Column, Row } from '../io/output.js';
import { FROM_START, OPEN_END, describeSpan } from '../domain/rate-history.js';
import { formatCents } from '../domain/money.js';
import { askText, personLabel, reasonOf } from '../io/pickers.js';
import { forget } from '../services/forget.js';
import { parseDate, type DateFormat } from '../domain/dates.js';
import { addPerson, editPerson, setPersonStatus } from '../services/people.js';

export const PERSON_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  ...ROSTER_FIELDS.map((f): Column => ({
    key: f,
    kind: f === 'hourly_rate' ? 'dec2' : f === 'license_expires' || f === 'joined_on' ? 'date' : 'text',
  })),
];
/** What a terminal table shows of a person (CSV and JSON have every column). */
const PERSON_TABLE_COLUMNS: Column[] = withDrops(
  ['id', 'first_name', 'last_name', 'email', 'external_id', 'roles', 'credential', 'city', 'status'].map((k) => PERSON_COLUMNS.find((c) => c.key === k)!),
  // A narrow terminal leaves out the city first, then the credential, the external id, the roles, the e-mail.
  { city: 6, credential: 5, external_id: 4, roles: 3, email: 2 },
);
/** `people show`'s second table: the dated rates. */
const RATE_COLUMNS: Column[] = [
  { key: 'valid_from', kind: 'date' },
  { key: 'valid_to', kind: 'date' },
  { key: 'hourly_rate', kind: 'dec2' },
];

/** `people show` on a terminal: the person's latest hours entries. */
const RECENT_HOURS = 10;
const RECENT_HOURS_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'date', kind: 'date' },
  { key: 'program_code' },
  { key: 'activity' },
  { key: 'hours', kind: 'dec2' },
  { key: 'status' },
  { key: 'note', drop: 1 },
];

/**
 * CLI flag (commander camelCase) → roster field, its help, and what `people add` asks for it on a
 * terminal (every field, in this order; Enter skips an optional one).
 */
const FLAG_FIELDS: [string, string, RosterField, string, string][] = [
  ['first', '--first <name>', 'first_name', 'first (given) name', 'First name'],
  ['last', '--last <name>', 'last_name', 'last name (surname)', 'Last name'],
  ['email', '--email <email>', 'email', 'email address (unique, case-insensitive)', 'Email'],
  ['externalId', '--external-id <id>', 'external_id', 'ID in another system (unique)', 'External id (ID in another system)'],
  ['phone', '--phone <phone>', 'phone', 'phone number', 'Phone'],
  ['roles', '--roles <roles>', 'roles', `comma-separated: ${ROLES.join(',')}`, `Roles, comma-separated (${ROLES.join(', ')})`],
  ['credential', '--credential <credential>', 'credential', 'professional credential, e.g. LCSW', 'Credential (e.g. LCSW)'],
  ['licenseNumber', '--license-number <n>', 'license_number', 'licence number', 'Licence number'],
  ['licenseRegion', '--license-region <region>', 'license_region', 'licensing state/region, e.g. NY', 'Licensing state/region (e.g. NY)'],
  ['licenseExpires', '--license-expires <date>', 'license_expires', 'licence expiry date (YYYY-MM-DD)', 'Licence expires (YYYY-MM-DD)'],
  [
    'rate',
    '--rate <amount>',
    'hourly_rate',
    'hourly rate for specialised (skilled) services, e.g. 85.00',
    'Hourly rate for skilled services, e.g. 85.00 (empty: a general volunteer)',
  ],
  ['addressLine1', '--address-line1 <text>', 'address_line1', 'address line 1', 'Address line 1'],
  ['addressLine2', '--address-line2 <text>', 'address_line2', 'address line 2', 'Address line 2'],
  ['city', '--city <city>', 'city', 'city', 'City'],
  ['region', '--region <region>', 'region', 'state/region', 'State/region'],
  ['postalCode', '--postal-code <code>', 'postal_code', 'postal code (leading zeros kept)', 'Postal code'],
  ['country', '--country <country>', 'country', 'country', 'Country'],
  ['joined', '--joined <date>', 'joined_on', 'date joined (YYYY-MM-DD)', 'Date joined (YYYY-MM-DD)'],
  ['notes', '--notes <text>', 'notes', 'notes', 'Notes'],
];

function addPersonFlags(cmd: Command, opts: { status?: boolean } = {}): Command {
  for (const [, flag, , desc] of FLAG_FIELDS) cmd.option(flag, desc);
  if (opts.status) cmd.addOption(new Option('--status <status>', 'active or inactive').choices(['active', 'inactive']));
  return cmd;
}

/** One roster field as its flag gives it: the field's parser, its refusal naming the flag. */
function parseFlagField(field: RosterField, flag: string, v: string): string | number {
  try {
    return parseField(field, v);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${flag.split(' ')[0]}: ${e.message}`);
    throw e;
  }
}

/** Parse the flags that were given into field values ('' → null means "clear"). */
function flagValues(opts: Record<string, unknown>): Partial<Record<RosterField, string | number | null>> {
  const out: Partial<Record<RosterField, string | number | null>> = {};
  for (const [key, flag, field] of FLAG_FIELDS) {
    const v = opts[key];
    if (typeof v !== 'string') continue;
    if (v.trim() === '') {
      out[field] = null;
      continue;
    }
    out[field] = parseFlagField(field, flag, v);
  }
  if (typeof opts['status'] === 'string') out.status = parseField('status', opts['status']) as string;
  return out;
}

export function personRow(p: Person): Row {
  return p as unknown as Row;
}

/** An email or external id that another person already has: the refusal addPerson would end with. */
async function assertFree(app: App, field: 'email' | 'external_id', value: string): Promise<void> {
  const db = await app.db();
  const other = field === 'email' ? await personByEmail(db, value) : await personByExternalId(db, value);
  if (other) throw new ConflictError(`${field === 'email' ? 'email' : 'external id'} ${value} already belongs to ${describePerson(other)}`);
}

/**
 * On a terminal without --first: ask every field that no flag gave, in FLAG_FIELDS order, each checked
 * as it is typed by the flag's own parser (an invalid email, a taken one, a bad date or rate is asked
 * again with its reason). Enter skips an optional field.
 */
async function askPerson(app: App, opts: Record<string, unknown>): Promise<void> {
  for (const [key, flag, field, , label] of FLAG_FIELDS) {
    if (typeof opts[key] === 'string') continue;
    const required = field === 'first_name';
    const check = field === 'email' || field === 'external_id' ? (v: string | number) => assertFree(app, field, String(v)) : undefined;
    // What is stored is the flag's parse of the answer; the answer itself goes through the same path as a flag.
    const answer = await app.prompter.input({
      message: required ? label : `${label} (optional)`,
      validate: (s) => {
        if (s.trim() === '') return required ? 'required' : true;
        return reasonOf(async () => {
          const v = parseFlagField(field, flag, s);
          if (check) await check(v);
        });
      },
    });
    if (answer.trim() !== '') opts[key] = answer;
  }
}

async function add(app: App, opts: Record<string, unknown>): Promise<void> {
  // Bad flags fail before any prompt.
  flagValues(opts);
  await app.need({
    first: { flag: '--first', value: opts['first'] as string | undefined, ask: () => askPerson(app, opts).then(() => opts['first'] as string) },
  });
  const values: PersonValues = { ...emptyPerson(), ...(flagValues(opts) as Partial<PersonValues>) };
  if (!values.first_name) throw new ValidationError('--first: a first name is required');
  await app.confirmWrite(`Add ${personLabel(values)}`);
  const id = await addPerson(app, values);
  const p = (await getPerson(await app.db(), id))!;
  app.emitWrite(id, `Added ${displayName(p)} — person #${id}`, opts, { row: personRow(p), columns: PERSON_COLUMNS });
}

async function edit(app: App, ref: string, opts: Record<string, unknown>): Promise<void> {
  const changes = flagValues(opts);
  const rateFromFlag =
    typeof opts['rateFrom'] === 'string' ? flag('--rate-from', opts['rateFrom'] as string, (s) => parseDate(s, 'iso', '--rate-from')) : undefined;
  if (rateFromFlag !== undefined && !('hourly_rate' in changes)) throw new UsageError('--rate-from goes with --rate (the new rate, or "" for none)');
  if (Object.keys(changes).length === 0) throw new UsageError('nothing to change: give at least one --field value (see ngo people edit --help)');
  if ('first_name' in changes && !changes.first_name) throw new ValidationError('--first: a first name cannot be empty');
  const rateGiven = 'hourly_rate' in changes;
  const newRate = (changes.hourly_rate ?? null) as number | null;
  delete changes.hourly_rate;
  if (rateFromFlag !== undefined && rateFromFlag > app.today()) {
    throw new ValidationError(
      `--rate-from ${rateFromFlag} is in the future (today is ${app.today()})`,
      'set the new rate on or after the day it starts; until then the current rate stays',
    );
  }
  const rateDate = rateFromFlag ?? app.today();
  const rate = rateGiven ? { rate: newRate, from: rateDate, fromIsDefault: rateFromFlag === undefined } : undefined;
  const { id, rateChange: rc } = await editPerson(app, ref, changes, rate);
  if (rc && (rc.replaced.length > 0 || rc.endsRemoved.length > 0)) {
    const gone = [...rc.replaced.map((x) => describeSpan(x, formatCents)), ...rc.endsRemoved.map((d) => `no rate from ${d}`)];
    app.warn(`the rate from ${rc.from === FROM_START ? 'the start' : rc.from} replaces ${gone.join('; ')}`);
  }
  if (rc && rc.revalued > 0) {
    const from = rc.from === FROM_START ? 'the start' : rc.from;
    const entries = `${rc.revalued} entr${rc.revalued === 1 ? 'y' : 'ies'} dated from ${from} on`;
    app.warn(
      newRate === null
        ? `ending the rate makes ${entries} general volunteer time: reports for periods from ${from} change (earlier periods do not)`
        : `the new rate values ${entries}: reports for periods from ${from} change (earlier periods do not)`,
    );
  }
  const p = (await getPerson(await app.db(), id))!;
  app.emitWrite(id, `Updated ${displayName(p)} — person #${id}`, opts, { row: personRow(p), columns: PERSON_COLUMNS });
}

async function setStatus(app: App, ref: string, opts: { reason?: string; yes?: boolean; json?: boolean }, to: 'active' | 'inactive'): Promise<void> {
  const verb = to === 'inactive' ? 'archive' : 'restore';
  const p0 = await resolvePerson(await app.db(), ref);
  if (p0.status === to) throw new ConflictError(`${describePerson(p0)} is already ${to === 'inactive' ? 'archived' : 'active'}`);
  const reason =
    to === 'inactive'
      ? (
          await app.need({
            reason: { flag: '--reason', value: opts.reason?.trim() || undefined, ask: () => askText(app, 'Reason for archiving', { required: true }) },
          })
        ).reason
      : opts.reason;
  await app.confirm(`${verb === 'archive' ? 'Archive' : 'Restore'} ${describePerson(p0)}?`, opts.yes);
  await setPersonStatus(app, p0.id, to, reason);
  const p = (await getPerson(await app.db(), p0.id))!;
  app.emitWrite(p.id, `${verb === 'archive' ? 'Archived' : 'Restored'} ${displayName(p)} — person #${p.id}`, opts, {
    row: personRow(p),
    columns: PERSON_COLUMNS,
  });
}

export const registerPeople: Register = (program, env) => {
  const people = program.command('people').description('the roster: volunteers, supervisors, mentors, grantees, staff');

  examples(
    withJson(addPersonFlags(people.command('add').description('add a person; prints the new id'))),
    'ngo people add --first Ana --last Okafor --email ana@example.org --roles volunteer,mentor',
    'ngo people add --first Sam --last Lee --credential LCSW --license-number 123456 --license-region NY --rate 85.00',
  ).action((opts, cmd) => add(env.app(cmd), opts));

  examples(
    withFormat(
      people
        .command('list')
        .description('list people')
        .option('--role <role>', 'only people with this role')
        .addOption(new Option('--status <status>', 'active, inactive or all').choices(['active', 'inactive', 'all']).default('active'))
        .option('--search <text>', 'match name, email or external id'),
    ),
    'ngo people list --role supervisor',
    'ngo people list --status all --search okafor --format json',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    const rows = await listPeople(await app.db(), { role: opts.role?.toLowerCase(), status: opts.status, search: opts.search });
    await app.printRows(rows.map(personRow), PERSON_COLUMNS, opts, PERSON_TABLE_COLUMNS);
  });

  examples(
    withFormat(
      people
        .command('show')
        .argument('<ref>', 'id, email or external id')
        .description('show one person (one field a line on a terminal), then their dated hourly rates and latest hours'),
    ),
    'ngo people show ana@example.org',
  ).action(async (ref, opts, cmd) => {
    const app = env.app(cmd);
    const p = await resolvePerson(await app.db(), ref);
    const history = (await rateSpans(await app.db(), p.id)).map((s): Row => ({
      valid_from: s.valid_from === FROM_START ? null : s.valid_from,
      valid_to: s.valid_to === OPEN_END ? null : s.valid_to,
      hourly_rate: s.hourly_rate,
    }));
    // On a terminal, also the latest hours entries (CSV and JSON keep their two parts).
    const hours = app.format(opts) === 'table' ? await listHours(await app.db(), { personId: p.id, status: 'all' }) : [];
    const recent = hours.slice(-RECENT_HOURS) as unknown as Row[];
    await app.printShow(
      { row: personRow(p), columns: PERSON_COLUMNS },
      [
        {
          key: 'rate_history',
          title: 'Hourly rates',
          note: '(empty from: since the start; empty to: still in force)',
          rows: history,
          columns: RATE_COLUMNS,
        },
        {
          key: 'recent_hours',
          title: 'Recent hours',
          note:
            hours.length === 0
              ? '(none logged)'
              : `(${hours.length > RECENT_HOURS ? `the latest ${RECENT_HOURS} of ${hours.length}` : `all ${hours.length}`}; every one: ngo hours list --person ${p.id})`,
          rows: recent,
          columns: RECENT_HOURS_COLUMNS,
          tableOnly: true,
        },
      ],
      opts,
    );
  });

  examples(
    withJson(
      addPersonFlags(people.command('edit').argument('<ref>', 'id, email or external id').description('change fields; an empty value clears a field'), {
        status: true,
      }).option('--rate-from <date>', 'with --rate: the first day the new rate applies (default today); entries before it keep their rate'),
    ),
    'ngo people edit ana@example.org --phone "+1 555 0100" --roles volunteer,supervisor',
    'ngo people edit grace@example.org --rate 95.00 --rate-from 2026-07-01',
    'ngo people edit 12 --license-expires 2027-06-30',
  ).action((ref, opts, cmd) => edit(env.app(cmd), ref, opts));

  examples(
    withJson(
      people
        .command('archive')
        .argument('<ref>', 'id, email or external id')
        .description('archive (deactivate) a person; their past hours stay in reports')
        .option('--reason <text>', 'why (required; asked for on a terminal)')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo people archive 12 --reason "moved away" --yes',
  ).action((ref, opts, cmd) => setStatus(env.app(cmd), ref, opts, 'inactive'));

  examples(
    withJson(
      people
        .command('restore')
        .argument('<ref>', 'id, email or external id')
        .description('make an archived person active again')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo people restore 12 --yes',
  ).action((ref, opts, cmd) => setStatus(env.app(cmd), ref, opts, 'active'));

  examples(
    people
      .command('forget')
      .argument('<ref>', 'id, email or external id')
      .description("erase a person's personal fields (name, contact, address, licence) and scrub them from the audit log; their hours stay in aggregates")
      .option('--yes', 'required: confirms the erasure, which cannot be undone'),
    'ngo people forget ana@example.org --yes',
  ).action(async (ref, opts, cmd) => {
    const app = env.app(cmd);
    const p = await resolvePerson(await app.db(), ref);
    if (p.erased_at) throw new ConflictError(`person #${p.id} was already erased`);
    await app.confirm(`Erase the personal data of ${describePerson(p)}? This cannot be undone`, opts.yes);
    await forget(app, p.id);
    app.emitWrite(p.id, `Erased the personal data of person #${p.id}`, {});
  });

  examples(
    withJson(
      withImportOptions(
        people.command('import').description('import or update a roster from CSV (matched by external_id, then email); all or nothing unless --skip-invalid'),
      ),
    ),
    'ngo people import roster.csv --dry-run',
    'ngo people import roster.csv --skip-invalid --rejects rejected.csv',
    'ngo people import export.csv --map "Cell=phone" --map "Licence=license_number" --date-format mdy',
  ).action(async (file, opts, cmd) => {
    const app = env.app(cmd);
    await importPeople(app, file, { ...opts, dateFormat: opts.dateFormat as DateFormat });
  });

  examples(
    withReportOutput(
      people
        .command('export')
        .description("the roster as CSV in the import's column names, with each person's id (re-imports as unchanged)")
        .addOption(new Option('--status <status>', 'active, inactive or all').choices(['active', 'inactive', 'all']).default('all')),
    ),
    'ngo people export > roster.csv',
    'ngo people export --status active --bom --out roster.csv',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    const rows = (await listPeople(await app.db(), { status: opts.status })).filter((p) => !p.erased_at);
    // With the id (Contract v2): imported again, a row whose email was changed in the spreadsheet updates that person.
    await app.writeReport(await app.reportText(rows.map(personRow), PERSON_COLUMNS, opts), opts.out);
  });
};
