import { describe, expect, it } from 'vitest';
import { UsageError, ValidationError } from '../../src/errors.js';
import { RELATIVE_PERIODS, fiscalYear, intersect, parsePeriod, periodContains, periodFromRange, resolvePeriod } from '../../src/domain/period.js';

const ctx = { today: '2026-11-23', fiscalYearStart: 1 };
const at = (today: string, fiscalYearStart = 1) => ({ today, fiscalYearStart });
const P = (start: string, end: string, label: string) => ({ start, end, label });
const INVALID = (spec: string) => `invalid period "${spec}" (expected e.g. 2026, 2026-Q3, 2026-10, FY2026, last-month, ytd)`;

describe('parsePeriod: calendar years, quarters, months, days', () => {
  it('years', () => {
    expect(parsePeriod('2026', ctx)).toEqual(P('2026-01-01', '2026-12-31', '2026'));
    expect(parsePeriod(' 2024 ', ctx)).toEqual(P('2024-01-01', '2024-12-31', '2024'));
  });
  it('quarters, q in either case', () => {
    expect(parsePeriod('2026-Q1', ctx)).toEqual(P('2026-01-01', '2026-03-31', '2026-Q1'));
    expect(parsePeriod('2026-q2', ctx)).toEqual(P('2026-04-01', '2026-06-30', '2026-Q2'));
    expect(parsePeriod('2026-Q3', ctx)).toEqual(P('2026-07-01', '2026-09-30', '2026-Q3'));
    expect(parsePeriod('2026-q4', ctx)).toEqual(P('2026-10-01', '2026-12-31', '2026-Q4'));
  });
  it('months end on the right day', () => {
    const ends: Record<string, string> = {
      '2026-01': '31',
      '2026-02': '28',
      '2026-03': '31',
      '2026-04': '30',
      '2026-05': '31',
      '2026-06': '30',
      '2026-07': '31',
      '2026-08': '31',
      '2026-09': '30',
      '2026-10': '31',
      '2026-11': '30',
      '2026-12': '31',
      '2024-02': '29',
      '2000-02': '29',
      '1900-02': '28',
    };
    for (const [spec, day] of Object.entries(ends)) {
      expect(parsePeriod(spec, ctx), spec).toEqual(P(`${spec}-01`, `${spec}-${day}`, spec));
    }
  });
  it('labels keep 4-digit years', () => {
    expect(parsePeriod('0999', ctx)).toEqual(P('0999-01-01', '0999-12-31', '0999'));
    expect(parsePeriod('0999-q1', ctx).label).toBe('0999-Q1');
    expect(parsePeriod('0999-03', ctx).label).toBe('0999-03');
  });
  it('a single date is that day', () => {
    expect(parsePeriod('2026-10-05', ctx)).toEqual(P('2026-10-05', '2026-10-05', '2026-10-05'));
    expect(parsePeriod('2024-02-29', ctx)).toEqual(P('2024-02-29', '2024-02-29', '2024-02-29'));
  });
});

describe('parsePeriod: fiscal years end in the named year', () => {
  it('fiscal year starting in January is the calendar year', () => {
    expect(parsePeriod('FY2026', ctx)).toEqual(P('2026-01-01', '2026-12-31', 'FY2026'));
  });
  it('July fiscal year', () => {
    expect(parsePeriod('FY2026', at('2026-11-23', 7))).toEqual(P('2025-07-01', '2026-06-30', 'FY2026'));
    expect(parsePeriod('fy2027', at('2026-11-23', 7))).toEqual(P('2026-07-01', '2027-06-30', 'FY2027'));
  });
  it('fiscal years ending in February follow leap years', () => {
    expect(parsePeriod('FY2024', at('2026-01-01', 3))).toEqual(P('2023-03-01', '2024-02-29', 'FY2024'));
    expect(parsePeriod('FY2025', at('2026-01-01', 3))).toEqual(P('2024-03-01', '2025-02-28', 'FY2025'));
    expect(parsePeriod('FY2000', at('2026-01-01', 3)).end).toBe('2000-02-29');
    expect(parsePeriod('FY1900', at('2026-01-01', 3)).end).toBe('1900-02-28');
  });
  it('every start month gives twelve months ending the day before the next fiscal year', () => {
    for (let fy = 1; fy <= 12; fy++) {
      const a = parsePeriod('FY2026', at('2026-01-01', fy));
      const b = parsePeriod('FY2027', at('2026-01-01', fy));
      expect(a.end < b.start).toBe(true);
      expect(a.start.slice(5)).toBe(`${String(fy).padStart(2, '0')}-01`);
      expect(a.end.slice(0, 4)).toBe('2026');
      expect(fiscalYear(2026, fy)).toEqual(a);
    }
    expect(parsePeriod('FY2027', at('2026-01-01', 12))).toEqual(P('2026-12-01', '2027-11-30', 'FY2027'));
    expect(parsePeriod('FY2026', at('2026-01-01', 10))).toEqual(P('2025-10-01', '2026-09-30', 'FY2026'));
  });
  it('rejects a bad fiscal_year_start or today', () => {
    expect(() => parsePeriod('FY2026', at('2026-01-01', 0))).toThrow(ValidationError);
    expect(() => parsePeriod('FY2026', at('2026-01-01', 13))).toThrow('fiscal_year_start');
    expect(() => parsePeriod('2026', at('2026-02-30'))).toThrow(ValidationError);
  });
});

describe('parsePeriod: relative specs resolve to concrete labels', () => {
  it('this-month / last-month', () => {
    expect(parsePeriod('this-month', ctx)).toEqual(P('2026-11-01', '2026-11-30', '2026-11'));
    expect(parsePeriod('last-month', ctx)).toEqual(P('2026-10-01', '2026-10-31', '2026-10'));
    expect(parsePeriod('last-month', at('2026-01-15'))).toEqual(P('2025-12-01', '2025-12-31', '2025-12'));
    expect(parsePeriod('last-month', at('2024-03-31'))).toEqual(P('2024-02-01', '2024-02-29', '2024-02'));
    expect(parsePeriod('this-month', at('2024-02-29'))).toEqual(P('2024-02-01', '2024-02-29', '2024-02'));
    expect(parsePeriod('THIS-MONTH', ctx).label).toBe('2026-11');
  });
  it('this-quarter / last-quarter, including January', () => {
    expect(parsePeriod('this-quarter', ctx)).toEqual(P('2026-10-01', '2026-12-31', '2026-Q4'));
    expect(parsePeriod('last-quarter', ctx)).toEqual(P('2026-07-01', '2026-09-30', '2026-Q3'));
    expect(parsePeriod('this-quarter', at('2026-01-01'))).toEqual(P('2026-01-01', '2026-03-31', '2026-Q1'));
    expect(parsePeriod('last-quarter', at('2026-01-01'))).toEqual(P('2025-10-01', '2025-12-31', '2025-Q4'));
    expect(parsePeriod('last-quarter', at('2026-03-31'))).toEqual(P('2025-10-01', '2025-12-31', '2025-Q4'));
    expect(parsePeriod('last-quarter', at('2026-04-01')).label).toBe('2026-Q1');
    expect(parsePeriod('this-quarter', at('2026-06-30')).label).toBe('2026-Q2');
    expect(parsePeriod('this-quarter', at('2026-07-01')).label).toBe('2026-Q3');
  });
  it('this-year / last-year', () => {
    expect(parsePeriod('this-year', ctx)).toEqual(P('2026-01-01', '2026-12-31', '2026'));
    expect(parsePeriod('last-year', ctx)).toEqual(P('2025-01-01', '2025-12-31', '2025'));
    expect(parsePeriod('last-year', at('2026-01-01'))).toEqual(P('2025-01-01', '2025-12-31', '2025'));
  });
  it('ytd is Jan 1 of today’s year to today', () => {
    expect(parsePeriod('ytd', ctx)).toEqual(P('2026-01-01', '2026-11-23', '2026-01-01_2026-11-23'));
    expect(parsePeriod('YTD', at('2026-01-01'))).toEqual(P('2026-01-01', '2026-01-01', '2026-01-01_2026-01-01'));
    expect(parsePeriod('ytd', at('2024-12-31'))).toEqual(P('2024-01-01', '2024-12-31', '2024-01-01_2024-12-31'));
  });
  it('relative specs ignore the fiscal year', () => {
    expect(parsePeriod('this-year', at('2026-11-23', 7)).label).toBe('2026');
  });
  it('a resolved label parses back to the same period', () => {
    for (const spec of ['this-month', 'last-month', 'this-quarter', 'last-quarter', 'this-year', 'last-year']) {
      for (const today of ['2026-01-01', '2026-03-31', '2024-02-29', '2026-12-31']) {
        const p = parsePeriod(spec, at(today));
        expect(parsePeriod(p.label, at(today))).toEqual(p);
      }
    }
  });
});

describe('parsePeriod: invalid specs', () => {
  it.each([
    '',
    '   ',
    '2026-13',
    '2026-00',
    '2026-Q5',
    '2026-Q0',
    'Q3',
    '2026Q3',
    'FY26',
    'FY 2026',
    '26',
    '20266',
    '2026-1',
    '2026-02-30',
    'next-month',
    'last month',
    'lastmonth',
    'today',
    '0000',
    'FY0000',
    '2026-10-05_2026-10-06',
  ])('%j', (spec) => {
    expect(() => parsePeriod(spec, ctx)).toThrow(new ValidationError(INVALID(spec)));
  });
  it('a fiscal year that would start before year 1 is invalid', () => {
    expect(() => parsePeriod('FY0001', at('2026-01-01', 7))).toThrow(ValidationError);
    expect(parsePeriod('FY0001', at('2026-01-01', 1))).toEqual(P('0001-01-01', '0001-12-31', 'FY0001'));
  });
});

describe('periodFromRange', () => {
  it('builds an inclusive range with a START_END label', () => {
    expect(periodFromRange('2026-02-15', '2026-03-14')).toEqual(P('2026-02-15', '2026-03-14', '2026-02-15_2026-03-14'));
    expect(periodFromRange('2026-02-15', '2026-02-15')).toEqual(P('2026-02-15', '2026-02-15', '2026-02-15_2026-02-15'));
    expect(periodFromRange(' 2025-07-01 ', '2026-06-30')).toEqual(P('2025-07-01', '2026-06-30', '2025-07-01_2026-06-30'));
  });
  it('validates both dates and their order', () => {
    expect(() => periodFromRange('2026-03-14', '2026-02-15')).toThrow(new ValidationError('--to 2026-02-15 is before --from 2026-03-14'));
    expect(() => periodFromRange('2026-02-30', '2026-03-01')).toThrow('invalid --from date "2026-02-30" (expected YYYY-MM-DD)');
    expect(() => periodFromRange('2026-03-01', '3/4/2026')).toThrow('invalid --to date "3/4/2026"');
  });
});

describe('resolvePeriod', () => {
  it('--period alone', () => {
    expect(resolvePeriod({ period: '2026-Q3' }, ctx)).toEqual(P('2026-07-01', '2026-09-30', '2026-Q3'));
    expect(resolvePeriod({ period: 'FY2026' }, at('2026-01-01', 7))?.start).toBe('2025-07-01');
  });
  it('--from and --to together', () => {
    expect(resolvePeriod({ from: '2026-01-01', to: '2026-01-31' }, ctx)).toEqual(P('2026-01-01', '2026-01-31', '2026-01-01_2026-01-31'));
  });
  it('neither → undefined', () => {
    expect(resolvePeriod({}, ctx)).toBeUndefined();
    expect(resolvePeriod({ period: undefined, from: undefined, to: undefined }, ctx)).toBeUndefined();
  });
  it.each([[{ period: '2026', from: '2026-01-01' }], [{ period: '2026', to: '2026-01-01' }], [{ period: '2026', from: '2026-01-01', to: '2026-02-01' }]])(
    '%j is a usage error',
    (o) => {
      try {
        resolvePeriod(o, ctx);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        expect((e as UsageError).message).toBe('use either --period or --from and --to');
        expect((e as UsageError).exitCode).toBe(2);
      }
    },
  );
  it('--from alone runs to today; one after today needs --to (exit 3); --to alone is a usage error (issue 19)', () => {
    expect(resolvePeriod({ from: '2026-01-01' }, ctx)).toEqual({ start: '2026-01-01', end: ctx.today, label: `2026-01-01_${ctx.today}` });
    expect(resolvePeriod({ from: ctx.today }, ctx)).toEqual({ start: ctx.today, end: ctx.today, label: `${ctx.today}_${ctx.today}` });
    expect(() => resolvePeriod({ from: '2099-01-01' }, ctx)).toThrow(ValidationError);
    expect(() => resolvePeriod({ from: '2099-01-01' }, ctx)).toThrow(`--from 2099-01-01 is after today (${ctx.today}); give --to as well`);
    expect(() => resolvePeriod({ to: '2026-01-01' }, ctx)).toThrow(UsageError);
    expect(() => resolvePeriod({ to: '2026-01-01' }, ctx)).toThrow('--to needs --from (or use --period)');
  });
  it('invalid values are validation errors', () => {
    expect(() => resolvePeriod({ period: 'soon' }, ctx)).toThrow(ValidationError);
    expect(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-01' }, ctx)).toThrow(ValidationError);
  });
});

describe('periodContains', () => {
  const q = P('2026-07-01', '2026-09-30', '2026-Q3');
  it('includes both ends', () => {
    expect(periodContains(q, '2026-07-01')).toBe(true);
    expect(periodContains(q, '2026-08-15')).toBe(true);
    expect(periodContains(q, '2026-09-30')).toBe(true);
    expect(periodContains(q, '2026-06-30')).toBe(false);
    expect(periodContains(q, '2026-10-01')).toBe(false);
  });
});

describe('intersect', () => {
  const year = { start: '2026-01-01', end: '2026-12-31' };
  it('overlaps', () => {
    expect(intersect(year, { start: '2025-07-01', end: '2026-06-30' })).toEqual({ start: '2026-01-01', end: '2026-06-30' });
    expect(intersect(year, { start: '2026-03-01', end: '2026-03-31' })).toEqual({ start: '2026-03-01', end: '2026-03-31' });
    expect(intersect(year, { start: '2020-01-01', end: '2030-01-01' })).toEqual(year);
  });
  it('open-ended b', () => {
    expect(intersect(year, { start: '2026-07-01', end: null })).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(intersect(year, { start: '2020-01-01', end: null })).toEqual(year);
    expect(intersect(year, { start: '2027-01-01', end: null })).toBeNull();
  });
  it('touching on one day, and disjoint', () => {
    expect(intersect(year, { start: '2026-12-31', end: '2027-12-31' })).toEqual({ start: '2026-12-31', end: '2026-12-31' });
    expect(intersect(year, { start: '2025-01-01', end: '2026-01-01' })).toEqual({ start: '2026-01-01', end: '2026-01-01' });
    expect(intersect(year, { start: '2025-01-01', end: '2025-12-31' })).toBeNull();
    expect(intersect({ start: '2026-01-01', end: '2026-03-31' }, { start: '2026-07-01', end: null })).toBeNull();
  });
});

describe('RELATIVE_PERIODS (completion offers them)', () => {
  it('every word is a period parsePeriod accepts', () => {
    for (const w of RELATIVE_PERIODS) expect(() => parsePeriod(w, { today: '2026-11-23', fiscalYearStart: 7 })).not.toThrow();
  });
});
