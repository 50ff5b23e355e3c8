/**
 * SQL of the reports. A "scope" is a program and a date window; aggregate queries take a list of
 * scopes and count what falls inside any of them. Per-entry rounding is done exactly in integer SQL:
 * for positive integers, round_half_away(a / b) = (2a + b) / 2b with integer division.
 */
import type { Conn } from './conn.js';
import { exactAll } from './exact.js';
import type { Exact } from '../domain/money.js';

export interface Scope {
  programId: number;
  start: string;
  end: string;
}

/**
 * Skilled: an entry in a skilled activity by a person who had an hourly rate on the entry's date. The
 * rate is the one in force then (rate_history), so a later change of rate leaves past figures alone.
 */
const SKILLED = "r.hourly_rate IS NOT NULL AND h.activity IN ('direct-service','supervision','training')";
const RATE_ON_DATE = 'LEFT JOIN rate_history r ON r.person_id = h.person_id AND r.valid_from <= h.date AND h.date <= r.valid_to';
const COUNTED = "h.status = 'approved' AND h.voided_at IS NULL";

function scopeSql(scopes: Scope[], programCol: string, dateCol: string): { sql: string; params: (string | number)[] } {
  if (scopes.length === 0) return { sql: '(1 = 0)', params: [] };
  return {
    sql: '(' + scopes.map(() => `(${programCol} = ? AND ${dateCol} BETWEEN ? AND ?)`).join(' OR ') + ')',
    params: scopes.flatMap((s) => [s.programId, s.start, s.end]),
  };
}

/**
 * The hours tables of the reports: hours_report (migration 2) holds the counted entries by year, then
 * person, with every column the reports read. `substr(h.date, 1, 4)` must be written exactly so for
 * SQLite to match the index expression, and the year bound as text ('2025', not 2025).
 */
/** The hours table as the reports read it: on SQLite through the covering index hours_report, named (see schema 2); PostgreSQL's planner chooses by itself. */
const reportHours = (db: Conn) => (db.dialect === 'sqlite' ? 'hours h INDEXED BY hours_report' : 'hours h');
/** The distinct programs of a group, as a comma-separated list (SQLite has no string_agg(DISTINCT …), PostgreSQL no group_concat). */
const programIdList = (db: Conn) => (db.dialect === 'sqlite' ? 'group_concat(DISTINCT h.program_id)' : "string_agg(DISTINCT CAST(h.program_id AS TEXT), ',')");
const YEAR = 'substr(h.date, 1, 4)';
const yearText = (y: number) => String(y).padStart(4, '0');

/** First and last year of any hours entry (an upper bound of the years reports need to look at), or null. */
export async function hoursYearSpan(db: Conn): Promise<{ first: number; last: number } | null> {
  // Two subqueries: SQLite's min/max shortcut (one index probe) applies to a query with a single min() or max().
  const r = (await db.get('SELECT (SELECT MIN(date) FROM hours) AS lo, (SELECT MAX(date) FROM hours) AS hi')) as { lo: string | null; hi: string | null };
  return r.lo === null || r.hi === null ? null : { first: Number(r.lo.slice(0, 4)), last: Number(r.hi.slice(0, 4)) };
}

export interface ProgramYearHours {
  program_id: number;
  entries: number;
  minutes: number;
  skilled_minutes: number;
  /** Σ per entry of minutes × the person's rate / 60, each rounded half away from zero (cents). */
  inkind_skilled: Exact;
  general_entries: number;
  /** Σ per general entry of minutes × generalRate / 60, each rounded (cents); null without a rate. */
  inkind_general: Exact | null;
  miles: Exact;
  expenses: Exact;
}

/** The years (text, inclusive) the scopes reach into: `=` for one year keeps hours_report in person order. */
function scopeYears(scopes: Scope[]): { sql: string; params: string[] } {
  const first = scopes.reduce((a, x) => (x.start < a ? x.start : a), scopes[0]!.start).slice(0, 4);
  const last = scopes.reduce((a, x) => (x.end > a ? x.end : a), scopes[0]!.end).slice(0, 4);
  return first === last ? { sql: `${YEAR} = ?`, params: [first] } : { sql: `${YEAR} BETWEEN ? AND ?`, params: [first, last] };
}

/**
 * Counted hours inside the scopes and dated in `year`, per program (programs without any are absent):
 * one pass over that year's part of hours_report, however many programs. General (non-skilled)
 * entries are valued at `generalRate` cents per hour, which the caller takes from the year's
 * volunteer-hour rate; skilled entries at their person's rate.
 */
export async function programHoursInYear(db: Conn, scopes: Scope[], year: number, generalRate: number | null): Promise<ProgramYearHours[]> {
  if (scopes.length === 0) return [];
  const s = scopeSql(scopes, 'h.program_id', 'h.date');
  return exactAll<ProgramYearHours>(
    db,
    `SELECT h.program_id, COUNT(*) AS entries, SUM(h.minutes) AS minutes,
              COALESCE(SUM(CASE WHEN ${SKILLED} THEN h.minutes END), 0) AS skilled_minutes,
              COALESCE(SUM(CASE WHEN ${SKILLED} THEN (2 * h.minutes * r.hourly_rate + 60) / 120 END), 0) AS inkind_skilled,
              COUNT(CASE WHEN NOT (${SKILLED}) THEN 1 END) AS general_entries,
              SUM(CASE WHEN NOT (${SKILLED}) THEN (2 * h.minutes * CAST(? AS BIGINT) + 60) / 120 END) AS inkind_general,
              SUM(h.miles) AS miles, SUM(h.expenses) AS expenses
       FROM ${reportHours(db)} ${RATE_ON_DATE}
       WHERE ${COUNTED} AND ${YEAR} = ? AND ${s.sql}
       GROUP BY h.program_id`,
    generalRate,
    yearText(year),
    ...s.params,
  );
}

/** Distinct people with counted hours inside the scopes, per program (absent: none). */
export async function volunteersByProgram(db: Conn, scopes: Scope[]): Promise<Map<number, number>> {
  if (scopes.length === 0) return new Map();
  const s = scopeSql(scopes, 'h.program_id', 'h.date');
  const y = scopeYears(scopes);
  const rows = (await db.all(
    `SELECT h.program_id, COUNT(DISTINCT h.person_id) AS n FROM ${reportHours(db)} WHERE ${COUNTED} AND ${y.sql} AND ${s.sql} GROUP BY h.program_id`,
    ...y.params,
    ...s.params,
  )) as { program_id: number; n: number }[];
  return new Map(rows.map((r) => [r.program_id, r.n]));
}

/** Distinct people with counted hours inside any scope. */
export async function countVolunteers(db: Conn, scopes: Scope[]): Promise<number> {
  if (scopes.length === 0) return 0;
  const s = scopeSql(scopes, 'h.program_id', 'h.date');
  const y = scopeYears(scopes);
  // Within one year hours_report is in person order: SQLite then counts distinct people without a temporary b-tree.
  return (
    (await db.get(`SELECT COUNT(DISTINCT h.person_id) AS n FROM ${reportHours(db)} WHERE ${COUNTED} AND ${y.sql} AND ${s.sql}`, ...y.params, ...s.params)) as {
      n: number;
    }
  ).n;
}

export async function supervisionAggregate(db: Conn, scopes: Scope[]): Promise<{ sessions: number; minutes: number; supervisees: number }> {
  const s = scopeSql(scopes, 's.program_id', 's.date');
  const a = (await db.get(
    `SELECT COUNT(*) AS sessions, COALESCE(SUM(s.minutes), 0) AS minutes FROM supervision_sessions s WHERE s.voided_at IS NULL AND ${s.sql}`,
    ...s.params,
  )) as { sessions: number; minutes: number };
  const b = (await db.get(
    `SELECT COUNT(DISTINCT a.supervisee_id) AS n FROM supervision_attendees a JOIN supervision_sessions s ON s.id = a.session_id
       WHERE s.voided_at IS NULL AND ${s.sql}`,
    ...s.params,
  )) as { n: number };
  return { ...a, supervisees: b.n };
}

/** Pairings active at any time in a scope: started on or before its end, not ended before its start. */
function activePairingSql(scopes: Scope[]): { sql: string; params: (string | number)[] } {
  if (scopes.length === 0) return { sql: '(1 = 0)', params: [] };
  return {
    sql: '(' + scopes.map(() => '(m.program_id = ? AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?))').join(' OR ') + ')',
    params: scopes.flatMap((s) => [s.programId, s.end, s.start]),
  };
}

export async function mentorshipAggregate(db: Conn, scopes: Scope[]): Promise<{ active: number; mentees: number; meetings: number; minutes: number }> {
  const a = activePairingSql(scopes);
  const pairs = (await db.get(`SELECT COUNT(*) AS active, COUNT(DISTINCT m.mentee_id) AS mentees FROM mentorships m WHERE ${a.sql}`, ...a.params)) as {
    active: number;
    mentees: number;
  };
  const s = scopeSql(scopes, 'm.program_id', 'mm.date');
  const meet = (await db.get(
    `SELECT COUNT(*) AS meetings, COALESCE(SUM(mm.minutes), 0) AS minutes FROM mentorship_meetings mm JOIN mentorships m ON m.id = mm.mentorship_id
       WHERE mm.voided_at IS NULL AND ${s.sql}`,
    ...s.params,
  )) as { meetings: number; minutes: number };
  return { ...pairs, ...meet };
}

export interface FunderGrantFigures {
  grant_id: number;
  program_id: number | null;
  awarded_in_period: number;
  amount: number;
  disbursed_in_period: Exact;
  outstanding: Exact;
}

/**
 * Per grant of a funder: awarded in the period, paid in the period, and outstanding at the period's end
 * (amount − paid up to the end; a grant closed — cancelled or completed early — by the end owes
 * nothing; one closed after the end still owed then, so a later cancellation never changes the figure
 * of a past period).
 */
export async function funderGrantFigures(db: Conn, funderId: number, start: string, end: string): Promise<FunderGrantFigures[]> {
  return exactAll<FunderGrantFigures>(
    db,
    `SELECT g.id AS grant_id, g.program_id AS program_id,
              CASE WHEN g.awarded_on BETWEEN @start AND @end THEN 1 ELSE 0 END AS awarded_in_period,
              g.amount AS amount,
              COALESCE((SELECT SUM(d.amount) FROM disbursements d WHERE d.grant_id = g.id AND d.status = 'paid' AND d.date BETWEEN @start AND @end), 0) AS disbursed_in_period,
              CASE WHEN g.awarded_on > @end OR (g.closed_on IS NOT NULL AND g.closed_on <= @end) OR (g.status = 'cancelled' AND g.closed_on IS NULL) THEN 0
                   WHEN g.amount - COALESCE((SELECT SUM(d.amount) FROM disbursements d WHERE d.grant_id = g.id AND d.status = 'paid' AND d.date <= @end), 0) < 0 THEN 0
                   ELSE g.amount - COALESCE((SELECT SUM(d.amount) FROM disbursements d WHERE d.grant_id = g.id AND d.status = 'paid' AND d.date <= @end), 0) END AS outstanding
       FROM grants g WHERE g.funder_id = @funder AND g.awarded_on <= @end
       ORDER BY g.id`,
    { funder: funderId, start, end },
  );
}

// ---- detail line items -------------------------------------------------------------------------

export interface HoursItem {
  id: number;
  date: string;
  program_id: number;
  person_id: number;
  first_name: string;
  last_name: string | null;
  activity: string;
  minutes: number;
  miles: number;
  expenses: number;
  hourly_rate: number | null;
  skilled: number;
}

export async function hoursItems(db: Conn, scopes: Scope[]): Promise<HoursItem[]> {
  const s = scopeSql(scopes, 'h.program_id', 'h.date');
  return (await db.all(
    `SELECT h.id, h.date, h.program_id, h.person_id, p.first_name, p.last_name, h.activity, h.minutes, h.miles, h.expenses, r.hourly_rate,
              CASE WHEN ${SKILLED} THEN 1 ELSE 0 END AS skilled
       FROM hours h JOIN people p ON p.id = h.person_id ${RATE_ON_DATE} WHERE ${COUNTED} AND ${s.sql} ORDER BY h.date, h.id`,
    ...s.params,
  )) as HoursItem[];
}

export async function supervisionItems(
  db: Conn,
  scopes: Scope[],
): Promise<{ id: number; date: string; program_id: number; person_id: number; first_name: string; last_name: string | null; minutes: number }[]> {
  const s = scopeSql(scopes, 's.program_id', 's.date');
  return (await db.all(
    `SELECT s.id, s.date, s.program_id, s.supervisor_id AS person_id, p.first_name, p.last_name, s.minutes
       FROM supervision_sessions s JOIN people p ON p.id = s.supervisor_id WHERE s.voided_at IS NULL AND ${s.sql} ORDER BY s.date, s.id`,
    ...s.params,
  )) as { id: number; date: string; program_id: number; person_id: number; first_name: string; last_name: string | null; minutes: number }[];
}

export async function meetingItems(
  db: Conn,
  scopes: Scope[],
): Promise<{ id: number; date: string; program_id: number; person_id: number; first_name: string; last_name: string | null; minutes: number }[]> {
  const s = scopeSql(scopes, 'm.program_id', 'mm.date');
  return (await db.all(
    `SELECT mm.id, mm.date, m.program_id, m.mentee_id AS person_id, p.first_name, p.last_name, mm.minutes
       FROM mentorship_meetings mm JOIN mentorships m ON m.id = mm.mentorship_id JOIN people p ON p.id = m.mentee_id
       WHERE mm.voided_at IS NULL AND ${s.sql} ORDER BY mm.date, mm.id`,
    ...s.params,
  )) as { id: number; date: string; program_id: number; person_id: number; first_name: string; last_name: string | null; minutes: number }[];
}

/** A grant award or a disbursement in a funder report's detail. */
export interface GrantItem {
  kind: 'grant-award' | 'disbursement';
  id: number;
  date: string;
  program_id: number | null;
  person_id: number;
  first_name: string;
  last_name: string | null;
  amount: number;
}

export async function grantItems(db: Conn, funderId: number, start: string, end: string): Promise<GrantItem[]> {
  return (await db.all(
    `SELECT 'grant-award' AS kind, g.id, g.awarded_on AS date, g.program_id, g.grantee_id AS person_id, p.first_name, p.last_name, g.amount
       FROM grants g JOIN people p ON p.id = g.grantee_id WHERE g.funder_id = ? AND g.awarded_on BETWEEN ? AND ?
       UNION ALL
       SELECT 'disbursement', d.id, d.date, g.program_id, g.grantee_id, p.first_name, p.last_name, d.amount
       FROM disbursements d JOIN grants g ON g.id = d.grant_id JOIN people p ON p.id = g.grantee_id
       WHERE g.funder_id = ? AND d.status = 'paid' AND d.date BETWEEN ? AND ?
       ORDER BY 3, 1, 2`,
    funderId,
    start,
    end,
    funderId,
    start,
    end,
  )) as GrantItem[];
}

// ---- tax ---------------------------------------------------------------------------------------

/**
 * A person's figures for the tax report, as the query returns them (one JSON array each; see
 * taxAggregates): the aggregates, then the person's fields in report order.
 */
export type TaxAggregate = [
  person_id: number,
  service_days: number,
  minutes: number,
  miles: Exact,
  mileage_amount: Exact,
  expenses: Exact,
  largest: Exact,
  /** The distinct program ids of the entries, comma-separated. */
  program_ids: string,
  external_id: string | null,
  first_name: string,
  last_name: string | null,
  email: string | null,
  address_line1: string | null,
  address_line2: string | null,
  city: string | null,
  region: string | null,
  postal_code: string | null,
  country: string | null,
];

/**
 * One row per person with counted entries dated in `year`, with the person's fields; mileage valued
 * per entry at `rate` cents/mile (rounded half away from zero), then summed. In no particular order.
 *
 * One pass over the year's part of hours_report, which is in person order (no sort). The rows come
 * back as ONE JSON document (json_group_array), parsed once and used as they are: a row per person
 * through better-sqlite3 costs about 2 µs plus 0.15 µs a value, which at 100,000 people and 18 values
 * was a large part of the report's time, and every object made per person costs again in garbage
 * collection. JSON is exact here: integers (well below 2^53) and text.
 */
export async function taxAggregates(db: Conn, year: number, rate: number, personId?: number): Promise<TaxAggregate[]> {
  if (db.dialect !== 'sqlite') return taxAggregatesExact(db, year, rate, personId);
  const person = personId === undefined ? '' : 'AND h.person_id = ?';
  const json = (await db.value(
    `WITH a AS MATERIALIZED (
         SELECT h.person_id, COUNT(DISTINCT h.date) AS service_days, SUM(h.minutes) AS minutes,
                COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN h.miles END), 0) AS miles,
                COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN (2 * h.miles * CAST(? AS BIGINT) + 100) / 200 END), 0) AS mileage_amount,
                COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN h.expenses END), 0) AS expenses,
                COALESCE(MAX(CASE WHEN h.reimbursed = 0 THEN (2 * h.miles * CAST(? AS BIGINT) + 100) / 200 + h.expenses END), 0) AS largest,
                ${programIdList(db)} AS program_ids
         FROM ${reportHours(db)}
         WHERE ${COUNTED} AND ${YEAR} = ? ${person}
         GROUP BY h.person_id)
       SELECT json_group_array(json_array(a.person_id, a.service_days, a.minutes, a.miles, a.mileage_amount, a.expenses, a.largest, a.program_ids,
                p.external_id, p.first_name, p.last_name, p.email, p.address_line1, p.address_line2, p.city, p.region, p.postal_code, p.country))
       FROM a JOIN people p ON p.id = a.person_id`,
    rate,
    rate,
    yearText(year),
    ...(personId === undefined ? [] : [personId]),
  )) as string;
  const rows = JSON.parse(json) as TaxAggregate[];
  // JSON numbers are floats: should a sum pass 2^53 (it never does with real data), read it again exactly.
  for (const r of rows) {
    for (let i = 1; i <= 6; i++) {
      if (!Number.isSafeInteger(r[i])) return taxAggregatesExact(db, year, rate, personId);
    }
  }
  return rows;
}

/** taxAggregates row by row with 64-bit integers: exact at any size (slower; used only when needed). */
async function taxAggregatesExact(db: Conn, year: number, rate: number, personId?: number): Promise<TaxAggregate[]> {
  const person = personId === undefined ? '' : 'AND h.person_id = ?';
  const sql = `SELECT h.person_id, COUNT(DISTINCT h.date) AS service_days, SUM(h.minutes) AS minutes,
            COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN h.miles END), 0) AS miles,
            COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN (2 * h.miles * CAST(? AS BIGINT) + 100) / 200 END), 0) AS mileage_amount,
            COALESCE(SUM(CASE WHEN h.reimbursed = 0 THEN h.expenses END), 0) AS expenses,
            COALESCE(MAX(CASE WHEN h.reimbursed = 0 THEN (2 * h.miles * CAST(? AS BIGINT) + 100) / 200 + h.expenses END), 0) AS largest,
            ${programIdList(db)} AS program_ids,
            p.external_id, p.first_name, p.last_name, p.email, p.address_line1, p.address_line2, p.city, p.region, p.postal_code, p.country
     FROM ${reportHours(db)} JOIN people p ON p.id = h.person_id
     WHERE ${COUNTED} AND ${YEAR} = ? ${person}
     GROUP BY h.person_id, p.id`;
  const params: unknown[] = [rate, rate, yearText(year), ...(personId === undefined ? [] : [personId])];
  return (await exactAll<Record<string, unknown>>(db, sql, ...params)).map((r) => Object.values(r) as TaxAggregate);
}

export interface TaxItem {
  person_id: number;
  date: string;
  program_code: string;
  program_name: string;
  activity: string;
  minutes: number;
  miles: number;
  expenses: number;
  reimbursed: number;
}

export async function taxItems(db: Conn, start: string, end: string, personId?: number): Promise<TaxItem[]> {
  const person = personId === undefined ? '' : 'AND h.person_id = ?';
  return (await db.all(
    `SELECT h.person_id, h.date, pr.code AS program_code, pr.name AS program_name, h.activity, h.minutes, h.miles, h.expenses, h.reimbursed
       FROM hours h JOIN programs pr ON pr.id = h.program_id JOIN people p ON p.id = h.person_id
       WHERE h.status = 'approved' AND h.voided_at IS NULL AND h.date BETWEEN ? AND ? ${person}
       ORDER BY lower(p.last_name) NULLS FIRST, lower(p.first_name), p.id, h.date, h.id`,
    start,
    end,
    ...(personId === undefined ? [] : [personId]),
  )) as TaxItem[];
}

// ---- hours summary -----------------------------------------------------------------------------

export type HoursBy = 'person' | 'program' | 'activity' | 'month';

/** The hours summary's totals over the period: distinct volunteers across every group. */
export async function hoursSummaryTotal(db: Conn, start: string, end: string): Promise<Record<string, string | number | bigint | null>> {
  const rows = await exactAll<Record<string, string | number | bigint | null>>(
    db,
    `SELECT COUNT(*) AS entries, COALESCE(SUM(h.minutes), 0) AS minutes, COUNT(DISTINCT h.person_id) AS volunteers,
            COALESCE(SUM(h.miles), 0) AS miles, COALESCE(SUM(h.expenses), 0) AS expenses
       FROM hours h
       WHERE h.status = 'approved' AND h.voided_at IS NULL AND h.date BETWEEN ? AND ?`,
    start,
    end,
  );
  return rows[0]!;
}

export async function hoursSummary(db: Conn, by: HoursBy, start: string, end: string): Promise<Record<string, string | number | bigint | null>[]> {
  const keys: Record<HoursBy, { select: string; group: string; order: string; join: string }> = {
    person: {
      select: 'p.id AS person_id, p.first_name, p.last_name, p.email',
      group: 'p.id',
      order: 'lower(p.last_name) NULLS FIRST, lower(p.first_name), p.id',
      join: 'JOIN people p ON p.id = h.person_id',
    },
    program: {
      select: 'pr.code AS program_code, pr.name AS program_name',
      group: 'pr.id',
      order: 'lower(pr.code), pr.id',
      join: 'JOIN programs pr ON pr.id = h.program_id',
    },
    activity: { select: 'h.activity', group: 'h.activity', order: 'h.activity', join: '' },
    month: { select: 'substr(h.date, 1, 7) AS month', group: 'substr(h.date, 1, 7)', order: 'month', join: '' },
  };
  const k = keys[by];
  return exactAll<Record<string, string | number | bigint | null>>(
    db,
    `SELECT ${k.select}, COUNT(*) AS entries, SUM(h.minutes) AS minutes, COUNT(DISTINCT h.person_id) AS volunteers,
              SUM(h.miles) AS miles, SUM(h.expenses) AS expenses
       FROM hours h ${k.join}
       WHERE h.status = 'approved' AND h.voided_at IS NULL AND h.date BETWEEN ? AND ?
       GROUP BY ${k.group} ORDER BY ${k.order}`,
    start,
    end,
  );
}
