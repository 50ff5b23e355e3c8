/**
 * How an import reads its slash dates (Contract v2 "Imports of real exports"): with --date-format as
 * told; without it, as the one reading (M/D/YYYY or D/M/YYYY) that fits every row of the file.
 *
 * A file is streamed, so the reading is learnt as the rows go: the first slash date that fits only one
 * reading decides it. Until then, a row whose slash date fits both (3/7/2026) cannot be read, so it and
 * every row after it wait, in order, until a row decides (then they go on, read that way) or the file
 * ends (then nothing is imported: exit 3 naming --date-format). A date that fits both the same way
 * (5/5/2026) never waits. A row whose date does not fit the decided reading is an error that names the
 * row that decided it.
 */
import { ValidationError } from '../errors.js';
import { DATE_FORMAT_NAMES, isValidIsoDate, parseDate, slashReadings, splitDateTime, type DateFormat } from '../domain/dates.js';
import type { ImportRow } from './importer.js';

/** Rows that may wait for the reading to be decided; beyond, the file must say it with --date-format. */
export const MAX_WAITING_ROWS = 100_000;

/** How a slash or dot date begins: one or two digits, then the separator. */
const SLASH_START = /^\s*\d{1,2}[/.-]/;

export class DateReading {
  private decided: 'mdy' | 'dmy' | undefined;
  private decidedBy: { line: number; cell: string } | undefined;
  /** The first row that waited (for the message when nothing decides). */
  private firstWaiting: { line: number; cell: string } | undefined;

  /**
   * @param given the --date-format value, or undefined to learn it
   * @param fields the date fields of a row (cells may carry a time)
   */
  constructor(
    private readonly given: DateFormat | undefined,
    private readonly fields: readonly string[],
  ) {}

  /** Whether `row` must wait: a slash date that fits both readings while none is decided. Decides the reading when the row's dates tell it. */
  mustWait(row: ImportRow): boolean {
    if (this.given !== undefined || this.decided !== undefined) return false;
    /** The first cell of the row that fits both readings, if any. */
    let wait: string | undefined;
    for (const f of this.fields) {
      const raw = row.get(f);
      // Only a cell that starts as a slash or dot date can wait or decide (the fast path of an ISO file).
      if (!raw || !SLASH_START.test(raw)) continue;
      const r = slashReadings(splitDateTime(raw).date);
      if (r === null || r.dot) continue;
      if (r.mdy !== null && r.dmy !== null) {
        if (r.mdy !== r.dmy) wait ??= raw;
      } else if (r.mdy !== null || r.dmy !== null) {
        this.decided = r.mdy !== null ? 'mdy' : 'dmy';
        this.decidedBy = { line: row.line, cell: raw };
        return false;
      }
    }
    if (wait === undefined) return false;
    this.firstWaiting ??= { line: row.line, cell: wait };
    return true;
  }

  /**
   * A rejects file's row names the reading its import decided (its error cell's tag): without
   * --date-format, the file's slash dates read that way, as they did then.
   */
  adopt(format: 'mdy' | 'dmy', line: number): void {
    if (this.given !== undefined || this.decided !== undefined) return;
    this.decided = format;
    this.decidedBy = { line, cell: `its import read slash dates as ${DATE_FORMAT_NAMES[format]}` };
  }

  /** The reading decided so far (to write into a rejects file), if any. */
  get reading(): 'mdy' | 'dmy' | undefined {
    return this.given === 'mdy' || this.given === 'dmy' ? this.given : this.decided;
  }

  /** Whether rows that waited may go on now. */
  get isDecided(): boolean {
    return this.given !== undefined || this.decided !== undefined;
  }

  /** The error when the file ended with rows still waiting (or too many waited). */
  undecided(file: string, tooMany = false): ValidationError {
    const w = this.firstWaiting;
    return new ValidationError(
      `${file}: ${tooMany ? `more than ${MAX_WAITING_ROWS.toLocaleString('en-US')} rows` : 'every slash date'}${w ? ` (from line ${w.line}: ${w.cell})` : ''} ${tooMany ? 'fit' : 'fits'} both M/D/YYYY and D/M/YYYY${tooMany ? ' before any row tells them apart' : ''}; nothing was imported`,
      'say how to read them: --date-format mdy (3/7/2026 = March 7) or --date-format dmy (3/7/2026 = 3 July)',
    );
  }

  /** A date cell (its time, if any, dropped) → ISO. */
  parse(raw: string, what = 'date'): string {
    if (raw.length === 10 && isValidIsoDate(raw)) return raw;
    const { date } = splitDateTime(raw);
    if (isValidIsoDate(date)) return date;
    if (this.given === 'iso' || /^\d{4}-\d{1,2}-\d{1,2}$/.test(date)) return parseDate(date, 'iso', what);
    const format: 'mdy' | 'dmy' | undefined = this.given ?? this.decided;
    const r = slashReadings(date);
    if (r === null) {
      throw new ValidationError(`invalid ${what} "${raw}" (expected YYYY-MM-DD${format ? ` or ${DATE_FORMAT_NAMES[format]}` : ', M/D/YYYY or D/M/YYYY'})`);
    }
    if (r.dot && this.given === undefined) {
      // D.M.YYYY: day first, whatever the file's slash dates are.
      if (r.dmy === null) throw new ValidationError(`invalid ${what} "${raw}" (no such date as D.M.YYYY)`);
      return r.dmy;
    }
    if (format !== undefined) {
      const iso = r[format];
      if (iso !== null) return iso;
      const other = format === 'mdy' ? 'dmy' : 'mdy';
      const why =
        this.given !== undefined
          ? `--date-format ${format}`
          : `the reading of this file's slash dates, decided by line ${this.decidedBy!.line} (${this.decidedBy!.cell})`;
      throw new ValidationError(
        `invalid ${what} "${raw}" (not a ${DATE_FORMAT_NAMES[format]} date, ${why}${r[other] !== null ? `; it reads only as ${DATE_FORMAT_NAMES[other]}` : ''})`,
      );
    }
    if (r.mdy !== null && r.mdy === r.dmy) return r.mdy;
    if (r.mdy === null && r.dmy === null) throw new ValidationError(`invalid ${what} "${raw}" (no such date as M/D/YYYY or as D/M/YYYY)`);
    // Undecided and ambiguous: mustWait held the row back; reaching here is a bug of the caller.
    throw new Error(`date "${raw}" read before its reading was decided`);
  }
}
