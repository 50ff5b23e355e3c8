/**
 * Money as integer cents, plus the exact decimal helpers shared by durations and distances.
 * Input is a plain decimal (`1234.50`, no symbols or separators); rounding is half away from zero,
 * done exactly with BigInt. No floating point touches an amount.
 */
import { ValidationError } from '../errors.js';

/**
 * 99,999,999.99: the largest single amount accepted (SPEC "Faults and values"). Totals of any number of
 * such amounts stay exact: integer cents, summed by SQLite in 64 bits and read back exactly
 * (store/exact.ts), added with addExact below, never a float.
 */
export const MAX_AMOUNT_CENTS = 9_999_999_999;
const MAX_CENTS = BigInt(MAX_AMOUNT_CENTS);

/**
 * A plain decimal `[+|-]digits[.digits]` (at least one digit; no exponent, symbols or separators)
 * as the exact fraction `num / 10^scale`; null when `s` is not one. `s` is not trimmed.
 */
export function parseDecimal(s: string): { num: bigint; scale: number } | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const abs = BigInt(int + frac || '0');
  return { num: m[1] === '-' ? -abs : abs, scale: frac.length };
}

/**
 * Parse a plain decimal with at most 2 significant decimal places (`12.5000` is fine) into
 * integer hundredths. `max` is in hundredths. Shared by money and miles.
 */
export function parseHundredths(s: string, what: string, opts: { allowNegative?: boolean; allowZero?: boolean; max?: number } = {}): number {
  const dec = parseDecimal(s.trim());
  if (dec === null) throw new ValidationError(`invalid ${what} "${s}" (expected a plain number such as 12.50)`);
  let { num, scale } = dec;
  while (scale > 2 && num % 10n === 0n) {
    num /= 10n;
    scale--;
  }
  if (scale > 2) throw new ValidationError(`invalid ${what} "${s}" (at most 2 decimal places)`);
  const value = num * 10n ** BigInt(2 - scale);
  const abs = value < 0n ? -value : value;
  const max = opts.max === undefined ? MAX_CENTS : BigInt(opts.max);
  if (abs > max) throw new ValidationError(`invalid ${what} "${s}" (too large; at most ${formatCents(Number(max))})`);
  if (value < 0n && !opts.allowNegative) throw new ValidationError(`invalid ${what} "${s}" (must not be negative)`);
  if (value === 0n && opts.allowZero === false) throw new ValidationError(`invalid ${what} "${s}" (must be more than 0)`);
  return Number(value); // -0 cannot occur: BigInt has no negative zero
}

/** An amount → integer cents. Zero is allowed unless `allowZero: false`; negatives only with `allowNegative`. */
export function parseMoney(s: string, what = 'amount', opts: { allowNegative?: boolean; allowZero?: boolean } = {}): number {
  return parseHundredths(s, what, opts);
}

/** An exact integer quantity (cents, hundredths, minutes): a number while safe, a bigint beyond. */
export type Exact = number | bigint;

/** A bigint as a number when that is exact, else as it is. */
export function normalizeExact(x: bigint): Exact {
  return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}

/** a + b exactly, however large (numbers while the sum is a safe integer). */
export function addExact(a: Exact, b: Exact): Exact {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return normalizeExact(BigInt(a) + BigInt(b));
}

/** a − b exactly. */
export function subExact(a: Exact, b: Exact): Exact {
  return addExact(a, typeof b === 'bigint' ? -b : -b);
}

/** Integer cents (or any integer hundredths) → `1234.50`, `0.00`, `-12.05`; no separators; exact at any size. */
export function formatCents(c: Exact): string {
  if (typeof c === 'number' && !Number.isSafeInteger(c)) throw new RangeError(`not a whole number of hundredths: ${c}`);
  const neg = c < 0;
  const digits = (typeof c === 'bigint' ? (neg ? -c : c) : Math.abs(c)).toString().padStart(3, '0');
  const s = `${digits.slice(0, -2)}.${digits.slice(-2)}`;
  return neg ? `-${s}` : s;
}

/** a / b rounded half away from zero, exactly (integers only). */
export function divRoundHalfAway(a: bigint | number, b: bigint | number): number {
  const A = BigInt(a);
  const B = BigInt(b);
  if (B === 0n) throw new RangeError('division by zero');
  const neg = A < 0n !== B < 0n;
  const aa = A < 0n ? -A : A;
  const bb = B < 0n ? -B : B;
  let q = aa / bb;
  if ((aa % bb) * 2n >= bb) q += 1n;
  return Number(neg ? -q : q);
}

/** miles (hundredths) × rate (cents per mile) → cents, rounded half away from zero. */
export function mileageCents(milesHundredths: number, rateCents: number): number {
  return divRoundHalfAway(BigInt(milesHundredths) * BigInt(rateCents), 100n);
}

/** minutes × rate (cents per hour) → cents, rounded half away from zero. */
export function inkindCents(minutes: number, rateCentsPerHour: number): number {
  return divRoundHalfAway(BigInt(minutes) * BigInt(rateCentsPerHour), 60n);
}
