/** The reads the corrections of issue 19 need beyond each entity's store (src/services/corrections.ts). */
import type { Conn } from './conn.js';

/** The date of a grant's first disbursement that is not cancelled (grants edit: the award is never after it). */
export async function firstDisbursementDate(db: Conn, grantId: number): Promise<string | null> {
  const r = await db.get<{ d: string | null }>("SELECT MIN(date) AS d FROM disbursements WHERE grant_id = ? AND status <> 'cancelled'", grantId);
  return r?.d ?? null;
}

/** The non-void entries whose current content is exactly this fingerprint's (hours log: an identical entry), by id. */
export async function entriesWithContent(db: Conn, fp: Buffer): Promise<{ id: number; status: string }[]> {
  return db.all<{ id: number; status: string }>('SELECT id, status FROM hours WHERE fingerprint = ? AND voided_at IS NULL ORDER BY id', fp);
}
