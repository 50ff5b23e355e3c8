import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isValidIsoDate, localToday, parseDate } from '../../src/domain/dates.js';
import { intersect, parsePeriod, periodFromRange, resolvePeriod } from '../../src/domain/period.js';
import { divRoundHalfAway, formatCents, inkindCents, mileageCents, parseMoney } from '../../src/domain/money.js';
import { durationFromOptions, formatHours, parseClock, parseHours } from '../../src/domain/duration.js';
import { formatHundredths, parseKm, parseMiles } from '../../src/domain/distance.js';
import { closestMatches, normalizeHeader, parseBool } from '../../src/domain/text.js';

describe('dates', () => {
  it('validates real calendar dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('1900-02-29')).toBe(false);
    expect(isValidIsoDate('2000-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-30')).toBe(false);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
    expect(isValidIsoDate('2026-1-01')).toBe(false);
  });
  it('parses iso, mdy and dmy', () => {
    expect(parseDate(' 2026-03-04 ')).toBe('2026-03-04');
    expect(parseDate('3/4/2026', 'mdy')).toBe('2026-03-04');
    expect(parseDate('3/4/2026', 'dmy')).toBe('2026-04-03');
    expect(parseDate('2026-03-04', 'dmy')).toBe('2026-03-04');
    expect(parseDate('12.31.2026', 'mdy')).toBe('2026-12-31');
    expect(() => parseDate('2026-02-30')).toThrow('invalid date "2026-02-30" (expected YYYY-MM-DD)');
    expect(() => parseDate('31/12/2026', 'mdy')).toThrow('(expected M/D/YYYY)');
    expect(() => parseDate('3/4/2026')).toThrow();
  });
  it('arithmetic', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(localToday(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01');
  });
});

describe('periods', () => {
  const ctx = { today: '2026-11-23', fiscalYearStart: 1 };
  it('years, quarters, months, single days', () => {
    expect(parsePeriod('2026', ctx)).toEqual({ start: '2026-01-01', end: '2026-12-31', label: '2026' });
    expect(parsePeriod('2026-q3', ctx)).toEqual({ start: '2026-07-01', end: '2026-09-30', label: '2026-Q3' });
    expect(parsePeriod('2026-Q1', ctx)).toEqual({ start: '2026-01-01', end: '2026-03-31', label: '2026-Q1' });
    expect(parsePeriod('2024-02', ctx)).toEqual({ start: '2024-02-01', end: '2024-02-29', label: '2024-02' });
    expect(parsePeriod('2026-02', ctx).end).toBe('2026-02-28');
    expect(parsePeriod('2026-04', ctx).end).toBe('2026-04-30');
    expect(parsePeriod('2026-10-05', ctx)).toEqual({ start: '2026-10-05', end: '2026-10-05', label: '2026-10-05' });
  });
  it('fiscal years end in the named year', () => {
    expect(parsePeriod('FY2026', ctx)).toEqual({ start: '2026-01-01', end: '2026-12-31', label: 'FY2026' });
    expect(parsePeriod('FY2026', { ...ctx, fiscalYearStart: 7 })).toEqual({ start: '2025-07-01', end: '2026-06-30', label: 'FY2026' });
    expect(parsePeriod('fy2025', { ...ctx, fiscalYearStart: 3 })).toEqual({ start: '2024-03-01', end: '2025-02-28', label: 'FY2025' });
    expect(parsePeriod('FY2024', { ...ctx, fiscalYearStart: 3 })).toEqual({ start: '2023-03-01', end: '2024-02-29', label: 'FY2024' });
    expect(parsePeriod('FY2027', { ...ctx, fiscalYearStart: 12 })).toEqual({ start: '2026-12-01', end: '2027-11-30', label: 'FY2027' });
  });
  it('relative periods', () => {
    expect(parsePeriod('this-month', ctx)).toMatchObject({ start: '2026-11-01', end: '2026-11-30', label: '2026-11' });
    expect(parsePeriod('last-month', ctx)).toMatchObject({ start: '2026-10-01', end: '2026-10-31', label: '2026-10' });
    expect(parsePeriod('last-month', { ...ctx, today: '2026-01-15' })).toMatchObject({ start: '2025-12-01', end: '2025-12-31', label: '2025-12' });
    expect(parsePeriod('last-month', { ...ctx, today: '2024-03-31' })).toMatchObject({ start: '2024-02-01', end: '2024-02-29' });
    expect(parsePeriod('this-quarter', ctx)).toMatchObject({ start: '2026-10-01', end: '2026-12-31', label: '2026-Q4' });
    expect(parsePeriod('last-quarter', ctx)).toMatchObject({ label: '2026-Q3' });
    expect(parsePeriod('last-quarter', { ...ctx, today: '2026-02-10' })).toMatchObject({ start: '2025-10-01', end: '2025-12-31', label: '2025-Q4' });
    expect(parsePeriod('this-year', ctx).label).toBe('2026');
    expect(parsePeriod('last-year', ctx)).toMatchObject({ start: '2025-01-01', end: '2025-12-31' });
    expect(parsePeriod('ytd', ctx)).toEqual({ start: '2026-01-01', end: '2026-11-23', label: '2026-01-01_2026-11-23' });
  });
  it('ranges and errors', () => {
    expect(periodFromRange('2026-02-15', '2026-03-14')).toEqual({ start: '2026-02-15', end: '2026-03-14', label: '2026-02-15_2026-03-14' });
    expect(() => periodFromRange('2026-03-14', '2026-02-15')).toThrow('is before');
    expect(() => parsePeriod('2026-13', ctx)).toThrow('invalid period "2026-13"');
    expect(() => parsePeriod('Q3', ctx)).toThrow('invalid period');
    expect(() => resolvePeriod({ period: '2026', from: '2026-01-01' }, ctx)).toThrow('use either --period or --from and --to');
    expect(() => resolvePeriod({ to: '2026-01-01' }, ctx)).toThrow('--to needs --from');
    expect(resolvePeriod({}, ctx)).toBeUndefined();
    expect(intersect({ start: '2026-01-01', end: '2026-12-31' }, { start: '2026-07-01', end: null })).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(intersect({ start: '2026-01-01', end: '2026-03-31' }, { start: '2026-07-01', end: null })).toBeNull();
  });
});

describe('money', () => {
  it('parses plain decimals into cents', () => {
    expect(parseMoney('1234')).toBe(123400);
    expect(parseMoney('1234.5')).toBe(123450);
    expect(parseMoney('0.99')).toBe(99);
    expect(parseMoney('.5')).toBe(50);
    expect(parseMoney('12.5000')).toBe(1250);
    expect(parseMoney('+3')).toBe(300);
    expect(parseMoney('1000.01')).toBe(100001);
    expect(parseMoney('-5', 'x', { allowNegative: true })).toBe(-500);
    for (const bad of ['$12', '1,234.50', '12.345', '1e3', 'NaN', 'Infinity', '', '-5', '1000000000000']) {
      expect(() => parseMoney(bad), bad).toThrow();
    }
    expect(() => parseMoney('0', 'amount', { allowZero: false })).toThrow('must be more than 0');
  });
  it('formats and rounds half away from zero', () => {
    expect(formatCents(123450)).toBe('1234.50');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(-1205)).toBe('-12.05');
    expect(divRoundHalfAway(5, 2)).toBe(3);
    expect(divRoundHalfAway(-5, 2)).toBe(-3);
    expect(divRoundHalfAway(4, 3)).toBe(1);
    expect(mileageCents(1025, 14)).toBe(144); // 10.25 × 0.14 = 1.435
    expect(mileageCents(1050, 14)).toBe(147);
    expect(mileageCents(1, 14)).toBe(0); // 0.0014
    expect(inkindCents(90, 3349)).toBe(5024); // 1.5 h × 33.49 = 50.235
    expect(inkindCents(20, 100)).toBe(33);
  });
});

describe('durations and distances', () => {
  it('hours, minutes, H:MM', () => {
    expect(parseHours('1.5')).toBe(90);
    expect(parseHours('0.25')).toBe(15);
    expect(parseHours('2')).toBe(120);
    expect(parseHours('0.01')).toBe(1); // 0.6 min rounds to 1
    expect(parseClock('1:30')).toBe(90);
    expect(parseClock('24:00')).toBe(1440);
    expect(() => parseClock('1:60')).toThrow();
    expect(durationFromOptions({ duration: '1:30' })).toBe(90);
    expect(durationFromOptions({ hours: '0.25' })).toBe(15);
    expect(durationFromOptions({ minutes: '1440' })).toBe(1440);
    expect(durationFromOptions({})).toBeUndefined();
    expect(() => durationFromOptions({ hours: '25' })).toThrow('at most 24 hours (got 25.00 h)');
    expect(() => durationFromOptions({ hours: '0' })).toThrow('more than 0');
    expect(() => durationFromOptions({ hours: '1', minutes: '2' })).toThrow('give only one of');
    expect(() => durationFromOptions({ hours: '-1' })).toThrow();
  });
  it('formats hours with 2 places', () => {
    expect(formatHours(90)).toBe('1.50');
    expect(formatHours(20)).toBe('0.33');
    expect(formatHours(10)).toBe('0.17');
    expect(formatHours(0)).toBe('0.00');
  });
  it('miles and km', () => {
    expect(parseMiles('12')).toBe(1200);
    expect(parseMiles('6.2')).toBe(620);
    expect(parseKm('10')).toBe(621);
    expect(parseKm('1.60')).toBe(99); // 1.60 km = 0.9942 mi
    expect(formatHundredths(parseKm('100'))).toBe('62.14');
    expect(() => parseMiles('-3')).toThrow();
    expect(() => parseMiles('1.234')).toThrow();
  });
});

describe('text', () => {
  it('headers, booleans, closest matches', () => {
    expect(normalizeHeader('\ufeffE-mail Address')).toBe('emailaddress');
    expect(normalizeHeader('first_name')).toBe('firstname');
    expect(parseBool(' Yes ', 'x')).toBe(true);
    expect(parseBool('0', 'x')).toBe(false);
    expect(() => parseBool('maybe', 'reimbursed')).toThrow('invalid reimbursed "maybe"');
    expect(closestMatches('TELEE', ['TELE', 'PEER', 'SCHOOL'])).toEqual(['TELE']);
  });
});
