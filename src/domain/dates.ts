/**
 * Calendar dates as ISO `YYYY-MM-DD` strings (years 0001–9999, proleptic Gregorian).
 * Arithmetic works on whole day numbers (UTC-like, no clock time), so time zones and DST
 * never shift a day. Imports may also read `M/D/YYYY` (mdy) or `D/M/YYYY` (dmy) cells.
 */
import { ValidationError } from '../errors.js';

export type DateFormat = 'iso' | 'mdy' | 'dmy';

const EXPECT: Record<DateFormat, string> = { iso: 'YYYY-MM-DD', mdy: 'M/D/YYYY', dmy: 'D/M/YYYY' };

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function lastDayOfMonth(year: number, month: number): number {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`no such month: ${year}-${month}`);
  }
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function valid(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m);
}

/** Year, month, day → `YYYY-MM-DD` (no validation). */
export function isoOf(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** True for a well-formed `YYYY-MM-DD` that is a real calendar date. */
export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && valid(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Parse a date flag or cell (trimmed) into ISO. An ISO cell is accepted in every format. */
export function parseDate(s: string, format: DateFormat = 'iso', what = 'date'): string {
  const v = s.trim();
  if (isValidIsoDate(v)) return v;
  const bad = new ValidationError(`invalid ${what} "${s}" (expected ${EXPECT[format]})`);
  if (format === 'iso') throw bad;
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(v);
  if (!m) throw bad;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const y = Number(m[4]);
  const [mo, d] = format === 'mdy' ? [a, b] : [b, a];
  if (!valid(y, mo, d)) throw bad;
  return isoOf(y, mo, d);
}

/** The local calendar date of `now` ("today" in the spec). */
export function localToday(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid Date');
  return isoOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function parts(iso: string): [number, number, number] {
  if (!isValidIsoDate(iso)) throw new ValidationError(`invalid date "${iso}" (expected YYYY-MM-DD)`);
  return [Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))];
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function toDays(iso: string): number {
  const [y0, m, d] = parts(iso);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return checked(y, m, d);
}

function checked(y: number, m: number, d: number): string {
  if (y < 1 || y > 9999) throw new ValidationError(`date out of range (year ${y}; expected 0001-9999)`);
  return isoOf(y, m, d);
}

function wholeNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number (got ${n})`);
}

/** `iso` plus `n` days (n may be negative). */
export function addDays(iso: string, n: number): string {
  wholeNumber(n, 'days');
  return fromDays(toDays(iso) + n);
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return toDays(b) - toDays(a);
}

/** `iso` plus `n` months, clamping the day to the end of the target month (Jan 31 + 1 → Feb 28/29). */
export function addMonths(iso: string, n: number): string {
  wholeNumber(n, 'months');
  const [y, m, d] = parts(iso);
  const t = y * 12 + (m - 1) + n;
  const ty = Math.floor(t / 12);
  const tm = t - ty * 12 + 1;
  if (ty < 1 || ty > 9999) return checked(ty, tm, 1);
  return isoOf(ty, tm, Math.min(d, lastDayOfMonth(ty, tm)));
}

export function yearOf(iso: string): number {
  return parts(iso)[0];
}

/** `YYYY-MM` of a date. */
export function monthKey(iso: string): string {
  parts(iso);
  return iso.slice(0, 7);
}

// ---- cells of imported files (Contract v2 "Imports of real exports") ---------------------------

/** A time of day in a cell: `9:00`, `09:00:00`, `9:00 AM`, `21:30:15.250`. Seconds since midnight, or null. */
export function parseTimeOfDay(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?\s*(?:([AaPp])\.?[Mm]\.?)?$/.exec(s.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59 || sec > 59) return null;
  if (m[4] !== undefined) {
    if (h < 1 || h > 12) return null;
    const pm = m[4].toLowerCase() === 'p';
    h = (h % 12) + (pm ? 12 : 0);
  } else if (h > 23) return null;
  return h * 3600 + min * 60 + sec;
}

/**
 * A date cell split into its date and, when it carries one, its time of day (`2025-04-01 09:00:00`,
 * `2025-04-01T09:00`, `2025-04-01T09:00:00Z`, `4/1/2025 9:00 AM`). The date part is used as written:
 * a zone or offset is not applied (an export's dates are the organization's local dates). A cell whose
 * tail is not a time stays whole (and fails as a date).
 */
export function splitDateTime(s: string): { date: string; seconds: number | null } {
  const v = s.trim();
  const m = /^(\S+?)(?:\s+|T)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:\s*[AaPp]\.?[Mm]\.?)?)(?:\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?))?$/.exec(v);
  if (!m) return { date: v, seconds: null };
  const seconds = parseTimeOfDay(m[2]!);
  return seconds === null ? { date: v, seconds: null } : { date: m[1]!, seconds };
}

/**
 * The readings of a slash date `A/B/YYYY` (or `A-B-YYYY`): as M/D and as D/M, each an ISO date or null
 * when it is no date. A dot date `D.M.YYYY` is day first by convention: its one reading is `dmy`, and
 * `dot` says it is one (it tells nothing about how the file's slash dates read). Neither: null.
 */
export function slashReadings(s: string): { mdy: string | null; dmy: string | null; dot?: true } | null {
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s.trim());
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const y = Number(m[4]);
  const dmy = valid(y, b, a) ? isoOf(y, b, a) : null;
  if (m[2] === '.') return { mdy: null, dmy, dot: true };
  return { mdy: valid(y, a, b) ? isoOf(y, a, b) : null, dmy };
}

export const DATE_FORMAT_NAMES: Record<'mdy' | 'dmy', string> = { mdy: 'M/D/YYYY', dmy: 'D/M/YYYY' };
