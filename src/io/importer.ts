/**
 * The import run shared by `people import` and `hours import` (SPEC "Imports"): streamed reading,
 * header mapping, ONE `BEGIN IMMEDIATE` transaction, a SAVEPOINT per row so that a bad row leaves
 * nothing of itself, all-or-nothing unless --skip-invalid, --rejects, --dry-run, the summary, the
 * import record (file name, SHA-256, counts) with its audit entry, and a progress line on a TTY.
 *
 * Row logic lives in the callers' `handle`; this file is the machinery.
 */
import type { Conn } from '../store/conn.js';
import { setCommitted } from './signals.js';
import path from 'node:path';
import type { App } from '../app.js';
import { ExitCode, NgoError, ValidationError, UsageError } from '../errors.js';
import { finishImport, importIs, startImport } from '../store/imports.js';
import { guardFormula, safeJson, stringify, unguardFormula } from './output.js';
import { openOutputStream, type OutputStream } from './files.js';
import { openSource, parseDelimiterOption, readCsv, type CsvRecord } from './csvread.js';
import { knownHeaderCells, mapHeaders, splitFullName, type FieldSpec, type HeaderMapping } from './headers.js';
import { MAX_WAITING_ROWS, type DateReading } from './date-reading.js';
import { fitWidth } from './width.js';

/**
 * A bad row, thrown by a row handler. `column` is the SOURCE header of the bad cell when known
 * (use `row.columnOf(field)`). Whatever the handler wrote for the row before throwing is undone.
 */
export class RowError extends Error {
  constructor(
    public column: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

/** Every problem of one row (Contract v2: every error of a row is listed, not only the first). */
export class RowErrors extends RowError {
  constructor(readonly all: readonly RowError[]) {
    super(all[0]!.column, all.map((e) => e.message).join('; '));
    this.name = 'RowErrors';
  }
}

/** One error, or all of them when a row has several. */
export function rowErrors(errors: RowError[]): RowError {
  return errors.length === 1 ? errors[0]! : new RowErrors(errors);
}

export type RowOutcome = 'inserted' | 'updated' | 'unchanged' | 'skipped';

export interface ImportRow {
  /** 1-based file line where the row starts. */
  line: number;
  /** The cells as read (untrimmed). */
  cells: string[];
  /** The file's header cells (trimmed). */
  header: string[];
  /**
   * Trimmed cell of the column mapped to `field` ('' when empty), undefined when the file has no such
   * column. Our own CSV formula guard is undone (`'=x` → `=x`) so exports re-import exactly. With a
   * full-name column (nameField), `first_name`/`last_name` come from splitting it, and `name` is the
   * whole cell.
   */
  get(field: string): string | undefined;
  /** The source header of the column behind `field`, for error messages; null if none. */
  columnOf(field: string): string | null;
}

export interface ImportOptions {
  kind: 'people' | 'hours';
  /** A path (relative to the context's cwd) or `-` for stdin. */
  file: string;
  fields: FieldSpec[];
  map?: string[];
  strict?: boolean;
  delimiter?: string;
  /** The --encoding value (see csvread.ts ENCODINGS). */
  encoding?: string;
  /**
   * How the import reads slash dates (see date-reading.ts): a row it cannot read yet waits, with the
   * rows after it, until the reading is decided; the file ending first is exit 3.
   */
  dates?: DateReading;
  /** A `name`/`full name` column fills first_name/last_name when they are absent. */
  nameField?: boolean;
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  json?: boolean;
  /** Called once inside the transaction, after the import record is inserted (prepare statements here). */
  begin?: (importId: number, file: { delimiter: string }) => Promise<void> | void;
  /**
   * One row, inside its own savepoint. Throw RowError (or a ValidationError/NotFoundError/ConflictError)
   * for a bad row. `from`: the row comes from a rejects file of ours, written by
   * the import that rejected it (`from`: its id and the row's line there).
   */
  handle: (row: ImportRow, importId: number, from?: RejectsRef) => Promise<RowOutcome>;
  /** A row found invalid (its line in this file; for a row of a rejects file of ours, where it came from), inside the import's transaction. */
  rejected?: (importId: number, line: number, from?: RejectsRef) => void;
  /**
   * false when the handler validates everything before it writes, and its writes cannot fail on valid
   * input: then a bad row has written nothing and the per-row savepoint (about a third of a large
   * import's time) is skipped. A write that fails anyway aborts the whole import.
   */
  savepointPerRow?: boolean;
  /**
   * Given, rows are read in batches of PREFETCH_ROWS and each batch is shown to prefetch before its rows
   * are handled, in order, one by one: a server store looks up what a batch needs in one round trip.
   */
  prefetch?: (rows: ImportRow[]) => Promise<void>;
  /** With prefetch: after each batch's rows were handled (before the next batch is read). */
  batchHandled?: () => void;
  /**
   * Called inside the transaction after the last row when the import will go ahead (also on a dry run).
   * `status` shows a passing line on the progress line (TTY stderr only), e.g. for a slow last step;
   * `status('')` clears it (before any warning).
   */
  finish?: (importId: number, status: (text: string) => void) => Promise<void> | void;
}

/** Where a row of a rejects file of ours came from: the import that rejected it (when its error cell names it), its line there, and why. */
export interface RejectsRef {
  importId?: number;
  line: number;
  error: string;
}

/**
 * The housekeeping after a committed bulk write (Conn.afterBulk: a server's VACUUM (ANALYZE)). The
 * write is saved whatever happens here: a failure (a lost connection, a role that may not vacuum) is a
 * warning, and the command still reports what it did; an interruption says what was saved (setCommitted).
 */
export async function afterBulkWrite(app: App, db: Conn, tables: readonly string[]): Promise<void> {
  try {
    await db.afterBulk(tables);
  } catch (e) {
    app.warn(
      `the server's statistics were not refreshed after this write (${e instanceof Error ? e.message : String(e)}); the server's autovacuum does it later`,
    );
  }
}

/** Rows in a batch of a prefetching import (see ImportOptions.prefetch). Env NGO_IMPORT_BATCH_ROWS overrides it (the tests run batches of a few rows). */
export const PREFETCH_ROWS = 5000;

/** A number of rows from the environment (a tuning knob), or `fallback`; not a whole number ≥ 1: exit 2. */
export function rowsFromEnv(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number of rows (at least 1), got ${JSON.stringify(raw)}`);
  return n;
}

/** The tag a rejects file's error cell ends with: the import that wrote it (how a fixed row finds its place). */
/**
 * The tag a rejects file's error cell ends with: the import that wrote it (how a fixed row finds its
 * place), and how that import read slash dates when it decided (`, dates M/D/YYYY`): imported again
 * alone, the fixed rows read them the same way.
 */
const rejectsTag = (importId: number, token: string, reading?: 'mdy' | 'dmy') =>
  ` (ngo import #${importId} ref ${token}${reading ? `, dates ${reading === 'mdy' ? 'M/D/YYYY' : 'D/M/YYYY'}` : ''})`;
const REJECTS_TAG = /(?:^|\s)\(ngo import #(\d{1,15}) ref ([0-9a-f]{8})(?:, dates (M\/D|D\/M)\/YYYY)?\)$/;

export interface ImportError {
  line: number;
  column: string | null;
  error: string;
}

export interface ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  import_id: number | null;
  dry_run: boolean;
  /** The first 1000 bad rows. */
  errors: ImportError[];
}

export const MAX_ERRORS_KEPT = 1000;
/** A header wider or longer than this is not a header (a binary file, a log): refused before anything else. */
export const MAX_COLUMNS = 1000;
export const MAX_HEADER_CELL = 1000;
export const MAX_ERRORS_PRINTED = 50;
const OUTCOMES: readonly RowOutcome[] = ['inserted', 'updated', 'unchanged', 'skipped'];

/** Undo our own formula guard (see guardFormula): `'=x` → `=x`, `''=x` → `'=x`. */
export const unguard = unguardFormula;

export function summaryLine(s: Pick<ImportSummary, 'inserted' | 'updated' | 'unchanged' | 'skipped' | 'invalid'>): string {
  return `inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}, invalid ${s.invalid}`;
}

/** A bad row rather than a failed run: RowError(s), or an NgoError of exit 3 (invalid), 4 (not found) or 5 (conflict). Each of its problems. */
function rowErrorOf(e: unknown): { column: string | null; message: string }[] | null {
  if (e instanceof RowErrors) return e.all.map((x) => ({ column: x.column, message: x.message }));
  if (e instanceof RowError) return [{ column: e.column, message: e.message }];
  if (e instanceof NgoError && (e.exitCode === ExitCode.INVALID || e.exitCode === ExitCode.NOT_FOUND || e.exitCode === ExitCode.CONFLICT)) {
    const column = (e as { column?: unknown }).column;
    return [{ column: typeof column === 'string' ? column : null, message: e.message }];
  }
  return null;
}

/** Lines of one cell at the end of a file that are taken for a report's footer (more: they are rows). */
export const MAX_FOOTER_LINES = 20;

/** Rows above the header that may be title lines (Contract v2: the first of the first 10 rows that maps to known fields). */
export const HEADER_SEARCH_ROWS = 10;

// ---- rows -----------------------------------------------------------------------------------

interface RowContext {
  header: string[];
  index: Map<string, number>;
  split: number | null;
}

class RowView implements ImportRow {
  constructor(
    private readonly ctx: RowContext,
    readonly line: number,
    readonly cells: string[],
  ) {}
  get header(): string[] {
    return this.ctx.header;
  }
  get(field: string): string | undefined {
    const i = this.ctx.index.get(field);
    if (i !== undefined) return unguard((this.cells[i] ?? '').trim());
    const s = this.ctx.split;
    if (s === null) return undefined;
    const whole = unguard((this.cells[s] ?? '').trim());
    if (field === 'name') return whole;
    if (field === 'first_name') return splitFullName(whole).first;
    if (field === 'last_name') return splitFullName(whole).last;
    return undefined;
  }
  columnOf(field: string): string | null {
    const i = this.ctx.index.get(field);
    if (i !== undefined) return this.ctx.header[i] ?? null;
    if (this.ctx.split !== null && (field === 'name' || field === 'first_name' || field === 'last_name')) return this.ctx.header[this.ctx.split] ?? null;
    return null;
  }
}

function rowContext(header: string[], m: HeaderMapping): RowContext {
  const index = new Map<string, number>();
  m.columns.forEach((f, i) => {
    if (f !== null) index.set(f, i);
  });
  return { header, index, split: m.splitName };
}

/** The message of raggedMessage, and of a row refused for having had one (read back from a rejects file). */
const RAGGED_ERROR = /^(?:expected (\d+) columns, found (\d+)|this row had (\d+) cells where the header has (\d+))/;

/** A row of the wrong width; extra cells that are all empty (trailing delimiters) are tolerated. */
function raggedMessage(cells: string[], width: number): string | null {
  if (cells.length === width) return null;
  if (cells.length > width) {
    const extra = cells.slice(width);
    if (extra.every((c) => c.trim() === '')) return null;
    return `expected ${width} columns, found ${cells.length} (extra: ${extra.map((c) => JSON.stringify(c)).join(', ')})`;
  }
  return `expected ${width} columns, found ${cells.length}`;
}

// ---- rejects --------------------------------------------------------------------------------

/** The bad rows as CSV (original columns plus `line` and `error`), through the one file writer. */
class RejectsWriter {
  private constructor(
    private readonly out: OutputStream,
    private readonly header: string[],
  ) {}
  static async open(app: App, file: string, header: string[]): Promise<RejectsWriter> {
    const out = await openOutputStream(app.files, app.target(file, '--rejects'));
    const w = new RejectsWriter(out, header);
    try {
      w.write([...header.map((h) => guardFormula(unguardFormula(h))), 'line', 'error']);
    } catch (e) {
      out.abort();
      throw e;
    }
    return w;
  }
  private write(cells: string[]): void {
    this.out.write(stringify([cells], { record_delimiter: '\n' }));
  }
  add(cells: string[], line: number, error: string): void {
    // Each cell as this import read it (unguarded), guarded again: re-importing the fixed file reads the same values.
    this.write([...this.header.map((_, i) => guardFormula(unguardFormula(cells[i] ?? ''))), String(line), guardFormula(error)]);
  }
  commit(): void {
    this.out.commit();
  }
  abort(): void {
    this.out.abort();
  }
}

// ---- progress -------------------------------------------------------------------------------

/**
 * The progress line: rows and rows/s; for a file of known size also a bar, the share read and the
 * time left (from the bytes read so far, once a second has passed); for stdin the megabytes read.
 */
export function progressLine(rows: number, bytes: number, size: number | undefined, secs: number): string {
  const rate = `${rows.toLocaleString('en-US')} rows, ${Math.round(rows / Math.max(secs, 0.001)).toLocaleString('en-US')} rows/s`;
  if (!size || size <= 0) return `importing: ${rate}, ${(bytes / 1048576).toFixed(1)} MB`;
  const share = Math.min(1, bytes / size);
  const filled = Math.floor(share * 20);
  const bar = '='.repeat(filled) + (filled < 20 ? '>' + ' '.repeat(19 - filled) : '');
  let line = `importing [${bar}] ${Math.floor(share * 100)}% ${rate}`;
  if (secs >= 1 && bytes > 0) {
    const left = Math.round((secs * (size - bytes)) / bytes);
    line += `, ETA ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  }
  return line;
}

/** One `\r` line on a TTY stderr (never with --quiet), at most 10 refreshes a second. */
class Progress {
  private readonly started = Date.now();
  private last = this.started;
  private shown = false;
  readonly enabled: boolean;
  constructor(
    private readonly app: App,
    private readonly size: number | undefined,
  ) {
    this.enabled = app.ctx.stderr.isTTY === true && !app.globals.quiet;
  }
  tick(rows: number, bytes: number): void {
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.app.ctx.stderr.write(`\r${progressLine(rows, bytes, this.size, (now - this.started) / 1000)}\u001b[K`);
    this.shown = true;
  }
  /** A passing status line where the progress line is; '' clears it. */
  note(text: string): void {
    if (!this.enabled) return;
    if (text === '') return this.clear();
    this.app.ctx.stderr.write(`\r${text}\u001b[K`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.app.ctx.stderr.write('\r\u001b[K');
    this.shown = false;
  }
}

// ---- the run --------------------------------------------------------------------------------

/**
 * Run an import. Resolves with the summary on success (also after a dry run); throws a
 * ValidationError (exit 3) when rows are invalid and --skip-invalid is not given, leaving the
 * database untouched. Any other error rolls everything back and is rethrown.
 */
export async function runImport(app: App, o: ImportOptions): Promise<ImportSummary> {
  const delimiter = o.delimiter !== undefined ? parseDelimiterOption(o.delimiter) : undefined; // exit 2 before opening anything
  const batchRows = rowsFromEnv(app.ctx.env, 'NGO_IMPORT_BATCH_ROWS', PREFETCH_ROWS); // a bad value: exit 2 on either store
  // --rejects may be neither the database nor the input: refused (exit 2) before anything is read.
  app.protectInput(o.file);
  if (o.rejects) app.files.check(app.target(o.rejects, '--rejects').path, '--rejects', o.rejects);
  const src = await openSource(o.file, app.ctx);
  const reader = readCsv(src, { delimiter, encoding: o.encoding });
  const records = reader.records;
  const fileName = o.file === '-' ? '-' : path.basename(o.file);
  const dryRun = o.dryRun === true;
  const summary: ImportSummary = { inserted: 0, updated: 0, unchanged: 0, skipped: 0, invalid: 0, import_id: null, dry_run: dryRun, errors: [] };
  const progress = new Progress(app, src.size);
  let rejects: RejectsWriter | null = null;
  let db: Conn | undefined;

  try {
    // The header, before touching the database: header problems change nothing. It is the first of the
    // first rows that names known fields (title lines above it are skipped); rows read past it are data.
    const ahead: CsvRecord[] = [];
    for (let i = 0; i < HEADER_SEARCH_ROWS; i++) {
      const r = await records.next();
      if (r.done) break;
      ahead.push(r.value);
    }
    if (ahead.length === 0) throw new ValidationError(`${src.name}: line 1: the file is empty (no header line)`, 'the first line must name the columns');
    // The first row naming two known fields; else the first whose every filled cell names one (a
    // one-column file). A title line that happens to be a field's name ("Volunteer Hours") loses to a
    // real header below it.
    const counts = ahead.map((r) => {
      const cells = r.cells.map((c) => c.trim());
      return { known: knownHeaderCells(cells, o.fields, o.map, o.nameField === true), filled: cells.filter((c) => c !== '').length };
    });
    let at0 = counts.findIndex((c) => c.known >= 2);
    if (at0 < 0) at0 = counts.findIndex((c) => c.known >= 1 && c.known === c.filled);
    const first = ahead[Math.max(at0, 0)]!;
    ahead.splice(0, Math.max(at0, 0) + 1);
    const header = first.cells.map((c) => c.trim());
    const at = `${src.name}: line ${first.line}`;
    if (header.length > MAX_COLUMNS || header.some((h) => h.length > MAX_HEADER_CELL)) {
      throw new ValidationError(
        `${at}: ${header.length > MAX_COLUMNS ? `the header has ${header.length.toLocaleString('en-US')} columns (at most ${MAX_COLUMNS.toLocaleString('en-US')})` : `a header cell is longer than ${MAX_HEADER_CELL} characters`}; is the first line a header?`,
        'the first line must name the columns',
      );
    }
    // A rejects file of ours, fixed and imported again: its `line` and `error` columns are ours, not data.
    const ourRejects = header.length >= 3 && header[header.length - 2] === 'line' && header[header.length - 1] === 'error';
    const maps = ourRejects ? [...(o.map ?? []), 'line=-', 'error=-'] : o.map;
    let mapping: HeaderMapping;
    try {
      mapping = mapHeaders(header, o.fields, maps, { strict: o.strict, nameField: o.nameField });
    } catch (e) {
      if (e instanceof ValidationError) throw new ValidationError(`${at}: ${e.message}`, e.hint);
      throw e;
    }
    if (mapping.splitName === null && mapping.columns.every((c) => c === null)) {
      // A header read as one cell that holds another separator: the file uses a delimiter we do not detect.
      const sep = header.length === 1 ? ['|'].find((c) => header[0]!.includes(c)) : undefined;
      throw new ValidationError(
        `${at}: no known column in the header (${header.join(', ')}); is the first line a header?`,
        sep !== undefined
          ? `the columns seem to be separated by "${sep}": add --delimiter "${sep}"`
          : `expected columns such as ${o.fields
              .slice(0, 6)
              .map((f) => f.field)
              .join(', ')}; use --map "Header=field" for others`,
      );
    }
    if (mapping.unknown.length > 0) {
      const shown = mapping.unknown.slice(0, 20).join(', ') + (mapping.unknown.length > 20 ? `, … and ${mapping.unknown.length - 20} more` : '');
      app.warn(`ignoring unknown column(s): ${shown} (use --map "Header=field" to import them, --strict to refuse them)`);
    }
    if (mapping.unusedMaps.length > 0) app.warn(`no such column in ${src.name} for --map ${mapping.unusedMaps.map((m) => `"${m}"`).join(', ')}`);
    const rowCtx = rowContext(header, mapping);
    if (o.rejects) {
      // A column --map gave a field is named by that field: imported again without the --map, the
      // fixed rows keep its value (ninth attack, finding 2).
      // One it told to ignore gets a header that names no field, so that it stays ignored.
      const cells = (ourRejects ? first.cells.slice(0, -2) : first.cells).map((h, i) =>
        mapping.mappedByOption.has(i) ? mapping.columns[i]! : mapping.ignoredByOption.has(i) ? `ignored: ${h}` : h,
      );
      rejects = await RejectsWriter.open(app, o.rejects, cells);
    }

    db = await app.db();
    await db.beginWrite(app.writeWait);
    await db.forBulkWrite();
    const { id: importId, token } = await startImport(db, o.kind, fileName, app.ctx.now().toISOString(), app.actor);
    summary.import_id = importId;
    await o.begin?.(importId, { delimiter: reader.delimiter() });
    const perRow = o.savepointPerRow !== false;
    const row = db.rowSavepoints();
    const knownImports = new Map<string, boolean>();
    // A rejects file's `line` column and the import its error cell names: where the row came from.
    const lineAt = ourRejects ? header.length - 2 : -1;
    const rejectsRefOf = async (rec: CsvRecord): Promise<RejectsRef | undefined> => {
      if (lineAt < 0) return undefined;
      const v = (rec.cells[lineAt] ?? '').trim();
      const error = unguardFormula((rec.cells[lineAt + 1] ?? '').trim());
      const m = REJECTS_TAG.exec(error);
      // The import it names, when this database holds it (not after a restore of an earlier state, nor in another database).
      let importOf: number | undefined;
      if (m) {
        const key = `${m[1]}:${m[2]}`;
        let known = knownImports.get(key);
        if (known === undefined) knownImports.set(key, (known = await importIs(db!, Number(m[1]), m[2]!)));
        if (known) importOf = Number(m[1]);
      }
      return /^\d{1,12}$/.test(v) ? { importId: importOf, line: Number(v), error } : undefined;
    };

    const bad = async (rec: CsvRecord, errors: { column: string | null; message: string }[]) => {
      summary.invalid++;
      o.rejected?.(importId, rec.line, await rejectsRefOf(rec));
      for (const e of errors) if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ line: rec.line, column: e.column, error: e.message });
      rejects?.add(
        rec.cells,
        rec.line,
        errors.map((e) => (e.column !== null && errors.length > 1 ? `${e.column}: ${e.message}` : e.message)).join('; ') +
          rejectsTag(importId, token, o.dates?.reading),
      );
    };

    let rows = 0;
    const width = header.length;
    /** A row read and counted: the view the handler gets, or why it is refused as it stands. */
    const readRow = (rec: CsvRecord): RowView | string => {
      rows++;
      if (progress.enabled && (rows & 63) === 0) progress.tick(rows, reader.bytesRead());
      const ragged = raggedMessage(rec.cells, width);
      if (ragged !== null) return ragged;
      // A row that had the wrong number of cells comes back from its rejects file cut or padded to
      // the header: its values may be in the wrong columns (`1,234.50` read as 1 and 234.50). It stays
      // rejected until someone has looked at it and cleared its error cell (ninth attack, finding 1).
      const was = ourRejects ? RAGGED_ERROR.exec(unguardFormula((rec.cells[width - 1] ?? '').trim())) : null;
      if (was) {
        return `this row had ${was[2] ?? was[3]} cells where the header has ${was[1] ?? was[4]}: check that every value is in its column, then delete this message from the error cell, keeping the (ngo import …) reference at its end`;
      }
      return new RowView(rowCtx, rec.line, rec.cells);
    };
    const handleRow = async (rec: CsvRecord, view: RowView | string): Promise<void> => {
      if (typeof view === 'string') return bad(rec, [{ column: null, message: view }]);
      if (perRow) await row.begin();
      let outcome: RowOutcome;
      try {
        outcome = await o.handle(view, importId, await rejectsRefOf(rec));
      } catch (e) {
        if (perRow) {
          try {
            await row.rollback();
          } catch {
            throw e; // the transaction itself is gone: abort with the handler's error
          }
        }
        const re = rowErrorOf(e);
        if (re === null) throw e;
        await bad(rec, re);
        return;
      }
      if (perRow) await row.release();
      if (!OUTCOMES.includes(outcome)) throw new Error(`import row handler returned ${JSON.stringify(outcome)} for line ${rec.line}`);
      summary[outcome]++;
    };
    // Rows go to the handler one by one, or (prefetch) in batches that it learns before it handles their rows in order.
    const batch: [CsvRecord, RowView | string][] = [];
    const runBatch = async () => {
      await o.prefetch!(batch.flatMap(([, v]) => (typeof v === 'string' ? [] : [v])));
      for (const [rec, view] of batch) await handleRow(rec, view);
      batch.length = 0;
      o.batchHandled?.();
    };
    const sink = async (rec: CsvRecord, view: RowView | string): Promise<void> => {
      if (!o.prefetch) return handleRow(rec, view);
      batch.push([rec, view]);
      if (batch.length >= batchRows) await runBatch();
    };
    // Rows whose slash dates cannot be read yet wait here, in order, until a row decides the reading.
    const dates = o.dates;
    const waiting: [CsvRecord, RowView | string][] = [];
    const take = async (rec: CsvRecord): Promise<void> => {
      if (dates !== undefined && lineAt >= 0 && !dates.isDecided) {
        // A rejects file's row: its import's reading of slash dates, if it decided one.
        const tag = REJECTS_TAG.exec(unguardFormula((rec.cells[lineAt + 1] ?? '').trim()));
        if (tag?.[3]) dates.adopt(tag[3] === 'M/D' ? 'mdy' : 'dmy', rec.line);
      }
      const view = readRow(rec);
      if (dates === undefined || (waiting.length === 0 && (typeof view === 'string' || !dates.mustWait(view)))) return sink(rec, view);
      if (waiting.length > 0 && typeof view !== 'string') dates.mustWait(view); // may decide the reading
      waiting.push([rec, view]);
      if (dates.isDecided) {
        for (const [r, v] of waiting) await sink(r, v);
        waiting.length = 0;
      } else if (waiting.length > MAX_WAITING_ROWS) throw dates.undecided(src.name, true);
    };
    // Lines of one cell after the last row are a report's footer (Salesforce: "Copyright (c) …",
    // "Generated By: …"): skipped with a note. Followed by a row, they were rows: refused as such.
    const footer: CsvRecord[] = [];
    const next = async (rec: CsvRecord): Promise<void> => {
      if (width > 1 && rec.cells.length === 1 && footer.length < MAX_FOOTER_LINES) {
        footer.push(rec);
        return;
      }
      for (const f of footer.splice(0)) await take(f);
      await take(rec);
    };
    // The rows read while looking for the header, then the rest of the file.
    for (const rec of ahead.splice(0)) await next(rec);
    for await (const rec of records) await next(rec);
    if (waiting.length > 0) throw dates!.undecided(src.name);
    if (footer.length > 0) {
      app.info(
        `ignored ${footer.length} line(s) of one cell after the last row, from line ${footer[0]!.line} (a report's footer: "${fitWidth(footer[0]!.cells[0]!.trim(), 60)}")`,
      );
    }
    if (batch.length > 0) await runBatch();
    progress.clear();

    const proceed = summary.invalid === 0 || o.skipInvalid === true;
    if (proceed) {
      await o.finish?.(importId, (text) => progress.note(text));
      progress.clear();
    }
    rejects?.commit();
    rejects = null;
    printBadRows(app, summary, o.skipInvalid === true && proceed);

    if (!proceed) {
      await db.rollbackWrite();
      throw new ValidationError(
        `${summary.invalid} invalid row(s) in ${src.name}; nothing was imported`,
        dryRun
          ? 'fix them and run the dry run again, or add --skip-invalid to see what the valid rows would do'
          : 'fix them, or use --skip-invalid (with --rejects FILE) to import the valid rows',
      );
    }
    if (dryRun) {
      await db.rollbackWrite();
      summary.import_id = null;
    } else {
      const sha256 = reader.sha256();
      const counts = { inserted: summary.inserted, updated: summary.updated, unchanged: summary.unchanged, skipped: summary.skipped, invalid: summary.invalid };
      await finishImport(db, importId, sha256, app.ctx.now().toISOString(), counts);
      await app.audit('import', 'import', importId, { kind: [null, o.kind], file: [null, fileName], sha256: [null, sha256], counts: [null, counts] });
      await db.commitWrite();
      setCommitted(`the import itself was saved (import #${importId}; importing the file again adds nothing)`);
      // A server's planner needs fresh statistics and visibility after a large import (see PgConn.afterBulk).
      if (summary.inserted >= 10_000) await afterBulkWrite(app, db, [o.kind === 'hours' ? 'hours' : 'people']);
    }
  } catch (e) {
    progress.clear();
    rejects?.abort();
    if (db) await db.rollbackWrite();
    throw e;
  } finally {
    await records.return(undefined);
  }

  app.info((dryRun ? 'dry run: would have ' : '') + summaryLine(summary));
  if (o.json) app.outData(safeJson(summary) + '\n');
  return summary;
}

/** The bad rows on stderr, at most 50: errors when the run fails, warnings when they are skipped. */
function printBadRows(app: App, s: ImportSummary, skipped: boolean): void {
  if (s.invalid === 0) return;
  if (skipped && app.globals.quiet) return;
  const lines = s.errors.slice(0, MAX_ERRORS_PRINTED);
  for (const e of lines) {
    const where = e.column !== null ? `line ${e.line}, column "${e.column}"` : `line ${e.line}`;
    if (skipped) app.warn(`${where}: ${e.error} (row skipped)`);
    else app.errorLine(`${where}: ${e.error}`);
  }
  if (s.invalid > lines.length) {
    const more = `… and ${s.invalid - lines.length} more`;
    if (skipped) app.warn(more);
    else app.errorLine(more);
  }
}
