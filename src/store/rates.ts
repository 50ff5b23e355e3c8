/** Valuation rates by year: volunteer-hour (cents per hour) and mileage (cents per mile). */
import type { Conn } from './conn.js';

export type RateKind = 'volunteer-hour' | 'mileage';

export interface RateRow {
  kind: RateKind;
  year: number;
  amount: number;
}

export function listRates(db: Conn): Promise<RateRow[]> {
  return db.all('SELECT kind, year, amount FROM rates ORDER BY kind, year') as Promise<RateRow[]>;
}

export async function getRate(db: Conn, kind: RateKind, year: number): Promise<number | undefined> {
  const r = (await db.get('SELECT amount FROM rates WHERE kind = ? AND year = ?', kind, year)) as { amount: number } | undefined;
  return r?.amount;
}

export async function putRate(db: Conn, kind: RateKind, year: number, amount: number): Promise<void> {
  await db.run('INSERT INTO rates(kind, year, amount) VALUES (?, ?, ?) ON CONFLICT(kind, year) DO UPDATE SET amount = excluded.amount', kind, year, amount);
}

/** The rate of `year`, or of the latest earlier year that has one. */
export async function rateForYear(db: Conn, kind: RateKind, year: number): Promise<{ amount: number; year: number } | undefined> {
  return (await db.get('SELECT amount, year FROM rates WHERE kind = ? AND year <= ? ORDER BY year DESC LIMIT 1', kind, year)) as
    { amount: number; year: number } | undefined;
}

/**
 * Entries a year rate values, by year: counted general-time entries that no personal rate covers
 * (volunteer-hour), or counted unreimbursed entries with miles (mileage), dated in `year` or in a later
 * year that has no rate of its own (those use the latest earlier one). Only years with entries.
 */
export async function entriesValuedBy(db: Conn, kind: RateKind, year: number): Promise<{ year: number; entries: number }[]> {
  const next = (await db.value('SELECT MIN(year) FROM rates WHERE kind = ? AND year > ?', kind, year)) as number | null;
  const from = String(year).padStart(4, '0');
  // Dates are ISO strings: a year past every stored one sorts after '9999' as ':' does.
  const until = next === null ? ':' : String(next).padStart(4, '0');
  const sql =
    kind === 'mileage'
      ? `SELECT substr(date, 1, 4) AS y, COUNT(*) AS n FROM hours
         WHERE status = 'approved' AND voided_at IS NULL AND reimbursed = 0 AND miles > 0 AND substr(date, 1, 4) >= @from AND substr(date, 1, 4) < @until
         GROUP BY y ORDER BY y`
      : `SELECT substr(h.date, 1, 4) AS y, COUNT(*) AS n FROM hours h LEFT JOIN rate_history r ON r.person_id = h.person_id AND r.valid_from <= h.date AND h.date <= r.valid_to
         WHERE h.status = 'approved' AND h.voided_at IS NULL AND substr(h.date, 1, 4) >= @from AND substr(h.date, 1, 4) < @until
           AND NOT (r.hourly_rate IS NOT NULL AND h.activity IN ('direct-service','supervision','training'))
         GROUP BY y ORDER BY y`;
  return ((await db.all(sql, { from, until })) as { y: string; n: number }[]).map((r) => ({ year: Number(r.y), entries: r.n }));
}
