import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { addExact, divRoundHalfAway, formatCents, inkindCents, mileageCents, parseDecimal, parseHundredths, parseMoney } from '../../src/domain/money.js';

describe('parseMoney: accepted input', () => {
  it.each([
    ['1234', 123400],
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['0.99', 99],
    ['.5', 50],
    ['.05', 5],
    ['12.5000', 1250],
    ['12.00', 1200],
    ['12.', 1200],
    ['+3', 300],
    ['+0.01', 1],
    ['0', 0],
    ['0.00', 0],
    ['007.10', 710],
    [' 42.42 ', 4242],
    ['1000.01', 100001],
    ['99999999.99', 9_999_999_999],
    ['099999999.990', 9_999_999_999],
  ])('%j → %i cents', (s, cents) => {
    expect(parseMoney(s)).toBe(cents);
    expect(Number.isSafeInteger(parseMoney(s))).toBe(true);
  });
  it('is exact where floats are not', () => {
    expect(parseMoney('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996
    expect(parseMoney('1.15')).toBe(115);
    expect(parseMoney('4.35')).toBe(435);
    expect(parseMoney('99999999.99')).toBe(9999999999);
  });
  it('negatives only when allowed', () => {
    expect(parseMoney('-5', 'x', { allowNegative: true })).toBe(-500);
    expect(parseMoney('-0.01', 'x', { allowNegative: true })).toBe(-1);
    expect(() => parseMoney('-5')).toThrow(new ValidationError('invalid amount "-5" (must not be negative)'));
    expect(() => parseMoney('-0.01', 'expenses')).toThrow('invalid expenses "-0.01" (must not be negative)');
  });
  it('negative zero is plain zero', () => {
    expect(Object.is(parseMoney('-0'), 0)).toBe(true);
    expect(Object.is(parseMoney('-0.00', 'x', { allowNegative: true }), 0)).toBe(true);
  });
  it('zero unless allowZero is false', () => {
    expect(parseMoney('0', 'x', { allowZero: true })).toBe(0);
    expect(() => parseMoney('0', '--amount', { allowZero: false })).toThrow(new ValidationError('invalid --amount "0" (must be more than 0)'));
    expect(() => parseMoney('0.000', 'x', { allowZero: false })).toThrow('must be more than 0');
    expect(() => parseMoney('-0', 'x', { allowZero: false })).toThrow('must be more than 0');
  });
});

describe('parseMoney: rejected input', () => {
  it('more than 2 significant decimals', () => {
    expect(() => parseMoney('12.345')).toThrow(new ValidationError('invalid amount "12.345" (at most 2 decimal places)'));
    expect(() => parseMoney('0.001')).toThrow('at most 2 decimal places');
    expect(() => parseMoney('12.3450')).toThrow('at most 2 decimal places');
  });
  it.each([
    '$12',
    '12$',
    '€5',
    '12 USD',
    '1,234.50',
    '1 234.50',
    '1_000',
    '1e3',
    '1E3',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '',
    '   ',
    '.',
    '+',
    '-',
    '+-1',
    '--1',
    '1.2.3',
    '1..2',
    'abc',
    '١٢٣',
    '12,5',
  ])('%j', (s) => {
    expect(() => parseMoney(s)).toThrow(ValidationError);
  });
  it('names the bad value and `what`', () => {
    expect(() => parseMoney('$12', 'hourly_rate')).toThrow('invalid hourly_rate "$12" (expected a plain number such as 12.50)');
  });
  it('too large: one amount is at most 99,999,999.99 (SPEC "Faults and values")', () => {
    expect(() => parseMoney('100000000')).toThrow('invalid amount "100000000" (too large; at most 99999999.99)');
    expect(() => parseMoney('100000000.00')).toThrow('too large');
    expect(() => parseMoney('99999999.991')).toThrow('at most 2 decimal places');
    expect(() => parseMoney('-100000000', 'x', { allowNegative: true })).toThrow('too large');
    expect(() => parseMoney('99999999999999999999999999')).toThrow('too large');
  });
  it('errors are exit code 3', () => {
    try {
      parseMoney('x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).exitCode).toBe(3);
    }
  });
});

describe('parseHundredths / parseDecimal', () => {
  it('honours a custom max', () => {
    expect(parseHundredths('10', 'x', { max: 1000 })).toBe(1000);
    expect(() => parseHundredths('10.01', 'x', { max: 1000 })).toThrow('(too large; at most 10.00)');
  });
  it('parseDecimal gives an exact fraction or null', () => {
    expect(parseDecimal('12.50')).toEqual({ num: 1250n, scale: 2 });
    expect(parseDecimal('-.5')).toEqual({ num: -5n, scale: 1 });
    expect(parseDecimal('+7')).toEqual({ num: 7n, scale: 0 });
    expect(parseDecimal('3.')).toEqual({ num: 3n, scale: 0 });
    for (const bad of ['', '.', '-', ' 1', '1e2', '1,0', 'x']) expect(parseDecimal(bad), bad).toBeNull();
  });
});

describe('formatCents', () => {
  it.each([
    [123450, '1234.50'],
    [0, '0.00'],
    [-0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [-1205, '-12.05'],
    [-5, '-0.05'],
    [100000000, '1000000.00'],
    [99_999_999_999_999, '999999999999.99'],
  ])('%i → %s', (c, s) => {
    expect(formatCents(c)).toBe(s);
  });
  it('is exact beyond 2^53 (bigint totals)', () => {
    expect(formatCents(123456789012345678901n)).toBe('1234567890123456789.01');
    expect(formatCents(-5n)).toBe('-0.05');
    expect(formatCents(0n)).toBe('0.00');
    expect(addExact(Number.MAX_SAFE_INTEGER, 1)).toBe(9007199254740992n);
    expect(addExact(9007199254740992n, -1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(addExact(2, 3)).toBe(5);
  });
  it('round-trips with parseMoney', () => {
    for (const c of [0, 1, 9, 10, 99, 100, 101, 12345, 9_999_999_999]) expect(parseMoney(formatCents(c))).toBe(c);
    for (const c of [-1, -100, -12345]) expect(parseMoney(formatCents(c), 'x', { allowNegative: true })).toBe(c);
  });
  it('refuses non-integers', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
    expect(() => formatCents(Number.NaN)).toThrow(RangeError);
    expect(() => formatCents(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('divRoundHalfAway', () => {
  it.each([
    [5, 2, 3],
    [-5, 2, -3],
    [5, -2, -3],
    [-5, -2, 3],
    [4, 3, 1],
    [-4, 3, -1],
    [7, 2, 4],
    [1, 3, 0],
    [2, 3, 1],
    [-2, 3, -1],
    [0, 7, 0],
    [6, 3, 2],
    [149, 100, 1],
    [150, 100, 2],
    [-150, 100, -2],
  ])('%i / %i → %i', (a, b, q) => {
    expect(divRoundHalfAway(a, b)).toBe(q);
    expect(divRoundHalfAway(BigInt(a), BigInt(b))).toBe(q);
  });
  it('is exact beyond 2^53', () => {
    expect(divRoundHalfAway(10n ** 20n + 5n, 10n)).toBe(Number(10n ** 19n + 1n));
    expect(divRoundHalfAway(2n ** 60n * 3n + 1n, 2n ** 60n * 2n)).toBe(2); // 1.5000…01 → 2
    expect(divRoundHalfAway(2n ** 60n * 3n - 1n, 2n ** 60n * 2n)).toBe(1); // 1.4999…99 → 1
  });
  it('never returns negative zero', () => {
    expect(Object.is(divRoundHalfAway(-1, 3), 0)).toBe(true);
  });
  it('rejects division by zero and non-integers', () => {
    expect(() => divRoundHalfAway(1, 0)).toThrow(RangeError);
    expect(() => divRoundHalfAway(1.5, 2)).toThrow(RangeError);
  });
});

describe('mileageCents', () => {
  it('rounds each entry half away from zero', () => {
    expect(mileageCents(1025, 14)).toBe(144); // 10.25 mi × $0.14 = 1.435
    expect(mileageCents(1050, 14)).toBe(147); // 10.50 × 0.14 = 1.47
    expect(mileageCents(1, 14)).toBe(0); // 0.0014
    expect(mileageCents(1000, 70)).toBe(700);
    expect(mileageCents(1250, 67)).toBe(838); // 8.375 → 8.38
    expect(mileageCents(0, 70)).toBe(0);
    expect(mileageCents(10_000_000, 70)).toBe(7_000_000); // 100000 mi max
  });
  it('rounds per entry, so sums can differ from rounding the total', () => {
    const perEntry = mileageCents(1025, 14) + mileageCents(1025, 14);
    expect(perEntry).toBe(288);
    expect(mileageCents(2050, 14)).toBe(287);
  });
});

describe('inkindCents', () => {
  it('minutes × hourly rate / 60, half away from zero', () => {
    expect(inkindCents(90, 3349)).toBe(5024); // 1.5 h × 33.49 = 50.235
    expect(inkindCents(20, 100)).toBe(33); // 0.333…
    expect(inkindCents(40, 100)).toBe(67); // 0.666…
    expect(inkindCents(30, 1)).toBe(1); // 0.5 cent
    expect(inkindCents(60, 3349)).toBe(3349);
    expect(inkindCents(1440, 99_999)).toBe(2_399_976);
    expect(inkindCents(0, 3349)).toBe(0);
  });
});
