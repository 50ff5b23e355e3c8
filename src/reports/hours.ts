/** The hours summary: approved, non-void hours grouped by person, program, activity or month. */
import type { Conn } from '../store/conn.js';
import { hoursSummary, type HoursBy } from '../store/reports.js';
import { minutesToHundredths } from '../domain/duration.js';
import type { Column, Row } from '../io/output.js';
import type { Period } from '../domain/period.js';

const KEYS: Record<HoursBy, Column[]> = {
  person: [{ key: 'person_id', kind: 'int' }, { key: 'first_name' }, { key: 'last_name' }, { key: 'email' }],
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
