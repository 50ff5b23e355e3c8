/**
 * Durations as integer minutes. Input `--hours 1.5`, `--minutes 90` or `--duration 1:30`;
 * a single entry is > 0 and ≤ 24 h. Output as decimal hours with 2 places (`1.50`),
 * rounded half away from zero.
 */
import { UsageError, ValidationError } from '../errors.js';
import { divRoundHalfAway, parseDecimal } from './money.js';
import { formatHundredths } from './distance.js';

export const MAX_ENTRY_MINUTES = 24 * 60;

/** Upper bound for any parsed duration (1,000,000 hours), so totals stay exact integers. */
const MAX_PARSED_MINUTES = 60_000_000;

/** Decimal hours (any number of decimals, not negative) → minutes, rounded half away to a whole minute. */
export function parseHours(s: string, what = 'hours'): number {
  const dec = parseDecimal(s.trim());
  if (dec === null) throw new ValidationError(`invalid ${what} "${s}" (expected decimal hours such as 1.5)`);
  if (dec.num < 0n) throw new ValidationError(`invalid ${what} "${s}" (must not be negative)`);
  const minutes = divRoundHalfAway(dec.num * 60n, 10n ** BigInt(dec.scale));
  if (minutes > MAX_PARSED_MINUTES) throw new ValidationError(`invalid ${what} "${s}" (too large)`);
  return minutes;
}

/** A decimal as given, with at least 2 places: `25` → `25.00`, `24.0001` stays. */
function asGiven(s: string): string {
  const t = s.trim().replace(/^\+/, '');
  const [i, f = ''] = t.split('.');
  return `${i || '0'}.${f.padEnd(2, '0')}`;
}

/**
 * Decimal hours of ONE entry → minutes. The limits are checked on the exact value, before it is
 * rounded to a whole minute (SPEC "Faults and values"): `24.0001` is more than 24 h and refused, even
 * though it would round to 1440 minutes; `0.001` is more than 0 but rounds to no minute at all.
 */
export function parseEntryHours(s: string, what = 'hours'): number {
  const dec = parseDecimal(s.trim());
  if (dec === null) throw new ValidationError(`invalid ${what} "${s}" (expected decimal hours such as 1.5)`);
  if (dec.num < 0n) throw new ValidationError(`invalid ${what} "${s}" (must not be negative)`);
  const scale = 10n ** BigInt(dec.scale);
  if (dec.num * 60n > BigInt(MAX_ENTRY_MINUTES) * scale) throw new ValidationError(`duration must be more than 0 and at most 24 hours (got ${asGiven(s)} h)`);
  if (dec.num === 0n) throw new ValidationError('duration must be more than 0 and at most 24 hours (got 0 h)');
  const minutes = divRoundHalfAway(dec.num * 60n, scale);
  if (minutes === 0) throw new ValidationError(`duration ${s.trim()} h is less than half a minute (durations are kept in whole minutes)`);
  return minutes;
}

/** Whole minutes (`90`). Zero parses; entry limits are checked by validateEntryMinutes. */
export function parseMinutes(s: string, what = 'minutes'): number {
  const v = s.trim();
  if (!/^\d+$/.test(v)) throw new ValidationError(`invalid ${what} "${s}" (expected whole minutes such as 90)`);
  const n = Number(v);
  if (n > MAX_PARSED_MINUTES) throw new ValidationError(`invalid ${what} "${s}" (too large)`);
  return n;
}

/** `H:MM` → minutes (`1:30` → 90, `24:00` → 1440); MM is 00–59. */
export function parseClock(s: string, what = 'duration'): number {
  const m = /^(\d{1,4}):([0-5]\d)$/.exec(s.trim());
  if (!m) throw new ValidationError(`invalid ${what} "${s}" (expected H:MM such as 1:30)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Minutes → hundredths of an hour, rounded half away from zero (20 → 33). */
export function minutesToHundredths(minutes: number): number {
  if (!Number.isSafeInteger(minutes)) throw new RangeError(`not a whole number of minutes: ${minutes}`);
  return divRoundHalfAway(BigInt(minutes) * 100n, 60n);
}

/** Minutes → decimal hours with exactly 2 places (90 → `1.50`, 10 → `0.17`). */
export function formatHours(minutes: number): string {
  return formatHundredths(minutesToHundredths(minutes));
}

/** The single-entry rule: a whole number of minutes, > 0 and ≤ 24 h. Returns `m`. */
export function validateEntryMinutes(m: number): number {
  if (!Number.isSafeInteger(m)) throw new ValidationError(`duration must be a whole number of minutes (got ${m})`);
  if (m <= 0 || m > MAX_ENTRY_MINUTES) {
    throw new ValidationError(`duration must be more than 0 and at most 24 hours (got ${formatHours(m)} h)`);
  }
  return m;
}

/** At most one of --hours/--minutes/--duration → validated entry minutes; none → undefined. */
export function durationFromOptions(o: { hours?: string; minutes?: string; duration?: string }): number | undefined {
  const given = (['hours', 'minutes', 'duration'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new UsageError('give only one of --hours, --minutes, --duration');
  if (o.hours !== undefined) return validateEntryMinutes(parseEntryHours(o.hours));
  if (o.minutes !== undefined) return validateEntryMinutes(parseMinutes(o.minutes));
  if (o.duration !== undefined) return validateEntryMinutes(parseClock(o.duration));
  return undefined;
}
