/**
 * Reporting periods: `2026`, `2026-Q3`, `2026-10`, `FY2026` (the fiscal year that ENDS in 2026),
 * `this-month`, `last-month`, `this-quarter`, `last-quarter`, `this-year`, `last-year`, `ytd`,
 * a single date, or --from/--to. Both ends inclusive.
 */
import { UsageError, ValidationError } from '../errors.js';
import { addMonths, isValidIsoDate, isoOf, lastDayOfMonth, parseDate } from './dates.js';

export interface Period {
  start: string;
  end: string;
  label: string;
}

export interface PeriodContext {
  today: string;
  fiscalYearStart: number;
}

function month(y: number, m: number): Period {
  return { start: isoOf(y, m, 1), end: isoOf(y, m, lastDayOfMonth(y, m)), label: `${y}-${String(m).padStart(2, '0')}` };
}
function quarter(y: number, q: number): Period {
  const m0 = (q - 1) * 3 + 1;
  return { start: isoOf(y, m0, 1), end: isoOf(y, m0 + 2, lastDayOfMonth(y, m0 + 2)), label: `${y}-Q${q}` };
}
function year(y: number): Period {
  return { start: isoOf(y, 1, 1), end: isoOf(y, 12, 31), label: String(y) };
}
/** The fiscal year that ends in `y`. */
export function fiscalYear(y: number, fyStart: number): Period {
  if (fyStart === 1) return { ...year(y), label: `FY${y}` };
  const start = isoOf(y - 1, fyStart, 1);
  const endMonth = fyStart - 1;
  return { start, end: isoOf(y, endMonth, lastDayOfMonth(y, endMonth)), label: `FY${y}` };
}

export function parsePeriod(spec: string, ctx: PeriodContext): Period {
  const s = spec.trim().toLowerCase();
  const ty = Number(ctx.today.slice(0, 4));
  const tm = Number(ctx.today.slice(5, 7));
  const tq = Math.floor((tm - 1) / 3) + 1;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(s))) return year(Number(m[1]));
  if ((m = /^(\d{4})-q([1-4])$/.exec(s))) return quarter(Number(m[1]), Number(m[2]));
  if ((m = /^(\d{4})-(\d{2})$/.exec(s)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) return month(Number(m[1]), Number(m[2]));
  if ((m = /^fy(\d{4})$/.exec(s))) return fiscalYear(Number(m[1]), ctx.fiscalYearStart);
  if (isValidIsoDate(s)) return { start: s, end: s, label: s };
  switch (s) {
    case 'this-month':
      return month(ty, tm);
    case 'last-month': {
      const d = addMonths(isoOf(ty, tm, 1), -1);
      return month(Number(d.slice(0, 4)), Number(d.slice(5, 7)));
    }
    case 'this-quarter':
      return quarter(ty, tq);
    case 'last-quarter':
      return tq === 1 ? quarter(ty - 1, 4) : quarter(ty, tq - 1);
    case 'this-year':
      return year(ty);
    case 'last-year':
      return year(ty - 1);
    case 'ytd':
      return { start: isoOf(ty, 1, 1), end: ctx.today, label: `${isoOf(ty, 1, 1)}_${ctx.today}` };
  }
  throw new ValidationError(`invalid period "${spec}" (expected e.g. 2026, 2026-Q3, 2026-10, FY2026, last-month, ytd)`);
}

export function periodFromRange(from: string, to: string): Period {
  const start = parseDate(from, 'iso', '--from date');
  const end = parseDate(to, 'iso', '--to date');
  if (end < start) throw new ValidationError(`--to ${end} is before --from ${start}`);
  return { start, end, label: `${start}_${end}` };
}

export function resolvePeriod(o: { period?: string; from?: string; to?: string }, ctx: PeriodContext): Period | undefined {
  const hasRange = o.from !== undefined || o.to !== undefined;
  if (o.period !== undefined && hasRange) throw new UsageError('use either --period or --from and --to');
  if (o.period !== undefined) return parsePeriod(o.period, ctx);
  if (hasRange) {
    if (o.from === undefined || o.to === undefined) throw new UsageError('use either --period or --from and --to');
    return periodFromRange(o.from, o.to);
  }
  return undefined;
}

export function periodContains(p: { start: string; end: string }, iso: string): boolean {
  return iso >= p.start && iso <= p.end;
}

/** Intersection of two ranges; `b.end` null is open-ended. */
export function intersect(a: { start: string; end: string }, b: { start: string; end: string | null }): { start: string; end: string } | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = b.end === null || a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}
