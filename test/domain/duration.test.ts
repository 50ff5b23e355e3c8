import { describe, expect, it } from 'vitest';
import { UsageError, ValidationError } from '../../src/errors.js';
import {
  durationFromOptions,
  formatHours,
  MAX_ENTRY_MINUTES,
  minutesToHundredths,
  parseClock,
  parseHours,
  parseMinutes,
  validateEntryMinutes,
} from '../../src/domain/duration.js';

describe('parseHours', () => {
  it.each([
    ['1.5', 90],
    ['0.25', 15],
    ['2', 120],
    ['2.0', 120],
    ['.5', 30],
    ['+1', 60],
    [' 8 ', 480],
    ['24', 1440],
    ['0', 0],
    ['0.01', 1], // 0.6 min
    ['0.0083', 0], // 0.498 min
    ['0.00834', 1], // 0.5004 min
    ['1.3333333333333333', 80], // spreadsheet thirds
    ['1.6666666666666667', 100],
    ['0.125', 8], // 7.5 min → 8 (half away)
    ['0.375', 23], // 22.5 → 23
    ['1.', 60],
    ['40', 2400],
  ])('%j → %i min', (s, m) => {
    expect(parseHours(s)).toBe(m);
  });
  it.each(['', ' ', 'two', '1h', '1:30', '1,5', '1e2', '-1', '-0.5', 'NaN', 'Infinity', '.', '1.2.3'])('rejects %j', (s) => {
    expect(() => parseHours(s)).toThrow(ValidationError);
  });
  it('messages name the value', () => {
    expect(() => parseHours('two')).toThrow(new ValidationError('invalid hours "two" (expected decimal hours such as 1.5)'));
    expect(() => parseHours('-1')).toThrow('invalid hours "-1" (must not be negative)');
    expect(() => parseHours('forty', '--service-hours')).toThrow('invalid --service-hours "forty"');
    expect(() => parseHours('9999999999')).toThrow('invalid hours "9999999999" (too large)');
  });
});

describe('parseMinutes', () => {
  it('whole minutes', () => {
    expect(parseMinutes('90')).toBe(90);
    expect(parseMinutes(' 1440 ')).toBe(1440);
    expect(parseMinutes('007')).toBe(7);
    expect(parseMinutes('0')).toBe(0); // the entry range check reports zero
  });
  it.each(['', '1.5', '-5', '+5', '90m', '1e2', '1,000', 'ninety', '99999999999'])('rejects %j', (s) => {
    expect(() => parseMinutes(s)).toThrow(ValidationError);
  });
  it('message', () => {
    expect(() => parseMinutes('1.5')).toThrow('invalid minutes "1.5" (expected whole minutes such as 90)');
  });
});

describe('parseClock', () => {
  it.each([
    ['1:30', 90],
    ['0:45', 45],
    ['01:05', 65],
    ['24:00', 1440],
    ['0:00', 0],
    [' 2:00 ', 120],
    ['10:59', 659],
  ])('%j → %i', (s, m) => {
    expect(parseClock(s)).toBe(m);
  });
  it.each(['1:60', '1:5', '1:305', ':30', '1:', '1.30', '1h30', '-1:30', '1:30:00', '', 'abc'])('rejects %j', (s) => {
    expect(() => parseClock(s)).toThrow(ValidationError);
  });
  it('message', () => {
    expect(() => parseClock('1:60')).toThrow('invalid duration "1:60" (expected H:MM such as 1:30)');
  });
});

describe('validateEntryMinutes', () => {
  it('accepts 1 … 1440', () => {
    expect(MAX_ENTRY_MINUTES).toBe(1440);
    expect(validateEntryMinutes(1)).toBe(1);
    expect(validateEntryMinutes(90)).toBe(90);
    expect(validateEntryMinutes(1440)).toBe(1440);
  });
  it('rejects zero, negative and more than 24 h with the hours in the message', () => {
    expect(() => validateEntryMinutes(0)).toThrow(new ValidationError('duration must be more than 0 and at most 24 hours (got 0.00 h)'));
    expect(() => validateEntryMinutes(1441)).toThrow('(got 24.02 h)');
    expect(() => validateEntryMinutes(1500)).toThrow('(got 25.00 h)');
    expect(() => validateEntryMinutes(-30)).toThrow('(got -0.50 h)');
  });
  it('rejects non-integers', () => {
    expect(() => validateEntryMinutes(1.5)).toThrow(ValidationError);
    expect(() => validateEntryMinutes(Number.NaN)).toThrow(ValidationError);
  });
});

describe('durationFromOptions', () => {
  it('takes exactly one of the three', () => {
    expect(durationFromOptions({ hours: '1.5' })).toBe(90);
    expect(durationFromOptions({ minutes: '90' })).toBe(90);
    expect(durationFromOptions({ duration: '1:30' })).toBe(90);
    expect(durationFromOptions({ hours: '24' })).toBe(1440);
    expect(durationFromOptions({ hours: '0.01' })).toBe(1);
  });
  it('none → undefined', () => {
    expect(durationFromOptions({})).toBeUndefined();
    expect(durationFromOptions({ hours: undefined, minutes: undefined, duration: undefined })).toBeUndefined();
  });
  it.each([
    [{ hours: '1', minutes: '60' }],
    [{ hours: '1', duration: '1:00' }],
    [{ minutes: '60', duration: '1:00' }],
    [{ hours: '1', minutes: '60', duration: '1:00' }],
  ])('%j is a usage error', (o) => {
    try {
      durationFromOptions(o);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toBe('give only one of --hours, --minutes, --duration');
    }
  });
  it('applies the entry range', () => {
    expect(() => durationFromOptions({ hours: '25' })).toThrow('duration must be more than 0 and at most 24 hours (got 25.00 h)');
    expect(() => durationFromOptions({ hours: '0' })).toThrow('more than 0');
    expect(() => durationFromOptions({ hours: '0.008' })).toThrow('duration 0.008 h is less than half a minute'); // rounds to 0 min
  });
  it('checks the exact value before rounding to a minute (SPEC "Faults and values")', () => {
    // 24.0001 h is 1440.006 minutes: it would round to exactly 24 h, and is still refused.
    expect(() => durationFromOptions({ hours: '24.0001' })).toThrow('duration must be more than 0 and at most 24 hours (got 24.0001 h)');
    expect(() => durationFromOptions({ hours: '24.00000000001' })).toThrow('at most 24 hours');
    expect(durationFromOptions({ hours: '24' })).toBe(1440);
    expect(durationFromOptions({ hours: '24.000' })).toBe(1440);
    expect(durationFromOptions({ hours: '23.9999' })).toBe(1440); // 1439.994 min: within 24 h, rounds to 1440
    expect(durationFromOptions({ hours: '0.0084' })).toBe(1); // 0.504 min rounds half away to 1
    expect(() => durationFromOptions({ minutes: '0' })).toThrow('duration must be more than 0');
    expect(() => durationFromOptions({ minutes: '1441' })).toThrow('(got 24.02 h)');
    expect(() => durationFromOptions({ duration: '24:01' })).toThrow('at most 24 hours');
  });
  it('passes on parse errors', () => {
    expect(() => durationFromOptions({ hours: '-1' })).toThrow(ValidationError);
    expect(() => durationFromOptions({ hours: 'two' })).toThrow('invalid hours "two"');
    expect(() => durationFromOptions({ duration: '90' })).toThrow('invalid duration "90"');
  });
});

describe('formatHours / minutesToHundredths', () => {
  it.each([
    [90, '1.50', 150],
    [20, '0.33', 33],
    [10, '0.17', 17],
    [0, '0.00', 0],
    [1, '0.02', 2], // 1.666…
    [3, '0.05', 5],
    [30, '0.50', 50],
    [40, '0.67', 67],
    [45, '0.75', 75],
    [60, '1.00', 100],
    [1440, '24.00', 2400],
    [6000, '100.00', 10000],
    [-20, '-0.33', -33],
    [-10, '-0.17', -17],
  ])('%i min → %s h', (m, s, h) => {
    expect(formatHours(m)).toBe(s);
    expect(minutesToHundredths(m)).toBe(h);
  });
  it('round-trips with parseHours for whole quarter hours', () => {
    for (let m = 0; m <= 1440; m += 15) expect(parseHours(formatHours(m))).toBe(m);
  });
  it('rejects non-integers', () => {
    expect(() => formatHours(1.5)).toThrow(RangeError);
  });
});

describe('duration cells of imported files (Contract v2)', () => {
  it('reads every documented form, checked before rounding', async () => {
    const { parseDurationCell, minutesBetween, decimalText } = await import('../../src/domain/duration.js');
    const cases: [string, 'hours' | 'minutes' | 'duration', number][] = [
      ['2.5', 'hours', 150],
      ['1:30', 'hours', 90],
      ['1:5', 'duration', 65],
      ['0:45', 'duration', 45],
      ['01:30:00', 'duration', 90],
      ['0:00:30', 'duration', 1],
      ['90 min', 'hours', 90],
      ['90m', 'duration', 90],
      ['90 Mins.', 'hours', 90],
      ['1h30', 'duration', 90],
      ['1h 30m', 'hours', 90],
      ['1 hr 5 min', 'hours', 65],
      ['1.5 h', 'minutes', 90],
      ['1.5 hours', 'duration', 90],
      ['90', 'minutes', 90],
      ['24', 'hours', 1440],
      ['24:00', 'duration', 1440],
      ['24:00:00', 'duration', 1440],
    ];
    for (const [s, col, m] of cases) expect([s, col, parseDurationCell(s, col)]).toEqual([s, col, m]);
    expect(parseDurationCell('1,5', 'hours', true)).toBe(90);
    expect(parseDurationCell('1,5 h', 'duration', true)).toBe(90);
    // Limits on the exact value: one second over 24 h is refused, though it rounds to 1440 minutes.
    expect(() => parseDurationCell('24:00:01', 'duration')).toThrow('duration must be more than 0 and at most 24 hours (got 24:00:01 (H:MM:SS))');
    expect(() => parseDurationCell('1441 min', 'hours')).toThrow('at most 24 hours');
    expect(() => parseDurationCell('0:00:29', 'duration')).toThrow('less than half a minute');
    expect(() => parseDurationCell('0:00', 'duration')).toThrow('more than 0');
    expect(() => parseDurationCell('1:60', 'duration')).toThrow('minutes after the colon must be 0-59');
    expect(() => parseDurationCell('90', 'duration')).toThrow('duration "90" has no unit: write 90 min or 90 h (or H:MM)');
    expect(() => parseDurationCell('1,5', 'hours')).toThrow('a decimal comma? add --decimal-comma');
    expect(() => parseDurationCell('2 days', 'hours')).toThrow('expected a duration such as 1.5, 1:30, 90 min or 1h30');
    expect(() => parseDurationCell('-1 h', 'hours')).toThrow('must not be negative');
    expect(() => decimalText('1.234,50', 'expenses', true)).toThrow('no thousands separators');
    expect(minutesBetween({ day: null, seconds: 9 * 3600 }, { day: null, seconds: 11.5 * 3600 }, 'x')).toBe(150);
    expect(minutesBetween({ day: 1, seconds: 22 * 3600 }, { day: 2, seconds: 2 * 3600 }, 'x')).toBe(240);
    expect(() => minutesBetween({ day: null, seconds: 22 * 3600 }, { day: null, seconds: 2 * 3600 }, '22:00 to 02:00')).toThrow(
      'the end (22:00 to 02:00) is not after the start (a shift past midnight: give its hours, or dates with the times)',
    );
    expect(() => minutesBetween({ day: 1, seconds: 0 }, { day: 2, seconds: 1 }, 'x')).toThrow('at most 24 hours');
  });
});
