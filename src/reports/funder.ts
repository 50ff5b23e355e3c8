/**
 * The funder report (SPEC "Funder report"): one row per program the funder funds in the period (the
 * agreement dates ∩ the period), plus programs of its grants, then TOTAL with distinct counts across
 * programs. In-kind values: skilled hours at the person's rate, general hours at the volunteer-hour
 * rate of the entry's year, each entry rounded half away from zero, then summed.
 */
import type { Conn } from '../store/conn.js';
import type { Funder } from '../store/orgs.js';
import { listFunding, listPrograms } from '../store/orgs.js';
import {
  countVolunteers,
  funderGrantFigures,
  grantItems,
  hoursItems,
  hoursYearSpan,
  meetingItems,
  mentorshipAggregate,
  programHoursInYear,
  supervisionAggregate,
  supervisionItems,
  volunteersByProgram,
  type Scope,
} from '../store/reports.js';
import { intersect, type Period } from '../domain/period.js';
import { addExact, inkindCents, type Exact } from '../domain/money.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { RateBook } from '../services/rate-book.js';
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
export async function funderScopes(db: Conn, funder: Funder, period: Period): Promise<ProgramRow[]> {
  const programs = new Map((await listPrograms(db)).map((p) => [p.id, p]));
  const rows = new Map<string, ProgramRow>();
  for (const f of await listFunding(db, funder.id)) {
    const w = intersect(period, { start: f.start_date, end: f.end_date });
    if (!w) continue;
    const key = String(f.program_id);
    const row = rows.get(key) ?? { programId: f.program_id, code: f.program_code, name: f.program_name, scopes: [] };
    row.scopes.push({ programId: f.program_id, start: w.start, end: w.end });
    rows.set(key, row);
  }
  for (const g of await funderGrantFigures(db, funder.id, period.start, period.end)) {
    if (!(g.awarded_in_period || g.disbursed_in_period > 0 || g.outstanding > 0)) continue;
    const key = g.program_id === null ? '-' : String(g.program_id);
    if (rows.has(key)) continue;
    const p = g.program_id === null ? undefined : programs.get(g.program_id);
    rows.set(key, { programId: g.program_id, code: p ? p.code : '-', name: p ? p.name : '', scopes: [] });
  }
  return [...rows.values()].sort((a, b) => cmp(a.code, b.code));
}

async function grantFigures(db: Conn, funder: Funder, period: Period) {
  const figures = await funderGrantFigures(db, funder.id, period.start, period.end);
  return (programId: number | null | 'all') => {
    const mine = figures.filter((g) => programId === 'all' || g.program_id === programId);
    return {
      grants_awarded: mine.filter((g) => g.awarded_in_period).length,
      grants_awarded_amount: mine.filter((g) => g.awarded_in_period).reduce<Exact>((a, g) => addExact(a, g.amount), 0),
      grants_disbursed_amount: mine.reduce<Exact>((a, g) => addExact(a, g.disbursed_in_period), 0),
      grants_outstanding: mine.reduce<Exact>((a, g) => addExact(a, g.outstanding), 0),
    };
  };
}

interface HoursFigures {
  minutes: number;
  skilled_minutes: number;
  inkind_general: Exact;
  inkind_skilled: Exact;
  miles: Exact;
  expenses: Exact;
  /** Per year with general entries (ascending): their in-kind value at the rate peeked for that year. */
  general: { year: number; rate: number | null; cents: Exact | null }[];
}

const noHours = (): HoursFigures => ({ minutes: 0, skilled_minutes: 0, inkind_general: 0, inkind_skilled: 0, miles: 0, expenses: 0, general: [] });

/**
 * The hours figures of every program of the report, by program id: one query per calendar year that
 * the scopes and the data share, each valuing general entries at that year's rate. The rate book is
 * not asked here (see settleRates).
 */
async function hoursByProgram(db: Conn, scopes: Scope[], rates: RateBook): Promise<Map<number, HoursFigures>> {
  const out = new Map<number, HoursFigures>();
  const span = await hoursYearSpan(db);
  if (scopes.length === 0 || span === null) return out;
  const from = Math.max(span.first, Math.min(...scopes.map((s) => Number(s.start.slice(0, 4)))));
  const to = Math.min(span.last, Math.max(...scopes.map((s) => Number(s.end.slice(0, 4)))));
  for (let year = from; year <= to; year++) {
    const rate = (await rates.peek('volunteer-hour', year)) ?? null;
    for (const h of await programHoursInYear(db, scopes, year, rate)) {
      let f = out.get(h.program_id);
      if (!f) out.set(h.program_id, (f = noHours()));
      f.minutes += h.minutes;
      f.skilled_minutes += h.skilled_minutes;
      f.inkind_skilled = addExact(f.inkind_skilled, h.inkind_skilled);
      f.miles = addExact(f.miles, h.miles);
      f.expenses = addExact(f.expenses, h.expenses);
      if (h.general_entries > 0) f.general.push({ year, rate, cents: h.inkind_general });
    }
  }
  return out;
}

/**
 * Ask the rate book for the rate of each year with general entries, in year order, as the valuation
 * always has (its fallback warnings, and its error when no year up to it has a rate, come from
 * here), and total the general in-kind value. Returns the rates that valued at least one entry.
 */
async function settleRates(h: HoursFigures, rates: RateBook): Promise<Set<number>> {
  const used = new Set<number>();
  for (const g of h.general) {
    const rate = await rates.rate('volunteer-hour', g.year);
    if (rate !== g.rate || g.cents === null) throw new Error(`the volunteer-hour rate of ${g.year} changed while the report ran`);
    used.add(rate);
    h.inkind_general = addExact(h.inkind_general, g.cents);
  }
  return used;
}

async function figuresFor(db: Conn, scopes: Scope[], h: HoursFigures, volunteers: number): Promise<Row> {
  const s = await supervisionAggregate(db, scopes);
  const m = await mentorshipAggregate(db, scopes);
  return {
    volunteer_hours: minutesToHundredths(h.minutes),
    volunteers,
    skilled_hours: minutesToHundredths(h.skilled_minutes),
    general_hours: minutesToHundredths(h.minutes - h.skilled_minutes),
    inkind_general: h.inkind_general,
    inkind_skilled: h.inkind_skilled,
    inkind_total: addExact(h.inkind_general, h.inkind_skilled),
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
}

/** The volunteer-hour rate when exactly one applies to the window, else empty. */
async function singleRate(used: Set<number>, scopes: Scope[], rates: RateBook): Promise<number | null> {
  let set = used;
  if (set.size === 0 && scopes.length > 0) {
    set = new Set<number>();
    for (const s of scopes) for (let y = Number(s.start.slice(0, 4)); y <= Number(s.end.slice(0, 4)); y++) set.add(await rates.rate('volunteer-hour', y));
  }
  return set.size === 1 ? [...set][0]! : null;
}

export async function funderReport(db: Conn, funder: Funder, period: Period, opts: { currency: string; rates: RateBook }): Promise<Row[]> {
  const programs = await funderScopes(db, funder, period);
  const grants = await grantFigures(db, funder, period);
  const base = { funder_code: funder.code, funder_name: funder.name, period_start: period.start, period_end: period.end };
  const rows: Row[] = [];
  const allRates = new Set<number>();
  const allScopes = programs.flatMap((p) => p.scopes);
  // Each entry belongs to one program, hence to at most one row: the TOTAL of hours is the sum of the rows'.
  const hours = await hoursByProgram(db, allScopes, opts.rates);
  const volunteers = await volunteersByProgram(db, allScopes);
  let minutes = 0;
  let skilledMinutes = 0;
  for (const p of programs) {
    const h = (p.programId === null ? undefined : hours.get(p.programId)) ?? noHours();
    const used = await settleRates(h, opts.rates);
    minutes += h.minutes;
    skilledMinutes += h.skilled_minutes;
    const figures = await figuresFor(db, p.scopes, h, p.programId === null ? 0 : (volunteers.get(p.programId) ?? 0));
    const rate = await singleRate(used, p.scopes, opts.rates);
    if (p.scopes.length > 0) {
      if (rate === null) allRates.add(-1);
      else allRates.add(rate);
    }
    rows.push({ ...base, program_code: p.code, program_name: p.name, ...figures, volunteer_hour_rate: rate, ...grants(p.programId), currency: opts.currency });
  }
  const sum = (k: string) => rows.reduce<Exact>((a, r) => addExact(a, (r[k] as Exact | null | undefined) ?? 0), 0);
  const totalRate = allRates.size === 1 && !allRates.has(-1) ? [...allRates][0]! : null;
  const sv = await supervisionAggregate(db, allScopes);
  const mt = await mentorshipAggregate(db, allScopes);
  rows.push({
    ...base,
    program_code: 'TOTAL',
    program_name: '',
    volunteer_hours: minutesToHundredths(minutes),
    volunteers: await countVolunteers(db, allScopes),
    skilled_hours: minutesToHundredths(skilledMinutes),
    general_hours: minutesToHundredths(minutes - skilledMinutes),
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

export async function funderDetail(db: Conn, funder: Funder, period: Period, opts: { currency: string; rates: RateBook }): Promise<Row[]> {
  const programs = await funderScopes(db, funder, period);
  const codeOf = new Map<number | null, string>(programs.map((p) => [p.programId, p.code]));
  const scopes = programs.flatMap((p) => p.scopes);
  const rows: Row[] = [];
  const base = { funder_code: funder.code, currency: opts.currency };
  for (const h of await hoursItems(db, scopes)) {
    const rate = h.skilled ? h.hourly_rate! : await opts.rates.rate('volunteer-hour', Number(h.date.slice(0, 4)));
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
    ['supervision', await supervisionItems(db, scopes)],
    ['mentorship-meeting', await meetingItems(db, scopes)],
  ] as const) {
    for (const s of list) {
      rows.push({
        ...base,
        program_code: codeOf.get(s.program_id) ?? '',
        item,
        item_id: s.id,
        date: s.date,
        person_id: s.person_id,
        first_name: s.first_name,
        last_name: s.last_name,
        hours: minutesToHundredths(s.minutes),
      });
    }
  }
  for (const g of await grantItems(db, funder.id, period.start, period.end)) {
    rows.push({
      ...base,
      program_code: codeOf.get(g.program_id) ?? '-',
      item: g.kind,
      item_id: g.id,
      date: g.date,
      person_id: g.person_id,
      first_name: g.first_name,
      last_name: g.last_name,
      amount: g.amount,
    });
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
