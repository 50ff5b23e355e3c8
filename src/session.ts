/**
 * The session part of the App (src/app.ts): where the data is, the lazily opened database, its
 * transactions and snapshots, the audit writer and who it names, today's date and the settings.
 * It writes nothing itself: its notices (a migration, a wait behind another write) go to `notice`.
 */
import type { Context, GlobalOptions } from './context.js';
import { openDatabase, resolveDbPath, rollbackIfOpen, writeWaitMs, type WriteWait } from './store/db.js';
import { makeAudit, type AuditWriter } from './store/audit.js';
import type { Conn } from './store/conn.js';
import { SqliteConn } from './store/sqlite-conn.js';
import { PgConn, redactPgUrl } from './store/pg-conn.js';
import { isPgUrl, openPgDatabase } from './store/pg-store.js';
import { getSetting } from './store/settings.js';
import { localToday } from './domain/dates.js';
import { SETTING_DEFAULTS } from './domain/settings.js';
import { refuseControl } from './domain/text.js';
import { setSavedNote, withDefaultSignalsAsync } from './io/signals.js';

/** The name of a setting (`ngo settings`), with its default in SETTING_DEFAULTS. */
export type SettingKey = keyof typeof SETTING_DEFAULTS;

export class Session {
  readonly ctx: Context;
  readonly globals: GlobalOptions;
  /** Where the session's notices go (the App's info line on stderr). */
  private readonly notice: (message: string) => void;
  private _db?: Conn;
  private _audit?: AuditWriter;
  /** Only `ngo init`, `ngo demo` and `ngo db restore` may create a database (SPEC "Where the data lives"). */
  createAllowed = false;

  constructor(ctx: Context, globals: GlobalOptions, notice: (message: string) => void) {
    this.ctx = ctx;
    this.globals = globals;
    this.notice = notice;
  }

  /** Where the data is: a file path, or a PostgreSQL URL (see dbPath for the form to show). */
  get dbTarget(): string {
    return resolveDbPath(this.globals.db, this.ctx.env, this.ctx.dataDir);
  }

  /** Whether the data is on a PostgreSQL server. */
  get onServer(): boolean {
    return isPgUrl(this.dbTarget);
  }

  /** The database as messages show it: the path, or the URL without its password. */
  get dbPath(): string {
    const t = this.dbTarget;
    return isPgUrl(t) ? redactPgUrl(t) : t;
  }

  /** The database, opened (created, migrated) on first use. */
  async db(): Promise<Conn> {
    if (!this._db && this.onServer) {
      this._db = await openPgDatabase(this.dbTarget, {
        create: this.createAllowed,
        now: this.ctx.now,
        writeWait: this.writeWait,
        notice: (m) => this.notice(m),
      });
    }
    if (!this._db) {
      this._db = new SqliteConn(
        await openDatabase(this.dbPath, { now: this.ctx.now, create: this.createAllowed, notice: (m) => this.notice(m), writeWait: this.writeWait }),
      );
    }
    return this._db;
  }

  get isDbOpen(): boolean {
    return this._db !== undefined;
  }

  close(): void {
    if (this._db instanceof PgConn) {
      // The server rolls back whatever is open when the connection ends.
      void this._db.close().catch(() => undefined);
      this._db = undefined;
      this._audit = undefined;
    } else if (this._db instanceof SqliteConn) {
      rollbackIfOpen(this._db.raw);
      this._db.raw.close();
      this._db = undefined;
      this._audit = undefined;
    }
  }

  /** Who the audit log names: --actor, else NGO_ACTOR, else the OS user. A stored text like any other. */
  get actor(): string {
    const a = this.globals.actor || this.ctx.env['NGO_ACTOR'] || this.ctx.osUser() || 'unknown';
    return refuseControl(a, this.globals.actor ? '--actor' : this.ctx.env['NGO_ACTOR'] ? 'NGO_ACTOR' : 'the OS user name');
  }

  /** Write one audit entry (the database is opened on first use, like every access). */
  readonly audit: AuditWriter = async (action, entity, entityId, changes) => {
    if (!this._audit) this._audit = makeAudit(await this.db(), this.actor, this.ctx.now);
    return this._audit(action, entity, entityId, changes);
  };

  /**
   * One write transaction around `fn` under the single-writer lock (Conn.write). On SQLite it runs
   * synchronously, where Node's signal handlers cannot run: Ctrl-C, SIGTERM and SIGHUP keep their
   * default action, ending the process at once (SQLite rolls the transaction back), instead of being
   * handled after the write has committed.
   */
  async tx<T>(fn: () => Promise<T>): Promise<T> {
    const conn = await this.db();
    const outermost = !conn.inTransaction;
    // A server transaction gives the event loop its turns, so Ctrl-C and SIGTERM are handled as usual:
    // ngo's temporary files (a restore's kept copy holds personal data) are removed, and the server
    // rolls back what the ended connection left open. SQLite's runs synchronously (see above).
    const result = conn.dialect === 'pg' ? await conn.write(this.writeWait, fn) : await withDefaultSignalsAsync(() => conn.write(this.writeWait, fn));
    // Committed: should printing the result fail now (stdout on a full disk), the error says so.
    if (outermost) setSavedNote('the change itself was saved (ngo audit lists it)');
    return result;
  }

  /**
   * Run the reads of `fn` in one read transaction: a report made of several queries sees one
   * consistent state of the database even while an import commits (WAL snapshot), never a part of it.
   */
  async snapshot<T>(fn: () => Promise<T>): Promise<T> {
    const conn = await this.db();
    if (conn.inTransaction) return fn();
    // A report's queries run synchronously on SQLite (a second or two over a million entries): Ctrl-C ends them at once.
    return withDefaultSignalsAsync(() => conn.read(fn));
  }

  /** How long a write waits behind another process's (NGO_BUSY_TIMEOUT), and how it says so. */
  get writeWait(): WriteWait {
    return { ms: writeWaitMs(this.ctx.env), notice: (m) => this.notice(m) };
  }

  today(): string {
    return localToday(this.ctx.now());
  }

  async setting(key: SettingKey): Promise<string> {
    return (await getSetting(await this.db(), key)) ?? SETTING_DEFAULTS[key];
  }

  async fiscalYearStart(): Promise<number> {
    return Number(await this.setting('fiscal_year_start'));
  }
}
