/**
 * Licensure plans read from the store and judged (domain/licensure.ts): the rows of
 * `supervision progress` for a supervisee with a plan and of `report supervision --by-period`, and
 * the `ngo status` source of supervisees behind their plan.
 */
import type { Conn } from '../store/conn.js';
import type { Period } from '../domain/period.js';
import { ConflictError } from '../errors.js';
import type { Column, Row } from '../io/output.js';
import type { StatusInput, StatusItem } from './status-item.js';
import { displayName } from '../domain/people.js';
import { minutesToHundredths } from '../domain/duration.js';
import { divRoundHalfAway } from '../domain/money.js';
import { effectiveRules, judgePlan, ruleSet, type Plan, type PlanResult, type RuleSet } from '../domain/licensure.js';
import { directServiceByDate, getPlan, listPlans, planLeaves, planSessions, type PlanRecord } from '../store/supervision.js';

export const PLAN_PROGRESS_COLUMNS: Column[] = [
  { key: 'period' },
  { key: 'period_start', kind: 'date' },
  { key: 'period_end', kind: 'date' },
  { key: 'plan_days', kind: 'int' },
  { key: 'sessions', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'individual_hours', kind: 'dec2' },
  { key: 'group_hours', kind: 'dec2' },
  { key: 'group_share', kind: 'dec2' },
  { key: 'experience_hours', kind: 'dec2' },
  { key: 'minimum_hours', kind: 'dec2' },
  { key: 'units', kind: 'dec2' },
  { key: 'units_required', kind: 'dec2' },
  { key: 'cumulative_hours', kind: 'dec2' },
  { key: 'status' },
  { key: 'reason' },
];

/** What a terminal shows (the CSV/JSON have every column). */
export const PLAN_PROGRESS_TABLE: Column[] = PLAN_PROGRESS_COLUMNS.filter((c) =>
  ['period', 'plan_days', 'hours', 'experience_hours', 'units', 'status', 'reason'].includes(c.key),
);

/** The stored plan as the judge takes it. */
export async function loadPlan(db: Conn, rec: PlanRecord, custom: { monthlyMinMinutes?: number; groupMaxShare?: number } = {}): Promise<Plan> {
  return {
    rules: effectiveRules(ruleSet(rec.rules), { requiredMinutes: rec.required_minutes, ...custom }),
    start: rec.start_date,
    end: rec.end_date,
    leaves: await planLeaves(db, rec.id),
  };
}

/** A plan judged up to `today` from the supervisee's sessions and direct-service hours. */
export async function judgeStored(db: Conn, superviseeId: number, plan: Plan, today: string): Promise<PlanResult> {
  const sessions = (await planSessions(db, superviseeId, today)).map((s) => ({ ...s, licensed: s.licensed === 1 }));
  const experience = await directServiceByDate(db, superviseeId, plan.start, today);
  return judgePlan(plan, sessions, experience, today);
}

/** The supervisee's stored plan judged, or null without one. */
export async function superviseePlanProgress(
  db: Conn,
  superviseeId: number,
  today: string,
  custom: { monthlyMinMinutes?: number; groupMaxShare?: number } = {},
): Promise<{ record: PlanRecord; plan: Plan; result: PlanResult } | null> {
  const record = await getPlan(db, superviseeId);
  if (!record) return null;
  const plan = await loadPlan(db, record, custom);
  return { record, plan, result: await judgeStored(db, superviseeId, plan, today) };
}

const units = (points: number | null, r: RuleSet) => (points === null || r.unit === null ? null : divRoundHalfAway(points * 100, 2 * r.unit.individualMinutes));

/** Period rows, then a TOTAL row with the plan's status and the reasons for it. */
export function planRows(plan: Plan, res: PlanResult): Row[] {
  const rows: Row[] = res.periods.map((p) => ({
    period: p.label,
    period_start: p.start,
    period_end: p.end,
    plan_days: p.planDays,
    sessions: p.sessions,
    hours: minutesToHundredths(p.minutes),
    individual_hours: minutesToHundredths(p.individual),
    group_hours: minutesToHundredths(p.group),
    group_share: p.minutes === 0 ? null : divRoundHalfAway(p.group * 100, p.minutes),
    experience_hours: minutesToHundredths(p.experience),
    minimum_hours: p.minimum === null ? null : minutesToHundredths(p.minimum),
    units: units(p.points, plan.rules),
    units_required: units(p.pointsRequired, plan.rules),
    cumulative_hours: minutesToHundredths(p.cumulative),
    status: p.status,
    reason: p.reason,
  }));
  rows.push({
    period: 'TOTAL',
    period_start: plan.start,
    period_end: res.periods.at(-1)?.end ?? null,
    plan_days: res.periods.reduce((a, p) => a + p.planDays, 0),
    sessions: res.periods.reduce((a, p) => a + p.sessions, 0),
    hours: minutesToHundredths(res.minutes),
    individual_hours: minutesToHundredths(res.individual),
    group_hours: minutesToHundredths(res.group),
    group_share: res.groupShare,
    experience_hours: minutesToHundredths(res.experience),
    minimum_hours: null,
    units: null,
    units_required: null,
    cumulative_hours: minutesToHundredths(res.minutes),
    status: res.status,
    reason: res.reason,
  });
  return rows;
}

/** `ngo status`: supervisees whose plan is behind (a judged period under its minimum or behind pace, or too much group supervision). */
export async function superviseesBehindPlan(db: Conn, input: StatusInput): Promise<StatusItem[]> {
  const items: StatusItem[] = [];
  for (const rec of await listPlans(db)) {
    const plan = await loadPlan(db, rec);
    const res = await judgeStored(db, rec.supervisee_id, plan, input.today);
    if (res.status !== 'behind') continue;
    const first = res.periods.find((p) => p.status === 'under' || p.status === 'behind');
    items.push({
      area: 'supervision',
      severity: 'overdue',
      subject: `${displayName(rec)} (${plan.rules.key} plan)`,
      detail: first ? `${first.label} ${first.status}: ${first.reason}` : res.reason,
      due_date: first?.end ?? '',
      command: `ngo supervision progress --supervisee '#${rec.supervisee_id}'`,
    });
  }
  return items;
}

/**
 * `report supervision --by-period`: the plan's period rows up to today (with a period, those that
 * overlap it, judged up to its end when that is earlier), then TOTAL. Exit 5 without a plan.
 */
export async function planLogRows(
  db: Conn,
  person: { id: number; first_name: string; last_name: string | null },
  today: string,
  period?: Period,
): Promise<Row[]> {
  const record = await getPlan(db, person.id);
  if (!record) {
    throw new ConflictError(
      `${displayName(person)} has no licensure plan`,
      `set one first: ngo supervision plan '#${person.id}' --rules tx-lpc|ca-bbs|ny-lcsw|custom`,
    );
  }
  const plan = await loadPlan(db, record);
  const asOf = period && period.end < today ? period.end : today;
  const res = await judgeStored(db, person.id, plan, asOf);
  const rows = planRows(plan, res);
  if (!period) return rows;
  return rows.filter((r) => r['period'] === 'TOTAL' || (String(r['period_end']) >= period.start && String(r['period_start']) <= period.end));
}
