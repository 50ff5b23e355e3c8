/**
 * The volunteers' tax-deduction report (US, IRS Publication 526): time is never deductible;
 * unreimbursed out-of-pocket expenses and car use at the charitable mileage rate are. Mileage is
 * valued per entry (rounded half away from zero), then summed.
 */
import type { DB } from '../store/db.js';
import { getPerson } from '../store/people.js';
import { programNamesByPerson, taxAggregates, taxItems } from '../store/reports.js';
import { mileageCents } from '../domain/money.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { Column, Row } from '../io/output.js';

/** At or above this single contribution (cents) the volunteer needs a written acknowledgment. */
export const ACKNOWLEDGMENT_THRESHOLD = 25000;

const T = (key: string): Column => ({ key });
const I = (key: string): Column => ({ key, kind: 'int' });
const D = (key: string): Column => ({ key, kind: 'dec2' });

export const TAX_REPORT_COLUMNS: Column[] = [
  I('tax_year'),
  I('person_id'),
  T('external_id'),
  T('first_name'),
  T('last_name'),
  T('email'),
  T('address_line1'),
  T('address_line2'),
  T('city'),
  T('region'),
  T('postal_code'),
  T('country'),
  I('service_days'),
  D('hours_served'),
  D('miles'),
  D('mileage_rate'),
  D('mileage_amount'),
  D('expenses'),
  D('total_deductible'),
  D('largest_single_contribution'),
  T('acknowledgment_required'),
  T('services_description'),
];

export const TAX_DETAIL_COLUMNS: Column[] = [
  I('tax_year'),
  I('person_id'),
  T('first_name'),
  T('last_name'),
  { key: 'date', kind: 'date' },
  T('program'),
  T('activity'),
  D('hours'),
  D('miles'),
  D('mileage_amount'),
  D('expenses'),
  T('reimbursed'),
  D('deductible'),
];

const PERSON_FIELDS = ['external_id', 'first_name', 'last_name', 'email', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country'] as const;

function sortKey(p: { last_name: string | null; first_name: string; id: number }): [string, string, number] {
  return [(p.last_name ?? '').toLowerCase(), p.first_name.toLowerCase(), p.id];
}

function byName(a: [string, string, number], b: [string, string, number]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2];
}

export function taxReport(db: DB, year: number, opts: { mileageRate: number; personId?: number; deductibleOnly?: boolean }): Row[] {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const names = new Map<number, string[]>();
  for (const r of programNamesByPerson(db, start, end, opts.personId)) {
    const list = names.get(r.person_id) ?? [];
    list.push(r.name);
    names.set(r.person_id, list);
  }
  const rows: { key: [string, string, number]; row: Row }[] = [];
  for (const a of taxAggregates(db, start, end, opts.mileageRate, opts.personId)) {
    const total = a.mileage_amount + a.expenses;
    if (opts.deductibleOnly && total <= 0) continue;
    const p = getPerson(db, a.person_id)!;
    const row: Row = { tax_year: year, person_id: p.id };
    for (const f of PERSON_FIELDS) row[f] = p[f];
    Object.assign(row, {
      service_days: a.service_days,
      hours_served: minutesToHundredths(a.minutes),
      miles: a.miles,
      mileage_rate: opts.mileageRate,
      mileage_amount: a.mileage_amount,
      expenses: a.expenses,
      total_deductible: total,
      largest_single_contribution: a.largest,
      acknowledgment_required: a.largest >= ACKNOWLEDGMENT_THRESHOLD ? 'yes' : 'no',
      services_description: (names.get(a.person_id) ?? []).sort().join('; '),
    });
    rows.push({ key: sortKey(p), row });
  }
  return rows.sort((x, y) => byName(x.key, y.key)).map((x) => x.row);
}

export function taxDetail(db: DB, year: number, opts: { mileageRate: number; personId?: number; deductibleOnly?: boolean }): Row[] {
  const people = new Map<number, { first_name: string; last_name: string | null }>();
  const out: Row[] = [];
  for (const e of taxItems(db, `${year}-01-01`, `${year}-12-31`, opts.personId)) {
    let p = people.get(e.person_id);
    if (!p) {
      p = getPerson(db, e.person_id)!;
      people.set(e.person_id, p);
    }
    const mileage = e.reimbursed ? 0 : mileageCents(e.miles, opts.mileageRate);
    const deductible = e.reimbursed ? 0 : mileage + e.expenses;
    if (opts.deductibleOnly && deductible <= 0) continue;
    out.push({
      tax_year: year,
      person_id: e.person_id,
      first_name: p.first_name,
      last_name: p.last_name,
      date: e.date,
      program: e.program_name,
      activity: e.activity,
      hours: minutesToHundredths(e.minutes),
      miles: e.miles,
      mileage_amount: mileage,
      expenses: e.expenses,
      reimbursed: e.reimbursed ? 'yes' : 'no',
      deductible,
    });
  }
  return out;
}
