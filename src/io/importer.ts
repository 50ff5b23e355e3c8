/**
 * The import run shared by `people import` and `hours import`: one BEGIN IMMEDIATE transaction,
 * a handler per row, all-or-nothing unless --skip-invalid, --rejects, --dry-run, the summary, the
 * import record (file name, SHA-256, counts) and its audit entry, and a progress line on a TTY.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { ConflictError, IoError, NgoError, ValidationError } from '../errors.js';
import { stringify } from 'csv-stringify/sync';
import { guardFormula } from './output.js';
import { openSource, readCsv } from './csvread.js';
import { mapHeaders, type FieldSpec } from './headers.js';

/** A bad row. Handlers throw it (or a ValidationError) BEFORE writing anything for the row. */
export class RowError extends Error {
  constructor(
    public column: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RowError';
  }
}

export type RowOutcome = 'inserted' | 'updated' | 'unchanged' | 'skipped';

export interface ImportRow {
  line: number;
  cells: string[];
  header: string[];
  /** Trimmed cell of the column mapped to `field` (`name` = a full-name column); undefined if no such column. */
  get(field: string): string | undefined;
  /** The source header of the column mapped to `field`, for error messages. */
  columnOf(field: string): string | null;
}

export interface ImportOptions {
  kind: 'people' | 'hours';
  file: string;
  fields: FieldSpec[];
  map?: string[];
  strict?: boolean;
  delimiter?: string;
  nameField?: boolean;
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  json?: boolean;
  /** Called once inside the transaction, before the first row (prepare statements here). */
  begin?: (importId: number) => void;
  handle: (row: ImportRow, importId: number) => RowOutcome;
  /** Called inside the transaction after the last row, before commit (warnings, checks). */
  finish?: (importId: number) => void;
}

export interface ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  invalid: number;
  import_id: number | null;
  dry_run: boolean;
  errors: { line: number; column: string | null; error: string }[];
}

const MAX_ERRORS_KEPT = 1000;
const MAX_ERRORS_PRINTED = 50;

/** Undo our own formula guard: `'=x` → `=x` (so exports re-import exactly). */
export function unguard(s: string): string {
  return s.length > 1 && s[0] === "'" && /[=+\-@\t\r]/.test(s[1]!) ? s.slice(1) : s;
}

class RejectsWriter {
  private fd: number | null = null;
  private readonly tmp: string;
  constructor(
    private readonly target: string,
    private readonly header: string[],
  ) {
    this.tmp = `${target}.tmp-${process.pid}`;
  }
  private open(): number {
    if (this.fd === null) {
      try {
        fs.mkdirSync(path.dirname(this.target), { recursive: true });
        this.fd = fs.openSync(this.tmp, 'w', 0o600);
        fs.writeSync(this.fd, stringify([[...this.header, 'line', 'error']], { record_delimiter: '\n' }));
      } catch (e) {
        throw new IoError(`cannot write ${this.target}: ${(e as Error).message}`);
      }
    }
    return this.fd;
  }
  add(cells: string[], line: number, error: string): void {
    const fd = this.open();
    const padded = this.header.map((_, i) => guardFormula(cells[i] ?? ''));
    // Extra cells of a ragged row are kept too, so nothing of the original is lost.
    for (let i = this.header.length; i < cells.length; i++) padded.push(guardFormula(cells[i]!));
    fs.writeSync(fd, stringify([[...padded, String(line), guardFormula(error)]], { record_delimiter: '\n' }));
  }
  close(): void {
    this.open();
    fs.closeSync(this.fd!);
    try {
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      throw new IoError(`cannot write ${this.target}: ${(e as Error).message}`);
    }
  }
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* ignore */
      }
      fs.rmSync(this.tmp, { force: true });
    }
  }
}

class Progress {
  private last = 0;
  private readonly started = Date.now();
  private shown = false;
  constructor(
    private readonly app: App,
    private readonly size: number | undefined,
  ) {}
  get enabled(): boolean {
    return this.app.ctx.stderr.isTTY === true && !this.app.globals.quiet;
  }
  tick(rows: number, bytes: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(rows / secs);
    let line = `importing: ${rows.toLocaleString('en-US')} rows, ${rate.toLocaleString('en-US')} rows/s`;
    if (this.size && this.size > 0) {
      const frac = Math.min(bytes / this.size, 1);
      const width = 20;
      const filled = Math.round(frac * width);
      const eta = frac > 0 ? Math.round(secs / frac - secs) : 0;
      line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${Math.floor(frac * 100)}% ${line}, ETA ${eta}s`;
    }
    this.app.ctx.stderr.write(`\r${line}\u001b[K`);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.app.ctx.stderr.write('\r\u001b[K');
  }
}

function summaryLine(s: ImportSummary): string {
  return `inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, skipped ${s.skipped}, invalid ${s.invalid}`;
}

export async function runImport(app: App, o: ImportOptions): Promise<ImportSummary> {
  const src = openSource(o.file, app.ctx);
  const reader = readCsv(src, { delimiter: o.delimiter });
  const db = app.db;
  const summary: ImportSummary = { inserted: 0, updated: 0, unchanged: 0, skipped: 0, invalid: 0, import_id: null, dry_run: Boolean(o.dryRun), errors: [] };
  const progress = new Progress(app, src.size);
  let rejects: RejectsWriter | null = null;
  let printed = 0;
  const reportError = (line: number, column: string | null, error: string) => {
    summary.invalid++;
    if (summary.errors.length < MAX_ERRORS_KEPT) summary.errors.push({ line, column, error });
    if (printed < MAX_ERRORS_PRINTED && !(o.skipInvalid && app.globals.quiet)) {
      progress.clear();
      const where = column ? `line ${line}, column "${column}"` : `line ${line}`;
      app.ctx.stderr.write(`ngo: ${o.skipInvalid || o.dryRun ? 'invalid row' : 'error'}: ${where}: ${error}\n`);
    }
    printed++;
  };

  const startedAt = app.ctx.now().toISOString();
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new ConflictError('database is busy (another ngo process is writing); try again when it has finished');
    throw e;
  }
  let committed = false;
  try {
    const importId = Number(
      db
        .prepare('INSERT INTO imports(kind, file_name, sha256, started_at, actor) VALUES (?, ?, ?, ?, ?)')
        .run(o.kind, src.name === '-' ? '-' : path.basename(src.name), '', startedAt, app.actor).lastInsertRowid,
    );
    summary.import_id = importId;
    o.begin?.(importId);

    let header: string[] | null = null;
    let fieldIndex = new Map<string, number>();
    let columnName = new Map<string, string>();
    let rows = 0;
    for await (const rec of reader.records) {
      if (header === null) {
        header = rec.cells.map((c) => c.trim());
        const mapping = mapHeaders(header, o.fields, o.map, { strict: o.strict, nameField: o.nameField });
        if (mapping.unknown.length > 0) app.warn(`ignoring unknown column(s): ${mapping.unknown.join(', ')} (use --map "Header=field" to use them)`);
        mapping.columns.forEach((f, i) => {
          if (f) {
            fieldIndex.set(f, i);
            columnName.set(f, header![i]!);
          }
        });
        if (mapping.splitName !== null) {
          fieldIndex.set('name', mapping.splitName);
          columnName.set('name', header[mapping.splitName]!);
        }
        if (o.rejects) rejects = new RejectsWriter(path.resolve(app.ctx.cwd, o.rejects), header);
        continue;
      }
      rows++;
      const cells = rec.cells;
      const h = header;
      if (cells.length !== h.length && !(cells.length > h.length && cells.slice(h.length).every((c) => c.trim() === ''))) {
        const msg = `expected ${h.length} columns, found ${cells.length}`;
        reportError(rec.line, null, msg);
        rejects?.add(cells, rec.line, msg);
        continue;
      }
      const row: ImportRow = {
        line: rec.line,
        cells,
        header: h,
        get(field) {
          const i = fieldIndex.get(field);
          return i === undefined ? undefined : unguard((cells[i] ?? '').trim());
        },
        columnOf(field) {
          return columnName.get(field) ?? null;
        },
      };
      try {
        const outcome = o.handle(row, importId);
        summary[outcome]++;
      } catch (e) {
        if (e instanceof RowError || e instanceof ValidationError) {
          const column = e instanceof RowError ? e.column : null;
          reportError(rec.line, column, e.message);
          rejects?.add(cells, rec.line, e.message);
        } else if (e instanceof NgoError && e.exitCode === 4) {
          reportError(rec.line, null, e.message);
          rejects?.add(cells, rec.line, e.message);
        } else throw e;
      }
      if ((rows & 1023) === 0) progress.tick(rows, reader.bytesRead());
    }
    progress.clear();
    if (header === null) throw new ValidationError(`${src.name}: line 1: the file is empty (no header line)`);
    if (printed > MAX_ERRORS_PRINTED) app.ctx.stderr.write(`ngo: … and ${printed - MAX_ERRORS_PRINTED} more invalid row(s)\n`);
    o.finish?.(importId);
    rejects?.close();
    rejects = null;

    if (summary.invalid > 0 && !o.skipInvalid) {
      db.exec('ROLLBACK');
      throw new ValidationError(
        `${summary.invalid} invalid row(s) in ${src.name}; nothing was imported`,
        o.dryRun ? 'fix them and run the dry run again' : 'fix them, or use --skip-invalid (with --rejects FILE) to import the valid rows',
      );
    }
    if (o.dryRun) {
      db.exec('ROLLBACK');
      summary.import_id = null;
    } else {
      db.prepare('UPDATE imports SET sha256 = ?, finished_at = ?, inserted = ?, updated = ?, unchanged = ?, skipped = ?, invalid = ? WHERE id = ?').run(
        reader.sha256(),
        app.ctx.now().toISOString(),
        summary.inserted,
        summary.updated,
        summary.unchanged,
        summary.skipped,
        summary.invalid,
        importId,
      );
      app.audit('import', 'import', importId, {
        kind: [null, o.kind],
        file: [null, src.name],
        sha256: [null, reader.sha256()],
        counts: [null, summaryLine(summary)],
      });
      db.exec('COMMIT');
      committed = true;
    }
  } catch (e) {
    progress.clear();
    rejects?.abort();
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  void committed;
  const line = summaryLine(summary);
  app.info(o.dryRun ? `dry run, nothing written: would have ${line}` : line);
  if (o.json) app.out(JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
