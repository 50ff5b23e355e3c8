/** Valuation rates by year: volunteer-hour (cents per hour) and mileage (cents per mile). */
import type { DB } from './db.js';

export type RateKind = 'volunteer-hour' | 'mileage';

export interface RateRow {
  kind: RateKind;
  year: number;
  amount: number;
}

export function listRates(db: DB): RateRow[] {
  return db.prepare('SELECT kind, year, amount FROM rates ORDER BY kind, year').all() as RateRow[];
}

export function getRate(db: DB, kind: RateKind, year: number): number | undefined {
  const r = db.prepare('SELECT amount FROM rates WHERE kind = ? AND year = ?').get(kind, year) as { amount: number } | undefined;
  return r?.amount;
}

export function putRate(db: DB, kind: RateKind, year: number, amount: number): void {
  db.prepare('INSERT INTO rates(kind, year, amount) VALUES (?, ?, ?) ON CONFLICT(kind, year) DO UPDATE SET amount = excluded.amount').run(kind, year, amount);
}

/** The rate of `year`, or of the latest earlier year that has one. */
export function rateForYear(db: DB, kind: RateKind, year: number): { amount: number; year: number } | undefined {
  return db.prepare('SELECT amount, year FROM rates WHERE kind = ? AND year <= ? ORDER BY year DESC LIMIT 1').get(kind, year) as { amount: number; year: number } | undefined;
}
