/**
 * Licensure plans (issue 21): a supervisee's supervised experience judged against a licensing board's
 * rule set, period by period (week or month), from the plan's start to its end (or today), with leave
 * periods left out and partial first and last periods judged pro rata. Pure.
 *
 * The rule sets are data (RULE_SETS): what a board requires is a row of figures, not a branch of code.
 * The sources of each row are in the row and in the README; the board's current text decides.
 */
import { ValidationError } from '../errors.js';
import { addDays, addMonths, daysBetween, isoOf, lastDayOfMonth, monthKey, parseDate } from './dates.js';
import { divRoundHalfAway } from './money.js';
import { formatHours } from './duration.js';
import type { Modality, SupervisionFormat } from './supervision.js';

export type PeriodKind = 'week' | 'month';
/** What a required total counts: supervision (counted sessions), in-person supervision, or experience (the supervisee's direct-service hours). */
export type TotalKind = 'supervision' | 'in-person-supervision' | 'experience';

export interface RuleSet {
  key: string;
  name: string;
  /** The period each judgement is made over. */
  period: PeriodKind;
  /** Minimum supervision a full period, in minutes (pro rata for a partial one); null: none. */
  minMinutes: number | null;
  /**
   * Units of direct supervisor contact a period of experience needs: one unit is `individualMinutes`
   * of individual or triadic supervision or `groupMinutes` of group supervision (they add up: 30 min
   * individual + 60 min group = one unit); `extraOverMinutes`: one more unit in a period with more
   * than this many minutes of direct client contact. A period without experience needs none.
   */
  unit: { individualMinutes: number; groupMinutes: number; extraOverMinutes: number } | null;
  /** Largest share of group supervision over the whole plan, in hundredths; null: no limit. */
  groupMaxShare: number | null;
  /** Sessions with at most this many supervisees count as individual (e.g. Texas: 1–2); null: by the session's format. */
  individualMaxSupervisees: number | null;
  /** Group sessions with more supervisees than this do not count and cannot be recorded for the plan (exit 5); null: no limit. */
  groupMaxSupervisees: number | null;
  /** Most experience a period credits, in minutes; more is flagged `over`. null: no cap. */
  maxExperienceMinutes: number | null;
  /** Minimum duration in periods credited (weeks or months that are `ok`); null: none. */
  minPeriods: number | null;
  /** Of those, periods that must include individual or triadic supervision; null: none. */
  minIndividualPeriods: number | null;
  /** Minimum duration in calendar months from the start (leave excepted); null: none. */
  minMonths: number | null;
  /** Required totals; the first one is what `--required-hours` replaces. */
  totals: { kind: TotalKind; minutes: number | null }[];
  /** Judge each period by the pace toward the first total over `minMonths` (for boards without a per-period minimum). */
  pace: boolean;
  /** Where the figures come from. */
  sources: string[];
}

const H = 60;

/** The rule sets, by key. Add a board here: no other code changes. */
export const RULE_SETS: readonly RuleSet[] = [
  {
    key: 'tx-lpc',
    name: 'Texas LPC Associate',
    period: 'month',
    minMinutes: 4 * H,
    unit: null,
    groupMaxShare: 50,
    individualMaxSupervisees: 2,
    groupMaxSupervisees: null,
    maxExperienceMinutes: null,
    minPeriods: null,
    minIndividualPeriods: null,
    minMonths: 18,
    totals: [{ kind: 'experience', minutes: 3000 * H }],
    pace: false,
    sources: ['22 TAC §681.93 (Texas Behavioral Health Executive Council, LPC Associate supervised experience)'],
  },
  {
    key: 'ca-bbs',
    name: 'California BBS associate (LMFT/LCSW/LPCC)',
    period: 'week',
    minMinutes: null,
    unit: { individualMinutes: 1 * H, groupMinutes: 2 * H, extraOverMinutes: 10 * H },
    groupMaxShare: null,
    individualMaxSupervisees: 2,
    groupMaxSupervisees: 8,
    maxExperienceMinutes: 40 * H,
    minPeriods: 104,
    minIndividualPeriods: 52,
    minMonths: null,
    totals: [{ kind: 'experience', minutes: 3000 * H }],
    pace: false,
    sources: [
      'California BBS post-2018 rules: Cal. Bus. & Prof. Code §4980.43 ff. (LMFT; direct supervisor contact §4980.43.2, unverified), §4996.23 (LCSW), §4999.46 (LPCC)',
      '16 CCR §1833 and the BBS "Weekly Summary of Hours of Experience"',
    ],
  },
  {
    key: 'ny-lcsw',
    name: 'New York LCSW',
    period: 'month',
    minMinutes: null,
    unit: null,
    groupMaxShare: null,
    individualMaxSupervisees: null,
    groupMaxSupervisees: null,
    maxExperienceMinutes: null,
    minPeriods: null,
    minIndividualPeriods: null,
    minMonths: 36,
    totals: [
      { kind: 'in-person-supervision', minutes: 100 * H },
      { kind: 'experience', minutes: 2000 * H },
    ],
    pace: true,
    sources: ['NYSED Office of the Professions, LCSW requirements and Forms 4/4B (8 NYCRR §74.3, unverified)'],
  },
  {
    key: 'custom',
    name: 'custom (the supervision progress flags)',
    period: 'month',
    minMinutes: 4 * H,
    unit: null,
    groupMaxShare: 50,
    individualMaxSupervisees: null,
    groupMaxSupervisees: null,
    maxExperienceMinutes: null,
    minPeriods: null,
    minIndividualPeriods: null,
    minMonths: null,
    totals: [{ kind: 'supervision', minutes: null }],
    pace: false,
    sources: ['the organisation’s own rule: --monthly-min-hours, --group-max-share and --required-hours of `supervision progress`'],
  },
];

export const RULE_SET_KEYS = RULE_SETS.map((r) => r.key);

export function ruleSet(key: string): RuleSet {
  const r = RULE_SETS.find((x) => x.key === key.trim().toLowerCase());
  if (!r) throw new ValidationError(`invalid --rules "${key}" (expected ${RULE_SET_KEYS.join(', ')})`);
  return r;
}

/** A rule set with the custom figures (custom: the progress flags) and a required total given by hand. */
export function effectiveRules(r: RuleSet, o: { requiredMinutes: number | null; monthlyMinMinutes?: number; groupMaxShare?: number }): RuleSet {
  const totals = r.totals.map((t, i) => (i === 0 && o.requiredMinutes !== null ? { ...t, minutes: o.requiredMinutes } : t));
  if (r.key !== 'custom') return { ...r, totals };
  return { ...r, totals, minMinutes: o.monthlyMinMinutes ?? r.minMinutes, groupMaxShare: o.groupMaxShare ?? r.groupMaxShare };
}

// ---- leave ----------------------------------------------------------------------------------------

export interface Leave {
  from_date: string;
  to_date: string;
}

/** `FROM:TO` (inclusive dates) → a leave period. Exit 3 when malformed or TO < FROM. */
export function parseLeave(s: string): Leave {
  const m = /^\s*([^:]+):([^:]+)\s*$/.exec(s);
  if (!m) throw new ValidationError(`invalid --leave "${s}" (expected FROM:TO, e.g. 2026-07-01:2026-08-15)`);
  const from = parseDate(m[1]!.trim(), 'iso', '--leave');
  const to = parseDate(m[2]!.trim(), 'iso', '--leave');
  if (to < from) throw new ValidationError(`invalid --leave "${s}": it ends before it starts`);
  return { from_date: from, to_date: to };
}

/** Leave periods must not overlap one another (exit 3 naming both). */
export function checkLeaves(leaves: Leave[]): Leave[] {
  const sorted = [...leaves].sort((a, b) => (a.from_date < b.from_date ? -1 : a.from_date > b.from_date ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.from_date <= a.to_date) throw new ValidationError(`leave ${b.from_date}:${b.to_date} overlaps leave ${a.from_date}:${a.to_date}`);
  }
  return sorted;
}

const overlapDays = (a1: string, a2: string, b1: string, b2: string): number => {
  const s = a1 > b1 ? a1 : b1;
  const e = a2 < b2 ? a2 : b2;
  return e < s ? 0 : daysBetween(s, e) + 1;
};

// ---- periods --------------------------------------------------------------------------------------

/** Monday of the ISO week of a date. */
export function weekStart(iso: string): string {
  const wd = (((daysBetween('1970-01-05', iso) % 7) + 7) % 7) as number; // 1970-01-05 was a Monday
  return addDays(iso, -wd);
}

/** `2026-W37` for the ISO week starting on Monday `monday`. */
export function isoWeekLabel(monday: string): string {
  const thursday = addDays(monday, 3);
  const y = Number(thursday.slice(0, 4));
  const week = Math.floor(daysBetween(isoOf(y, 1, 1), thursday) / 7) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}

export interface PeriodSpan {
  label: string;
  start: string;
  end: string;
}

/** The period (week or month) containing a date. */
export function periodOf(kind: PeriodKind, iso: string): PeriodSpan {
  if (kind === 'week') {
    const s = weekStart(iso);
    return { label: isoWeekLabel(s), start: s, end: addDays(s, 6) };
  }
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  return { label: monthKey(iso), start: isoOf(y, m, 1), end: isoOf(y, m, lastDayOfMonth(y, m)) };
}

// ---- judging ------------------------------------------------------------------------------------

export interface PlanSession {
  id: number;
  date: string;
  minutes: number;
  format: SupervisionFormat;
  modality: Modality;
  /** How many supervisees attended. */
  attendees: number;
  /** False: the supervisor had no valid licence that day (never counts). */
  licensed: boolean;
}

export interface Plan {
  rules: RuleSet;
  start: string;
  end: string | null;
  leaves: Leave[];
}

export type PeriodStatus = 'ok' | 'under' | 'over' | 'behind' | 'in-progress' | 'leave' | 'no-experience';

export interface PeriodResult {
  label: string;
  start: string;
  end: string;
  /** Days of the period inside the plan and not on leave. */
  planDays: number;
  fullDays: number;
  sessions: number;
  minutes: number;
  individual: number;
  group: number;
  inPerson: number;
  experience: number;
  /** The pro-rata minimum of the period (minMinutes rule sets), minutes. */
  minimum: number | null;
  /** Unit points (2 × individual + group minutes; one unit = 2 × individualMinutes) and the points required (unit rule sets). */
  points: number | null;
  pointsRequired: number | null;
  cumulative: number;
  status: PeriodStatus;
  reason: string;
}

export interface PlanResult {
  periods: PeriodResult[];
  minutes: number;
  individual: number;
  group: number;
  inPerson: number;
  experience: number;
  groupShare: number | null;
  groupOver: boolean;
  /** Periods judged `ok` (credited), and those of them with individual supervision. */
  credited: number;
  creditedIndividual: number;
  /** Calendar months from the start to the end of what is judged, leave excepted (whole months). */
  months: number;
  totals: { kind: TotalKind; required: number | null; done: number }[];
  status: 'behind' | 'on-track' | 'complete' | 'not-started';
  reason: string;
}

const share = (n: number | null) => (n === null ? '0.00' : (n / 100).toFixed(2));
const h = (m: number) => formatHours(m);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** How a session counts under a rule set: individual (incl. triadic) or group. */
export function isIndividualUnder(r: RuleSet, s: Pick<PlanSession, 'format' | 'attendees'>): boolean {
  return r.individualMaxSupervisees !== null ? s.attendees <= r.individualMaxSupervisees : s.format !== 'group';
}

/** Why a session does not count under a rule set, or null when it does. */
export function sessionProblem(r: RuleSet, s: PlanSession): string | null {
  if (!s.licensed) return `session #${s.id} (${s.date}) had no validly licensed supervisor`;
  if (r.groupMaxSupervisees !== null && !isIndividualUnder(r, s) && s.attendees > r.groupMaxSupervisees) {
    return `session #${s.id} (${s.date}) had ${s.attendees} supervisees, more than the ${r.groupMaxSupervisees} a ${r.key} group may have`;
  }
  return null;
}

/**
 * The plan judged period by period up to `today` (or its end, when earlier). `experience` holds the
 * supervisee's direct-service minutes by date.
 */
export function judgePlan(plan: Plan, sessions: PlanSession[], experience: Map<string, number>, today: string): PlanResult {
  const r = plan.rules;
  const until = plan.end !== null && plan.end < today ? plan.end : today;
  const periods: PeriodResult[] = [];
  let cumulative = 0;
  let cumInPerson = 0;
  let cumExperience = 0;
  const inPlan = (d: string) => d >= plan.start && d <= until;
  const sorted = [...sessions].filter((s) => inPlan(s.date)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const paceTotal = r.pace ? r.totals[0]! : null;
  const paceDays = r.pace && r.minMonths !== null ? daysBetween(plan.start, addMonths(plan.start, r.minMonths)) : null;
  let leaveDaysSoFar = 0;
  let next = 0;
  if (until >= plan.start) {
    for (let p = periodOf(r.period, plan.start); p.start <= until; p = periodOf(r.period, addDays(p.end, 1))) {
      const fullDays = daysBetween(p.start, p.end) + 1;
      const s1 = p.start > plan.start ? p.start : plan.start;
      const s2 = p.end < until ? p.end : until;
      const planEnd = plan.end !== null && plan.end < p.end ? plan.end : p.end;
      const inWindow = overlapDays(p.start, planEnd, plan.start, planEnd);
      const leaveDays = plan.leaves.reduce((a, l) => a + overlapDays(p.start > plan.start ? p.start : plan.start, planEnd, l.from_date, l.to_date), 0);
      const planDays = Math.max(0, inWindow - leaveDays);
      leaveDaysSoFar += plan.leaves.reduce((a, l) => a + overlapDays(s1, s2, l.from_date, l.to_date), 0);
      // Sessions and periods are both in date order: take this period's from where the last one stopped.
      while (next < sorted.length && sorted[next]!.date < p.start) next++;
      const from = next;
      while (next < sorted.length && sorted[next]!.date <= p.end) next++;
      const list = sorted.slice(from, next);
      const problems: string[] = [];
      let minutes = 0;
      let individual = 0;
      let inPerson = 0;
      for (const s of list) {
        const why = sessionProblem(r, s);
        if (why) {
          problems.push(`not counted: ${why}`);
          continue;
        }
        minutes += s.minutes;
        if (isIndividualUnder(r, s)) individual += s.minutes;
        if (s.modality === 'in-person') inPerson += s.minutes;
      }
      const group = minutes - individual;
      let exp = 0;
      for (let d = s1; d <= s2; d = addDays(d, 1)) exp += experience.get(d) ?? 0;
      cumulative += minutes;
      cumInPerson += inPerson;
      cumExperience += exp;
      const running = today <= p.end && (plan.end === null || plan.end > today);
      const partial = planDays < fullDays ? ` (pro rata: ${planDays} of ${fullDays} days in the plan)` : '';
      let status: PeriodStatus = 'ok';
      const reasons: string[] = [];
      let minimum: number | null = null;
      let points: number | null = null;
      let pointsRequired: number | null = null;
      if (planDays === 0) {
        status = 'leave';
        const l = plan.leaves.find((x) => overlapDays(p.start, p.end, x.from_date, x.to_date) > 0);
        reasons.push(l ? `on leave ${l.from_date} to ${l.to_date}` : 'on leave');
      } else {
        const fails: PeriodStatus[] = [];
        if (r.minMinutes !== null) {
          minimum = divRoundHalfAway(BigInt(r.minMinutes) * BigInt(planDays), BigInt(fullDays));
          if (minutes < minimum) {
            fails.push('under');
            reasons.push(`${h(minutes)} h of supervision, ${h(minimum)} h required${partial}`);
          } else reasons.push(`${h(minutes)} h of supervision, at least ${h(minimum)} h${partial}`);
        }
        if (r.unit !== null) {
          const unitPoints = 2 * r.unit.individualMinutes; // = r.unit.groupMinutes
          points = 2 * individual + group * ((2 * r.unit.individualMinutes) / r.unit.groupMinutes);
          const units = exp === 0 ? 0 : exp > r.unit.extraOverMinutes ? 2 : 1;
          pointsRequired = divRoundHalfAway(BigInt(units * unitPoints) * BigInt(planDays), BigInt(fullDays));
          const unitsText = `${(Math.round((points * 100) / unitPoints) / 100).toFixed(2)} unit${points === unitPoints ? '' : 's'}`;
          if (exp === 0) {
            fails.push('no-experience');
            reasons.push(`no direct-service hours logged: the week is not credited`);
          } else if (points < pointsRequired) {
            fails.push('under');
            reasons.push(
              `${unitsText} of supervision for ${h(exp)} h of experience; ${units === 2 ? `2 units are required (more than ${h(r.unit.extraOverMinutes)} h of direct client contact)` : '1 unit is required'}${partial}`,
            );
          } else reasons.push(`${unitsText} of supervision for ${h(exp)} h of experience${partial}`);
        }
        if (r.maxExperienceMinutes !== null && exp > r.maxExperienceMinutes) {
          fails.push('over');
          reasons.push(`${h(exp)} h of experience logged; at most ${h(r.maxExperienceMinutes)} h a ${r.period} are credited`);
        }
        if (paceTotal && paceTotal.minutes !== null && paceDays !== null) {
          const elapsed = Math.max(0, daysBetween(plan.start, s2) + 1 - leaveDaysSoFar);
          const expected = divRoundHalfAway(BigInt(paceTotal.minutes) * BigInt(Math.min(elapsed, paceDays)), BigInt(paceDays));
          const done = paceTotal.kind === 'in-person-supervision' ? cumInPerson : paceTotal.kind === 'experience' ? cumExperience : cumulative;
          const what = paceTotal.kind === 'in-person-supervision' ? 'in-person supervision' : paceTotal.kind;
          if (done < expected) {
            fails.push('behind');
            reasons.push(`${h(done)} h of ${what} so far, ${h(expected)} h expected at an even pace to ${h(paceTotal.minutes)} h over ${r.minMonths} months`);
          } else reasons.push(`${h(done)} h of ${what} so far (${h(expected)} h expected at an even pace)`);
        }
        problems.forEach((x) => reasons.push(x));
        const failing = fails.filter((f) => f !== 'no-experience');
        if (running && fails.includes('under')) {
          status = 'in-progress';
          reasons.unshift(`the ${r.period} runs to ${p.end}`);
        } else if (failing.length) status = failing[0]!;
        else if (fails.includes('no-experience')) status = 'no-experience';
      }
      periods.push({
        label: p.label,
        start: p.start,
        end: p.end,
        planDays,
        fullDays,
        sessions: list.length,
        minutes,
        individual,
        group,
        inPerson,
        experience: exp,
        minimum,
        points,
        pointsRequired,
        cumulative,
        status,
        reason: reasons.join('; '),
      });
    }
  }
  return summarise(plan, periods, until);
}

function summarise(plan: Plan, periods: PeriodResult[], until: string): PlanResult {
  const r = plan.rules;
  const sum = (f: (p: PeriodResult) => number) => periods.reduce((a, p) => a + f(p), 0);
  const minutes = sum((p) => p.minutes);
  const individual = sum((p) => p.individual);
  const group = minutes - individual;
  const inPerson = sum((p) => p.inPerson);
  // Experience credited: capped per period; under a unit rule set only in the periods credited (a week
  // without the supervision it needed credits no experience).
  const creditedPeriod = (p: PeriodResult) => r.unit === null || p.status === 'ok' || p.status === 'over';
  const experience = sum((p) => (!creditedPeriod(p) ? 0 : r.maxExperienceMinutes !== null ? Math.min(p.experience, r.maxExperienceMinutes) : p.experience));
  const groupShare = minutes === 0 ? null : divRoundHalfAway(BigInt(group) * 100n, BigInt(minutes));
  const groupOver = r.groupMaxShare !== null && minutes > 0 && 100 * group > r.groupMaxShare * minutes;
  const credited = periods.filter((p) => p.status === 'ok' || p.status === 'over').length;
  const creditedIndividual = periods.filter((p) => (p.status === 'ok' || p.status === 'over') && p.individual > 0).length;
  const leaveDays = plan.leaves.reduce((a, l) => a + overlapDays(plan.start, until, l.from_date, l.to_date), 0);
  const months = until < plan.start ? 0 : wholeMonths(plan.start, addDays(addDays(until, 1), -leaveDays));
  const done = (k: TotalKind) => (k === 'experience' ? experience : k === 'in-person-supervision' ? inPerson : minutes);
  const totals = r.totals.map((t) => ({ kind: t.kind, required: t.minutes, done: done(t.kind) }));
  const failing = periods.filter((p) => p.status === 'under' || p.status === 'behind');
  const reasons: string[] = [];
  if (failing.length) reasons.push(`${plural(failing.length, r.period)} ${failing[0]!.status} (${failing.map((p) => p.label).join(', ')})`);
  if (r.groupMaxShare !== null)
    reasons.push(`group share ${share(groupShare)} (at most ${share(r.groupMaxShare)})${groupOver ? ': too much group supervision' : ''}`);
  if (r.minPeriods !== null) reasons.push(`${credited} of ${r.minPeriods} ${r.period}s credited`);
  if (r.minIndividualPeriods !== null) reasons.push(`${creditedIndividual} of ${r.minIndividualPeriods} with individual or triadic supervision`);
  if (r.minMonths !== null) reasons.push(`${months} of ${r.minMonths} months`);
  for (const t of totals) {
    const what = t.kind === 'in-person-supervision' ? 'in-person supervision' : t.kind;
    reasons.push(t.required === null ? `${h(t.done)} h of ${what}` : `${h(t.done)} of ${h(t.required)} h of ${what}`);
  }
  const complete =
    totals.every((t) => t.required === null || t.done >= t.required) &&
    (r.minPeriods === null || credited >= r.minPeriods) &&
    (r.minIndividualPeriods === null || creditedIndividual >= r.minIndividualPeriods) &&
    (r.minMonths === null || months >= r.minMonths) &&
    totals.some((t) => t.required !== null);
  const status: PlanResult['status'] = periods.length === 0 ? 'not-started' : failing.length || groupOver ? 'behind' : complete ? 'complete' : 'on-track';
  if (plan.end !== null && plan.end <= until) reasons.push(`the plan ended on ${plan.end}`);
  return {
    periods,
    minutes,
    individual,
    group,
    inPerson,
    experience,
    groupShare,
    groupOver,
    credited,
    creditedIndividual,
    months,
    totals,
    status,
    reason: reasons.join('; '),
  };
}

/** Whole calendar months from `start` up to (not including) `endExclusive`. */
function wholeMonths(start: string, endExclusive: string): number {
  let n = 0;
  while (addMonths(start, n + 1) <= endExclusive) n++;
  return n;
}
