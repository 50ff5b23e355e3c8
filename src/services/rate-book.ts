/**
 * Choosing the valuation rate of a year: the year's own rate, else the latest earlier one (with a
 * warning for volunteer-hour rates, once per year; the charitable mileage rate is statutory and has
 * stood at 0.14 since 1998, so falling back to it is the rule, not news), else an error naming the
 * command that sets one.
 */
import type { Conn } from '../store/conn.js';
import { NotFoundError } from '../errors.js';
import { rateForYear, type RateKind } from '../store/rates.js';
import { formatCents } from '../domain/money.js';

export class RateBook {
  private cache = new Map<string, number>();
  readonly warnings: string[] = [];
  constructor(
    private readonly db: Conn,
    private readonly warn: (m: string) => void,
  ) {}

  /** What `rate` returns for the year, or undefined when no year up to it has one; no warning, no error. */
  async peek(kind: RateKind, year: number): Promise<number | undefined> {
    return this.cache.get(`${kind}:${year}`) ?? (await rateForYear(this.db, kind, year))?.amount;
  }

  async rate(kind: RateKind, year: number): Promise<number> {
    const key = `${kind}:${year}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const r = await rateForYear(this.db, kind, year);
    if (!r) {
      throw new NotFoundError(`no ${kind} rate for ${year} or any earlier year`, `set one: ngo rates set ${kind} ${year} AMOUNT`);
    }
    if (r.year !== year && kind === 'volunteer-hour') {
      const m = `no ${kind} rate for ${year}; using ${r.year}'s rate ${formatCents(r.amount)} (set one with: ngo rates set ${kind} ${year} AMOUNT)`;
      this.warnings.push(m);
      this.warn(m);
    }
    this.cache.set(key, r.amount);
    return r.amount;
  }
}
