import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { addDays, addMonths, daysBetween, isoOf, isValidIsoDate, lastDayOfMonth, localToday, monthKey, parseDate, yearOf } from '../../src/domain/dates.js';

function utcIso(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

describe('isValidIsoDate', () => {
  it.each([
    ['2026-01-01', true],
    ['2026-12-31', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2026-02-28', true],
    ['2026-04-30', true],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2026-02-29', false],
    ['1900-02-29', false],
    ['2100-02-29', false],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-01-32', false],
    ['0000-01-01', false],
    ['2026-1-01', false],
    ['2026-01-1', false],
    ['26-01-01', false],
    ['20260101', false],
    ['2026/01/01', false],
    [' 2026-01-01', false],
    ['2026-01-01T00:00', false],
    ['', false],
    ['２０２６-01-01', false],
  ])('%s → %s', (s, ok) => {
    expect(isValidIsoDate(s)).toBe(ok);
  });
});

describe('lastDayOfMonth', () => {
  it('knows month lengths and leap years', () => {
    const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    lengths.forEach((n, i) => expect(lastDayOfMonth(2026, i + 1)).toBe(n));
    expect(lastDayOfMonth(2024, 2)).toBe(29);
    expect(lastDayOfMonth(2000, 2)).toBe(29);
    expect(lastDayOfMonth(1900, 2)).toBe(28);
    expect(lastDayOfMonth(2100, 2)).toBe(28);
    expect(lastDayOfMonth(4, 2)).toBe(29); // years below 100 are not mapped to 19xx
    expect(lastDayOfMonth(100, 2)).toBe(28);
  });
  it('rejects months outside 1-12', () => {
    expect(() => lastDayOfMonth(2026, 0)).toThrow(RangeError);
    expect(() => lastDayOfMonth(2026, 13)).toThrow(RangeError);
    expect(() => lastDayOfMonth(2026, 1.5)).toThrow(RangeError);
  });
  it('agrees with Date.UTC for 1901-2100', () => {
    for (let y = 1901; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) expect(lastDayOfMonth(y, m)).toBe(new Date(Date.UTC(y, m, 0)).getUTCDate());
    }
  });
});

describe('isoOf', () => {
  it('zero-pads', () => {
    expect(isoOf(2026, 3, 4)).toBe('2026-03-04');
    expect(isoOf(5, 1, 1)).toBe('0005-01-01');
  });
});

describe('parseDate', () => {
  it('iso: trims and returns the same date', () => {
    expect(parseDate('2026-03-04')).toBe('2026-03-04');
    expect(parseDate(' 2026-03-04\t')).toBe('2026-03-04');
    expect(parseDate('2024-02-29', 'iso')).toBe('2024-02-29');
  });
  it('iso: rejects other shapes and impossible dates with the documented message', () => {
    expect(() => parseDate('2026-02-30')).toThrow(new ValidationError('invalid date "2026-02-30" (expected YYYY-MM-DD)'));
    for (const bad of ['3/4/2026', '2026-3-4', '2026/03/04', '', '   ', 'today', '2026-03-04x', '1900-02-29']) {
      expect(() => parseDate(bad), bad).toThrow(ValidationError);
    }
  });
  it('names the value and uses `what`', () => {
    expect(() => parseDate('soon', 'iso', '--since date')).toThrow('invalid --since date "soon" (expected YYYY-MM-DD)');
    expect(() => parseDate('13/1/2026', 'mdy', 'joined_on')).toThrow('invalid joined_on "13/1/2026" (expected M/D/YYYY)');
    expect(() => parseDate('1/13/2026', 'dmy')).toThrow('invalid date "1/13/2026" (expected D/M/YYYY)');
  });
  it('errors carry exit code 3', () => {
    try {
      parseDate('nope');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).exitCode).toBe(3);
    }
  });
  it('mdy: M/D/YYYY and MM/DD/YYYY with / - or .', () => {
    expect(parseDate('3/4/2026', 'mdy')).toBe('2026-03-04');
    expect(parseDate('03/04/2026', 'mdy')).toBe('2026-03-04');
    expect(parseDate('12/31/2026', 'mdy')).toBe('2026-12-31');
    expect(parseDate('12-31-2026', 'mdy')).toBe('2026-12-31');
    expect(parseDate('12.31.2026', 'mdy')).toBe('2026-12-31');
    expect(parseDate(' 2/29/2024 ', 'mdy')).toBe('2024-02-29');
  });
  it('dmy: D/M/YYYY', () => {
    expect(parseDate('3/4/2026', 'dmy')).toBe('2026-04-03');
    expect(parseDate('31/12/2026', 'dmy')).toBe('2026-12-31');
    expect(parseDate('31.12.2026', 'dmy')).toBe('2026-12-31');
    expect(parseDate('29-02-2024', 'dmy')).toBe('2024-02-29');
  });
  it('mdy and dmy also accept an ISO cell', () => {
    expect(parseDate('2026-03-04', 'mdy')).toBe('2026-03-04');
    expect(parseDate('2026-03-04', 'dmy')).toBe('2026-03-04');
  });
  it('mdy and dmy reject impossible dates and odd shapes', () => {
    for (const bad of [
      '2/30/2026',
      '2/29/2026',
      '13/1/2026',
      '0/1/2026',
      '1/0/2026',
      '1/1/26',
      '1/1/02026',
      '1/2-2026',
      '123/1/2026',
      '2026-02-30',
      '1 / 2 / 2026',
    ]) {
      expect(() => parseDate(bad, 'mdy'), bad).toThrow(ValidationError);
    }
    for (const bad of ['30/2/2026', '1/13/2026', '32/1/2026', '2026/01/02']) {
      expect(() => parseDate(bad, 'dmy'), bad).toThrow(ValidationError);
    }
  });
});

describe('localToday', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  it('uses the local calendar date', () => {
    expect(localToday(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01');
    expect(localToday(new Date(2026, 11, 31, 23, 59))).toBe('2026-12-31');
  });
  it('differs from the UTC date late in the evening west of Greenwich', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(localToday(new Date('2026-07-01T05:00:00Z'))).toBe('2026-06-30');
    process.env.TZ = 'Pacific/Auckland';
    expect(localToday(new Date('2026-06-30T15:00:00Z'))).toBe('2026-07-01');
  });
  it('rejects an invalid Date', () => {
    expect(() => localToday(new Date('x'))).toThrow(RangeError);
  });
});

describe('addDays / daysBetween', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-05-05', 0)).toBe('2026-05-05');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
  });
  it('counts b − a', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(daysBetween('2026-12-31', '2026-01-01')).toBe(-364);
    expect(daysBetween('2026-05-05', '2026-05-05')).toBe(0);
    expect(daysBetween('1970-01-01', '2000-01-01')).toBe(10957);
  });
  it('is not shifted by DST in any time zone', () => {
    const savedTz = process.env.TZ;
    try {
      for (const tz of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata']) {
        process.env.TZ = tz;
        expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2); // US spring forward 03-08
        expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // EU spring forward 03-29
        expect(daysBetween('2026-10-31', '2026-11-02')).toBe(2); // US fall back 11-01
        expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
        expect(addDays('2026-11-01', 1)).toBe('2026-11-02');
        expect(addDays('2026-04-05', -1)).toBe('2026-04-04'); // AU DST end
      }
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });
  it('agrees with UTC Date arithmetic day by day for 1899-2101', () => {
    const start = Date.UTC(1899, 0, 1);
    let iso = '1899-01-01';
    for (let i = 1; i <= 203 * 366; i++) {
      iso = addDays(iso, 1);
      const want = utcIso(start + i * 86_400_000);
      if (iso !== want) expect(iso).toBe(want);
    }
    expect(daysBetween('1899-01-01', iso)).toBe(203 * 366);
  });
  it('round-trips large offsets', () => {
    for (const n of [-700_000, -1, 1, 12345, 2_000_000]) {
      expect(daysBetween('2026-06-15', addDays('2026-06-15', n))).toBe(n);
    }
  });
  it('rejects invalid input and results outside 0001-9999', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(ValidationError);
    expect(() => daysBetween('2026-01-01', 'soon')).toThrow('invalid date "soon"');
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow('out of range');
    expect(() => addDays('0001-01-01', -1)).toThrow('out of range');
  });
});

describe('addMonths', () => {
  it('clamps to the end of the target month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });
  it('crosses years both ways', () => {
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-01-15', -24)).toBe('2024-01-15');
    expect(addMonths('2026-06-10', 0)).toBe('2026-06-10');
    expect(addMonths('2026-06-10', 30)).toBe('2028-12-10');
  });
  it('rejects bad input', () => {
    expect(() => addMonths('2026-13-01', 1)).toThrow(ValidationError);
    expect(() => addMonths('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addMonths('9999-12-01', 1)).toThrow('out of range');
    expect(() => addMonths('0001-01-31', -1)).toThrow('out of range');
  });
});

describe('yearOf / monthKey', () => {
  it('extracts parts of a valid date', () => {
    expect(yearOf('2026-10-05')).toBe(2026);
    expect(yearOf('0042-01-01')).toBe(42);
    expect(monthKey('2026-10-05')).toBe('2026-10');
    expect(monthKey('2024-02-29')).toBe('2024-02');
  });
  it('rejects invalid dates', () => {
    expect(() => yearOf('2026')).toThrow(ValidationError);
    expect(() => monthKey('2026-02-30')).toThrow(ValidationError);
  });
});

describe('date cells of imported files (Contract v2)', () => {
  it('splits a date from its time; reads times of day; tells the readings of a slash date', async () => {
    const { splitDateTime, parseTimeOfDay, slashReadings } = await import('../../src/domain/dates.js');
    expect(splitDateTime('2025-04-01 09:00:00')).toEqual({ date: '2025-04-01', seconds: 9 * 3600 });
    expect(splitDateTime('2025-04-01T09:00')).toEqual({ date: '2025-04-01', seconds: 9 * 3600 });
    expect(splitDateTime('2025-04-01T23:59:59.125Z')).toEqual({ date: '2025-04-01', seconds: 86399 });
    expect(splitDateTime('2025-04-01T09:00:00+02:00')).toEqual({ date: '2025-04-01', seconds: 9 * 3600 });
    expect(splitDateTime('4/1/2025 9:00 AM')).toEqual({ date: '4/1/2025', seconds: 9 * 3600 });
    expect(splitDateTime('4/1/2025 12:30 a.m.')).toEqual({ date: '4/1/2025', seconds: 30 * 60 });
    expect(splitDateTime('2025-04-01 soon')).toEqual({ date: '2025-04-01 soon', seconds: null });
    expect(splitDateTime('2025-04-01 25:00')).toEqual({ date: '2025-04-01 25:00', seconds: null });
    expect(parseTimeOfDay('12:00 PM')).toBe(12 * 3600);
    expect(parseTimeOfDay('12:00 AM')).toBe(0);
    expect(parseTimeOfDay('13:00 PM')).toBeNull();
    expect(parseTimeOfDay('9:60')).toBeNull();
    expect(slashReadings('3/7/2026')).toEqual({ mdy: '2026-03-07', dmy: '2026-07-03' });
    expect(slashReadings('3/25/2026')).toEqual({ mdy: '2026-03-25', dmy: null });
    expect(slashReadings('25.03.2026')).toEqual({ mdy: null, dmy: '2026-03-25', dot: true });
    expect(slashReadings('2/30/2026')).toEqual({ mdy: null, dmy: null });
    expect(slashReadings('2026-03-07')).toBeNull();
    expect(slashReadings('3/7/26')).toBeNull();
  });
});
