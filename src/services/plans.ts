/**
 * The writes of licensure plans (issue 21): set a supervisee's plan (create or change it: rule set,
 * start, end, required hours, leave periods), one transaction under the lock, audited; and the check
 * of a new session against the plans of its supervisees (a group larger than a rule set allows).
 */
import type { App } from '../app.js';
import type { Conn } from '../store/conn.js';
import { ConflictError, UsageError, ValidationError } from '../errors.js';
import { diff } from '../store/audit.js';
import { checkLeaves, ruleSet, type Leave } from '../domain/licensure.js';
import { getPlan, insertPlan, planLeaves, plannedAmong, replaceLeaves, superviseeSessions, updatePlan, type PlanRecord } from '../store/supervision.js';
import { assertActivePerson, describePerson, resolvePerson } from './refs.js';
import { getPerson } from '../store/people.js';
import { displayName } from '../domain/people.js';

export interface PlanChanges {
  rules?: string;
  start?: string;
  /** null: remove the end date */
  end?: string | null;
  /** null: remove the required hours */
  requiredMinutes?: number | null;
  addLeave: Leave[];
  clearLeave: boolean;
}

const leaveText = (ls: Leave[]) => ls.map((l) => `${l.from_date}:${l.to_date}`).join(',');

/** Create or change the plan of a supervisee; returns its id and whether it was created. */
export async function setPlan(app: App, superviseeRef: string, c: PlanChanges): Promise<{ id: number; created: boolean; changed: boolean }> {
  return app.tx(async () => {
    const db = await app.db();
    const person = await resolvePerson(db, superviseeRef);
    const old = await getPlan(db, person.id);
    if (!old && c.rules === undefined)
      throw new UsageError(`${describePerson(person)} has no licensure plan yet: give --rules (tx-lpc, ca-bbs, ny-lcsw or custom)`);
    if (!old) assertActivePerson(person);
    const rules = c.rules !== undefined ? ruleSet(c.rules).key : old!.rules;
    let start = c.start ?? old?.start_date;
    if (start === undefined) {
      // Default: the supervisee's first counted session, else today.
      const first = (await superviseeSessions(db, person.id)).find((s) => s.licensed === 1);
      start = first?.date ?? app.today();
    }
    const end = c.end !== undefined ? c.end : (old?.end_date ?? null);
    if (end !== null && end < start) throw new ValidationError(`the plan's end ${end} is before its start ${start}`);
    const requiredMinutes = c.requiredMinutes !== undefined ? c.requiredMinutes : (old?.required_minutes ?? null);
    const before = old ? await planLeaves(db, old.id) : [];
    const kept = c.clearLeave ? [] : before;
    const same = (a: Leave, b: Leave) => a.from_date === b.from_date && a.to_date === b.to_date;
    const added = c.addLeave.filter((l, i) => !kept.some((b) => same(b, l)) && c.addLeave.findIndex((x) => same(x, l)) === i);
    const leaves = checkLeaves([...kept, ...added]);
    for (const l of leaves) {
      if (l.to_date < start || (end !== null && l.from_date > end)) {
        throw new ValidationError(`leave ${l.from_date}:${l.to_date} lies outside the plan (${start} to ${end ?? 'open'})`);
      }
    }
    const values = { supervisee_id: person.id, rules, start_date: start, end_date: end, required_minutes: requiredMinutes };
    let id: number;
    let changed = true;
    if (!old) {
      id = await insertPlan(db, values, app.ctx.now().toISOString());
      await app.audit('create', 'supervision_plan', id, diff(null, { ...values, leave: leaveText(leaves) }));
    } else {
      id = old.id;
      const set: Partial<PlanRecord> = {};
      for (const k of ['rules', 'start_date', 'end_date', 'required_minutes'] as const)
        if (values[k] !== old[k]) (set as Record<string, unknown>)[k] = values[k];
      const leaveChanged = leaveText(before) !== leaveText(leaves);
      changed = Object.keys(set).length > 0 || leaveChanged;
      if (changed) {
        await updatePlan(db, id, { ...set, updated_at: app.ctx.now().toISOString() });
        const changes = diff(old as unknown as Record<string, unknown>, { ...old, ...set }, Object.keys(set));
        if (leaveChanged) changes['leave'] = [leaveText(before), leaveText(leaves)];
        await app.audit('update', 'supervision_plan', id, changes);
      }
    }
    await replaceLeaves(db, id, leaves);
    return { id, created: !old, changed };
  });
}

/**
 * A group session too large for the plan of one of its supervisees, on a date inside that plan, is a
 * conflict (exit 5): under ca-bbs a group has at most 8 supervisees, and a larger one would not count.
 */
export async function assertGroupFitsPlans(db: Conn, date: string, superviseeIds: number[]): Promise<void> {
  for (const plan of await plannedAmong(db, superviseeIds)) {
    const r = ruleSet(plan.rules);
    if (r.groupMaxSupervisees === null || superviseeIds.length <= r.groupMaxSupervisees) continue;
    if (r.individualMaxSupervisees !== null && superviseeIds.length <= r.individualMaxSupervisees) continue;
    if (date < plan.start_date || (plan.end_date !== null && date > plan.end_date)) continue;
    const p = await getPerson(db, plan.supervisee_id);
    throw new ConflictError(
      `${p ? displayName(p) : `person #${plan.supervisee_id}`} has a ${r.key} plan: a group session counts only with at most ${r.groupMaxSupervisees} supervisees, and this one lists ${superviseeIds.length}`,
      `split the group into sessions of at most ${r.groupMaxSupervisees}`,
    );
  }
}
