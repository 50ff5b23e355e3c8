/**
 * Clinical supervision: session formats, the licensure log's running totals, and the progress rules
 * of licensing boards (e.g. Texas LPC associates: at least 4 h a month, at most half of it in groups).
 * Pure functions over plain values; the store supplies the sessions.
 */
import { ConflictError, ValidationError } from '../errors.js';
import { addMonths, monthKey } from './dates.js';
import { divRoundHalfAway } from './money.js';

export const FORMATS = ['individual', 'triadic', 'group'] as const;
export type SupervisionFormat = (typeof FORMATS)[number];
export const MODALITIES = ['in-person', 'video', 'phone'] as const;
export type Modality = (typeof MODALITIES)[number];

function oneOf<T extends string>(list: readonly T[], s: string, what: string): T {
  const v = s.trim().toLowerCase();
  if ((list as readonly string[]).includes(v)) return v as T;
  throw new ValidationError(`invalid ${what} "${s}" (expected ${list.join(', ')})`);
}
export const parseFormat = (s: string): SupervisionFormat => oneOf(FORMATS, s, 'format');
export const parseModality = (s: string): Modality => oneOf(MODALITIES, s, 'modality');

/** The SPEC's default: 1 supervisee individual, 2 triadic, 3 or more group. */
export function defaultFormat(supervisees: number): SupervisionFormat {
  return supervisees <= 1 ? 'individual' : supervisees === 2 ? 'triadic' : 'group';
}

function formatFits(format: SupervisionFormat, supervisees: number): boolean {
  return format === 'individual' ? supervisees === 1 : format === 'triadic' ? supervisees === 2 : supervisees >= 2;
}

/** The formats a session of this head count may have (checkFormat's rule): one, unless two came (triadic or group). */
export function formatsFor(supervisees: number): SupervisionFormat[] {
  return FORMATS.filter((f) => formatFits(f, supervisees));
}

/**
 * A format given by hand must fit the head count: individual is one supervisee, triadic two, group at
 * least two (a group session where only two came is still recorded as the group it was).
 */
export function checkFormat(format: SupervisionFormat, supervisees: number): void {
  if (!formatFits(format, supervisees)) {
    const need = format === 'individual' ? 'exactly 1 supervisee' : format === 'triadic' ? 'exactly 2 supervisees' : 'at least 2 supervisees';
    throw new ValidationError(`${format === 'individual' ? 'an' : 'a'} ${format} session has ${need}; this one lists ${supervisees}`);
  }
}

/** Boards count individual and triadic supervision as individual. */
export function isIndividual(format: SupervisionFormat): boolean {
  return format !== 'group';
}

/** Supervisor ≠ supervisee, and no supervisee twice (ids already resolved). */
export function checkAttendance(supervisorId: number, superviseeIds: number[], label: (id: number) => string): void {
  if (superviseeIds.length === 0) throw new ValidationError('a session needs at least one supervisee');
  if (superviseeIds.includes(supervisorId)) {
    throw new ConflictError(`${label(supervisorId)} cannot supervise themself: the supervisor is also listed as a supervisee`);
  }
  const seen = new Set<number>();
  for (const id of superviseeIds) {
    if (seen.has(id)) throw new ValidationError(`${label(id)} is listed twice among the supervisees`);
    seen.add(id);
  }
}

// ---- the licensure log ----------------------------------------------------------------------

export interface LogSession {
  date: string;
  minutes: number;
  format: SupervisionFormat;
  /** False for a session whose supervisor had no valid licence that day (--allow-unlicensed): never counted. */
  counts?: boolean;
}

/** The supervisor's licence as kept with a session (a snapshot of the person record when it was recorded). */
export interface LicenceSnapshot {
  credential: string | null;
  license_number: string | null;
  license_region: string | null;
  license_expires: string | null;
}

/** The snapshot columns of a session, from the supervisor's person record. */
export function licenceSnapshot(p: LicenceSnapshot): {
  supervisor_credential: string | null;
  supervisor_license_number: string | null;
  supervisor_license_region: string | null;
  supervisor_license_expires: string | null;
} {
  return {
    supervisor_credential: p.credential,
    supervisor_license_number: p.license_number,
    supervisor_license_region: p.license_region,
    supervisor_license_expires: p.license_expires,
  };
}

/**
 * Why a supervisor's licence does not cover a session on `date`, or null when it does: no licence
 * number on record, or one that expired before that day (a licence is valid on its expiry date; one
 * without an expiry date on record is taken as valid).
 */
export function licenceProblem(l: LicenceSnapshot, date: string): string | null {
  if (!l.license_number) return 'has no licence on record';
  if (l.license_expires && l.license_expires < date) return `licence ${l.license_number} expired on ${l.license_expires}`;
  return null;
}

export interface Cumulative {
  /** All three in minutes, running totals up to and including this session. */
  total: number;
  individual: number;
  group: number;
}

/**
 * Running totals over sessions in date order, starting from `carried` (the minutes before the first
 * session shown, when a log starts later than the supervisee's first session).
 */
export function runningTotals(sessions: LogSession[], carried: Cumulative = { total: 0, individual: 0, group: 0 }): Cumulative[] {
  let c = { ...carried };
  return sessions.map((s) => {
    if (s.counts === false) return c;
    c = {
      total: c.total + s.minutes,
      individual: c.individual + (isIndividual(s.format) ? s.minutes : 0),
      group: c.group + (isIndividual(s.format) ? 0 : s.minutes),
    };
    return c;
  });
}

// ---- progress toward licensure ------------------------------------------------------------------

export interface ProgressRules {
  /** Total hours required (optional), in minutes. */
  requiredMinutes?: number;
  /** Minimum supervision a month, in minutes (default 4 h). */
  monthlyMinMinutes: number;
  /** Largest allowed share of group supervision, in hundredths (default 50). */
  groupMaxShare: number;
}

export type MonthStatus = 'ok' | 'under' | 'in-progress';

export interface MonthProgress {
  month: string;
  sessions: number;
  minutes: number;
  individual: number;
  group: number;
  /** Group share of the month's time, in hundredths; null without time. */
  groupShare: number | null;
  cumulative: number;
  status: MonthStatus;
}

export interface Progress {
  months: MonthProgress[];
  sessions: number;
  minutes: number;
  individual: number;
  group: number;
  groupShare: number | null;
  firstDate: string | null;
  lastDate: string | null;
  /** Complete months below the monthly minimum (the running month is not judged yet). */
  monthsUnder: string[];
  groupOver: boolean;
  requiredMinutes: number | null;
  remainingMinutes: number | null;
  onTrack: boolean;
}

/** Share of `part` in `whole`, in hundredths, rounded half away from zero; null when whole is 0. */
export function shareHundredths(part: number, whole: number): number | null {
  return whole === 0 ? null : divRoundHalfAway(BigInt(part) * 100n, BigInt(whole));
}

/**
 * Month by month from the first session's month to `untilMonth` (the month of today or of the
 * period's end): hours, individual/group split, running total, and whether the month met the minimum.
 * `currentMonth` (today's month) is `in-progress` while still under the minimum.
 */
export function progress(sessions: LogSession[], rules: ProgressRules, o: { fromMonth?: string; untilMonth: string; currentMonth: string }): Progress {
  // Sessions without a valid licence never count toward licensure.
  const sorted = sessions.filter((s) => s.counts !== false).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const first = sorted[0]?.date ?? null;
  const startMonth = o.fromMonth ?? (first ? monthKey(first) : null);
  const byMonth = new Map<string, LogSession[]>();
  for (const s of sorted) {
    const k = monthKey(s.date);
    byMonth.set(k, [...(byMonth.get(k) ?? []), s]);
  }
  const months: MonthProgress[] = [];
  let cumulative = 0;
  if (startMonth !== null) {
    for (let m = startMonth; m <= o.untilMonth; m = monthKey(addMonths(`${m}-01`, 1))) {
      const list = byMonth.get(m) ?? [];
      const minutes = list.reduce((a, s) => a + s.minutes, 0);
      const group = list.reduce((a, s) => a + (isIndividual(s.format) ? 0 : s.minutes), 0);
      cumulative += minutes;
      const met = minutes >= rules.monthlyMinMinutes;
      months.push({
        month: m,
        sessions: list.length,
        minutes,
        individual: minutes - group,
        group,
        groupShare: shareHundredths(group, minutes),
        cumulative,
        status: met ? 'ok' : m >= o.currentMonth ? 'in-progress' : 'under',
      });
    }
  }
  const minutes = sorted.reduce((a, s) => a + s.minutes, 0);
  const group = sorted.reduce((a, s) => a + (isIndividual(s.format) ? 0 : s.minutes), 0);
  const groupShare = shareHundredths(group, minutes);
  // Compare exactly: group / total > max / 100  ⇔  100·group > max·total.
  const groupOver = minutes > 0 && 100 * group > rules.groupMaxShare * minutes;
  const monthsUnder = months.filter((m) => m.status === 'under').map((m) => m.month);
  const required = rules.requiredMinutes ?? null;
  return {
    months,
    sessions: sorted.length,
    minutes,
    individual: minutes - group,
    group,
    groupShare,
    firstDate: first,
    lastDate: sorted.at(-1)?.date ?? null,
    monthsUnder,
    groupOver,
    requiredMinutes: required,
    remainingMinutes: required === null ? null : Math.max(0, required - minutes),
    onTrack: sorted.length > 0 && monthsUnder.length === 0 && !groupOver,
  };
}

/** "0.5" / "50%" → 50 hundredths; must be within 0..1. */
export function parseShare(s: string): number {
  const t = s.trim();
  const pct = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(t);
  const dec = /^(0|1)?(?:\.(\d{1,2}))?$/.exec(t);
  let v: number | undefined;
  if (pct) v = Number(pct[1]) + (pct[2] ? Number(pct[2].padEnd(2, '0')) / 100 : 0);
  else if (dec && t !== '' && t !== '.') v = Number(dec[1] ?? 0) * 100 + Number((dec[2] ?? '').padEnd(2, '0') || 0);
  if (v === undefined || !Number.isInteger(v) || v < 0 || v > 100) {
    throw new ValidationError(`invalid share "${s}" (expected a fraction from 0 to 1 such as 0.5, or a percentage such as 50%)`);
  }
  return v;
}
