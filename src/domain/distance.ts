/** Distances in integer hundredths of a mile; the generic 2-place formatter. */
import { ValidationError } from '../errors.js';
import { divRoundHalfAway, parseHundredths } from './money.js';

const MAX_MILES_HUNDREDTHS = 100_000 * 100;

/** Any integer number of hundredths as a plain decimal with 2 places: 621 → "6.21", -150 → "-1.50". */
export function formatHundredths(n: number): string {
  const neg = n < 0;
  const a = Math.abs(n);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

export function parseMiles(s: string, what = 'miles'): number {
  return parseHundredths(s, what, { max: MAX_MILES_HUNDREDTHS });
}

/** Kilometres → miles hundredths: km / 1.609344, rounded half away to 2 places, exactly. */
export function parseKm(s: string, what = 'km'): number {
  const kmHundredths = parseHundredths(s, what, { max: Math.round(MAX_MILES_HUNDREDTHS * 1.609344) });
  // miles_h = km_h / 1.609344 = km_h * 1_000_000 / 1_609_344
  const miles = divRoundHalfAway(BigInt(kmHundredths) * 1_000_000n, 1_609_344n);
  if (miles > MAX_MILES_HUNDREDTHS) throw new ValidationError(`invalid ${what} "${s}" (too large)`);
  return miles;
}
