/**
 * Distances in integer hundredths of a mile (`6.21` miles → 621), at most 100,000 miles per entry.
 * `--km` input converts exactly (km / 1.609344, rounded half away from zero). Also the generic
 * 2-place formatter for any integer-hundredths quantity.
 */
import { ValidationError } from '../errors.js';
import { divRoundHalfAway, formatCents, parseDecimal, parseHundredths, type Exact } from './money.js';

const MAX_MILES_HUNDREDTHS = 100_000 * 100;

/** Any integer number of hundredths as a plain decimal with 2 places: 621 → "6.21", -150 → "-1.50". */
export function formatHundredths(n: Exact): string {
  return formatCents(n);
}

/** Miles with up to 2 significant decimals → hundredths. */
export function parseMiles(s: string, what = 'miles'): number {
  return parseHundredths(s, what, { max: MAX_MILES_HUNDREDTHS });
}

/** Kilometres (any number of decimals) → miles hundredths: km / 1.609344, rounded half away to 2 places. */
export function parseKm(s: string, what = 'km'): number {
  const dec = parseDecimal(s.trim());
  if (dec === null) throw new ValidationError(`invalid ${what} "${s}" (expected a plain number such as 10.5)`);
  if (dec.num < 0n) throw new ValidationError(`invalid ${what} "${s}" (must not be negative)`);
  // miles_h = km × 100 / 1.609344 = num × 100 × 1_000_000 / (10^scale × 1_609_344)
  const miles = divRoundHalfAway(dec.num * 100_000_000n, 10n ** BigInt(dec.scale) * 1_609_344n);
  if (miles > MAX_MILES_HUNDREDTHS) {
    throw new ValidationError(`invalid ${what} "${s}" (too large; at most ${formatHundredths(MAX_MILES_HUNDREDTHS)} miles)`);
  }
  return miles;
}
