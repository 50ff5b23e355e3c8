/** The reads behind `ngo status` (src/reports/status.ts): what needs attention now. All the SQL. */
import type { Conn } from './conn.js';

/** Pending (not void) hours entries: how many, their minutes, the oldest date. */
export async function pendingHoursSummary(db: Conn): Promise<{ entries: number; minutes: number; oldest: string | null }> {
  const r = (await db.get(
    `SELECT COUNT(*) AS entries, COALESCE(SUM(minutes), 0) AS minutes, MIN(date) AS oldest
       FROM hours WHERE status = 'pending' AND voided_at IS NULL`,
  )) as { entries: number; minutes: number; oldest: string | null };
  return { entries: Number(r.entries), minutes: Number(r.minutes), oldest: r.oldest };
}

export interface DueDisbursement {
  id: number;
  grant_id: number;
  date: string;
  amount: number;
  currency: string;
  purpose: string;
  first_name: string;
  last_name: string | null;
}

/** Scheduled disbursements of open grants dated on or before `until`, by date. */
export async function scheduledDueBy(db: Conn, until: string): Promise<DueDisbursement[]> {
  return (await db.all(
    `SELECT d.id, d.grant_id, d.date, d.amount, g.currency, g.purpose, p.first_name, p.last_name
       FROM disbursements d JOIN grants g ON g.id = d.grant_id JOIN people p ON p.id = g.grantee_id
       WHERE d.status = 'scheduled' AND g.status IN ('awarded','active') AND d.date <= ?
       ORDER BY d.date, d.id`,
    until,
  )) as DueDisbursement[];
}

export interface ActivePairingContact {
  id: number;
  start_date: string;
  last_meeting: string | null;
  mentor_first: string;
  mentor_last: string | null;
  mentee_first: string;
  mentee_last: string | null;
}

/** Active pairings whose last (non-void) meeting, or start when they never met, is before `since`. */
export async function pairingsQuietSince(db: Conn, since: string): Promise<ActivePairingContact[]> {
  return (await db.all(
    `SELECT m.id, m.start_date, x.last_meeting, a.first_name AS mentor_first, a.last_name AS mentor_last,
            b.first_name AS mentee_first, b.last_name AS mentee_last
       FROM mentorships m JOIN people a ON a.id = m.mentor_id JOIN people b ON b.id = m.mentee_id
       LEFT JOIN (SELECT mentorship_id, MAX(date) AS last_meeting FROM mentorship_meetings
                  WHERE voided_at IS NULL GROUP BY mentorship_id) x ON x.mentorship_id = m.id
       WHERE m.status = 'active' AND COALESCE(x.last_meeting, m.start_date) < ?
       ORDER BY COALESCE(x.last_meeting, m.start_date), m.id`,
    since,
  )) as ActivePairingContact[];
}

export interface LicenceDue {
  id: number;
  first_name: string;
  last_name: string | null;
  credential: string | null;
  license_number: string | null;
  license_region: string | null;
  license_expires: string;
}

/** Active (not erased) people whose licence expires on or before `until` (expired ones included), by date. */
export async function licencesExpiringBy(db: Conn, until: string): Promise<LicenceDue[]> {
  return (await db.all(
    `SELECT id, first_name, last_name, credential, license_number, license_region, license_expires
       FROM people WHERE status = 'active' AND erased_at IS NULL AND license_expires IS NOT NULL AND license_expires <= ?
       ORDER BY license_expires, id`,
    until,
  )) as LicenceDue[];
}
