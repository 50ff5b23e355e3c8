/**
 * `ngo supervision plan SUPERVISEE --rules tx-lpc|ca-bbs|ny-lcsw|custom [--start D] [--end D]
 * [--required-hours N] [--leave FROM:TO]…` (issue 21): the supervisee's licensure plan, judged by
 * `supervision progress` and `report supervision --by-period`. Without changes, shows the plan.
 */
import { Option, type Command } from '../commander.js';
import type { App } from '../app.js';
import { collect, examples, flag, withFormat, type CommandEnv } from './common.js';
import { RULE_SETS, RULE_SET_KEYS, parseLeave, ruleSet } from '../domain/licensure.js';
import { parseDate } from '../domain/dates.js';
import { formatHours, minutesToHundredths, parseHours } from '../domain/duration.js';
import { displayName } from '../domain/people.js';
import { ValidationError } from '../errors.js';
import { setPlan } from '../services/plans.js';
import { resolvePerson } from '../services/refs.js';
import { getPlan, planLeaves } from '../store/supervision.js';
import { pickPerson } from '../io/pickers.js';
import type { Column, Row } from '../io/output.js';

export const PLAN_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'supervisee_id', kind: 'int' },
  { key: 'supervisee' },
  { key: 'rules' },
  { key: 'rule_set' },
  { key: 'period' },
  { key: 'start_date', kind: 'date' },
  { key: 'end_date', kind: 'date' },
  { key: 'required_hours', kind: 'dec2' },
  { key: 'leave' },
];

interface PlanOptions {
  rules?: string;
  start?: string;
  end?: string | boolean;
  requiredHours?: string | boolean;
  leave?: string[];
  clearLeave?: boolean;
  format?: string;
  json?: boolean;
}

async function planRow(app: App, superviseeId: number): Promise<Row | null> {
  const db = await app.db();
  const p = await getPlan(db, superviseeId);
  if (!p) return null;
  const person = await resolvePerson(db, `#${superviseeId}`);
  const r = ruleSet(p.rules);
  return {
    id: p.id,
    supervisee_id: superviseeId,
    supervisee: displayName(person),
    rules: r.key,
    rule_set: r.name,
    period: r.period,
    start_date: p.start_date,
    end_date: p.end_date,
    required_hours: p.required_minutes === null ? null : minutesToHundredths(p.required_minutes),
    leave: (await planLeaves(db, p.id)).map((l) => `${l.from_date}:${l.to_date}`).join(' '),
  };
}

async function planCmd(app: App, superviseeArg: string | undefined, opts: PlanOptions): Promise<void> {
  const rules = flag('--rules', opts.rules, (s) => ruleSet(s).key);
  const start = flag('--start', opts.start, (s) => parseDate(s, 'iso', '--start'));
  const end = opts.end === false ? null : typeof opts.end === 'string' ? parseDate(opts.end, 'iso', '--end') : undefined;
  let requiredMinutes: number | null | undefined;
  if (opts.requiredHours === false) requiredMinutes = null;
  else if (typeof opts.requiredHours === 'string') {
    requiredMinutes = parseHours(opts.requiredHours, '--required-hours');
    if (requiredMinutes <= 0) throw new ValidationError('--required-hours must be more than 0');
  }
  const addLeave = (opts.leave ?? []).map(parseLeave);
  const { supervisee } = await app.need({ supervisee: { flag: 'SUPERVISEE', value: superviseeArg, ask: () => pickPerson(app, 'Supervisee') } });
  const person = await resolvePerson(await app.db(), supervisee);
  const changing = rules !== undefined || start !== undefined || end !== undefined || requiredMinutes !== undefined || addLeave.length > 0 || opts.clearLeave;
  if (!changing && (await getPlan(await app.db(), person.id))) {
    await app.printRows([(await planRow(app, person.id))!], PLAN_COLUMNS, opts);
    return;
  }
  const res = await setPlan(app, `#${person.id}`, { rules, start, end, requiredMinutes, addLeave, clearLeave: opts.clearLeave === true });
  const row = (await planRow(app, person.id))!;
  const rec = (await getPlan(await app.db(), person.id))!;
  const what = `${rec.rules} plan of ${displayName(person)} from ${rec.start_date}${rec.end_date ? ` to ${rec.end_date}` : ''}${
    rec.required_minutes !== null ? `, ${formatHours(rec.required_minutes)} h required` : ''
  }${row['leave'] ? `, leave ${String(row['leave'])}` : ''}`;
  const verb = res.created ? 'Created the' : res.changed ? 'Changed the' : 'No change to the';
  app.emitWrite(res.id, `${verb} ${what} — plan #${res.id}`, opts, { row, columns: PLAN_COLUMNS });
}

export function registerSupervisionPlan(sup: Command, env: CommandEnv): void {
  const help = RULE_SETS.map((r) => `  ${r.key.padEnd(8)} ${r.name} (per ${r.period}): ${r.sources.join('; ')}`).join('\n');
  examples(
    withFormat(
      sup
        .command('plan')
        .argument('[supervisee]', 'the supervisee (id, email or external id)')
        .description(
          'set (or show) the supervisee’s licensure plan: the board’s rule set, start, end and leave periods; `supervision progress` then judges each week or month against it. Without changes, shows the plan; prints the plan id when it sets one',
        )
        .addOption(new Option('--rules <rules>', 'the rule set').choices(RULE_SET_KEYS))
        .option('--start <date>', 'first day of supervised experience (default: the first session, else today)')
        .option('--end <date>', 'last day (a plan ended earlier, or a planned end)')
        .option('--no-end', 'remove the end date')
        .option(
          '--required-hours <n>',
          'replace the rule set’s required total (experience hours for tx-lpc and ca-bbs, in-person supervision for ny-lcsw, supervision for custom)',
        )
        .option('--no-required-hours', 'back to the rule set’s total')
        .option('--leave <from:to>', 'a leave period, inclusive dates (repeatable; added to those recorded)', collect)
        .option('--clear-leave', 'remove the recorded leave periods (before adding any given)'),
    ).addHelpText('after', `\nRule sets (the board's current text decides; see the README):\n${help}\n`),
    'ngo supervision plan ana@example.org --rules ca-bbs --start 2026-09-07',
    'ngo supervision plan V-01021 --rules tx-lpc --start 2025-01-20 --end 2026-06-30 --leave 2025-08-01:2025-09-15',
    'ngo supervision plan ana@example.org',
  ).action((supervisee: string | undefined, opts: PlanOptions, cmd: Command) => planCmd(env.app(cmd), supervisee, opts));
}
