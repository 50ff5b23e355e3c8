/**
 * The volunteers' tax-deduction report (US, IRS Publication 526): time is never deductible;
 * unreimbursed out-of-pocket expenses and car use at the charitable mileage rate are. Mileage is
 * valued per entry (rounded half away from zero), then summed.
 */
import type { Conn } from '../store/conn.js';
import { getPerson } from '../store/people.js';
import { taxAggregates, taxItems } from '../store/reports.js';
import { listPrograms } from '../store/orgs.js';
import { addExact, mileageCents } from '../domain/money.js';
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

export async function taxReport(db: Conn, year: number, opts: { mileageRate: number; personId?: number; deductibleOnly?: boolean }): Promise<Row[]> {
  const programNames = new Map((await listPrograms(db)).map((p) => [p.id, p.name]));
  const described = new Map<string, string>(); // most people share one of a few sets of programs
  const rows: Row[] = [];
  // Sort keys in parallel arrays: at 100,000 rows, objects per row are what the garbage collector pays for.
  const lastKeys: string[] = [];
  const firstKeys: string[] = [];
  const ids: number[] = [];
  for (const a of await taxAggregates(db, year, opts.mileageRate, opts.personId)) {
    const [person_id, service_days, minutes, miles, mileage_amount, expenses, largest, programIds] = a;
    const total = addExact(mileage_amount, expenses);
    if (opts.deductibleOnly && total <= 0) continue;
    let services = described.get(programIds);
    if (services === undefined) {
      services = [...new Set(programIds.split(',').map((id) => programNames.get(Number(id))!))].sort().join('; ');
      described.set(programIds, services);
    }
    rows.push({
      tax_year: year,
      person_id,
      external_id: a[8],
      first_name: a[9],
      last_name: a[10],
      email: a[11],
      address_line1: a[12],
      address_line2: a[13],
      city: a[14],
      region: a[15],
      postal_code: a[16],
      country: a[17],
      service_days,
      hours_served: minutesToHundredths(minutes),
      miles,
      mileage_rate: opts.mileageRate,
      mileage_amount,
      expenses,
      total_deductible: total,
      largest_single_contribution: largest,
      acknowledgment_required: largest >= ACKNOWLEDGMENT_THRESHOLD ? 'yes' : 'no',
      services_description: services,
    });
    lastKeys.push((a[10] ?? '').toLowerCase());
    firstKeys.push(a[9].toLowerCase());
    ids.push(person_id);
  }
  // By last name, first name (case-insensitive), then id.
  const order = rows.map((_, i) => i);
  order.sort((i, j) => {
    const li = lastKeys[i]!;
    const lj = lastKeys[j]!;
    if (li !== lj) return li < lj ? -1 : 1;
    const fi = firstKeys[i]!;
    const fj = firstKeys[j]!;
    if (fi !== fj) return fi < fj ? -1 : 1;
    return ids[i]! - ids[j]!;
  });
  return order.map((i) => rows[i]!);
}

export async function taxDetail(db: Conn, year: number, opts: { mileageRate: number; personId?: number; deductibleOnly?: boolean }): Promise<Row[]> {
  const people = new Map<number, { first_name: string; last_name: string | null }>();
  const out: Row[] = [];
  for (const e of await taxItems(db, `${year}-01-01`, `${year}-12-31`, opts.personId)) {
    let p = people.get(e.person_id);
    if (!p) {
      p = (await getPerson(db, e.person_id))!;
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
