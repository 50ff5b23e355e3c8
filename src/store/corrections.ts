/** The reads the corrections of issue 19 need beyond each entity's store (src/services/corrections.ts). */
import type { Conn } from './conn.js';

/** The date of a grant's first disbursement that is not cancelled (grants edit: the award is never after it). */
export async function firstDisbursementDate(db: Conn, grantId: number): Promise<string | null> {
  const r = await db.get<{ d: string | null }>("SELECT MIN(date) AS d FROM disbursements WHERE grant_id = ? AND status <> 'cancelled'", grantId);
  return r?.d ?? null;
}
