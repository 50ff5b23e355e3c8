/**
 * `ngo grants require | fulfil | requirements` (issue 21): what a grantee owes besides the service
 * commitment: reports, milestones and documents, each with a due date; fulfilled on a date, overdue
 * once the due date has passed unfulfilled. Kept apart from grants.ts so that each stays small.
 */
import type { Command } from '../commander.js';
import type { App } from '../app.js';
import { examples, flag, withFormat, withJson, type CommandEnv } from './common.js';
import { REQUIREMENT_TYPES, parseRequirementType } from '../domain/grants.js';
import { parseDate } from '../domain/dates.js';
import { parseNote } from '../domain/hours.js';
import { displayName } from '../domain/people.js';
import { fulfilRequirement, loadGrant, requireOnGrant } from '../services/grants.js';
import { requirementViews, type RequirementView } from '../reports/grants-status.js';
import { listRequirements } from '../store/grants.js';
import { askDate } from '../io/pickers.js';
import type { Column, Row } from '../io/output.js';

/** `grants requirements` columns (and the third block of `grants show`). */
export const REQUIREMENT_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'grant_id', kind: 'int' },
  { key: 'grantee' },
  { key: 'type' },
  { key: 'due_on', kind: 'date' },
  { key: 'fulfilled_on', kind: 'date' },
  { key: 'status' },
  { key: 'note' },
];

function requirementRow(r: RequirementView): Row {
  return {
    id: r.id,
    grant_id: r.grant_id,
    grantee: displayName(r),
    type: r.type,
    due_on: r.due_on,
    fulfilled_on: r.fulfilled_on,
    status: r.state,
    note: r.note,
  };
}

/** The requirement rows of one grant (or of all), with their status as of today. */
export async function requirementRows(app: App, grantId?: number): Promise<Row[]> {
  return (await requirementViews(await app.db(), app.today(), grantId)).map(requirementRow);
}

async function recordOf(app: App, id: number): Promise<{ row: Row; columns: Column[] }> {
  const r = (await requirementViews(await app.db(), app.today())).find((x) => x.id === id)!;
  return { row: requirementRow(r), columns: REQUIREMENT_COLUMNS };
}

const parseDateOf = (what: string) => (s: string) => parseDate(s, 'iso', what);

async function requireCmd(app: App, grantArg: string, opts: { type?: string; due?: string; note?: string; json?: boolean }): Promise<void> {
  const typeGiven = flag('--type', opts.type, parseRequirementType);
  const dueGiven = flag('--due', opts.due, parseDateOf('--due'));
  const note = parseNote(opts.note, '--note');
  const v = await app.need({
    type: {
      flag: '--type',
      value: opts.type,
      ask: (p) => p.select<string>({ message: 'What is required', choices: REQUIREMENT_TYPES.map((t) => ({ name: t, value: t })) }),
    },
    due: { flag: '--due', value: opts.due, ask: () => askDate(app, 'Due date') },
  });
  const type = typeGiven ?? parseRequirementType(v.type);
  const due = dueGiven ?? parseDateOf('--due')(v.due);
  const id = await requireOnGrant(app, grantArg, { type, due_on: due, note });
  const g = await loadGrant(app, grantArg);
  app.emitWrite(id, `Required a ${type} on grant #${g.id}, due ${due}${note ? ` (${note})` : ''} — requirement #${id}`, opts, await recordOf(app, id));
}

async function fulfil(app: App, ref: string, opts: { date?: string; json?: boolean }): Promise<void> {
  const date = flag('--date', opts.date, parseDateOf('--date')) ?? app.today();
  const id = await fulfilRequirement(app, ref, date);
  const r = (await recordOf(app, id)).row;
  const late = String(r['due_on']) < date ? ` (${String(r['due_on'])} was the due date)` : '';
  app.emitWrite(id, `Fulfilled ${String(r['type'])} #${id} of grant #${String(r['grant_id'])} on ${date}${late}`, opts, await recordOf(app, id));
}

async function list(app: App, grantArg: string | undefined, opts: { overdue?: boolean; format?: string; json?: boolean }): Promise<void> {
  const grantId = grantArg !== undefined ? (await loadGrant(app, grantArg)).id : undefined;
  let rows = await requirementRows(app, grantId);
  if (opts.overdue) rows = rows.filter((r) => r['status'] === 'overdue');
  await app.printRows(rows, REQUIREMENT_COLUMNS, opts);
  if (!opts.overdue && rows.length === 0 && (await listRequirements(await app.db(), grantId)).length === 0) app.info('No requirements recorded.');
}

export function registerGrantRequirements(grants: Command, env: CommandEnv): void {
  examples(
    withJson(
      grants
        .command('require')
        .argument('<grant>', 'grant id')
        .description('record something the grantee owes by a date: a report, a milestone or a document; prints its id')
        .option('--type <type>', `${REQUIREMENT_TYPES.join(', ')}`)
        .option('--due <date>', 'due date (YYYY-MM-DD)')
        .option('--note <text>', 'what exactly (e.g. "mid-term progress report")'),
    ),
    'ngo grants require 12 --type report --due 2027-01-31 --note "mid-term progress report"',
    'ngo grants require 12 --type document --due 2026-12-15 --note "proof of enrolment"',
  ).action((grant: string, opts, cmd: Command) => requireCmd(env.app(cmd), grant, opts));

  examples(
    withJson(
      grants
        .command('fulfil')
        .alias('fulfill')
        .argument('<requirement>', 'requirement id (see `ngo grants requirements`)')
        .description('record a requirement as fulfilled; prints its id')
        .option('--date <date>', 'date it was fulfilled (default today)'),
    ),
    'ngo grants fulfil 7 --date 2027-01-29',
  ).action((ref: string, opts, cmd: Command) => fulfil(env.app(cmd), ref, opts));

  examples(
    withFormat(
      grants
        .command('requirements')
        .argument('[grant]', 'only this grant’s requirements')
        .description(
          'list requirements by due date with their status: open, due (within 30 days), overdue (past the due date), fulfilled, or waived (the grant was cancelled)',
        )
        .option('--overdue', 'only those past their due date and not fulfilled'),
    ),
    'ngo grants requirements --overdue',
    'ngo grants requirements 12 --format csv',
  ).action((grant: string | undefined, opts, cmd: Command) => list(env.app(cmd), grant, opts));
}
