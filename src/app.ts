/**
 * The per-invocation runtime handed to every command: the global options, the Session (src/session.ts:
 * the lazily opened database, transactions, audit, settings), the Output (src/output.ts: ids on stdout,
 * messages on stderr, formats, colour, output files), prompts and confirmation.
 */
import type { Context, GlobalOptions, OutStream } from './context.js';
import type { WriteWait } from './store/db.js';
import type { AuditWriter } from './store/audit.js';
import type { Conn } from './store/conn.js';
import { inquirerPrompter, type Prompter } from './io/prompt.js';
import { UsageError } from './errors.js';
import { BOM, type Column, type Format, type Row } from './io/output.js';
import type { FileGuard, WriteTarget } from './io/files.js';
import type { Colours } from './io/colour.js';
import { Session, type SettingKey } from './session.js';
import { Output } from './output.js';

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
  readonly session: Session;
  readonly output: Output;
  private _prompter?: Prompter;
  /** True once a value was asked for: the command is being driven interactively. */
  private prompted = false;

  constructor(ctx: Context, globals: GlobalOptions) {
    this.ctx = ctx;
    this.globals = globals;
    // The session's notices are info lines of the output (read when one is written, after construction).
    this.session = new Session(ctx, globals, (m) => this.output.info(m));
    this.output = new Output(ctx, globals, this.session);
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

  // ---- output (src/output.ts) ---------------------------------------------------------------

  get chalk(): Colours {
    return this.output.chalk;
  }

  useColor(stream?: OutStream): boolean {
    return this.output.useColor(stream);
  }

  info(message: string, styled?: string): void {
    this.output.info(message, styled);
  }

  success(message: string): void {
    this.output.success(message);
  }

  warn(message: string): void {
    this.output.warn(message);
  }

  errorLine(message: string): void {
    this.output.errorLine(message);
  }

  out(text: string): void {
    this.output.out(text);
  }

  outData(text: string): void {
    this.output.outData(text);
  }

  format(opts: { format?: string; json?: boolean }): Format {
    return this.output.format(opts);
  }

  wantsBom(opts: { bom?: boolean }): Promise<boolean> {
    return this.output.wantsBom(opts);
  }

  printRows(rows: Row[], columns: Column[], opts: { format?: string; json?: boolean; bom?: boolean }, tableColumns?: Column[]): Promise<void> {
    return this.output.printRows(rows, columns, opts, tableColumns);
  }

  get files(): FileGuard {
    return this.output.files;
  }

  protectInput(file: string): void {
    this.output.protectInput(file);
  }

  target(file: string, label: string): WriteTarget {
    return this.output.target(file, label);
  }

  writeReport(text: string, out: string | undefined, label?: string): Promise<void> {
    return this.output.writeReport(text, out, label);
  }

  writeReports(files: { file: string; text: string }[], label: string): Promise<void> {
    return this.output.writeReports(files, label);
  }

  reportText(rows: Row[], columns: Column[], opts: { format?: string; json?: boolean; bom?: boolean; out?: string }): Promise<string> {
    return this.output.reportText(rows, columns, opts);
  }

  emitWrite(id: number | bigint, summary: string, opts: { json?: boolean }, record?: { row: Row; columns: Column[] }): void {
    this.output.emitWrite(id, summary, opts, record);
  }

  readFileText(file: string): string {
    return this.output.readFileText(file);
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
}

export { BOM };
