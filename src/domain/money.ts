/**
 * Money as integer cents, plus the exact decimal helpers shared by durations and distances.
 * Input is a plain decimal (`1234.50`, no symbols or separators); rounding is half away from zero,
 * done exactly with BigInt. No floating point touches an amount.
 */
import { ValidationError } from '../errors.js';

/** 999,999,999,999.99 — the largest amount accepted (well inside Number.MAX_SAFE_INTEGER). */
const MAX_CENTS = 99_999_999_999_999n;

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
export function parseHundredths(
  s: string,
  what: string,
  opts: { allowNegative?: boolean; allowZero?: boolean; max?: number } = {},
): number {
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

/** Integer cents (or any integer hundredths) → `1234.50`, `0.00`, `-12.05`; no separators. */
export function formatCents(c: number): string {
  if (!Number.isSafeInteger(c)) throw new RangeError(`not a whole number of hundredths: ${c}`);
  const a = Math.abs(c);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return c < 0 ? `-${s}` : s;
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
