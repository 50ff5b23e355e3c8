/**
 * The per-invocation runtime handed to every command: global options, the database session
 * (src/session.ts: the lazily opened database, transactions, audit, settings), output helpers (ids on
 * stdout, messages on stderr, formats), colour, prompts and confirmation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Context, GlobalOptions } from './context.js';
import { IoError, UsageError } from './errors.js';
import type { WriteWait } from './store/db.js';
import type { AuditWriter } from './store/audit.js';
import type { Conn } from './store/conn.js';
import { inquirerPrompter, type Prompter } from './io/prompt.js';
import { BOM, jsonRecord, render, safeJson, type Column, type Format, type Row } from './io/output.js';
import { FileGuard, writeOutput, writeOutputSet, type WriteTarget } from './io/files.js';
import { terminalSafe } from './domain/text.js';
import { setSavedNote } from './io/signals.js';
import { colours, type Colours } from './io/colour.js';
import { Session, type SettingKey } from './session.js';

export type { GlobalOptions } from './context.js';

/** A required value that may be asked for on a TTY. */
export interface Needed<T> {
  flag: string;
  value: T | undefined;
  ask: (p: Prompter) => Promise<T>;
}

export class App {
  readonly ctx: Context;
  readonly globals: GlobalOptions;
  /** Styles for stderr (plain when it is not coloured). */
  readonly chalk: Colours;
  readonly session: Session;
  private _files?: FileGuard;
  private _prompter?: Prompter;
  /** True once a value was asked for: the command is being driven interactively. */
  private prompted = false;

  constructor(ctx: Context, globals: GlobalOptions) {
    this.ctx = ctx;
    this.globals = globals;
    // The session's notices are info lines.
    this.session = new Session(ctx, globals, (m) => this.info(m));
    this.chalk = colours(this.useColor());
  }

  /** Colour only on a TTY, never with NO_COLOR (non-empty), TERM=dumb or --no-color. */
  useColor(stream = this.ctx.stderr): boolean {
    if (!this.globals.color) return false;
    const noColor = this.ctx.env['NO_COLOR'];
    if (noColor !== undefined && noColor !== '') return false;
    if (this.ctx.env['TERM'] === 'dumb') return false;
    return stream.isTTY === true;
  }

  // ---- session (src/session.ts) -------------------------------------------------------------

  get createAllowed(): boolean {
    return this.session.createAllowed;
  }

  set createAllowed(allowed: boolean) {
    this.session.createAllowed = allowed;
  }

  get dbTarget(): string {
    return this.session.dbTarget;
  }

  get onServer(): boolean {
    return this.session.onServer;
  }

  get dbPath(): string {
    return this.session.dbPath;
  }

  db(): Promise<Conn> {
    return this.session.db();
  }

  get isDbOpen(): boolean {
    return this.session.isDbOpen;
  }

  close(): void {
    this.session.close();
  }

  get actor(): string {
    return this.session.actor;
  }

  get audit(): AuditWriter {
    return this.session.audit;
  }

  tx<T>(fn: () => Promise<T>): Promise<T> {
    return this.session.tx(fn);
  }

  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.session.snapshot(fn);
  }

  get writeWait(): WriteWait {
    return this.session.writeWait;
  }

  today(): string {
    return this.session.today();
  }

  setting(key: SettingKey): Promise<string> {
    return this.session.setting(key);
  }

  fiscalYearStart(): Promise<number> {
    return this.session.fiscalYearStart();
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
    return (await this.setting('csv.bom')) === 'true';
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
      if (!this.onServer) this._files.protectDatabase(this.dbPath);
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

  // ---- prompts ------------------------------------------------------------------------------

  /** Prompts only when stdin and stdout are TTYs and --no-input was not given. */
  get canPrompt(): boolean {
    return this.globals.input && this.ctx.stdin.isTTY === true && this.ctx.stdout.isTTY === true;
  }

  get prompter(): Prompter {
    if (!this._prompter) this._prompter = this.ctx.prompter ?? inquirerPrompter(this.ctx.stdin, this.ctx.stderr);
    return this._prompter;
  }

  /**
   * Fill missing required values: ask for them on a TTY, else exit 2 naming every missing option.
   */
  async need<T extends Record<string, Needed<unknown>>>(spec: T): Promise<{ [K in keyof T]: T[K] extends Needed<infer V> ? V : never }> {
    const missing = Object.values(spec).filter((n) => n.value === undefined || n.value === '');
    if (missing.length > 0 && !this.canPrompt) {
      throw new UsageError(`missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((m) => m.flag).join(', ')}`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, n] of Object.entries(spec)) {
      if (n.value === undefined || n.value === '') {
        this.prompted = true;
        out[k] = await n.ask(this.prompter);
      } else out[k] = n.value;
    }
    return out as { [K in keyof T]: T[K] extends Needed<infer V> ? V : never };
  }

  /**
   * After values were asked for, show what is about to be written and ask before writing.
   * Commands run with all their flags (scripts, cron) never see this.
   */
  async confirmWrite(summary: string): Promise<void> {
    if (!this.prompted || !this.canPrompt) return;
    const ok = await this.prompter.confirm({ message: `${summary} — save?`, default: true });
    if (!ok) throw new UsageError('cancelled; nothing was changed');
  }

  /** Destructive actions confirm on a TTY and need --yes without one. */
  async confirm(message: string, yes: boolean | undefined): Promise<void> {
    if (yes) return;
    if (!this.canPrompt) throw new UsageError(`${message.replace(/\?$/, '')}: add --yes to confirm (no terminal to ask)`);
    const ok = await this.prompter.confirm({ message, default: false });
    if (!ok) throw new UsageError('cancelled; nothing was changed');
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

export { BOM };
