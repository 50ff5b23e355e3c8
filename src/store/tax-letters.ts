/** The acknowledgment letters issued (`report tax --letters`): one row per letter written. */
import { LETTER_FIGURES } from '../domain/tax-letter.js';
import type { Conn } from './conn.js';
import type { Exact } from '../domain/money.js';

export interface TaxLetterValues {
  person_id: number;
  tax_year: number;
  issued_on: string;
  service_days: number;
  hours_served: number;
  miles: Exact;
  mileage_rate: number;
  mileage_amount: Exact;
  expenses: Exact;
  total_deductible: Exact;
  largest_single_contribution: Exact;
  file_name: string;
  sha256: string;
  replaces: number | null;
  created_at: string;
}

export interface TaxLetter extends TaxLetterValues {
  id: number;
}

const COLUMNS = ['person_id', 'tax_year', 'issued_on', ...LETTER_FIGURES, 'file_name', 'sha256', 'replaces', 'created_at'] as const;

export async function insertTaxLetter(db: Conn, v: TaxLetterValues): Promise<number> {
  return db.insertId(`INSERT INTO tax_letters(${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) RETURNING id`, ...COLUMNS.map((c) => v[c]));
}

/**
 * The letter in force for each person of a tax year: the latest issued (a reissue supersedes the
 * letter it replaces). Keyed by person id.
 */
export async function currentTaxLetters(db: Conn, year: number): Promise<Map<number, TaxLetter>> {
  const rows = await db.all<TaxLetter>(`SELECT id, ${COLUMNS.join(', ')} FROM tax_letters WHERE tax_year = ? ORDER BY person_id, id`, year);
  const out = new Map<number, TaxLetter>();
  for (const r of rows) out.set(r.person_id, r); // by id: the last one wins
  return out;
}

/** The people erased by `people forget` (no letter can name or reach them). */
export async function erasedPersonIds(db: Conn): Promise<Set<number>> {
  return new Set(await db.column<number>('SELECT id FROM people WHERE erased_at IS NOT NULL'));
}
