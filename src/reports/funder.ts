/**
 * The funder report (SPEC "Funder report"): one row per program the funder funds in the period (the
 * agreement dates ∩ the period), plus programs of its grants, then TOTAL with distinct counts across
 * programs. In-kind values: skilled hours at the person's rate, general hours at the volunteer-hour
 * rate of the entry's year, each entry rounded half away from zero, then summed.
 */
import type { DB } from '../store/db.js';
import type { Funder } from '../store/orgs.js';
import { listFunding, listPrograms } from '../store/orgs.js';
import {
  distinctVolunteers,
  funderGrantFigures,
  generalMinutesByYear,
  grantItems,
  hoursAggregate,
  hoursItems,
  meetingItems,
  mentorshipAggregate,
  supervisionAggregate,
  supervisionItems,
  type Scope,
} from '../store/reports.js';
import { intersect, type Period } from '../domain/period.js';
import { inkindCents } from '../domain/money.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { RateBook } from '../domain/rates.js';
import type { Column, Row } from '../io/output.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const T = (key: string): Column => ({ key });
const I = (key: string): Column => ({ key, kind: 'int' });
const D = (key: string): Column => ({ key, kind: 'dec2' });

export const FUNDER_REPORT_COLUMNS: Column[] = [
  T('funder_code'),
  T('funder_name'),
  { key: 'period_start', kind: 'date' },
  { key: 'period_end', kind: 'date' },
  T('program_code'),
  T('program_name'),
  D('volunteer_hours'),
  I('volunteers'),
  D('skilled_hours'),
  D('general_hours'),
  D('volunteer_hour_rate'),
  D('inkind_general'),
  D('inkind_skilled'),
  D('inkind_total'),
  D('miles'),
  D('volunteer_expenses'),
  I('supervision_sessions'),
  D('supervision_hours'),
  I('supervisees'),
  I('mentorships_active'),
  I('mentorship_meetings'),
  D('mentorship_hours'),
  I('mentees'),
  I('grants_awarded'),
  D('grants_awarded_amount'),
  D('grants_disbursed_amount'),
  D('grants_outstanding'),
  T('currency'),
];

export const FUNDER_DETAIL_COLUMNS: Column[] = [
  T('funder_code'),
  T('program_code'),
  T('item'),
  I('item_id'),
  { key: 'date', kind: 'date' },
  I('person_id'),
  T('first_name'),
  T('last_name'),
  T('activity'),
  D('hours'),
  T('skilled'),
  D('rate'),
  D('inkind_value'),
  D('miles'),
  D('expenses'),
  D('amount'),
  T('currency'),
];

interface ProgramRow {
  programId: number | null;
  code: string;
  name: string;
  scopes: Scope[];
}

/** The programs of the report and, for each, the windows (agreement ∩ period) in which activity counts. */
export function funderScopes(db: DB, funder: Funder, period: Period): ProgramRow[] {
  const programs = new Map(listPrograms(db).map((p) => [p.id, p]));
  const rows = new Map<string, ProgramRow>();
  for (const f of listFunding(db, funder.id)) {
    const w = intersect(period, { start: f.start_date, end: f.end_date });
    if (!w) continue;
    const key = String(f.program_id);
    const row = rows.get(key) ?? { programId: f.program_id, code: f.program_code, name: f.program_name, scopes: [] };
    row.scopes.push({ programId: f.program_id, start: w.start, end: w.end });
    rows.set(key, row);
  }
  for (const g of funderGrantFigures(db, funder.id, period.start, period.end)) {
    if (!(g.awarded_in_period || g.disbursed_in_period > 0 || g.outstanding > 0)) continue;
    const key = g.program_id === null ? '-' : String(g.program_id);
    if (rows.has(key)) continue;
    const p = g.program_id === null ? undefined : programs.get(g.program_id);
    rows.set(key, { programId: g.program_id, code: p ? p.code : '-', name: p ? p.name : '', scopes: [] });
  }
  return [...rows.values()].sort((a, b) => cmp(a.code, b.code));
}

function generalInkind(db: DB, scopes: Scope[], rates: RateBook): { cents: number; minutes: number; rates: Set<number> } {
  let cents = 0;
  let minutes = 0;
  const used = new Set<number>();
  for (const g of generalMinutesByYear(db, scopes)) {
    const rate = rates.rate('volunteer-hour', g.year);
    used.add(rate);
    cents += inkindCents(g.minutes, rate) * g.count;
    minutes += g.minutes * g.count;
  }
  return { cents, minutes, rates: used };
}

function grantFigures(db: DB, funder: Funder, period: Period) {
  const figures = funderGrantFigures(db, funder.id, period.start, period.end);
  return (programId: number | null | 'all') => {
    const mine = figures.filter((g) => programId === 'all' || g.program_id === programId);
    return {
      grants_awarded: mine.filter((g) => g.awarded_in_period).length,
      grants_awarded_amount: mine.filter((g) => g.awarded_in_period).reduce((a, g) => a + g.amount, 0),
      grants_disbursed_amount: mine.reduce((a, g) => a + g.disbursed_in_period, 0),
      grants_outstanding: mine.reduce((a, g) => a + g.outstanding, 0),
    };
  };
}

function figuresFor(db: DB, scopes: Scope[], rates: RateBook): { row: Row; rates: Set<number> } {
  const h = hoursAggregate(db, scopes);
  const general = generalInkind(db, scopes, rates);
  const s = supervisionAggregate(db, scopes);
  const m = mentorshipAggregate(db, scopes);
  const row: Row = {
    volunteer_hours: minutesToHundredths(h.minutes),
    volunteers: distinctVolunteers(db, scopes),
    skilled_hours: minutesToHundredths(h.skilled_minutes),
    general_hours: minutesToHundredths(h.minutes - h.skilled_minutes),
    inkind_general: general.cents,
    inkind_skilled: h.inkind_skilled,
    inkind_total: general.cents + h.inkind_skilled,
    miles: h.miles,
    volunteer_expenses: h.expenses,
    supervision_sessions: s.sessions,
    supervision_hours: minutesToHundredths(s.minutes),
    supervisees: s.supervisees,
    mentorships_active: m.active,
    mentorship_meetings: m.meetings,
    mentorship_hours: minutesToHundredths(m.minutes),
    mentees: m.mentees,
  };
  return { row, rates: general.rates };
}

/** The volunteer-hour rate when exactly one applies to the window, else empty. */
function singleRate(used: Set<number>, scopes: Scope[], rates: RateBook): number | null {
  let set = used;
  if (set.size === 0 && scopes.length > 0) {
    set = new Set<number>();
    for (const s of scopes) for (let y = Number(s.start.slice(0, 4)); y <= Number(s.end.slice(0, 4)); y++) set.add(rates.rate('volunteer-hour', y));
  }
  return set.size === 1 ? [...set][0]! : null;
}

export function funderReport(db: DB, funder: Funder, period: Period, opts: { currency: string; rates: RateBook }): Row[] {
  const programs = funderScopes(db, funder, period);
  const grants = grantFigures(db, funder, period);
  const base = { funder_code: funder.code, funder_name: funder.name, period_start: period.start, period_end: period.end };
  const rows: Row[] = [];
  const allRates = new Set<number>();
  const allScopes: Scope[] = [];
  for (const p of programs) {
    const f = figuresFor(db, p.scopes, opts.rates);
    const rate = singleRate(f.rates, p.scopes, opts.rates);
    if (p.scopes.length > 0) {
      if (rate === null) allRates.add(-1);
      else allRates.add(rate);
    }
    allScopes.push(...p.scopes);
    rows.push({ ...base, program_code: p.code, program_name: p.name, ...f.row, volunteer_hour_rate: rate, ...grants(p.programId), currency: opts.currency });
  }
  const sum = (k: string) => rows.reduce((a, r) => a + (Number(r[k]) || 0), 0);
  const totalRate = allRates.size === 1 && !allRates.has(-1) ? [...allRates][0]! : null;
  const hv = hoursAggregate(db, allScopes);
  const sv = supervisionAggregate(db, allScopes);
  const mt = mentorshipAggregate(db, allScopes);
  rows.push({
    ...base,
    program_code: 'TOTAL',
    program_name: '',
    volunteer_hours: minutesToHundredths(hv.minutes),
    volunteers: distinctVolunteers(db, allScopes),
    skilled_hours: minutesToHundredths(hv.skilled_minutes),
    general_hours: minutesToHundredths(hv.minutes - hv.skilled_minutes),
    volunteer_hour_rate: totalRate,
    inkind_general: sum('inkind_general'),
    inkind_skilled: sum('inkind_skilled'),
    inkind_total: sum('inkind_total'),
    miles: sum('miles'),
    volunteer_expenses: sum('volunteer_expenses'),
    supervision_sessions: sv.sessions,
    supervision_hours: minutesToHundredths(sv.minutes),
    supervisees: sv.supervisees,
    mentorships_active: mt.active,
    mentorship_meetings: mt.meetings,
    mentorship_hours: minutesToHundredths(mt.minutes),
    mentees: mt.mentees,
    ...grants('all'),
    currency: opts.currency,
  });
  return rows;
}

export function funderDetail(db: DB, funder: Funder, period: Period, opts: { currency: string; rates: RateBook }): Row[] {
  const programs = funderScopes(db, funder, period);
  const codeOf = new Map<number | null, string>(programs.map((p) => [p.programId, p.code]));
  const scopes = programs.flatMap((p) => p.scopes);
  const rows: Row[] = [];
  const base = { funder_code: funder.code, currency: opts.currency };
  for (const h of hoursItems(db, scopes)) {
    const rate = h.skilled ? h.hourly_rate! : opts.rates.rate('volunteer-hour', Number(h.date.slice(0, 4)));
    rows.push({
      ...base,
      program_code: codeOf.get(h.program_id) ?? '',
      item: 'hours',
      item_id: h.id,
      date: h.date,
      person_id: h.person_id,
      first_name: h.first_name,
      last_name: h.last_name,
      activity: h.activity,
      hours: minutesToHundredths(h.minutes),
      skilled: h.skilled ? 'yes' : 'no',
      rate,
      inkind_value: inkindCents(h.minutes, rate),
      miles: h.miles,
      expenses: h.expenses,
    });
  }
  for (const [item, list] of [
    ['supervision', supervisionItems(db, scopes)],
    ['mentorship-meeting', meetingItems(db, scopes)],
  ] as const) {
    for (const s of list) {
      rows.push({ ...base, program_code: codeOf.get(s.program_id) ?? '', item, item_id: s.id, date: s.date, person_id: s.person_id, first_name: s.first_name, last_name: s.last_name, hours: minutesToHundredths(s.minutes) });
    }
  }
  for (const g of grantItems(db, funder.id, period.start, period.end)) {
    rows.push({ ...base, program_code: codeOf.get(g.program_id) ?? '-', item: g.kind, item_id: g.id, date: g.date, person_id: g.person_id, first_name: g.first_name, last_name: g.last_name, amount: g.amount });
  }
  const order = ['hours', 'supervision', 'mentorship-meeting', 'grant-award', 'disbursement'];
  return rows.sort(
    (a, b) =>
      cmp(String(a['program_code']), String(b['program_code'])) ||
      cmp(String(a['date']), String(b['date'])) ||
      order.indexOf(String(a['item'])) - order.indexOf(String(b['item'])) ||
      Number(a['item_id']) - Number(b['item_id']),
  );
}
