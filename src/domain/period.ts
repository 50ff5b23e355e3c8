/**
 * Reporting periods: `2026`, `2026-Q3`, `2026-10`, `FY2026` (the fiscal year that ENDS in 2026,
 * starting in month `fiscalYearStart`), `this-month`, `last-month`, `this-quarter`, `last-quarter`,
 * `this-year`, `last-year`, `ytd`, a single date, or `--from/--to`. Both ends are inclusive.
 * Relative specs resolve against `today` and carry the concrete label (`last-month` → `2025-12`).
 */
import { UsageError, ValidationError } from '../errors.js';
import { addMonths, isValidIsoDate, isoOf, lastDayOfMonth, parseDate } from './dates.js';

export interface Period {
  /** ISO date, inclusive. */
  start: string;
  /** ISO date, inclusive. */
  end: string;
  /** Canonical spec: `2026`, `2026-Q3`, `2026-10`, `FY2026`, `2026-10-05` or `START_END`. */
  label: string;
}

export interface PeriodContext {
  /** Local "today", ISO. */
  today: string;
  /** Month (1–12) the fiscal year starts in. */
  fiscalYearStart: number;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function monthPeriod(y: number, m: number): Period {
  return { start: isoOf(y, m, 1), end: isoOf(y, m, lastDayOfMonth(y, m)), label: `${pad(y, 4)}-${pad(m)}` };
}

function quarterPeriod(y: number, q: number): Period {
  const m0 = (q - 1) * 3 + 1;
  return { start: isoOf(y, m0, 1), end: isoOf(y, m0 + 2, lastDayOfMonth(y, m0 + 2)), label: `${pad(y, 4)}-Q${q}` };
}

function yearPeriod(y: number): Period {
  return { start: isoOf(y, 1, 1), end: isoOf(y, 12, 31), label: pad(y, 4) };
}

function checkContext(ctx: PeriodContext): void {
  if (!Number.isInteger(ctx.fiscalYearStart) || ctx.fiscalYearStart < 1 || ctx.fiscalYearStart > 12) {
    throw new ValidationError(`invalid fiscal_year_start "${ctx.fiscalYearStart}" (expected a month number 1-12)`);
  }
  if (!isValidIsoDate(ctx.today)) throw new ValidationError(`invalid today "${ctx.today}" (expected YYYY-MM-DD)`);
}

/** The fiscal year that ends in `y`, starting in month `fyStart` (1 = calendar year). */
export function fiscalYear(y: number, fyStart: number): Period {
  if (fyStart === 1) return { ...yearPeriod(y), label: `FY${pad(y, 4)}` };
  const endMonth = fyStart - 1;
  return { start: isoOf(y - 1, fyStart, 1), end: isoOf(y, endMonth, lastDayOfMonth(y, endMonth)), label: `FY${pad(y, 4)}` };
}

/** The periods named relative to today (parsePeriod's words), for help and completion. */
export const RELATIVE_PERIODS = ['this-month', 'last-month', 'this-quarter', 'last-quarter', 'this-year', 'last-year', 'ytd'] as const;

/** Parse a `--period` spec. Throws ValidationError naming the spec when it is not one. */
export function parsePeriod(spec: string, ctx: PeriodContext): Period {
  checkContext(ctx);
  const s = spec.trim().toLowerCase();
  const ty = Number(ctx.today.slice(0, 4));
  const tm = Number(ctx.today.slice(5, 7));
  const tq = Math.floor((tm - 1) / 3) + 1;
  const bad = () => new ValidationError(`invalid period "${spec}" (expected e.g. 2026, 2026-Q3, 2026-10, FY2026, last-month, ytd)`);
  let m: RegExpExecArray | null;
  let p: Period | undefined;
  if ((m = /^(\d{4})$/.exec(s))) p = yearPeriod(Number(m[1]));
  else if ((m = /^(\d{4})-q([1-4])$/.exec(s))) p = quarterPeriod(Number(m[1]), Number(m[2]));
  else if ((m = /^(\d{4})-(\d{2})$/.exec(s))) {
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) throw bad();
    p = monthPeriod(Number(m[1]), mo);
  } else if ((m = /^fy(\d{4})$/.exec(s))) p = fiscalYear(Number(m[1]), ctx.fiscalYearStart);
  else if (isValidIsoDate(s)) p = { start: s, end: s, label: s };
  else {
    switch (s) {
      case 'this-month':
        p = monthPeriod(ty, tm);
        break;
      case 'last-month': {
        const d = addMonths(isoOf(ty, tm, 1), -1);
        p = monthPeriod(Number(d.slice(0, 4)), Number(d.slice(5, 7)));
        break;
      }
      case 'this-quarter':
        p = quarterPeriod(ty, tq);
        break;
      case 'last-quarter':
        p = tq === 1 ? quarterPeriod(ty - 1, 4) : quarterPeriod(ty, tq - 1);
        break;
      case 'this-year':
        p = yearPeriod(ty);
        break;
      case 'last-year':
        p = yearPeriod(ty - 1);
        break;
      case 'ytd': {
        const start = isoOf(ty, 1, 1);
        p = { start, end: ctx.today, label: `${start}_${ctx.today}` };
        break;
      }
    }
  }
  // Year 0000 (or a fiscal year starting in it) is not a date we can represent.
  if (p === undefined || !isValidIsoDate(p.start) || !isValidIsoDate(p.end)) throw bad();
  return p;
}

/** `--from D --to D`, both inclusive; from must not be after to. */
export function periodFromRange(from: string, to: string): Period {
  const start = parseDate(from, 'iso', '--from date');
  const end = parseDate(to, 'iso', '--to date');
  if (end < start) throw new ValidationError(`--to ${end} is before --from ${start}`);
  return { start, end, label: `${start}_${end}` };
}

/**
 * `--period P`, or `--from D [--to D]`, or neither (undefined). `--from` alone runs to today (issue 19:
 * "from the 1st of March" means up to now); a `--from` after today then needs its `--to` (exit 3).
 * `--to` alone has no start to go from, and `--period` with either is ambiguous: UsageErrors.
 */
export function resolvePeriod(o: { period?: string; from?: string; to?: string }, ctx: PeriodContext): Period | undefined {
  const hasFrom = o.from !== undefined;
  const hasTo = o.to !== undefined;
  if (o.period !== undefined) {
    if (hasFrom || hasTo) throw new UsageError('use either --period or --from and --to');
    return parsePeriod(o.period, ctx);
  }
  if (hasTo && !hasFrom) throw new UsageError('--to needs --from (or use --period)');
  if (hasFrom && !hasTo) {
    const start = parseDate(o.from!, 'iso', '--from date');
    if (start > ctx.today) throw new ValidationError(`--from ${start} is after today (${ctx.today}); give --to as well`);
    return periodFromRange(start, ctx.today);
  }
  return hasFrom ? periodFromRange(o.from!, o.to!) : undefined;
}

/** True when the ISO date lies in the period (ends inclusive). */
export function periodContains(p: { start: string; end: string }, iso: string): boolean {
  return iso >= p.start && iso <= p.end;
}

/** Intersection of two inclusive ranges; `b.end` null is open-ended. Null when they do not overlap. */
export function intersect(a: { start: string; end: string }, b: { start: string; end: string | null }): { start: string; end: string } | null {
  const start = a.start > b.start ? a.start : b.start;
  const end = b.end === null || a.end < b.end ? a.end : b.end;
  return start <= end ? { start, end } : null;
}
