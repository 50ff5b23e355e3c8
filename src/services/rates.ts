/**
 * Changing a person's hourly rate (SPEC "Figures that stay true"): the rate is dated, so a change
 * applies from a date on and every entry keeps the rate in force on its own date; a funder report for
 * a period before the change gives the same bytes afterwards. Used by `people edit --rate` and by the
 * roster import (which changes a rate from the import date).
 *
 * And the write of the valuation rates by year (`ngo rates set`): the volunteer-hour or mileage rate
 * of a year, one transaction under the single-writer lock with its audit entry.
 */
import type { App } from '../app.js';
import type { Conn } from '../store/conn.js';
import type { Changes } from '../store/audit.js';
import { entriesBefore, entriesRevalued, rateSpans, replaceRateSpans } from '../store/people.js';
import { FROM_START, OPEN_END, describeSpan, openRate, rateFrom, sameSpans, type RateSpan } from '../domain/rate-history.js';
import { addDays } from '../domain/dates.js';
import { formatCents } from '../domain/money.js';
import { entriesValuedBy, getRate, putRate, rateForYear, type RateKind } from '../store/rates.js';

export interface RateChange {
  /** Audit changes: the open rate before/after, the date it applies from, the spans before/after. */
  changes: Changes;
  /** Counted skilled entries dated from `from` on, whose value changes (0 when nothing changed). */
  revalued: number;
  /** The date the rate applies from (`from`, or the start: see changeRate). */
  from: string;
  /** Spans that started on or after `from` and are gone now. */
  replaced: RateSpan[];
  /** Ends of a rate (`--rate ""` from a day) on or after `from` that the new rate removes: those days. */
  endsRemoved: string[];
}

const spansText = async (db: Conn, personId: number) => (await rateSpans(db, personId)).map((s) => describeSpan(s, formatCents)).join('; ') || null;

/**
 * Apply "rate `rate` (null: none) from `from` on" inside the caller's transaction; null when nothing
 * changes. With `fromIsDefault` (no --rate-from, and the roster import), a person who never had a
 * rate and has no entry dated before `from` gets the rate from the start: no figure about them can
 * change, and hours they log later for an earlier day are valued at it.
 */
export async function changeRate(
  db: Conn,
  personId: number,
  rate: number | null,
  from: string,
  now: string,
  o: { fromIsDefault?: boolean } = {},
): Promise<RateChange | null> {
  const before = await rateSpans(db, personId);
  let start = from;
  if (o.fromIsDefault && rate !== null && before.length === 0 && !(await entriesBefore(db, personId, from))) start = FROM_START;
  const after = rateFrom(before, start, rate);
  if (sameSpans(before, after)) return null;
  const textBefore = await spansText(db, personId);
  await replaceRateSpans(db, personId, after, now);
  return {
    changes: {
      hourly_rate: [openRate(before), openRate(after)],
      rate_from: [null, start === FROM_START ? 'the start' : start],
      rate_history: [textBefore, await spansText(db, personId)],
    },
    revalued: await entriesRevalued(db, personId, start),
    from: start,
    replaced: before.filter((s) => s.valid_from >= start && s.valid_from !== FROM_START),
    // A day from which there was no rate (a span's end), now under the new rate (third attack, F9.3).
    endsRemoved:
      rate === null
        ? []
        : before
            .filter((s) => s.valid_to !== OPEN_END && addDays(s.valid_to, 1) >= start)
            .map((s) => addDays(s.valid_to, 1))
            .filter((day) => !before.some((s) => s.valid_from === day)),
  };
}

/**
 * Set (or override) the `kind` rate of `year`; audited when it changed. Returns the entries it values
 * anew, by year (its own, and the later years without a rate of their own; none when nothing changed),
 * and the rate the year used until now (its own, else the latest earlier one; null: none).
 */
export async function setYearRate(
  app: App,
  kind: RateKind,
  year: number,
  amount: number,
): Promise<{ valued: { year: number; entries: number }[]; usedBefore: number | null }> {
  return app.tx(async () => {
    const before = (await getRate(await app.db(), kind, year)) ?? null;
    // What the year (and the later years without a rate of their own) used until now.
    const usedBefore = before ?? (await rateForYear(await app.db(), kind, year - 1))?.amount ?? null;
    if (before === amount) return { valued: [], usedBefore };
    await putRate(await app.db(), kind, year, amount);
    await app.audit('update', 'rate', year, { [kind]: [before, amount] });
    return { valued: await entriesValuedBy(await app.db(), kind, year), usedBefore };
  });
}
