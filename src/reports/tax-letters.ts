/**
 * Which volunteers get an acknowledgment letter for a tax year (`report tax --letters`), and the
 * `ngo status` source for the letters still owed for last year. The figures are the tax report's
 * rows (reports/tax.ts), never computed again here.
 *
 * A letter is owed to each volunteer whose `acknowledgment_required` is `yes` (one entry's unreimbursed
 * mileage + expenses reached 250.00: IRC §170(f)(8), Treas. Reg. §1.170A-13(f)(10)); `--all` writes
 * one for every volunteer with a deductible amount. A person erased by `people forget` gets none.
 */
import type { Conn } from '../store/conn.js';
import type { Column, Row } from '../io/output.js';
import type { StatusInput, StatusItem } from './status-item.js';
import { TAX_REPORT_COLUMNS, taxReport } from './tax.js';
import { RateBook } from '../services/rate-book.js';
import { currentTaxLetters, erasedPersonIds, type TaxLetter } from '../store/tax-letters.js';
import { letterName } from '../domain/tax-letter.js';
import { formatHundredths } from '../domain/distance.js';

/** The mail-merge file: the tax report's columns, then the letter's file name. */
export const LETTERS_CSV_COLUMNS: Column[] = [...TAX_REPORT_COLUMNS, { key: 'letter_file' }];

/** The individual return's due date of the year after the tax year (IRC §6072(a)): a letter must reach the volunteer before they file. */
export function filingDueDate(taxYear: number): string {
  return `${taxYear + 1}-04-15`;
}

/** Whether the tax report's row calls for a letter: `acknowledgment_required`, or with `all` any deductible amount. */
export function wantsLetter(row: Row, all: boolean): boolean {
  if (all) return BigInt(row['total_deductible'] as number | bigint) > 0n;
  return row['acknowledgment_required'] === 'yes';
}

export { LETTER_FIGURES } from '../domain/tax-letter.js';
import { LETTER_FIGURES } from '../domain/tax-letter.js';

/** The figures of `row` that differ from those `letter` states ("" when none), as `expenses 246.00 → 300.00`. */
export function changedFigures(letter: TaxLetter, row: Row): string {
  const parts: string[] = [];
  for (const k of LETTER_FIGURES) {
    const was = BigInt(letter[k] as number | bigint);
    const now = BigInt(row[k] as number | bigint);
    if (was !== now) parts.push(k === 'service_days' ? `${k} ${was} → ${now}` : `${k} ${formatHundredths(was)} → ${formatHundredths(now)}`);
  }
  return parts.join(', ');
}

export interface LetterPlan {
  /** The tax report's rows that call for a letter, in the report's order. */
  rows: Row[];
  /** Letters already issued for the year, by person (the one in force). */
  issued: Map<number, TaxLetter>;
  /** Rows left out because the person is erased. */
  erased: Row[];
}

/** What a run for `year` would write (one snapshot's reads). */
export async function planLetters(db: Conn, year: number, o: { mileageRate: number; all: boolean; personId?: number }): Promise<LetterPlan> {
  const report = await taxReport(db, year, { mileageRate: o.mileageRate, personId: o.personId });
  const erasedIds = await erasedPersonIds(db);
  const rows: Row[] = [];
  const erased: Row[] = [];
  for (const r of report) {
    if (!wantsLetter(r, o.all)) continue;
    (erasedIds.has(r['person_id'] as number) ? erased : rows).push(r);
  }
  return { rows, issued: await currentTaxLetters(db, year), erased };
}

/**
 * `ngo status` source (the `#N` of a command is quoted: unquoted, a shell reads `#` as a comment): from January on, each volunteer still owed an acknowledgment letter for last
 * year (acknowledgment_required = yes and no letter issued), `due` until the filing date (April 15),
 * `overdue` after it; and each letter issued whose figures no longer match the tax report (entries
 * approved, edited or voided since), `due`: a corrected letter is a reissue.
 */
export async function taxLetterStatusItems(conn: Conn, input: StatusInput): Promise<StatusItem[]> {
  const year = Number(input.today.slice(0, 4)) - 1;
  const mileageRate = await new RateBook(conn, () => undefined).peek('mileage', year);
  if (mileageRate === undefined) return []; // no rate: the tax report itself cannot run (it says so)
  const plan = await conn.read(() => planLetters(conn, year, { mileageRate, all: false }));
  const due = filingDueDate(year);
  const items: StatusItem[] = [];
  for (const r of plan.rows) {
    const id = r['person_id'] as number;
    const subject = `${letterName(r['first_name'] as string, r['last_name'] as string | null)} (#${id})`;
    const letter = plan.issued.get(id);
    if (!letter) {
      items.push({
        area: 'letters',
        severity: input.today > due ? 'overdue' : 'due',
        subject,
        detail: `no acknowledgment letter issued for ${year} (largest single contribution ${formatHundredths(r['largest_single_contribution'] as number)}, total ${formatHundredths(r['total_deductible'] as number)}); it must reach the volunteer before they file`,
        due_date: due,
        command: `ngo report tax --year ${year} --letters letters-${year} --person '#${id}'`,
      });
      continue;
    }
    const changed = changedFigures(letter, r);
    if (changed) {
      items.push({
        area: 'letters',
        severity: 'due',
        subject,
        detail: `the acknowledgment letter issued ${letter.issued_on} for ${year} no longer matches the tax report (${changed})`,
        due_date: '',
        command: `ngo report tax --year ${year} --letters letters-${year} --person '#${id}' --reissue`,
      });
    }
  }
  return items;
}
