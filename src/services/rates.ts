/**
 * Changing a person's hourly rate (SPEC "Figures that stay true"): the rate is dated, so a change
 * applies from a date on and every entry keeps the rate in force on its own date; a funder report for
 * a period before the change gives the same bytes afterwards. Used by `people edit --rate` and by the
 * roster import (which changes a rate from the import date).
 */
import type { DB } from '../store/db.js';
import type { Changes } from '../store/audit.js';
import { entriesRevalued, rateSpans, replaceRateSpans } from '../store/people.js';
import { describeSpan, openRate, rateFrom, sameSpans } from '../domain/rate-history.js';
import { formatCents } from '../domain/money.js';

export interface RateChange {
  /** Audit changes: the open rate before/after, the date it applies from, the spans before/after. */
  changes: Changes;
  /** Counted skilled entries dated from `from` on, whose value changes (0 when nothing changed). */
  revalued: number;
}

const spansText = (db: DB, personId: number) => rateSpans(db, personId).map((s) => describeSpan(s, formatCents)).join('; ') || null;

/** Apply "rate `rate` (null: none) from `from` on" inside the caller's transaction; null when nothing changes. */
export function changeRate(db: DB, personId: number, rate: number | null, from: string, now: string): RateChange | null {
  const before = rateSpans(db, personId);
  const after = rateFrom(before, from, rate);
  if (sameSpans(before, after)) return null;
  const textBefore = spansText(db, personId);
  replaceRateSpans(db, personId, after, now);
  return {
    changes: {
      hourly_rate: [openRate(before), openRate(after)],
      rate_from: [null, from],
      rate_history: [textBefore, spansText(db, personId)],
    },
    revalued: entriesRevalued(db, personId, from),
  };
}
