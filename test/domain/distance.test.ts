import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { formatHundredths, parseKm, parseMiles } from '../../src/domain/distance.js';

describe('parseMiles', () => {
  it.each([
    ['12', 1200],
    ['6.2', 620],
    ['6.21', 621],
    ['6.2100', 621],
    ['.5', 50],
    ['0', 0],
    [' 3.75 ', 375],
    ['+1', 100],
    ['100000', 10_000_000],
    ['100000.00', 10_000_000],
  ])('%j → %i', (s, h) => {
    expect(parseMiles(s)).toBe(h);
  });
  it('rejects more than 2 decimals, negatives, too large and junk', () => {
    expect(() => parseMiles('1.234')).toThrow(new ValidationError('invalid miles "1.234" (at most 2 decimal places)'));
    expect(() => parseMiles('-3')).toThrow('invalid miles "-3" (must not be negative)');
    expect(() => parseMiles('100000.01')).toThrow('invalid miles "100000.01" (too large; at most 100000.00)');
    for (const bad of ['', 'ten', '10mi', '1,000', '1e3', 'NaN']) expect(() => parseMiles(bad), bad).toThrow(ValidationError);
  });
  it('uses `what` in messages', () => {
    expect(() => parseMiles('x', '--miles')).toThrow('invalid --miles "x"');
  });
});

describe('parseKm', () => {
  it.each([
    ['10', 621], // 6.2137…
    ['1.60', 99], // 0.9942…
    ['1.609344', 100], // exactly 1 mile
    ['16.09344', 1000],
    ['100', 6214], // 62.137…
    ['42.195', 2622], // marathon 26.2188…
    ['0', 0],
    ['0.008', 0], // 0.00497 mi
    ['0.00804672', 1], // exactly 0.005 mi → half away → 0.01
    ['0.00804671', 0], // just under half
    [' 5 ', 311], // 3.1068…
    ['160934.4', 10_000_000], // exactly 100000 mi
  ])('%j km → %i hundredths of a mile', (s, h) => {
    expect(parseKm(s)).toBe(h);
  });
  it('rejects negatives, junk and more than 100000 miles', () => {
    expect(() => parseKm('-1')).toThrow(new ValidationError('invalid km "-1" (must not be negative)'));
    expect(() => parseKm('ten')).toThrow('invalid km "ten" (expected a plain number such as 10.5)');
    expect(() => parseKm('160934.41')).toThrow('invalid km "160934.41" (too large; at most 100000.00 miles)');
    for (const bad of ['', '1e3', '10km', '1,5', 'Infinity']) expect(() => parseKm(bad), bad).toThrow(ValidationError);
  });
});

describe('formatHundredths', () => {
  it.each([
    [621, '6.21'],
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [-150, '-1.50'],
    [-1, '-0.01'],
    [10_000_000, '100000.00'],
  ])('%i → %s', (n, s) => {
    expect(formatHundredths(n)).toBe(s);
  });
  it('round-trips with parseMiles', () => {
    for (const n of [0, 1, 99, 100, 621, 123456]) expect(parseMiles(formatHundredths(n))).toBe(n);
  });
  it('refuses non-integers', () => {
    expect(() => formatHundredths(6.215)).toThrow(RangeError);
  });
});
