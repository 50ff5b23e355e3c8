/** Money in integer cents. Rounding is half away from zero. */
import { ValidationError } from '../errors.js';
import { formatHundredths } from './distance.js';

const MAX_CENTS = 99_999_999_999_999; // 999,999,999,999.99

/**
 * Parse a plain decimal with at most 2 significant decimal places into hundredths.
 * Shared by money and miles.
 */
export function parseHundredths(s: string, what: string, opts: { allowNegative?: boolean; allowZero?: boolean; max?: number } = {}): number {
  const v = s.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(v);
  if (!m || v === '' || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new ValidationError(`invalid ${what} "${s}" (expected a plain number such as 12.50)`);
  }
  const neg = m[1] === '-';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > 2) throw new ValidationError(`invalid ${what} "${s}" (at most 2 decimal places)`);
  const int = m[2] === '' ? '0' : m[2]!;
  if (int.length > 15) throw new ValidationError(`invalid ${what} "${s}" (too large)`);
  const value = Number(int) * 100 + Number(frac.padEnd(2, '0'));
  const max = opts.max ?? MAX_CENTS;
  if (value > max) throw new ValidationError(`invalid ${what} "${s}" (too large; at most ${formatHundredths(max)})`);
  if (neg && value !== 0 && !opts.allowNegative) throw new ValidationError(`invalid ${what} "${s}" (must not be negative)`);
  if (value === 0 && opts.allowZero === false) throw new ValidationError(`invalid ${what} "${s}" (must be more than 0)`);
  return neg ? -value : value;
}

export function parseMoney(s: string, what = 'amount', opts: { allowNegative?: boolean; allowZero?: boolean } = {}): number {
  return parseHundredths(s, what, opts);
}

export function formatCents(c: number): string {
  return formatHundredths(c);
}

/** a / b rounded half away from zero, exactly. */
export function divRoundHalfAway(a: bigint | number, b: bigint | number): number {
  const A = BigInt(a);
  const B = BigInt(b);
  if (B === 0n) throw new Error('division by zero');
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
