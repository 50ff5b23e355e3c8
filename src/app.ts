/**
 * The per-invocation runtime handed to every command: the global options and three parts that each
 * keep their own state — the Session (src/session.ts: the lazily opened database, transactions, audit,
 * settings), the Output (src/output.ts: ids on stdout, messages on stderr, formats, colour, output
 * files) and the Prompts (src/prompts.ts: prompts and confirmation). App only composes them: each of
 * its members hands the call to the part that owns it, where it is documented.
 */
import type { Context, GlobalOptions, OutStream } from './context.js';
import type { WriteWait } from './store/db.js';
import type { AuditWriter } from './store/audit.js';
import type { Conn } from './store/conn.js';
import type { Prompter } from './io/prompt.js';
import { BOM, type Column, type Format, type Row } from './io/output.js';
import type { FileGuard, WriteTarget } from './io/files.js';
import type { Colours } from './io/colour.js';
import { Session, type SettingKey } from './session.js';
import { Output, type ListOptions, type ShowSection } from './output.js';
import { Prompts, type Needed, type NeededValues } from './prompts.js';

export type { GlobalOptions } from './context.js';
export type { Needed } from './prompts.js';
export type { ListOptions, ShowSection } from './output.js';

export class App {
  readonly ctx: Context;
  readonly globals: GlobalOptions;
  readonly session: Session;
  readonly output: Output;
  readonly prompts: Prompts;

  constructor(ctx: Context, globals: GlobalOptions) {
    this.ctx = ctx;
    this.globals = globals;
    // The session's notices are info lines of the output (read when one is written, after construction).
    this.session = new Session(ctx, globals, (m) => this.output.info(m));
    this.output = new Output(ctx, globals, this.session);
    this.prompts = new Prompts(ctx, globals);
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

  printRows(rows: Row[], columns: Column[], opts: ListOptions, tableColumns?: Column[]): Promise<void> {
    return this.output.printRows(rows, columns, opts, tableColumns);
  }

  printShow(record: { row: Row; columns: Column[] }, related: ShowSection[], opts: ListOptions): Promise<void> {
    return this.output.printShow(record, related, opts);
  }

  tableText(rows: Row[], columns: Column[], o?: { hiddenHint?: string }): string {
    return this.output.tableText(rows, columns, o);
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

  reportText(rows: Row[], columns: Column[], opts: ListOptions & { out?: string }, tableRows?: Row[]): Promise<string> {
    return this.output.reportText(rows, columns, opts, tableRows);
  }

  emitWrite(id: number | bigint, summary: string, opts: { json?: boolean }, record?: { row: Row; columns: Column[] }): void {
    this.output.emitWrite(id, summary, opts, record);
  }

  readFileText(file: string): string {
    return this.output.readFileText(file);
  }

  // ---- prompts (src/prompts.ts) -------------------------------------------------------------

  get canPrompt(): boolean {
    return this.prompts.canPrompt;
  }

  get prompter(): Prompter {
    return this.prompts.prompter;
  }

  need<T extends Record<string, Needed<unknown>>>(spec: T): Promise<NeededValues<T>> {
    return this.prompts.need(spec);
  }

  confirmWrite(summary: string): Promise<void> {
    return this.prompts.confirmWrite(summary);
  }

  confirm(message: string, yes: boolean | undefined): Promise<void> {
    return this.prompts.confirm(message, yes);
  }
}

export { BOM };
