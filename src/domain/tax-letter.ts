/**
 * What an acknowledgment letter says (`report tax --letters`), as lines of text: pure, no PDF. The
 * statement for unreimbursed volunteer expenses of Treas. Reg. §1.170A-13(f)(10), restated for charities
 * in IRS Publication 1771: it describes the services, says whether the organisation provided goods or
 * services in consideration for the expenses (ngo's letter: none), and states the figures. The figures
 * are the tax report's row for the volunteer, printed exactly as the report's CSV prints them.
 */
import { formatHundredths } from './distance.js';
import type { Exact } from './money.js';

/** The organisation as a letter names it (the org.* settings). */
export interface LetterOrg {
  legal_name: string;
  ein: string;
  /** org.address, one entry a line. */
  address: string[];
  signer_name: string;
  signer_title: string;
}

/** The tax report's figures for one volunteer (a row of TAX_REPORT_COLUMNS). */
export interface LetterFigures {
  tax_year: number;
  person_id: number;
  first_name: string;
  last_name: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  service_days: number;
  hours_served: number;
  miles: Exact;
  mileage_rate: number;
  mileage_amount: Exact;
  expenses: Exact;
  total_deductible: Exact;
  services_description: string;
}

export type LetterStyle = 'title' | 'bold' | 'normal' | 'small';

/** One block of the letter: lines in one style, then a gap. `figures`: label/amount pairs in two columns. */
export type LetterBlock =
  | { kind: 'lines'; style: LetterStyle; lines: string[]; gap: number; keepLines?: number }
  | { kind: 'paragraph'; style: LetterStyle; text: string; gap: number }
  | { kind: 'figures'; rows: { label: string; amount: string; total?: boolean }[]; gap: number };

export interface LetterContent {
  /** The PDF's title (document information). */
  title: string;
  blocks: LetterBlock[];
  /** Every text of the letter, for the check that a font has each character. */
  texts: string[];
}

/** Scripts written without a space between family and given name (王秀英): the family name comes first. */
const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;

/** A person's name as a letter writes it: "First Last"; family name first with no space for Chinese or Japanese names (王 + 秀英 → 王秀英). */
export function letterName(first: string, last: string | null): string {
  const f = first.trim();
  const l = (last ?? '').trim();
  if (l === '') return f;
  if (UNSPACED.test(f) && UNSPACED.test(l)) return l + f;
  return `${f} ${l}`;
}

/** The volunteer's postal address as lines: street lines, "City, Region Postal code", country (each only when recorded). */
export function addressLines(p: Pick<LetterFigures, 'address_line1' | 'address_line2' | 'city' | 'region' | 'postal_code' | 'country'>): string[] {
  const t = (s: string | null) => (s ?? '').trim();
  const regionPostal = [t(p.region), t(p.postal_code)].filter((s) => s !== '').join(' ');
  const cityLine = [t(p.city), regionPostal].filter((s) => s !== '').join(', ');
  return [t(p.address_line1), t(p.address_line2), cityLine, t(p.country)].filter((s) => s !== '');
}

/** The file a letter is written to, inside DIR. */
export function letterFileName(year: number, personId: number): string {
  return `tax-letter-${year}-${personId}.pdf`;
}

/** The mail-merge file of a run, inside DIR. */
export function lettersCsvName(year: number): string {
  return `letters-${year}.csv`;
}

/** The rule the letter follows, on a line of its own under the subject (a citation is never wrapped). */
export const CITATION = '(Treas. Reg. §1.170A-13(f)(10); IRS Publication 1771)';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The statement that no goods or services were given in return (Treas. Reg. §1.170A-13(f)(10)(ii)). */
export function noGoodsStatement(org: LetterOrg): string {
  return `No goods or services were provided by ${org.legal_name} in consideration, in whole or in part, for these unreimbursed expenses.`;
}

export function letterContent(o: {
  org: LetterOrg;
  figures: LetterFigures;
  /** The date printed on the letter (YYYY-MM-DD). */
  issuedOn: string;
  currency: string;
  /** When this letter replaces one issued before: that letter's date. */
  replacesIssuedOn?: string;
}): LetterContent {
  const { org, figures: f, currency } = o;
  const name = letterName(f.first_name, f.last_name);
  const money = (c: Exact) => `${formatHundredths(c)} ${currency}`;
  const orgLines = [...org.address, `EIN ${org.ein}`];
  const blocks: LetterBlock[] = [
    { kind: 'lines', style: 'title', lines: [org.legal_name], gap: 2 },
    { kind: 'lines', style: 'normal', lines: orgLines, gap: 20 },
    { kind: 'lines', style: 'normal', lines: [`Date: ${o.issuedOn}`], gap: 14 },
    { kind: 'lines', style: 'normal', lines: [name, ...addressLines(f)], gap: 20 },
    { kind: 'lines', style: 'bold', lines: [`Acknowledgment of unreimbursed volunteer expenses, tax year ${f.tax_year}`], gap: 1 },
    { kind: 'lines', style: 'normal', lines: [CITATION], gap: 14 },
    { kind: 'paragraph', style: 'normal', text: `Dear ${name},`, gap: 10 },
    {
      kind: 'paragraph',
      style: 'normal',
      text:
        `Thank you for the volunteer services you gave ${org.legal_name} in ${f.tax_year}. This letter is our written ` +
        'acknowledgment of the out-of-pocket expenses you incurred in giving them and for which you were not reimbursed.',
      gap: 10,
    },
    {
      kind: 'paragraph',
      style: 'normal',
      text:
        `Services you provided: volunteer services in ${f.services_description}, on ${plural(f.service_days, 'day', 'days')}, ` +
        `${formatHundredths(f.hours_served)} hours in all, in ${f.tax_year}.`,
      gap: 12,
    },
    {
      kind: 'figures',
      rows: [
        { label: 'Unreimbursed out-of-pocket expenses', amount: money(f.expenses) },
        {
          label: `Car use: ${formatHundredths(f.miles)} miles at the charitable rate of ${formatHundredths(f.mileage_rate)} per mile`,
          amount: money(f.mileage_amount),
        },
        { label: 'Total unreimbursed expenses', amount: money(f.total_deductible), total: true },
      ],
      gap: 12,
    },
    { kind: 'paragraph', style: 'bold', text: noGoodsStatement(org), gap: 10 },
    {
      kind: 'paragraph',
      style: 'normal',
      text:
        'The value of your time and services is not deductible. Please keep this letter with your own records of the ' +
        'expenses (dates, purposes, amounts). Whether you can deduct them depends on your own return: see IRS Publication 526.',
      gap: 10,
    },
  ];
  if (o.replacesIssuedOn !== undefined) {
    blocks.push({
      kind: 'paragraph',
      style: 'normal',
      text: `This letter replaces the acknowledgment dated ${o.replacesIssuedOn} for ${f.tax_year}.`,
      gap: 10,
    });
  }
  // The closing and the signature stay on one page (its line and the three of the signature, with the gap for signing).
  blocks.push({ kind: 'lines', style: 'normal', lines: ['Sincerely,'], gap: 26, keepLines: 4 });
  blocks.push({ kind: 'lines', style: 'normal', lines: [org.signer_name, org.signer_title, org.legal_name], gap: 0 });
  const texts = blocks.flatMap((b) => (b.kind === 'lines' ? b.lines : b.kind === 'paragraph' ? [b.text] : b.rows.flatMap((r) => [r.label, r.amount])));
  return { title: `Acknowledgment of volunteer expenses ${f.tax_year}: ${name}`, blocks, texts };
}

/** The figures a letter states, as recorded with it: equal to the report's unless entries changed since. */
export const LETTER_FIGURES = [
  'service_days',
  'hours_served',
  'miles',
  'mileage_rate',
  'mileage_amount',
  'expenses',
  'total_deductible',
  'largest_single_contribution',
] as const;
