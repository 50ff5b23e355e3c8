/**
 * `ngo status` (Contract v2 / New commands): what needs an administrator's attention now, from a
 * registry of sources. Each source is `async (conn, input) => StatusItem[]` (src/reports/status-item.ts);
 * another feature's items join by adding its source to STATUS_SOURCES, one line. Items are listed
 * grouped by area (AREA_ORDER), overdue before due before info, then by due date and subject.
 */
import type { Conn } from '../store/conn.js';
import type { StatusInput, StatusItem } from './status-item.js';
import { addDays, daysBetween } from '../domain/dates.js';
import { displayName } from '../domain/people.js';
import { formatCents } from '../domain/money.js';
import { formatHours } from '../domain/duration.js';
import { licencesExpiringBy, pairingsQuietSince, pendingHoursSummary, scheduledDueBy } from '../store/status.js';
import { overAgreements } from '../store/grants.js';
import { runChecks } from '../store/maintenance.js';
import { requirementStatusItems, serviceCommitmentStatusItems } from './grants-status.js';
import { superviseesBehindPlan } from './plans.js';
import { taxLetterStatusItems } from './tax-letters.js';

export type { StatusInput, StatusItem } from './status-item.js';
export { STATUS_COLUMNS } from './status-item.js';

/** A source of status items: reads only, from the connection it is given (one snapshot). */
export type StatusSource = (conn: Conn, input: StatusInput) => Promise<StatusItem[]>;

/** The windows of the status items (data, not branches: a person may change them). */
export const STATUS_WINDOWS = {
  /** A scheduled disbursement shows from this many days before its date (and once overdue). */
  disbursementDays: 30,
  /** An active pairing with no meeting for more than this many days is stale (as `mentorship list --stale 30`). */
  pairingQuietDays: 30,
  /** A licence shows from this many days before it expires (and once expired). */
  licenceDays: 60,
} as const;

/**
 * The order of the groups: the order of Contract v2's list (areas of later features included, so
 * their items land in place); an area not named here comes after these, alphabetically.
 */
export const AREA_ORDER = ['hours', 'disbursements', 'requirements', 'mentorship', 'supervision', 'licences', 'service', 'grants', 'letters', 'database'];

const SEVERITY_ORDER: Record<StatusItem['severity'], number> = { overdue: 0, due: 1, info: 2 };

/** A command argument as a POSIX shell reads it: plain when safe, else in single quotes (`'#3'`: a bare `#` starts a comment). */
export function shellArg(s: string): string {
  return /^[A-Za-z0-9@%_+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `due today`, `due in 5 days`, `12 days overdue` (the date itself is the item's due_date). */
function dueText(today: string, date: string, due = 'due'): string {
  const n = daysBetween(today, date);
  if (n === 0) return `${due} today`;
  return n > 0 ? `${due} in ${plural(n, 'day')}` : `${plural(-n, 'day')} overdue`;
}

/** Hours pending approval: one item, with the count, the hours and the oldest date. */
export const pendingHoursSource: StatusSource = async (conn) => {
  const s = await pendingHoursSummary(conn);
  if (s.entries === 0 || s.oldest === null) return [];
  return [
    {
      area: 'hours',
      severity: 'due',
      subject: `${plural(s.entries, 'entry', 'entries')} pending approval`,
      detail: `${formatHours(s.minutes)} h, the oldest dated ${s.oldest}`,
      due_date: s.oldest,
      command: 'ngo hours list --status pending',
    },
  ];
};

/** Scheduled disbursements of open grants dated within the next 30 days, or already past (overdue). */
export const disbursementsSource: StatusSource = async (conn, { today }) => {
  const due = await scheduledDueBy(conn, addDays(today, STATUS_WINDOWS.disbursementDays));
  return due.map((d) => ({
    area: 'disbursements',
    severity: d.date < today ? 'overdue' : 'due',
    subject: `grant #${d.grant_id} ${displayName(d)} — ${d.purpose}`,
    detail: `${formatCents(d.amount)} ${d.currency}, disbursement #${d.id}, ${dueText(today, d.date)}`,
    due_date: d.date,
    command: `ngo grants pay ${d.id}`,
  }));
};

/** Active pairings with no meeting for more than 30 days (counting from the start when they never met). */
export const stalePairingsSource: StatusSource = async (conn, { today }) => {
  const days = STATUS_WINDOWS.pairingQuietDays;
  const quiet = await pairingsQuietSince(conn, addDays(today, -days));
  return quiet.map((p) => {
    const since = p.last_meeting ?? p.start_date;
    return {
      area: 'mentorship',
      severity: 'overdue',
      subject: `pairing #${p.id} ${displayName({ first_name: p.mentor_first, last_name: p.mentor_last })} mentoring ${displayName({ first_name: p.mentee_first, last_name: p.mentee_last })}`,
      detail: `no meeting for ${plural(daysBetween(since, today), 'day')} (${p.last_meeting ? 'last' : 'never met; started'} ${since})`,
      due_date: addDays(since, days),
      command: `ngo mentorship meet ${p.id}`,
    };
  });
};

/** Licences of active people that expired, or expire within 60 days (a licence is valid on its expiry day). */
export const licencesSource: StatusSource = async (conn, { today }) => {
  const rows = await licencesExpiringBy(conn, addDays(today, STATUS_WINDOWS.licenceDays));
  return rows.map((p) => {
    const what = [p.credential, p.license_number, p.license_region ? `(${p.license_region})` : null].filter(Boolean).join(' ') || 'licence';
    const expired = p.license_expires < today;
    return {
      area: 'licences',
      severity: expired ? 'overdue' : 'due',
      subject: displayName(p),
      // A licence is valid on its expiry day: it "expires today" and is expired from the day after.
      detail: expired
        ? `${what} expired ${plural(daysBetween(p.license_expires, today), 'day')} ago`
        : `${what} ${dueText(today, p.license_expires, 'expires')}`,
      due_date: p.license_expires,
      // The one command with a value to fill in: the renewal's expiry date, which ngo cannot know.
      command: `ngo people edit ${shellArg(`#${p.id}`)} --license-expires YYYY-MM-DD`,
    };
  });
};

/** Funding agreements whose amount the awards dated within them exceed (Contract v2 "Figures that stay true"). */
export const overAgreementSource: StatusSource = async (conn) => {
  return (await overAgreements(conn)).map((o) => ({
    area: 'grants',
    severity: 'overdue',
    subject: `${o.funder_code} / ${o.program_code} funding agreement #${o.funding_id} (${o.start_date}..${o.end_date ?? 'open'})`,
    detail: `awards ${formatCents(o.awarded)} (${plural(o.grants, 'grant')}), more than its ${formatCents(o.agreement)}; review them, or amend it: ngo funders edit-funding ${o.funding_id} --amount ${formatCents(o.awarded)}`,
    due_date: '',
    command: `ngo grants list --funder ${shellArg(o.funder_code)}`,
  }));
};

/**
 * Every failing `db check` check (and a warning one as info), one item each: the data rules and the
 * file's own checks; not integrity and foreign keys, which read every page (seconds on a large file)
 * and are `db check`'s to run.
 */
export const dbCheckSource: StatusSource = async (conn) => {
  return (await runChecks(conn, { wholeFile: false }))
    .filter((c) => c.status !== 'ok')
    .map((c) => ({
      area: 'database',
      severity: c.status === 'fail' ? 'overdue' : 'info',
      subject: `db check: ${c.check}`,
      detail: c.detail,
      due_date: '',
      command: 'ngo db check',
    }));
};

/**
 * Every source `ngo status` lists, in the order they run. Later features add theirs here, one line
 * each (grant requirements, supervisees behind their plan, service commitments, letters owed).
 */
export const STATUS_SOURCES: StatusSource[] = [
  pendingHoursSource,
  disbursementsSource,
  // issue 21: grant requirements due or overdue, service commitments behind, supervisees behind their plan
  requirementStatusItems,
  serviceCommitmentStatusItems,
  superviseesBehindPlan,
  stalePairingsSource,
  licencesSource,
  overAgreementSource,
  // issue 20: acknowledgment letters still owed for last year (from January on)
  taxLetterStatusItems,
  dbCheckSource,
];

function areaRank(area: string): number {
  const i = AREA_ORDER.indexOf(area);
  return i === -1 ? AREA_ORDER.length : i;
}

/** Items in the order `ngo status` lists them: by area, severity, due date (undated last), subject. */
export function sortStatus(items: StatusItem[]): StatusItem[] {
  return [...items].sort(
    (a, b) =>
      areaRank(a.area) - areaRank(b.area) ||
      (a.area < b.area ? -1 : a.area > b.area ? 1 : 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.due_date === b.due_date ? 0 : a.due_date === '' ? 1 : b.due_date === '' ? -1 : a.due_date < b.due_date ? -1 : 1) ||
      (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
      (a.detail < b.detail ? -1 : a.detail > b.detail ? 1 : 0),
  );
}

/** The items of every source (in one snapshot, which the caller opens), sorted. */
export async function collectStatus(conn: Conn, input: StatusInput, sources: readonly StatusSource[] = STATUS_SOURCES): Promise<StatusItem[]> {
  const items: StatusItem[] = [];
  for (const source of sources) items.push(...(await source(conn, input)));
  return sortStatus(items);
}
