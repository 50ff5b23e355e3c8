/** `ngo programs …` and `ngo funders …` (with funding agreements). */
import { Option } from '../commander.js';
import { withDrops } from '../io/table.js';
import type { App } from '../app.js';
import { ConflictError, UsageError, ValidationError } from '../errors.js';
import { examples, withFormat, withJson, type Register } from './common.js';
import {
  funderByCode,
  getFunder,
  getFunding,
  getProgram,
  listFunders,
  listFunding,
  listPrograms,
  programByCode,
  type Funder,
  type Funding,
  type Program,
} from '../store/orgs.js';
import { resolveFunder, resolveProgram } from '../services/refs.js';
import { addFunder, addProgram, editOrg, fundProgram, setArchived, type OrgKind } from '../services/orgs.js';
import { parseDate } from '../domain/dates.js';
import { formatCents, parseMoney } from '../domain/money.js';
import { overAgreements } from '../store/grants.js';
import { parseNote } from '../domain/hours.js';
import type { Column, Row } from '../io/output.js';
import { askDate, askParsed, askText, pickFunder, pickProgram } from '../io/pickers.js';
import { addFundingCorrections } from './corrections.js';

export const FUNDER_TYPES = ['foundation', 'government', 'corporate', 'individual', 'other'] as const;

export const PROGRAM_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'code' },
  { key: 'name' },
  { key: 'description' },
  { key: 'status' },
  { key: 'archived_reason' },
];
export const FUNDER_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'code' },
  { key: 'name' },
  { key: 'type' },
  { key: 'status' },
  { key: 'archived_reason' },
];
/** Funding agreements on a narrow terminal: the names go first (the codes stay), then the reference. */
const FUNDING_TABLE_RANKS: Record<string, number> = { funder_name: 4, program_name: 3, reference: 2 };
export const FUNDING_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'funder_code' },
  { key: 'funder_name' },
  { key: 'program_code' },
  { key: 'program_name' },
  { key: 'start_date', kind: 'date' },
  { key: 'end_date', kind: 'date' },
  { key: 'amount', kind: 'dec2' },
  { key: 'reference' },
];
const FUNDING_TABLE = withDrops(FUNDING_COLUMNS, FUNDING_TABLE_RANKS);

/** Codes: letters, digits, `-` and `_`, up to 32 characters; stored upper-case. */
export function parseCode(s: string, what: string): string {
  const c = s.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(c) || c === '-') {
    throw new ValidationError(`invalid ${what} code "${s}" (letters, digits, - and _; at most 32 characters)`);
  }
  return c.toUpperCase();
}

/** A code asked for on a terminal, checked by parseCode as it is typed (and not taken by another). */
async function askCode(app: App, kind: OrgKind): Promise<string> {
  const db = await app.db();
  const example = kind === 'program' ? 'TELE' : 'HOPE';
  return askParsed(app, `${kind === 'program' ? 'Program' : 'Funder'} code (e.g. ${example})`, (s) => parseCode(s, kind), {
    check: async (code) => {
      const taken = kind === 'program' ? await programByCode(db, code) : await funderByCode(db, code);
      if (taken) throw new ConflictError(`${kind} ${code} already exists (${taken.name})`);
    },
  });
}

function nonEmpty(s: string, what: string): string {
  const v = s.trim();
  if (!v) throw new ValidationError(`${what} cannot be empty`);
  return v;
}

const asRow = (x: Program | Funder | Funding): Row => x as unknown as Row;

async function setStatus(app: App, kind: OrgKind, code: string, opts: { reason?: string; yes?: boolean; json?: boolean }, archived: boolean): Promise<void> {
  const rec = kind === 'program' ? await resolveProgram(await app.db(), code) : await resolveFunder(await app.db(), code);
  if (archived && rec.status === 'archived') throw new ConflictError(`${kind} ${rec.code} is already archived`);
  if (!archived && rec.status === 'active') throw new ConflictError(`${kind} ${rec.code} is not archived`);
  await app.confirm(`${archived ? 'Archive' : 'Restore'} ${kind} ${rec.code} (${rec.name})?`, opts.yes);
  await setArchived(app, kind, rec, archived, opts.reason);
  const after = kind === 'program' ? (await getProgram(await app.db(), rec.id))! : (await getFunder(await app.db(), rec.id))!;
  app.emitWrite(rec.id, `${archived ? 'Archived' : 'Restored'} ${kind} ${rec.code}`, opts, {
    row: asRow(after),
    columns: kind === 'program' ? PROGRAM_COLUMNS : FUNDER_COLUMNS,
  });
}

export const registerPrograms: Register = (program, env) => {
  const programs = program.command('programs').description('programs (e.g. tele-therapy, peer support), referred to by code');

  examples(
    withJson(
      programs
        .command('add')
        .argument('[code]', 'short code, e.g. TELE')
        .description('add a program; prints its id')
        .option('--name <name>', 'full name')
        .option('--description <text>', 'description'),
    ),
    'ngo programs add TELE --name "Tele-therapy" --description "Short-term counselling by video"',
  ).action(async (codeArg: string | undefined, opts, cmd) => {
    const app = env.app(cmd);
    const interactive = app.canPrompt && (codeArg === undefined || opts.name === undefined);
    const v = await app.need({
      code: { flag: 'CODE', value: codeArg, ask: () => askCode(app, 'program') },
      name: { flag: '--name', value: opts.name as string | undefined, ask: () => askText(app, 'Program name', { required: true }) },
    });
    const code = parseCode(v.code, 'program');
    const name = nonEmpty(v.name, '--name');
    const description = opts.description ?? (interactive ? (await askText(app, 'Description (optional)', { multiline: true })) || undefined : undefined);
    const id = await addProgram(app, code, name, description);
    app.emitWrite(id, `Added program ${code} (${name}) — #${id}`, opts, {
      row: asRow((await getProgram(await app.db(), id))!),
      columns: PROGRAM_COLUMNS,
    });
  });

  examples(
    withFormat(
      programs
        .command('list')
        .description('list programs')
        .addOption(new Option('--status <status>', 'active, archived or all').choices(['active', 'archived', 'all']).default('all')),
    ),
    'ngo programs list --status active',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    await app.printRows((await listPrograms(await app.db(), opts.status)).map(asRow), PROGRAM_COLUMNS, opts);
  });

  examples(
    withJson(
      programs
        .command('edit')
        .argument('<code>', 'program code')
        .description('rename or describe a program')
        .option('--name <name>', 'full name')
        .option('--description <text>', 'description'),
    ),
    'ngo programs edit TELE --name "Tele-counselling"',
  ).action(async (code, opts, cmd) => {
    const app = env.app(cmd);
    const set: Record<string, unknown> = {};
    if (opts.name !== undefined) set['name'] = nonEmpty(opts.name, '--name');
    if (opts.description !== undefined) set['description'] = parseNote(opts.description, '--description');
    if (Object.keys(set).length === 0) throw new UsageError('nothing to change: give --name or --description');
    const p = await resolveProgram(await app.db(), code);
    await editOrg(app, 'program', p, set);
    app.emitWrite(p.id, `Updated program ${p.code}`, opts, {
      row: asRow((await getProgram(await app.db(), p.id))!),
      columns: PROGRAM_COLUMNS,
    });
  });

  examples(
    withJson(
      programs
        .command('archive')
        .argument('<code>', 'program code')
        .description('archive a program: no new entries; its past stays in reports')
        .option('--reason <text>', 'why')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo programs archive SCHOOL --reason "pilot ended" --yes',
  ).action((code, opts, cmd) => setStatus(env.app(cmd), 'program', code, opts, true));

  examples(
    withJson(
      programs
        .command('restore')
        .argument('<code>', 'program code')
        .description('make an archived program active again')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo programs restore SCHOOL --yes',
  ).action((code, opts, cmd) => setStatus(env.app(cmd), 'program', code, opts, false));
};

export const registerFunders: Register = (program, env) => {
  const funders = program.command('funders').description('funders (foundations, government, …) and their funding agreements');

  examples(
    withJson(
      funders
        .command('add')
        .argument('[code]', 'short code, e.g. HOPE')
        .description('add a funder; prints its id')
        .option('--name <name>', 'full name')
        .addOption(new Option('--type <type>', 'kind of funder').choices([...FUNDER_TYPES]).default('foundation')),
    ),
    'ngo funders add HOPE --name "Hope Foundation" --type foundation',
    'ngo funders add CITY --name "City Health Department" --type government',
  ).action(async (codeArg: string | undefined, opts, cmd) => {
    const app = env.app(cmd);
    const interactive = app.canPrompt && (codeArg === undefined || opts.name === undefined);
    const v = await app.need({
      code: { flag: 'CODE', value: codeArg, ask: () => askCode(app, 'funder') },
      name: { flag: '--name', value: opts.name as string | undefined, ask: () => askText(app, 'Funder name', { required: true }) },
    });
    const code = parseCode(v.code, 'funder');
    const name = nonEmpty(v.name, '--name');
    // --type has a default; on a terminal it is asked unless it was typed on the command line.
    const type =
      interactive && cmd.getOptionValueSource('type') === 'default'
        ? await app.prompter.select<string>({ message: 'Type', choices: FUNDER_TYPES.map((t) => ({ name: t, value: t })), default: opts.type })
        : opts.type;
    const id = await addFunder(app, code, name, type);
    app.emitWrite(id, `Added funder ${code} (${name}) — #${id}`, opts, {
      row: asRow((await getFunder(await app.db(), id))!),
      columns: FUNDER_COLUMNS,
    });
  });

  examples(
    withFormat(
      funders
        .command('list')
        .description('list funders')
        .addOption(new Option('--status <status>', 'active, archived or all').choices(['active', 'archived', 'all']).default('all')),
    ),
    'ngo funders list',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    await app.printRows((await listFunders(await app.db(), opts.status)).map(asRow), FUNDER_COLUMNS, opts);
  });

  examples(
    withJson(
      funders
        .command('edit')
        .argument('<code>', 'funder code')
        .description('rename a funder or change its type')
        .option('--name <name>', 'full name')
        .addOption(new Option('--type <type>', 'kind of funder').choices([...FUNDER_TYPES])),
    ),
    'ngo funders edit HOPE --name "Hope Family Foundation"',
  ).action(async (code, opts, cmd) => {
    const app = env.app(cmd);
    const set: Record<string, unknown> = {};
    if (opts.name !== undefined) set['name'] = nonEmpty(opts.name, '--name');
    if (opts.type !== undefined) set['type'] = opts.type;
    if (Object.keys(set).length === 0) throw new UsageError('nothing to change: give --name or --type');
    const f = await resolveFunder(await app.db(), code);
    await editOrg(app, 'funder', f, set);
    app.emitWrite(f.id, `Updated funder ${f.code}`, opts, {
      row: asRow((await getFunder(await app.db(), f.id))!),
      columns: FUNDER_COLUMNS,
    });
  });

  examples(
    withJson(
      funders
        .command('archive')
        .argument('<code>', 'funder code')
        .description('archive a funder: no new funding or grants; its past stays in reports')
        .option('--reason <text>', 'why')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo funders archive OLDCO --reason "closed" --yes',
  ).action((code, opts, cmd) => setStatus(env.app(cmd), 'funder', code, opts, true));

  examples(
    withJson(
      funders
        .command('restore')
        .argument('<code>', 'funder code')
        .description('make an archived funder active again')
        .option('--yes', 'do not ask for confirmation'),
    ),
    'ngo funders restore OLDCO --yes',
  ).action((code, opts, cmd) => setStatus(env.app(cmd), 'funder', code, opts, false));

  examples(
    withJson(
      funders
        .command('fund')
        .argument('[funder]', 'funder code')
        .description('record a funding agreement: the funder funds a program from a date (to a date)')
        .option('--program <code>', 'program code')
        .option('--from <date>', 'first day funded (YYYY-MM-DD)')
        .option('--to <date>', 'last day funded (default: open-ended)')
        .option('--amount <amount>', 'amount of the agreement, e.g. 50000.00')
        .option('--reference <ref>', 'grant/contract reference'),
    ),
    'ngo funders fund HOPE --program TELE --from 2026-01-01 --to 2026-12-31 --amount 50000.00 --reference HF-2026-17',
  ).action(async (funderArg: string | undefined, opts, cmd) => {
    const app = env.app(cmd);
    const parseAmount = (s: string) => parseMoney(s, '--amount', { allowZero: false });
    let end = opts.to ? parseDate(opts.to, 'iso', '--to date') : null;
    let amount = opts.amount !== undefined ? parseAmount(opts.amount) : null;
    const interactive = app.canPrompt && (funderArg === undefined || opts.program === undefined || opts.from === undefined);
    const v = await app.need({
      funder: { flag: 'FUNDER', value: funderArg, ask: () => pickFunder(app) },
      program: { flag: '--program', value: opts.program as string | undefined, ask: () => pickProgram(app) },
      from: { flag: '--from', value: opts.from as string | undefined, ask: () => askDate(app, 'Funded from', { allowFuture: true }) },
    });
    const start = parseDate(v.from, 'iso', '--from date');
    let reference = opts.reference ?? null;
    if (interactive) {
      const notBefore = (d: string) => {
        if (d < start) throw new ValidationError(`${d} is before the first day funded, ${start}`);
        return d;
      };
      if (opts.to === undefined)
        end =
          (await askParsed(app, 'Funded to (YYYY-MM-DD; optional, empty: open-ended)', (s) => notBefore(parseDate(s, 'iso', 'date')), { optional: true })) ??
          null;
      if (opts.amount === undefined)
        amount = (await askParsed(app, 'Amount of the agreement, e.g. 50000.00 (optional)', parseAmount, { optional: true })) ?? null;
      if (opts.reference === undefined) reference = (await askText(app, 'Grant/contract reference (optional)')).trim() || null;
    }
    if (end && end < start) throw new ValidationError(`--to ${end} is before --from ${start}`);
    const id = await fundProgram(app, { funder: v.funder, program: v.program }, { start_date: start, end_date: end, amount, reference });
    const g = (await getFunding(await app.db(), id))!;
    // Awards already recorded under this funder and program may exceed the new agreement.
    for (const o of await overAgreements(await app.db(), [id])) {
      app.warn(
        `awards under ${o.funder_code} / ${o.program_code} dated within this agreement already total ${formatCents(o.awarded)} (${o.grants} grant${o.grants === 1 ? '' : 's'}), more than its ${formatCents(o.agreement)}`,
      );
    }
    app.emitWrite(id, `${g.funder_code} funds ${g.program_code} from ${g.start_date}${g.end_date ? ` to ${g.end_date}` : ''} — agreement #${id}`, opts, {
      row: asRow(g),
      columns: FUNDING_COLUMNS,
    });
  });

  examples(
    withFormat(funders.command('funding').argument('[funder]', 'funder code (default: all)').description('list funding agreements')),
    'ngo funders funding HOPE',
  ).action(async (funderArg: string | undefined, opts, cmd) => {
    const app = env.app(cmd);
    const f = funderArg ? await resolveFunder(await app.db(), funderArg) : undefined;
    await app.printRows((await listFunding(await app.db(), f?.id)).map(asRow), FUNDING_COLUMNS, opts, FUNDING_TABLE);
  });
  addFundingCorrections(funders, env);
};
