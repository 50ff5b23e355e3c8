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
import { jsonRecord, render, safeJson, type Column, type Format, type Row } from './io/output.js';
import { FileGuard, writeOutput, writeOutputSet, type WriteTarget } from './io/files.js';
import { terminalSafe } from './domain/text.js';
import { setSavedNote } from './io/signals.js';
import { colours, type Colours } from './io/colour.js';

/** What the output asks of the session: the database not to write over, the csv.bom setting. */
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

  /** Print rows to stdout in the chosen format. */
  async printRows(rows: Row[], columns: Column[], opts: { format?: string; json?: boolean; bom?: boolean }, tableColumns?: Column[]): Promise<void> {
    const format = this.format(opts);
    // Tables escape their cells themselves (and may carry colour); CSV and JSON are data.
    (format === 'table' ? this.out.bind(this) : this.outData.bind(this))(
      render(rows, format === 'table' && tableColumns ? tableColumns : columns, format, {
        bom: format === 'csv' && (await this.wantsBom(opts)),
        width: this.ctx.stdout.isTTY ? (this.ctx.stdout.columns ?? 100) : undefined,
        chalk: colours(this.useColor(this.ctx.stdout)),
      }),
    );
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

  /** Report text in the chosen format (reports default to CSV whatever the TTY). */
  async reportText(rows: Row[], columns: Column[], opts: { format?: string; json?: boolean; bom?: boolean; out?: string }): Promise<string> {
    const format = opts.json ? 'json' : opts.format ? this.format(opts) : 'csv';
    const toTty = (!opts.out || opts.out === '-') && this.ctx.stdout.isTTY;
    return render(rows, columns, format, {
      bom: format === 'csv' && (await this.wantsBom(opts)),
      width: toTty ? (this.ctx.stdout.columns ?? 100) : undefined,
    });
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
