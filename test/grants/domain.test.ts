import { describe, expect, it } from 'vitest';
import { assertWithinAward, deriveStatus, parseServiceHours, serviceMinutesRemaining } from '../../src/domain/grants.js';
import { ConflictError, ValidationError } from '../../src/errors.js';

describe('grants domain', () => {
  it('derives the status from what was paid, unless closed', () => {
    expect(deriveStatus({ amount: 150000, paid: 0, closedAs: null })).toBe('awarded');
    expect(deriveStatus({ amount: 150000, paid: 1, closedAs: null })).toBe('active');
    expect(deriveStatus({ amount: 150000, paid: 149999, closedAs: null })).toBe('active');
    expect(deriveStatus({ amount: 150000, paid: 150000, closedAs: null })).toBe('completed');
    expect(deriveStatus({ amount: 150000, paid: 50000, closedAs: 'cancelled' })).toBe('cancelled');
    expect(deriveStatus({ amount: 150000, paid: 50000, closedAs: 'completed' })).toBe('completed');
  });

  it('paid + scheduled + new never exceeds the award, to the cent', () => {
    const g = { id: 4, amount: 150000, paid: 50000, scheduled: 0 };
    expect(() => assertWithinAward(g, 100000)).not.toThrow();
    expect(() => assertWithinAward(g, 100001)).toThrow(ConflictError);
    expect(() => assertWithinAward(g, 100001)).toThrow(
      'disbursing 1000.01 would bring disbursements to 1500.01 of an award of 1500.00 (grant #4: paid 500.00, scheduled 0.00)',
    );
    expect(() => assertWithinAward({ ...g, scheduled: 100000 }, 1)).toThrow('would bring disbursements to 1500.01');
  });

  it('service hours: decimal hours to whole minutes; remaining never negative', () => {
    expect(parseServiceHours('40')).toBe(2400);
    expect(parseServiceHours('37.5')).toBe(2250);
    expect(parseServiceHours('0.01')).toBe(1);
    expect(() => parseServiceHours('0')).toThrow(ValidationError);
    expect(() => parseServiceHours('-3')).toThrow(ValidationError);
    expect(serviceMinutesRemaining(2400, 255)).toBe(2145);
    expect(serviceMinutesRemaining(2400, 3000)).toBe(0);
    expect(serviceMinutesRemaining(null, 300)).toBeNull();
  });
});
