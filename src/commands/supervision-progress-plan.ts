/**
 * `supervision progress --supervisee REF` for a supervisee with a licensure plan (issue 21): one row
 * per week or month of the plan with its status and the reason, then TOTAL; the verdict on stderr.
 */
import type { Command } from '../commander.js';
import type { App } from '../app.js';
import type { Person } from '../domain/people.js';
import { displayName } from '../domain/people.js';
import type { ProgressRules } from '../domain/supervision.js';
import { PLAN_PROGRESS_COLUMNS, PLAN_PROGRESS_TABLE, planRows, superviseePlanProgress } from '../reports/plans.js';

/** Print the plan's progress and return true; false when the supervisee has no plan (the monthly view applies). */
export async function planProgress(app: App, person: Person, rules: ProgressRules, opts: { format?: string; json?: boolean }, cmd?: Command): Promise<boolean> {
  const explicit = (name: string) => cmd !== undefined && cmd.getOptionValueSource(name) === 'cli';
  const db = await app.db();
  const found = await superviseePlanProgress(db, person.id, app.today(), { monthlyMinMinutes: rules.monthlyMinMinutes, groupMaxShare: rules.groupMaxShare });
  if (!found) return false;
  const { plan, result } = found;
  {
    const ignored = (plan.rules.key === 'custom' ? ['requiredHours'] : ['monthlyMinHours', 'groupMaxShare', 'requiredHours']).filter(explicit);
    if (ignored.length)
      app.warn(
        `${displayName(person)} has a ${plan.rules.key} plan: ${ignored.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')} ignored (change the plan with \`ngo supervision plan\`)`,
      );
  }
  await app.printRows(planRows(plan, result), PLAN_PROGRESS_COLUMNS, opts, PLAN_PROGRESS_TABLE);
  const c = app.chalk;
  const verdict =
    result.status === 'behind'
      ? c.red('Behind.')
      : result.status === 'complete'
        ? c.green('Complete.')
        : result.status === 'on-track'
          ? c.green('On track.')
          : '';
  app.info(`${displayName(person)}, ${plan.rules.name} plan from ${plan.start}${plan.end ? ` to ${plan.end}` : ''}: ${result.reason}. `, verdict);
  return true;
}
