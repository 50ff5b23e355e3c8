/**
 * A person's dated hourly rates (SPEC "Figures that stay true"): spans of days, each with the rate in
 * force; an entry is valued at the rate of the span holding its date, and an entry outside every span
 * is general volunteer time. Pure.
 */
import { addDays } from './dates.js';

/** The first day of a span that has no start ("from the start"), and the last of one that has no end. */
export const FROM_START = '0000-01-01';
export const OPEN_END = '9999-12-31';

export interface RateSpan {
  valid_from: string;
  valid_to: string;
  /** Cents per hour, more than 0. */
  hourly_rate: number;
}

const byStart = (a: RateSpan, b: RateSpan) => (a.valid_from < b.valid_from ? -1 : a.valid_from > b.valid_from ? 1 : 0);

/**
 * The spans after "the rate is `rate` from `from` on" (`null`: no rate from then on, a general
 * volunteer). Everything before `from` stays exactly as it was; everything from `from` on is replaced.
 * A rate equal to the one in force the day before simply continues that span.
 */
export function rateFrom(spans: readonly RateSpan[], from: string, rate: number | null): RateSpan[] {
  const before = from <= '0001-01-01' ? null : addDays(from, -1);
  const out: RateSpan[] = [];
  for (const s of [...spans].sort(byStart)) {
    if (s.valid_from >= from || before === null) continue;
    out.push(s.valid_to >= from ? { ...s, valid_to: before } : { ...s });
  }
  if (rate !== null) {
    const last = out.at(-1);
    if (last && last.valid_to === before && last.hourly_rate === rate) last.valid_to = OPEN_END;
    else out.push({ valid_from: from, valid_to: OPEN_END, hourly_rate: rate });
  }
  return out;
}

/** The rate in force on `date`, or null. */
export function rateOn(spans: readonly RateSpan[], date: string): number | null {
  return spans.find((s) => s.valid_from <= date && date <= s.valid_to)?.hourly_rate ?? null;
}

/** The rate from the latest start on, when it has no end (what a roster export shows), else null. */
export function openRate(spans: readonly RateSpan[]): number | null {
  const last = [...spans].sort(byStart).at(-1);
  return last && last.valid_to === OPEN_END ? last.hourly_rate : null;
}

export function sameSpans(a: readonly RateSpan[], b: readonly RateSpan[]): boolean {
  const x = [...a].sort(byStart);
  const y = [...b].sort(byStart);
  return x.length === y.length && x.every((s, i) => s.valid_from === y[i]!.valid_from && s.valid_to === y[i]!.valid_to && s.hourly_rate === y[i]!.hourly_rate);
}

/** A span as people show and the audit log write it: `85.00 from 2026-01-01`, `85.00 from the start to 2025-12-31`. */
export function describeSpan(s: RateSpan, money: (c: number) => string): string {
  const from = s.valid_from === FROM_START ? 'from the start' : `from ${s.valid_from}`;
  return `${money(s.hourly_rate)} ${from}${s.valid_to === OPEN_END ? '' : ` to ${s.valid_to}`}`;
}
