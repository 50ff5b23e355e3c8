/** Calendar dates as ISO `YYYY-MM-DD` strings; arithmetic in UTC so DST never shifts a day. */
import { ValidationError } from '../errors.js';

export type DateFormat = 'iso' | 'mdy' | 'dmy';

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function isoOf(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function valid(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m);
}

export function isValidIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && valid(Number(m[1]), Number(m[2]), Number(m[3]));
}

const EXPECT: Record<DateFormat, string> = { iso: 'YYYY-MM-DD', mdy: 'M/D/YYYY', dmy: 'D/M/YYYY' };

/** Parse a date cell or flag; returns ISO. Throws ValidationError naming the value. */
export function parseDate(s: string, format: DateFormat = 'iso', what = 'date'): string {
  const v = s.trim();
  const bad = () => new ValidationError(`invalid ${what} "${s}" (expected ${EXPECT[format]})`);
  if (isValidIsoDate(v)) return v;
  if (format === 'iso') throw bad();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (!m) throw bad();
  const a = Number(m[1]);
  const b = Number(m[2]);
  const y = Number(m[3]);
  const [mo, d] = format === 'mdy' ? [a, b] : [b, a];
  if (!valid(y, mo, d)) throw bad();
  return isoOf(y, mo, d);
}

export function localToday(now: Date): string {
  return isoOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function toUtc(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

function fromUtc(t: number): string {
  const d = new Date(t);
  return isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(iso: string, n: number): string {
  return fromUtc(toUtc(iso) + n * 86_400_000);
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}

/** Add months, clamping the day to the end of the target month. */
export function addMonths(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + n;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12 + 1;
  const d = Math.min(Number(iso.slice(8, 10)), lastDayOfMonth(ty, tm));
  return isoOf(ty, tm, d);
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

export function monthKey(iso: string): string {
  return iso.slice(0, 7);
}
