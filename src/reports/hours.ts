/** The hours summary: approved, non-void hours grouped by person, program, activity or month. */
import type { Conn } from '../store/conn.js';
import { hoursSummary, hoursSummaryTotal, type HoursBy } from '../store/reports.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { Column, Row } from '../io/output.js';
import type { Period } from '../domain/period.js';

const KEYS: Record<HoursBy, Column[]> = {
  person: [{ key: 'person_id', kind: 'int' }, { key: 'first_name' }, { key: 'last_name' }, { key: 'email', drop: 1 }],
  program: [{ key: 'program_code' }, { key: 'program_name' }],
  activity: [{ key: 'activity' }],
  month: [{ key: 'month' }],
};

export function hoursReportColumns(by: HoursBy): Column[] {
  return [
    ...KEYS[by],
    { key: 'entries', kind: 'int' },
    { key: 'hours', kind: 'dec2' },
    { key: 'volunteers', kind: 'int' },
    { key: 'miles', kind: 'dec2' },
    { key: 'expenses', kind: 'dec2' },
  ];
}

export async function hoursReport(db: Conn, by: HoursBy, period: Period): Promise<Row[]> {
  return (await hoursSummary(db, by, period.start, period.end)).map((r) => {
    const { minutes, ...rest } = r;
    return { ...rest, hours: minutesToHundredths(Number(minutes)) };
  });
}

/** Where the TOTAL line of a table says TOTAL: the first text column of the key. */
const TOTAL_AT: Record<HoursBy, string> = { person: 'first_name', program: 'program_code', activity: 'activity', month: 'month' };

/**
 * The TOTAL line that a table of the summary ends with (CSV and JSON have none): the sums of
 * entries, hours, miles and expenses, and the volunteers counted once across the groups (as the
 * funder report's TOTAL counts them).
 */
export async function hoursReportTotal(db: Conn, by: HoursBy, period: Period, rows: Row[]): Promise<Row> {
  const { minutes: _minutes, ...rest } = await hoursSummaryTotal(db, period.start, period.end);
  // Hours as the funder report's TOTAL has them: the sum of the rows' (each group's minutes rounded
  // once), so that the column adds up as a reader checks it.
  const hours = rows.reduce((sum, r) => sum + Number(r['hours']), 0);
  return { ...rest, [TOTAL_AT[by]]: 'TOTAL', hours };
}
