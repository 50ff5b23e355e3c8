/** Durations in integer minutes. An entry is > 0 and ≤ 24 h. */
import { UsageError, ValidationError } from '../errors.js';
import { divRoundHalfAway } from './money.js';
import { formatHundredths } from './distance.js';

export const MAX_ENTRY_MINUTES = 24 * 60;

/** Decimal hours → minutes, rounded half away from zero to a whole minute. */
export function parseHours(s: string, what = 'hours'): number {
  const v = s.trim();
  const m = /^(\d*)(?:\.(\d+))?$/.exec(v);
  if (!m || v === '' || v === '.' || (m[1] === '' && m[2] === undefined)) throw new ValidationError(`invalid ${what} "${s}" (expected decimal hours such as 1.5)`);
  const frac = m[2] ?? '';
  if (frac.length > 6 || (m[1] ?? '').length > 6) throw new ValidationError(`invalid ${what} "${s}"`);
  const scale = 10n ** BigInt(frac.length);
  const num = BigInt((m[1] || '0') + frac);
  return divRoundHalfAway(num * 60n, scale);
}

export function parseMinutes(s: string, what = 'minutes'): number {
  const v = s.trim();
  if (!/^\d{1,6}$/.test(v)) throw new ValidationError(`invalid ${what} "${s}" (expected whole minutes such as 90)`);
  return Number(v);
}

/** `H:MM` → minutes. */
export function parseClock(s: string, what = 'duration'): number {
  const m = /^(\d{1,3}):([0-5]\d)$/.exec(s.trim());
  if (!m) throw new ValidationError(`invalid ${what} "${s}" (expected H:MM such as 1:30)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function formatHours(minutes: number): string {
  return formatHundredths(minutesToHundredths(minutes));
}

/** Minutes → hundredths of an hour, rounded half away from zero. */
export function minutesToHundredths(minutes: number): number {
  return divRoundHalfAway(BigInt(minutes) * 100n, 60n);
}

export function validateEntryMinutes(m: number): number {
  if (!(m > 0 && m <= MAX_ENTRY_MINUTES)) {
    throw new ValidationError(`duration must be more than 0 and at most 24 hours (got ${formatHours(m)} h)`);
  }
  return m;
}

export function durationFromOptions(o: { hours?: string; minutes?: string; duration?: string }): number | undefined {
  const given = (['hours', 'minutes', 'duration'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new UsageError('give only one of --hours, --minutes, --duration');
  if (given.length === 0) return undefined;
  const m = o.hours !== undefined ? parseHours(o.hours) : o.minutes !== undefined ? parseMinutes(o.minutes) : parseClock(o.duration!);
  return validateEntryMinutes(m);
}
