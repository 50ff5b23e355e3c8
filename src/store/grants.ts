/** Grants and disbursements: SQL (including the grantee's service hours from table `hours`). */
import { insertRow, updateRow, type Conn } from './conn.js';
import { exactAll } from './exact.js';
import type { DisbursementStatus, GrantStatus, RequirementType } from '../domain/grants.js';

export interface Grant {
  id: number;
  grantee_id: number;
  funder_id: number | null;
  program_id: number | null;
  purpose: string;
  awarded_on: string;
  amount: number;
  currency: string;
  service_minutes: number | null;
  status: GrantStatus;
  /** the date by which the service commitment is due (issue 21); null: no deadline */
  service_by: string | null;
  closed_on: string | null;
  closed_reason: string | null;
  created_at: string;
}

export type GrantValues = Omit<Grant, 'id' | 'status' | 'closed_on' | 'closed_reason' | 'created_at' | 'service_by'> & { service_by?: string | null };

export interface Disbursement {
  id: number;
  grant_id: number;
  amount: number;
  date: string;
  status: DisbursementStatus;
  reference: string | null;
  cancel_reason: string | null;
  created_at: string;
}

/** A grant with its names and totals (current state). */
export interface GrantSummary extends Grant {
  first_name: string;
  last_name: string | null;
  funder_code: string | null;
  program_code: string | null;
  paid: number;
  scheduled: number;
  /** the grantee's approved, non-void minutes dated on or after the award */
  service_logged_minutes: number;
}

// ---- grants ------------------------------------------------------------------------------------

export async function insertGrant(db: Conn, g: GrantValues, now: string): Promise<number> {
  return insertRow(
    db,
    'grants',
    ['grantee_id', 'funder_id', 'program_id', 'purpose', 'awarded_on', 'amount', 'currency', 'service_minutes', 'status', 'created_at', 'service_by'],
    { ...g, status: 'awarded', created_at: now, service_by: g.service_by ?? null },
  );
}

export function getGrant(db: Conn, id: number): Promise<Grant | undefined> {
  return db.get('SELECT * FROM grants WHERE id = ?', id) as Promise<Grant | undefined>;
}

export async function updateGrant(db: Conn, id: number, changes: Partial<Grant>): Promise<void> {
  await updateRow(db, 'grants', id, changes);
}

/** Paid and scheduled totals of a grant (cancelled disbursements never count). */
export async function grantTotals(db: Conn, grantId: number): Promise<{ paid: number; scheduled: number }> {
  return (await db.get(
    `SELECT COALESCE(SUM(CASE WHEN status = 'paid' THEN amount END), 0) AS paid,
              COALESCE(SUM(CASE WHEN status = 'scheduled' THEN amount END), 0) AS scheduled
       FROM disbursements WHERE grant_id = ?`,
    grantId,
  )) as { paid: number; scheduled: number };
}

/** Latest paid date of a grant, if any. */
export async function lastPaidDate(db: Conn, grantId: number): Promise<string | null> {
  const r = (await db.get("SELECT MAX(date) AS d FROM disbursements WHERE grant_id = ? AND status = 'paid'", grantId)) as { d: string | null };
  return r.d;
}

/**
 * Minutes of the person's approved, non-void hours dated on or after `since` (and on or before
 * `until` when given).
 */
export async function serviceMinutesSince(db: Conn, personId: number, since: string, until?: string): Promise<number> {
  const r = (await db.get(
    `SELECT COALESCE(SUM(minutes), 0) AS m FROM hours
       WHERE person_id = ? AND status = 'approved' AND voided_at IS NULL AND date >= ? AND (CAST(? AS TEXT) IS NULL OR date <= ?)`,
    personId,
    since,
    until ?? null,
    until ?? null,
  )) as { m: number };
  return r.m;
}

const SUMMARY_SELECT = `
  SELECT g.*, p.first_name, p.last_name, f.code AS funder_code, pr.code AS program_code,
    (SELECT COALESCE(SUM(d.amount), 0) FROM disbursements d WHERE d.grant_id = g.id AND d.status = 'paid') AS paid,
    (SELECT COALESCE(SUM(d.amount), 0) FROM disbursements d WHERE d.grant_id = g.id AND d.status = 'scheduled') AS scheduled,
    (SELECT COALESCE(SUM(h.minutes), 0) FROM hours h
      WHERE h.person_id = g.grantee_id AND h.status = 'approved' AND h.voided_at IS NULL AND h.date >= g.awarded_on) AS service_logged_minutes
  FROM grants g
  JOIN people p ON p.id = g.grantee_id
  LEFT JOIN funders f ON f.id = g.funder_id
  LEFT JOIN programs pr ON pr.id = g.program_id`;

export interface GrantFilter {
  status?: GrantStatus | 'all';
  funderId?: number;
  personId?: number;
}

export async function listGrantSummaries(db: Conn, f: GrantFilter = {}): Promise<GrantSummary[]> {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  if (f.status && f.status !== 'all') {
    where.push('g.status = @status');
    args['status'] = f.status;
  }
  if (f.funderId !== undefined) {
    where.push('g.funder_id = @funder');
    args['funder'] = f.funderId;
  }
  if (f.personId !== undefined) {
    where.push('g.grantee_id = @person');
    args['person'] = f.personId;
  }
  return (await db.all(`${SUMMARY_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY g.id`, args)) as GrantSummary[];
}

export function grantSummary(db: Conn, id: number): Promise<GrantSummary | undefined> {
  return db.get(`${SUMMARY_SELECT} WHERE g.id = ?`, id) as Promise<GrantSummary | undefined>;
}

/** Open grants (awarded or active), for pick lists. */
export function openGrantSummaries(db: Conn): Promise<GrantSummary[]> {
  return db.all(`${SUMMARY_SELECT} WHERE g.status IN ('awarded','active') ORDER BY g.id`) as Promise<GrantSummary[]>;
}

// ---- disbursements -----------------------------------------------------------------------------

export async function insertDisbursement(
  db: Conn,
  d: { grant_id: number; amount: number; date: string; status: 'scheduled' | 'paid'; reference: string | null },
  now: string,
): Promise<number> {
  return insertRow(db, 'disbursements', ['grant_id', 'amount', 'date', 'status', 'reference', 'created_at'], { ...d, created_at: now });
}

export function getDisbursement(db: Conn, id: number): Promise<Disbursement | undefined> {
  return db.get('SELECT * FROM disbursements WHERE id = ?', id) as Promise<Disbursement | undefined>;
}

export async function updateDisbursement(db: Conn, id: number, changes: Partial<Disbursement>): Promise<void> {
  await updateRow(db, 'disbursements', id, changes);
}

/** A grant's disbursements in date order (all statuses). */
export function listDisbursements(db: Conn, grantId: number): Promise<Disbursement[]> {
  return db.all('SELECT * FROM disbursements WHERE grant_id = ? ORDER BY date, id', grantId) as Promise<Disbursement[]>;
}

export function scheduledDisbursements(db: Conn, grantId: number): Promise<Disbursement[]> {
  return db.all("SELECT * FROM disbursements WHERE grant_id = ? AND status = 'scheduled' ORDER BY date, id", grantId) as Promise<Disbursement[]>;
}

/** Every scheduled disbursement of an open grant, with its grant's purpose and grantee (pick lists). */
export async function allScheduled(db: Conn): Promise<(Disbursement & { purpose: string; currency: string; first_name: string; last_name: string | null })[]> {
  return (await db.all(`SELECT d.*, g.purpose, g.currency, p.first_name, p.last_name FROM disbursements d
       JOIN grants g ON g.id = d.grant_id JOIN people p ON p.id = g.grantee_id
       WHERE d.status = 'scheduled' AND g.status IN ('awarded','active') ORDER BY d.date, d.id`)) as (Disbursement & {
    purpose: string;
    currency: string;
    first_name: string;
    last_name: string | null;
  })[];
}

// ---- report ------------------------------------------------------------------------------------

export interface GrantReportRaw extends Grant {
  first_name: string;
  last_name: string | null;
  funder_code: string | null;
  program_code: string | null;
  /** paid up to the period end (all paid without a period) */
  paid_to_date: number;
  /** paid dated inside the period (all paid without a period) */
  paid_in_period: number;
  /** approved, non-void minutes from the award date up to the period end */
  service_logged_minutes: number;
}

/** Grants awarded on or before `end` (all without), optionally of one funder, by id, with their figures. */
export async function grantReportRows(db: Conn, o: { start?: string; end?: string; funderId?: number }): Promise<GrantReportRaw[]> {
  return (await db.all(
    `SELECT g.*, p.first_name, p.last_name, f.code AS funder_code, pr.code AS program_code,
         (SELECT COALESCE(SUM(d.amount), 0) FROM disbursements d
           WHERE d.grant_id = g.id AND d.status = 'paid' AND (CAST(? AS TEXT) IS NULL OR d.date <= ?)) AS paid_to_date,
         (SELECT COALESCE(SUM(d.amount), 0) FROM disbursements d
           WHERE d.grant_id = g.id AND d.status = 'paid' AND (CAST(? AS TEXT) IS NULL OR d.date >= ?) AND (CAST(? AS TEXT) IS NULL OR d.date <= ?)) AS paid_in_period,
         (SELECT COALESCE(SUM(h.minutes), 0) FROM hours h
           WHERE h.person_id = g.grantee_id AND h.status = 'approved' AND h.voided_at IS NULL
             AND h.date >= g.awarded_on AND (CAST(? AS TEXT) IS NULL OR h.date <= ?)) AS service_logged_minutes
       FROM grants g
       JOIN people p ON p.id = g.grantee_id
       LEFT JOIN funders f ON f.id = g.funder_id
       LEFT JOIN programs pr ON pr.id = g.program_id
       WHERE (CAST(? AS TEXT) IS NULL OR g.awarded_on <= ?) AND (CAST(? AS TEXT) IS NULL OR g.funder_id = ?)
       ORDER BY g.id`,
    o.end ?? null,
    o.end ?? null,
    o.start ?? null,
    o.start ?? null,
    o.end ?? null,
    o.end ?? null,
    o.end ?? null,
    o.end ?? null,
    o.end ?? null,
    o.end ?? null,
    o.funderId ?? null,
    o.funderId ?? null,
  )) as GrantReportRaw[];
}

/** A funding agreement whose amount the awards dated inside it, under its funder and program, exceed. */
export interface OverAgreement {
  funding_id: number;
  funder_code: string;
  program_code: string;
  start_date: string;
  end_date: string | null;
  agreement: number;
  awarded: number;
  grants: number;
}

/**
 * Agreements (with an amount) that the non-cancelled awards under the same funder and program, dated
 * within the agreement, add up to more than; `fundingIds` limits it to some agreements.
 */
export async function overAgreements(db: Conn, fundingIds?: number[]): Promise<OverAgreement[]> {
  const only = fundingIds === undefined ? '' : `AND f.id IN (${fundingIds.map(Number).join(', ') || 'NULL'})`;
  return exactAll<OverAgreement>(
    db,
    `SELECT f.id AS funding_id, fu.code AS funder_code, p.code AS program_code, f.start_date, f.end_date, f.amount AS agreement,
              SUM(g.amount) AS awarded, COUNT(*) AS grants
       FROM funding f JOIN funders fu ON fu.id = f.funder_id JOIN programs p ON p.id = f.program_id
       JOIN grants g ON g.funder_id = f.funder_id AND g.program_id = f.program_id AND g.status <> 'cancelled'
                    AND g.awarded_on >= f.start_date AND (f.end_date IS NULL OR g.awarded_on <= f.end_date)
       WHERE f.amount IS NOT NULL ${only}
       GROUP BY f.id, fu.id, p.id HAVING SUM(g.amount) > f.amount ORDER BY f.id`,
  );
}

/** The agreements of a funder and program that cover `date`. */
export async function agreementsCovering(db: Conn, funderId: number, programId: number, date: string): Promise<number[]> {
  return (await db.column(
    'SELECT id FROM funding WHERE funder_id = ? AND program_id = ? AND start_date <= ? AND (end_date IS NULL OR end_date >= ?) ORDER BY id',
    funderId,
    programId,
    date,
    date,
  )) as number[];
}

// ---- requirements (issue 21) ---------------------------------------------------------------------

export interface Requirement {
  id: number;
  grant_id: number;
  type: RequirementType;
  due_on: string;
  note: string | null;
  fulfilled_on: string | null;
  created_at: string;
}

/** A requirement with its grant's status, grantee and purpose (lists, `ngo status`). */
export interface RequirementRow extends Requirement {
  grant_status: GrantStatus;
  purpose: string;
  grantee_id: number;
  first_name: string;
  last_name: string | null;
}

export async function insertRequirement(db: Conn, r: Omit<Requirement, 'id' | 'fulfilled_on' | 'created_at'>, now: string): Promise<number> {
  return insertRow(db, 'grant_requirements', ['grant_id', 'type', 'due_on', 'note', 'created_at'], { ...r, created_at: now });
}

export function getRequirement(db: Conn, id: number): Promise<Requirement | undefined> {
  return db.get('SELECT * FROM grant_requirements WHERE id = ?', id) as Promise<Requirement | undefined>;
}

export async function updateRequirement(db: Conn, id: number, changes: Partial<Requirement>): Promise<void> {
  await updateRow(db, 'grant_requirements', id, changes);
}

/** Requirements (of one grant, or of every grant), by due date then id. */
export function listRequirements(db: Conn, grantId?: number): Promise<RequirementRow[]> {
  return db.all(
    `SELECT r.*, g.status AS grant_status, g.purpose, g.grantee_id, p.first_name, p.last_name
       FROM grant_requirements r JOIN grants g ON g.id = r.grant_id JOIN people p ON p.id = g.grantee_id
       WHERE (CAST(? AS BIGINT) IS NULL OR r.grant_id = ?) ORDER BY r.due_on, r.id`,
    grantId ?? null,
    grantId ?? null,
  ) as Promise<RequirementRow[]>;
}

// ---- repayments (issue 21) -----------------------------------------------------------------------

export interface Repayment {
  id: number;
  grant_id: number;
  computed_on: string;
  paid: number;
  committed_minutes: number;
  served_minutes: number;
  amount: number;
  created_at: string;
}

export async function insertRepayment(db: Conn, r: Omit<Repayment, 'id' | 'created_at'>, now: string): Promise<number> {
  return insertRow(db, 'grant_repayments', ['grant_id', 'computed_on', 'paid', 'committed_minutes', 'served_minutes', 'amount', 'created_at'], {
    ...r,
    created_at: now,
  });
}

export function getRepayment(db: Conn, grantId: number): Promise<Repayment | undefined> {
  return db.get('SELECT * FROM grant_repayments WHERE grant_id = ?', grantId) as Promise<Repayment | undefined>;
}

/** Every repayment, by grant id. */
export async function allRepayments(db: Conn): Promise<Map<number, Repayment>> {
  const rows = (await db.all('SELECT * FROM grant_repayments ORDER BY grant_id')) as Repayment[];
  return new Map(rows.map((r) => [r.grant_id, r]));
}
