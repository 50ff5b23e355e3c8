/**
 * The output part of the App (src/app.ts): messages on stderr, data on stdout in the chosen format,
 * colour, and the files a command writes (report files, through the one file writer) or must not.
 * What it needs of the session — where the database is, the csv.bom setting — it asks the Session.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, GlobalOptions, OutStream } from './context.js';
import { IoError, UsageError } from './errors.js';
import type { Session } from './session.js';
import { BOM, jsonRecord, render, renderCsv, safeJson, type Column, type Format, type Row } from './io/output.js';
import { DEFAULT_WIDTH, renderFields, renderTable, selectColumns, unionColumns, wrapText, type TableOptions } from './io/table.js';
import { FileGuard, writeOutput, writeOutputSet, type WriteTarget } from './io/files.js';
import { terminalSafe } from './domain/text.js';
import { setSavedNote } from './io/signals.js';
import { colours, type Colours } from './io/colour.js';

/** What the output asks of the session: the database not to write over, the csv.bom setting. */
/** The output options of a list, a show or a report: --format, --json, --bom, --columns. */
export interface ListOptions {
  format?: string;
  json?: boolean;
  bom?: boolean;
  columns?: string;
}

/** A show command's related items: a table under `title` on a terminal, `key` in JSON. */
export interface ShowSection {
  key: string;
  title: string;
  /** Said after the title on a terminal (what empty cells mean, where the rest is). */
  note?: string;
  rows: Row[];
  columns: Column[];
  /** Shown on a terminal only: CSV and JSON keep their shape. */
  tableOnly?: boolean;
}

export type OutputSession = Pick<Session, 'onServer' | 'dbPath' | 'setting'>;

export class Output {
  readonly ctx: Context;
  readonly globals: GlobalOptions;
  /** Styles for stderr (plain when it is not coloured). */
  readonly chalk: Colours;
  private readonly session: OutputSession;
  private _files?: FileGuard;

  constructor(ctx: Context, globals: GlobalOptions, session: OutputSession) {
    this.ctx = ctx;
    this.globals = globals;
    this.session = session;
    this.chalk = colours(this.useColor());
  }

  /** Colour only on a TTY, never with NO_COLOR (non-empty), TERM=dumb or --no-color. */
  useColor(stream: OutStream = this.ctx.stderr): boolean {
    if (!this.globals.color) return false;
    const noColor = this.ctx.env['NO_COLOR'];
    if (noColor !== undefined && noColor !== '') return false;
    if (this.ctx.env['TERM'] === 'dumb') return false;
    return stream.isTTY === true;
  }

  // ---- messages (stderr) -------------------------------------------------------------------

  // Every message is one line, escaped for the terminal (terminalSafe): a name or a note that holds a
  // control character or a line break can neither drive the terminal nor forge a line of its own.

  /** `styled`: text of ngo's own, already coloured (never data), appended as it is. */
  info(message: string, styled = ''): void {
    if (!this.globals.quiet) this.ctx.stderr.write(terminalSafe(message) + styled + '\n');
  }

  success(message: string): void {
    if (!this.globals.quiet) this.ctx.stderr.write(this.chalk.green('✔ ') + terminalSafe(message) + '\n');
  }

  warn(message: string): void {
    this.ctx.stderr.write(this.chalk.yellow('ngo: warning: ') + terminalSafe(message) + '\n');
  }

  /** An error line that does not end the command (a bad row of an import). */
  errorLine(message: string): void {
    this.ctx.stderr.write(this.chalk.red('ngo: error: ') + terminalSafe(message) + '\n');
  }

  // ---- data (stdout) ------------------------------------------------------------------------

  out(text: string): void {
    this.ctx.stdout.write(text);
  }

  /** Data (CSV, JSON, a stored value) to stdout: on a terminal, control characters are shown escaped. */
  outData(text: string): void {
    this.out(this.ctx.stdout.isTTY ? terminalSafe(text, { keepLines: true }) : text);
  }

  /** --format / --json → format; default table on a TTY, csv otherwise. */
  format(opts: { format?: string; json?: boolean }): Format {
    if (opts.json) return 'json';
    if (opts.format) {
      if (opts.format !== 'table' && opts.format !== 'csv' && opts.format !== 'json') {
        throw new UsageError(`invalid --format "${opts.format}" (expected table, csv or json)`);
      }
      return opts.format;
    }
    return this.ctx.stdout.isTTY ? 'table' : 'csv';
  }

  /** --bom, else the csv.bom setting (bom: false given explicitly skips the database: db check of a damaged file). */
  async wantsBom(opts: { bom?: boolean }): Promise<boolean> {
    if (opts.bom !== undefined) return opts.bom === true;
    return (await this.session.setting('csv.bom')) === 'true';
  }

  /**
   * The width tables are drawn for: the terminal's columns when stdout is a terminal (80 when it
   * reports none), else none — a table to a pipe, a file or cron is drawn whole, whatever COLUMNS says.
   */
  tableWidth(): number | undefined {
    if (!this.ctx.stdout.isTTY) return undefined;
    const w = this.ctx.stdout.columns;
    return w !== undefined && w > 0 ? w : DEFAULT_WIDTH;
  }

  /** The table options for stdout: its width and colours. */
  private tableOptions(): TableOptions {
    return { width: this.tableWidth(), chalk: colours(this.useColor(this.ctx.stdout)) };
  }

  /**
   * The columns to print in `format`: `--columns` chosen among what the format can show (a table:
   * its table columns, then every CSV column; CSV and JSON: their columns), else the default ones.
   */
  chooseColumns(format: Format, columns: Column[], spec: string | undefined, tableColumns?: Column[]): Column[] {
    if (format !== 'table') return selectColumns(spec, columns);
    if (spec === undefined) return tableColumns ?? columns;
    return selectColumns(spec, unionColumns(tableColumns ?? columns, columns));
  }

  /**
   * Print a list to stdout in the chosen format: a table (the one renderer, src/io/table.ts: its
   * columns are `tableColumns` when given), CSV or JSON (always `columns`). `--columns` chooses.
   */
  async printRows(rows: Row[], columns: Column[], opts: ListOptions, tableColumns?: Column[]): Promise<void> {
    const format = this.format(opts);
    const chosen = this.chooseColumns(format, columns, opts.columns, tableColumns);
    if (format === 'table') {
      // Tables escape their cells themselves (and may carry colour); CSV and JSON are data.
      this.out(renderTable(rows, chosen, this.tableOptions()));
      return;
    }
    this.outData(render(rows, chosen, format, { bom: format === 'csv' && (await this.wantsBom(opts)) }));
  }

  /** Rows as a table for stdout's terminal (a command's own screen: the demo's summary). */
  tableText(rows: Row[], columns: Column[], o: { hiddenHint?: string } = {}): string {
    return renderTable(rows, columns, { ...this.tableOptions(), ...o });
  }

  /**
   * A show command's output: the record, then its related items.
   * table: the record as a field list (`field  value` lines; `--columns` chooses the fields), then
   *   each related section under its title as a table (sections marked `tableOnly` appear here only);
   * csv: the record's CSV, then each section's CSV after a blank line;
   * json: `[{…record, <section key>: [rows]}]`.
   */
  async printShow(record: { row: Row; columns: Column[] }, related: ShowSection[], opts: ListOptions): Promise<void> {
    const format = this.format(opts);
    const columns = selectColumns(opts.columns, record.columns);
    if (format === 'json') {
      const rec: Record<string, unknown> = jsonRecord(record.row, columns);
      for (const s of related) if (!s.tableOnly) rec[s.key] = s.rows.map((r) => jsonRecord(r, s.columns));
      this.outData(safeJson([rec]) + '\n');
      return;
    }
    if (format === 'csv') {
      let text = ((await this.wantsBom(opts)) ? BOM : '') + renderCsv([record.row], columns);
      for (const s of related) if (!s.tableOnly) text += '\n' + renderCsv(s.rows, s.columns);
      this.outData(text);
      return;
    }
    const o = this.tableOptions();
    const bold = (t: string) => (o.chalk ? o.chalk.bold(t) : t);
    let text = renderFields(record.row, columns, o);
    for (const s of related) {
      // The title in bold, its note after it, both wrapped to the terminal.
      const title = terminalSafe(s.title);
      const head = wrapText(title + (s.note ? ' ' + terminalSafe(s.note) : ''), o.width ?? Infinity);
      head[0] = head[0]!.startsWith(title) ? bold(title) + head[0]!.slice(title.length) : head[0]!;
      text += '\n' + head.join('\n') + '\n';
      text += renderTable(s.rows, s.columns, o);
    }
    this.out(text);
  }

  /**
   * The files this command must not write over: the database (with its -wal, -shm, -journal) and,
   * once registered with protectInput, the command's inputs. Every output file is checked against it.
   */
  get files(): FileGuard {
    if (!this._files) {
      this._files = new FileGuard();
      if (!this.session.onServer) this._files.protectDatabase(this.session.dbPath);
    }
    return this._files;
  }

  /** An input file of this command (an import's CSV, a restore's source): outputs may not be it. */
  protectInput(file: string): void {
    if (file !== '-') this.files.protectInput(path.resolve(this.ctx.cwd, file));
    else if (this.ctx.stdinFd !== undefined) this.files.protectInputFd(this.ctx.stdinFd);
  }

  /** A path the user gave, as an output target named by `label` (the option, e.g. `--out`). */
  target(file: string, label: string): WriteTarget {
    return { path: path.resolve(this.ctx.cwd, file), shown: file, label };
  }

  /**
   * Write report output to --out FILE (or stdout for none/"-"), through the one file writer
   * (io/files.ts): whole or not at all, mode 0600, never over the database or an input.
   */
  async writeReport(text: string, out: string | undefined, label = '--out'): Promise<void> {
    if (!out || out === '-') {
      this.outData(text);
      return;
    }
    await writeOutput(this.files, this.target(out, label), text);
  }

  /** Several report files, all or none (`--out-dir`). */
  async writeReports(files: { file: string; text: string }[], label: string): Promise<void> {
    await writeOutputSet(
      this.files,
      files.map((f) => ({ target: this.target(f.file, label), data: f.text })),
    );
  }

  /**
   * Report text in the chosen format (reports default to CSV whatever the TTY); `tableRows`: what a
   * table shows instead of `rows` (the rows with a TOTAL line that the CSV does not have).
   */
  async reportText(rows: Row[], columns: Column[], opts: ListOptions & { out?: string }, tableRows?: Row[]): Promise<string> {
    const format = opts.json ? 'json' : opts.format ? this.format(opts) : 'csv';
    const chosen = this.chooseColumns(format, columns, opts.columns);
    if (format !== 'table') return render(rows, chosen, format, { bom: format === 'csv' && (await this.wantsBom(opts)) });
    // A table for a file (--out) is drawn whole, as for a pipe; on stdout, for its terminal. No
    // colour: report text goes out as data (writeReport), where an escape would show escaped.
    const toStdout = !opts.out || opts.out === '-';
    return renderTable(tableRows ?? rows, chosen, { width: toStdout ? this.tableWidth() : undefined });
  }

  /** A write command's result: the id alone on stdout (or the record with --json), the summary on stderr. */
  emitWrite(id: number | bigint, summary: string, opts: { json?: boolean }, record?: { row: Row; columns: Column[] }): void {
    // The change is committed: a script that retries on the exit code must not make it twice.
    setSavedNote(`the change itself was saved (id ${id}): check before running the command again`);
    if (opts.json && record) this.outData(safeJson(jsonRecord(record.row, record.columns)) + '\n');
    else this.out(`${id}\n`);
    this.success(summary);
  }

  /** Read a whole text file, mapping failures to exit 6. */
  readFileText(file: string): string {
    try {
      return fs.readFileSync(path.resolve(this.ctx.cwd, file), 'utf8');
    } catch (e) {
      throw new IoError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
}
