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

// ---- cells of imported files (Contract v2 "Imports of real exports") ---------------------------

/** How a bare number in a column reads: hours (`Hours`), minutes (`Minutes`), or no unit at all (`Duration`: `90` could be either). */
export type DurationColumn = 'hours' | 'minutes' | 'duration';

/** Unit words after a number (`1.5 h`, `90 min`), by what they count. Data: add a word here. */
export const DURATION_UNIT_WORDS: Record<string, 'hours' | 'minutes'> = {
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  std: 'hours',
  m: 'minutes',
  min: 'minutes',
  mins: 'minutes',
  minute: 'minutes',
  minutes: 'minutes',
};

/** `1,5` → `1.5` with --decimal-comma; without it, a decimal comma is refused with a hint (it could be 1.5 or 15). */
export function decimalText(s: string, what: string, decimalComma: boolean): string {
  const v = s.trim();
  // Read with decimal commas, 1.250 is a thousands separator (1250) or a decimal point (1.25): say so.
  if (decimalComma && /^[+-]?\d{1,3}(\.\d{3})+$/.test(v)) {
    throw new ValidationError(`invalid ${what} "${s}" (1250 or 1.25? with decimal commas write 1250 or 1,25; no thousands separators)`);
  }
  if (!v.includes(',')) return v;
  if (decimalComma && /^[+-]?\d*,\d+$/.test(v)) return v.replace(',', '.');
  if (!decimalComma && /^[+-]?\d+,\d+$/.test(v)) throw new ValidationError(`invalid ${what} "${s}" (a decimal comma? add --decimal-comma to read 1,5 as 1.5)`);
  throw new ValidationError(`invalid ${what} "${s}" (expected a plain number${decimalComma ? ' such as 1,5' : ' such as 1.5'}; no thousands separators)`);
}

/** Exact minutes num/den → one entry's whole minutes: > 0 and ≤ 24 h checked on the exact value, then rounded half away. */
function entryMinutesOf(num: bigint, den: bigint, shown: string): number {
  if (num <= 0n || num > BigInt(MAX_ENTRY_MINUTES) * den) {
    throw new ValidationError(`duration must be more than 0 and at most 24 hours (got ${shown})`);
  }
  const minutes = divRoundHalfAway(num, den);
  if (minutes === 0) throw new ValidationError(`duration ${shown} is less than half a minute (durations are kept in whole minutes)`);
  return minutes;
}

/**
 * A duration cell → one entry's minutes. Every column takes `1:30` and the unpadded `1:5` (H:M),
 * `01:30:00` (H:MM:SS), `90 min`, `90m`, `1.5 h`, `1h30`, `1h 30m`; a bare number is hours in an hours
 * column and minutes in a minutes column, and refused in a duration column (no unit: say which).
 * `decimalComma` reads `1,5` as 1.5.
 */
export function parseDurationCell(s: string, column: DurationColumn, decimalComma = false): number {
  const v = s.trim();
  // The plain forms first, with the messages they always had (and the fast path of a large import).
  if (column === 'hours' && /^\d*\.?\d*$/.test(v)) return validateEntryMinutes(parseEntryHours(v));
  if (column === 'minutes' && /^\d+$/.test(v)) return validateEntryMinutes(parseMinutes(v));
  let m = /^(\d{1,4}):(\d{1,2})$/.exec(v);
  if (m) {
    if (Number(m[2]) > 59) throw new ValidationError(`invalid ${column} "${s}" (minutes after the colon must be 0-59)`);
    return entryMinutesOf(BigInt(Number(m[1]) * 60 + Number(m[2])), 1n, `${v} (H:M)`);
  }
  m = /^(\d{1,4}):(\d{2}):(\d{2})$/.exec(v);
  if (m) {
    if (Number(m[2]) > 59 || Number(m[3]) > 59) throw new ValidationError(`invalid ${column} "${s}" (expected H:MM:SS with minutes and seconds 0-59)`);
    return entryMinutesOf(BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])), 60n, `${v} (H:MM:SS)`);
  }
  m = /^(\d{1,4})\s*h(?:rs?|ours?)?\s*(\d{1,2})\s*(?:m|min|mins|minutes?)?$/i.exec(v);
  if (m) {
    if (Number(m[2]) > 59) throw new ValidationError(`invalid ${column} "${s}" (minutes must be 0-59)`);
    return entryMinutesOf(BigInt(Number(m[1]) * 60 + Number(m[2])), 1n, v);
  }
  m = /^([+-]?[\d.,]+)\s*([a-z]+)\.?$/i.exec(v);
  const unit = m ? DURATION_UNIT_WORDS[m[2]!.toLowerCase()] : undefined;
  const number = m && unit ? m[1]! : v;
  const as = unit ?? (column === 'duration' ? undefined : column);
  const dec = parseDecimal(decimalText(number, column, decimalComma));
  if (dec === null || (m && !unit)) {
    throw new ValidationError(`invalid ${column} "${s}" (expected a duration such as 1.5, 1:30, 90 min or 1h30)`);
  }
  if (as === undefined) throw new ValidationError(`${column} "${s}" has no unit: write ${s.trim()} min or ${s.trim()} h (or H:MM)`);
  if (dec.num < 0n) throw new ValidationError(`invalid ${column} "${s}" (must not be negative)`);
  const scale = 10n ** BigInt(dec.scale);
  return as === 'hours' ? entryMinutesOf(dec.num * 60n, scale, `${v}`) : entryMinutesOf(dec.num, scale, v);
}

/** Seconds between a start and an end (each a day number or null, and seconds of the day) → one entry's minutes. */
export function minutesBetween(start: { day: number | null; seconds: number }, end: { day: number | null; seconds: number }, shown: string): number {
  const days = start.day !== null && end.day !== null ? end.day - start.day : 0;
  const secs = days * 86400 + end.seconds - start.seconds;
  if (secs <= 0) {
    throw new ValidationError(
      `the end (${shown}) is not after the start${start.day === null || end.day === null ? ' (a shift past midnight: give its hours, or dates with the times)' : ''}`,
    );
  }
  return entryMinutesOf(BigInt(secs), 60n, `${shown}`);
}
