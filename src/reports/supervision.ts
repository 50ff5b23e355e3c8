/**
 * Supervision reports: the licensure log of one supervisee (SPEC "Supervision log") and the progress
 * toward a board's requirements (per month, and an overview of every supervisee).
 */
import type { Conn } from '../store/conn.js';
import type { Column, Row } from '../io/output.js';
import type { Period } from '../domain/period.js';
import { displayName } from '../domain/people.js';
import { minutesToHundredths } from '../domain/duration.js';
import { monthKey } from '../domain/dates.js';
import { licenceProblem, progress, runningTotals, type MonthProgress, type Progress, type ProgressRules } from '../domain/supervision.js';
import { superviseeSessions, supervisees } from '../store/supervision.js';

export const SUPERVISION_LOG_COLUMNS: Column[] = [
  { key: 'date', kind: 'date' },
  { key: 'supervisee' },
  { key: 'supervisor' },
  { key: 'supervisor_credential' },
  { key: 'supervisor_license_number' },
  { key: 'supervisor_license_region' },
  { key: 'format' },
  { key: 'modality' },
  { key: 'minutes', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'cumulative_hours', kind: 'dec2' },
  { key: 'cumulative_individual_hours', kind: 'dec2' },
  { key: 'cumulative_group_hours', kind: 'dec2' },
];

/**
 * One row per non-void session the supervisee attended, in date order. With a period, the rows are the
 * period's sessions and the cumulative columns carry on from every earlier session, so that a
 * quarter's log still shows the totals to date a licensing board asks for.
 */
export async function supervisionLog(db: Conn, supervisee: { id: number; first_name: string; last_name: string | null }, period?: Period): Promise<Row[]> {
  const all = (await superviseeSessions(db, supervisee.id, period?.end)).map((s) => ({ ...s, counts: s.licensed === 1 }));
  const totals = runningTotals(all);
  const name = displayName(supervisee);
  const rows: Row[] = [];
  all.forEach((s, i) => {
    if (period && s.date < period.start) return;
    const c = totals[i]!;
    rows.push({
      date: s.date,
      supervisee: name,
      supervisor: displayName({ first_name: s.supervisor_first, last_name: s.supervisor_last }),
      // The credential and licence as they were when the session was recorded. A session without a
      // licence valid that day (--allow-unlicensed) is marked here and adds nothing to the totals.
      supervisor_credential: s.counts ? s.supervisor_credential : notCounted(s),
      supervisor_license_number: s.supervisor_license_number,
      supervisor_license_region: s.supervisor_license_region,
      format: s.format,
      modality: s.modality,
      minutes: s.minutes,
      hours: minutesToHundredths(s.minutes),
      cumulative_hours: minutesToHundredths(c.total),
      cumulative_individual_hours: minutesToHundredths(c.individual),
      cumulative_group_hours: minutesToHundredths(c.group),
    });
  });
  return rows;
}

/** The log's mark on a session that does not count: the credential, then why. */
function notCounted(s: {
  supervisor_credential: string | null;
  supervisor_license_number: string | null;
  supervisor_license_expires: string | null;
  date: string;
}): string {
  const why =
    licenceProblem(
      { credential: s.supervisor_credential, license_number: s.supervisor_license_number, license_region: null, license_expires: s.supervisor_license_expires },
      s.date,
    ) ?? 'recorded without a valid licence';
  return `${s.supervisor_credential ? `${s.supervisor_credential} ` : ''}[NOT COUNTED: supervisor ${why}]`;
}

// ---- progress ---------------------------------------------------------------------------------

export const PROGRESS_COLUMNS: Column[] = [
  { key: 'month' },
  { key: 'sessions', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'individual_hours', kind: 'dec2' },
  { key: 'group_hours', kind: 'dec2' },
  { key: 'group_share', kind: 'dec2' },
  { key: 'cumulative_hours', kind: 'dec2' },
  { key: 'status' },
];

/** A supervisee's progress to `today`: the months and the computed verdict. */
export async function superviseeProgress(db: Conn, superviseeId: number, rules: ProgressRules, today: string): Promise<Progress> {
  const month = monthKey(today);
  const sessions = (await superviseeSessions(db, superviseeId, today)).map((s) => ({ ...s, counts: s.licensed === 1 }));
  return progress(sessions, rules, { untilMonth: month, currentMonth: month });
}

export const verdict = (p: Progress): string => (p.sessions === 0 ? 'no-sessions' : p.onTrack ? 'on-track' : 'off-track');

type Totals = Pick<MonthProgress, 'sessions' | 'minutes' | 'individual' | 'group' | 'groupShare'>;

function progressRow(month: string, t: Totals, cumulative: number, status: string): Row {
  return {
    month,
    sessions: t.sessions,
    hours: minutesToHundredths(t.minutes),
    individual_hours: minutesToHundredths(t.individual),
    group_hours: minutesToHundredths(t.group),
    group_share: t.groupShare,
    cumulative_hours: minutesToHundredths(cumulative),
    status,
  };
}

/** Month rows then a TOTAL row (its status: on-track / off-track). */
export function progressRows(p: Progress): Row[] {
  return [...p.months.map((m) => progressRow(m.month, m, m.cumulative, m.status)), progressRow('TOTAL', p, p.minutes, verdict(p))];
}

export const PROGRESS_OVERVIEW_COLUMNS: Column[] = [
  { key: 'supervisee_id', kind: 'int' },
  { key: 'supervisee' },
  { key: 'first_session', kind: 'date' },
  { key: 'last_session', kind: 'date' },
  { key: 'sessions', kind: 'int' },
  { key: 'hours', kind: 'dec2' },
  { key: 'individual_hours', kind: 'dec2' },
  { key: 'group_hours', kind: 'dec2' },
  { key: 'group_share', kind: 'dec2' },
  { key: 'months', kind: 'int' },
  { key: 'months_under_min', kind: 'int' },
  { key: 'required_hours', kind: 'dec2' },
  { key: 'remaining_hours', kind: 'dec2' },
  { key: 'status' },
];

/** One row per person who attended a session, by name: who is off track, at a glance. */
export async function progressOverview(db: Conn, rules: ProgressRules, today: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const person of await supervisees(db, today)) {
    const p = await superviseeProgress(db, person.id, rules, today);
    out.push({
      supervisee_id: person.id,
      supervisee: displayName(person),
      first_session: p.firstDate,
      last_session: p.lastDate,
      sessions: p.sessions,
      hours: minutesToHundredths(p.minutes),
      individual_hours: minutesToHundredths(p.individual),
      group_hours: minutesToHundredths(p.group),
      group_share: p.groupShare,
      months: p.months.length,
      months_under_min: p.monthsUnder.length,
      required_hours: p.requiredMinutes === null ? null : minutesToHundredths(p.requiredMinutes),
      remaining_hours: p.remainingMinutes === null ? null : minutesToHundredths(p.remainingMinutes),
      status: verdict(p),
    });
  }
  return out;
}
