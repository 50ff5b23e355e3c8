/**
 * Grants report (SPEC "Reports"): one row per grant awarded on or before the period end (every grant
 * without a period), sorted by grant id.
 *
 * - `disbursed_to_date`: paid disbursements dated up to the period end (all paid without a period).
 * - `disbursed_in_period`: paid disbursements dated inside the period (without a period: all paid).
 * - `remaining`: amount − disbursed_to_date; 0 when the grant had been closed (cancelled, or closed as
 *   completed while under-spent) on or before the period end: nothing more will be paid.
 * - `status`: the status as at the period end (closed by then → the closed status; else derived from
 *   what was paid by then), so a past period's report reads the same when run again later.
 * - `service_hours_logged`: the grantee's approved, non-void hours dated from the award date up to the
 *   period end; `service_commitment_hours` empty when the grant has no commitment.
 */
import type { Conn } from '../store/conn.js';
import { grantReportRows } from '../store/grants.js';
import { deriveStatus, type CloseStatus } from '../domain/grants.js';
import { displayName } from '../domain/people.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { Period } from '../domain/period.js';
import type { Column, Row } from '../io/output.js';

export const GRANTS_REPORT_COLUMNS: Column[] = [
  { key: 'grant_id', kind: 'int' },
  { key: 'grantee' },
  { key: 'funder_code' },
  { key: 'program_code' },
  { key: 'purpose' },
  { key: 'awarded_on', kind: 'date' },
  { key: 'amount', kind: 'dec2' },
  { key: 'currency' },
  { key: 'disbursed_to_date', kind: 'dec2' },
  { key: 'disbursed_in_period', kind: 'dec2' },
  { key: 'remaining', kind: 'dec2' },
  { key: 'status' },
  { key: 'service_commitment_hours', kind: 'dec2' },
  { key: 'service_hours_logged', kind: 'dec2' },
];

export async function grantsReport(db: Conn, period: Period | undefined, opts: { funderId?: number } = {}): Promise<Row[]> {
  const raws = await grantReportRows(db, { start: period?.start, end: period?.end, funderId: opts.funderId });
  return raws.map((g) => {
    const closedByEnd = g.closed_on !== null && (period === undefined || g.closed_on <= period.end);
    const closedAs = closedByEnd ? (g.status as CloseStatus) : null;
    const status = deriveStatus({ amount: g.amount, paid: g.paid_to_date, closedAs });
    return {
      grant_id: g.id,
      grantee: displayName(g),
      funder_code: g.funder_code,
      program_code: g.program_code,
      purpose: g.purpose,
      awarded_on: g.awarded_on,
      amount: g.amount,
      currency: g.currency,
      disbursed_to_date: g.paid_to_date,
      disbursed_in_period: g.paid_in_period,
      remaining: closedAs ? 0 : Math.max(0, g.amount - g.paid_to_date),
      status,
      service_commitment_hours: g.service_minutes === null ? null : minutesToHundredths(g.service_minutes),
      service_hours_logged: minutesToHundredths(g.service_logged_minutes),
    };
  });
}
