/**
 * The PostgreSQL connection behind the Conn interface: one node-postgres `Client` (a CLI process uses one
 * connection, and a transaction must stay on it), plus the write lock, read snapshots, schema state and the
 * mapping of PostgreSQL errors to ngo's exit codes (../shared/research/postgres-study.md).
 *
 * - SQL arrives in the store's SQLite form with `?` placeholders; each distinct text is turned into `$1..$n`
 *   once and, for queries and DML, run as a named server-side prepared statement (`ngo1`, `ngo2`…).
 * - Type parsers live on this connection only (never the global pg.types): int8 and numeric come back as
 *   numbers (an error beyond 2^53), booleans as 1/0, json/jsonb and date/time types as their text.
 * - node-postgres itself is loaded only by PgConn.connect, so redactPgUrl and pgError cost nothing to import.
 *
 * Parameters are sent untyped: PostgreSQL infers each `$n` from where it is used, so a parameter used only
 * in `? IS NULL` (or alone in a select list, which then reads back as text) needs a CAST.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Client, ClientConfig, QueryArrayResult, QueryResult } from 'pg';
import { ConflictError, IoError, NgoError } from '../errors.js';
import { expandNamed, type Conn, type Param, type RowSavepoints, type WriteWait } from './conn.js';
import { PG_MIGRATIONS, PG_SCHEMA, PG_SCHEMA_VERSION } from './pg-schema.js';
import { sleep, waitingNotice } from './wait.js';

type PgModule = typeof import('pg');

let pgModule: PgModule | undefined;
/** node-postgres, loaded with require() on first use (it is CommonJS; ~40 ms, only for a postgres URL). */
function loadPg(): PgModule {
  if (!pgModule) pgModule = createRequire(import.meta.url)('pg') as PgModule;
  return pgModule;
}

// ---------------------------------------------------------------------------------------------------------
// Placeholders and parameters

/**
 * `?` → `$1..$n`, left to right, skipping `?` inside '…' and E'…' literals, "…" identifiers, $tag$…$tag$
 * strings, `--` comments and (nested) `/* *\/` comments. `count` is the number of placeholders replaced.
 * SQL without `?` comes back unchanged (so `$1` written by hand also works).
 */
export function pgPlaceholders(sql: string): { text: string; count: number } {
  let out = '';
  let count = 0;
  let last = 0;
  let i = 0;
  const n = sql.length;
  const identChar = (c: string | undefined) => c !== undefined && /[\w$\u0080-\uffff]/.test(c);
  while (i < n) {
    const c = sql[i]!;
    if (c === "'") {
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !identChar(sql[i - 2]);
      i++;
      while (i < n) {
        const d = sql[i]!;
        if (escapes && d === '\\') i += 2;
        else if (d === "'" && sql[i + 1] === "'") i += 2;
        else if (d === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === '$' && !identChar(sql[i - 1])) {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
      } else i++;
    } else if (c === '?') {
      out += sql.slice(last, i) + '$' + ++count;
      last = ++i;
    } else i++;
  }
  return { text: count ? out + sql.slice(last) : sql, count };
}

/** A parameter as node-postgres should send it: undefined → null, booleans → 1/0, bigint → its digits. */
function pgParam(v: Param): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// Type parsers (this connection only)

function int8(text: string): number {
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new Error(`integer ${text} from PostgreSQL is beyond JavaScript's safe integers (±9007199254740991)`);
  return v;
}

function numeric(text: string): number {
  if (!text.includes('.')) return int8(text);
  const v = Number(text);
  if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) throw new Error(`number ${text} from PostgreSQL cannot be held exactly by JavaScript`);
  return v;
}

const asText = (text: string) => text;

/** Apply `f` to every non-null entry of a (nested) array parsed by pg-types. */
function mapArray(v: unknown, f: (s: string) => unknown): unknown {
  return Array.isArray(v) ? v.map((x) => mapArray(x, f)) : v === null ? null : f(String(v));
}

type GetTypeParser = (oid: number, format?: 'text' | 'binary') => unknown;

function typeParser(base: GetTypeParser): GetTypeParser {
  return (oid: number, format?: 'text' | 'binary'): unknown => {
    if (format === 'binary') return base(oid, format);
    switch (oid) {
      case 20: // int8
        return int8;
      case 1700: // numeric
        return numeric;
      case 16: // bool
        return (t: string) => (t === 't' ? 1 : 0);
      case 1016: // int8[]
      case 1231: {
        // numeric[]
        const parse = base(oid, 'text') as (t: string) => unknown;
        const each = oid === 1016 ? int8 : numeric;
        return (t: string) => mapArray(parse(t), each);
      }
      case 1000: {
        // bool[]
        const parse = base(oid, 'text') as (t: string) => unknown;
        return (t: string) => mapArray(parse(t), (s) => (s === 'true' || s === 't' ? 1 : 0));
      }
      case 114: // json: text, as SQLite's json functions give it (JSON.parse where read)
      case 3802: // jsonb
      case 1082: // date, time, timestamp, timestamptz, timetz: ngo keeps dates as text
      case 1083:
      case 1114:
      case 1184:
      case 1266:
        return asText;
      default:
        return base(oid, 'text'); // int2/int4/oid → number, bytea → Buffer, text unchanged
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Locations and errors

/**
 * The URL without its password: `user:pass@` → `user:***@`, and any `…password=value` parameter (URL query
 * or keyword form, also `sslpassword`) → `…password=***`. Meant for every message that names the database.
 */
export function redactPgUrl(url: string): string {
  let s = url.replace(/(^|[?&;\s])([\w-]*password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^&#\s]*)/gi, '$1$2***');
  // Also `postgres:user:pw@host/db` (no //), which is no URL but would show a password all the same.
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/|postgres(ql)?:)/i.exec(s)?.[0];
  if (scheme) {
    const rest = s.slice(scheme.length);
    const end = rest.search(/[/?#]/);
    let at = end < 0 ? rest.lastIndexOf('@') : rest.lastIndexOf('@', end - 1);
    // A password holding an unescaped `/`, `?` or `#` makes the URL invalid: hide up to the last `@`.
    if (at < 0 && !parsesAsUrl(url)) at = rest.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      if (colon >= 0) s = scheme + userinfo.slice(0, colon + 1) + '***' + rest.slice(at);
    }
  }
  return s;
}

function parsesAsUrl(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** The passwords a URL and the environment carry, to be scrubbed from any message. */
function secretsOf(url: string): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
    for (const [k, v] of u.searchParams) if (/password$/i.test(k) && v) out.push(v);
  } catch {
    // not a URL: redactPgUrl covers the keyword form
  }
  if (process.env['PGPASSWORD']) out.push(process.env['PGPASSWORD']);
  return out.filter((p) => p.length >= 3);
}

const scrub = (text: string, secrets: string[]) => secrets.reduce((t, p) => t.split(p).join('***'), text);

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function messageOf(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown; errors?: unknown } | null | undefined;
  if (typeof err?.message === 'string' && err.message.trim()) return oneLine(err.message);
  // Node's AggregateError (every address of a host refused) has an empty message.
  if (Array.isArray(err?.errors) && err.errors.length) return [...new Set(err.errors.map(messageOf))].join('; ');
  if (typeof err?.code === 'string') return err.code;
  return oneLine(String(e));
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOENT',
  'EACCES',
]);

/** node-postgres's own connection errors carry no code. */
const DRIVER_CONNECTION_MESSAGE = /^Connection terminated|not queryable|^timeout expired|does not support SSL|^The server does not support SSL/i;

function isConnectionProblem(code: string, message: string): boolean {
  return (
    NETWORK_CODES.has(code) ||
    code.startsWith('08') ||
    code.startsWith('28') ||
    code === '3D000' ||
    code.startsWith('57P') ||
    code === '53300' ||
    DRIVER_CONNECTION_MESSAGE.test(message)
  );
}

function connectionHint(code: string): string | undefined {
  if (code === '28P01' || code === '28000') return 'check the user name and password (in the URL, PGPASSWORD or ~/.pgpass) and the server’s pg_hba.conf';
  if (code === 'ECONNREFUSED') return 'check that the server is running and accepts TCP connections at that host and port';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'check the host name in the URL';
  if (code === '3D000') return 'create the database first (createdb NAME), or check its name in the URL';
  if (code === '53300') return 'the server has no free connection slot: try again later';
  if (code === NO_PASSWORD) return 'give the password in PGPASSWORD or ~/.pgpass (or in the URL)';
  return undefined;
}

/** The code of our error when the server wants a password and none was found. */
const NO_PASSWORD = 'NGO_NO_PASSWORD';

const codeOf = (e: unknown): string => {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : '';
};

const withCause = <E extends Error>(err: E, cause: unknown): E => Object.assign(err, { cause });

/**
 * Map an error of node-postgres or PostgreSQL to ngo's exit codes. Lock not available (55P03), serialization
 * failure (40001) and deadlock (40P01) → ConflictError (exit 5); a connection or authentication problem, a
 * missing database, an administrator's shutdown (08xxx, 28xxx, 3D000, 57P0x, ECONNREFUSED…) → IoError
 * (exit 6), one line naming `location` (already redacted). With `connecting`, every error becomes an
 * IoError. Anything else (23505 unique_violation included: the caller decides) is returned as it is.
 */
export function pgError(e: unknown, location: string, connecting = false): Error {
  if (e instanceof NgoError) return e;
  const code = codeOf(e);
  const message = messageOf(e);
  const busyHint = 'try again when the other command has finished';
  if (code === '55P03') return withCause(new ConflictError(`database is busy (a lock held by another session could not be taken): ${location}`, busyHint), e);
  if (code === '40001')
    return withCause(new ConflictError(`the database changed while this command ran (serialization failure): ${location}`, 'run the command again'), e);
  if (code === '40P01')
    return withCause(new ConflictError(`deadlock with another session on the database ${location}; this command was undone`, 'run the command again'), e);
  if (connecting || isConnectionProblem(code, message)) {
    const lost = !connecting && (/^(08|57P)/.test(code) || ['ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) || DRIVER_CONNECTION_MESSAGE.test(message));
    const what = lost ? 'lost the connection to' : 'cannot connect to';
    return withCause(new IoError(`${what} the PostgreSQL database ${location}: ${message}`, connectionHint(code)), e);
  }
  // A read-only server (a replica, default_transaction_read_only) or a role without the right: the
  // database cannot be written, as a read-only file cannot (exit 6), not an internal error.
  if (code === '25006' || code === '42501') {
    return withCause(
      new IoError(
        `the PostgreSQL database ${location} refuses this write: ${message}`,
        code === '25006'
          ? 'the server or this database is read-only (a replica, or default_transaction_read_only): use the primary server'
          : "this role may not write ngo's tables: ask the server's administrator to grant it (ngo db check shows what is writable)",
      ),
      e,
    );
  }
  if (code === '53100' || code.startsWith('58') || code === 'XX001' || code === 'XX002') {
    return withCause(new IoError(`the PostgreSQL server failed on the database ${location}: ${message}`), e);
  }
  return e instanceof Error ? e : new Error(String(e));
}

// ---------------------------------------------------------------------------------------------------------
// .pgpass (node-postgres 8 reads it too, but prints a DeprecationWarning when it finds a password there)

function pgpassLookup(host: string, port: number, database: string, user: string): string | undefined {
  const env = process.env;
  const file =
    env['PGPASSFILE'] ||
    (process.platform === 'win32' ? path.join(env['APPDATA'] ?? '.', 'postgresql', 'pgpass.conf') : path.join(env['HOME'] ?? os.homedir(), '.pgpass'));
  let text: string;
  try {
    const st = fs.statSync(file);
    // As libpq: a file other users can read or write is ignored.
    if (!st.isFile() || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) return undefined;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const hosts = host.startsWith('/') ? [host, 'localhost'] : [host];
  const wanted = [hosts, [String(port)], [database], [user]];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const fields: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && i + 1 < line.length) cur += line[++i];
      else if (c === ':' && fields.length < 4) {
        fields.push(cur);
        cur = '';
      } else cur += c;
    }
    fields.push(cur);
    if (fields.length < 5) continue;
    if (wanted.every((w, k) => fields[k] === '*' || w.includes(fields[k]!))) return fields[4];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The connection

interface Prepared {
  text: string;
  count: number;
  name: string | undefined;
}

/** Statements worth preparing server-side: queries and DML (not BEGIN, SET, DDL, VACUUM…). */
const PREPARABLE = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:SELECT|INSERT|UPDATE|DELETE|WITH|VALUES)\b/i;
/** Distinct SQL texts kept (converted and named) per connection; past that, converted on each call. */
const CACHE_MAX = 2000;

/** The tables whose `id` is an identity column (every table with an `id`). */
const ID_TABLES = new Set([...PG_SCHEMA.matchAll(/CREATE TABLE (\w+) \(\s*id\s+BIGINT GENERATED BY DEFAULT AS IDENTITY/g)].map((m) => m[1]!));

/**
 * A one-row `INSERT INTO t(cols…) VALUES (…)` into a table with an id gets the id SQLite would give it:
 * MAX(id) + 1. A sequence never gives a number back, so an import rolled back (an invalid row) or a
 * failed write would leave a gap that SQLite does not, and the same data would no longer give the same
 * ids, and so not the same bytes, on both stores. Every ngo write holds the single-writer lock, so no
 * two inserts can take the same number.
 */
export function withExplicitId(sql: string): string {
  const m = /^\s*INSERT INTO (\w+)\s*\(([^)]*)\)\s*VALUES\s*\(/i.exec(sql);
  if (!m || !ID_TABLES.has(m[1]!) || /(^|,)\s*id\s*(,|$)/i.test(m[2]!)) return sql;
  const table = m[1]!;
  return `INSERT INTO ${table}(id, ${m[2]!.trim()}) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM ${table}), ` + sql.slice(m[0].length);
}

/** One value in COPY's text format. */
function copyText(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return '\\\\x' + v.toString('hex');
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/**
 * `sslmode` with libpq's meaning: node-postgres reads `require` as `verify-full` (and warns at every
 * connection) unless the URL asks for libpq's semantics, which the README promises.
 */
function libpqSsl(url: string): string {
  try {
    const u = new URL(url);
    if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat')) u.searchParams.set('uselibpqcompat', 'true');
    return u.toString();
  } catch {
    return url;
  }
}

export class PgConn implements Conn {
  readonly dialect = 'pg' as const;
  /** The node-postgres client (one connection). */
  readonly client: Client;
  /** The URL without its password, for messages. */
  readonly location: string;
  /** The advisory lock key of this database's single writer (set when the database is opened: one per schema). */
  lockKey = 0;
  private readonly cache = new Map<string, Prepared>();
  private names = 0;
  /** The error node-postgres reported while the connection was idle (server shutdown, network loss). */
  private lost: Error | undefined;

  private constructor(client: Client, location: string) {
    this.client = client;
    this.location = location;
    // Without a listener, an error on an idle connection would be an uncaught 'error' event.
    client.on('error', (e) => {
      this.lost ??= e;
    });
  }

  /**
   * Connect with libpq's conventions as node-postgres has them (URL, PGHOST/PGUSER/PGPASSWORD…, ~/.pgpass,
   * PGAPPNAME), then set the session: UTC, warnings only, commits flushed, and client_connection_check_interval so that a
   * killed ngo's statement stops at once instead of holding the write lock (PostgreSQL 14+, Linux).
   * Every failure is an IoError naming the URL without its password.
   */
  static async connect(url: string, opts: { applicationName?: string } = {}): Promise<PgConn> {
    const location = redactPgUrl(url);
    if (/(^|[?&;\s])service\s*=/i.test(url) || process.env['PGSERVICE']) {
      throw new IoError(
        `PostgreSQL service names (service= or PGSERVICE) are not supported by ngo's PostgreSQL driver (node-postgres): ${location}`,
        'give the host, port, database and user in the URL (postgres://USER@HOST:PORT/DATABASE) instead, and unset PGSERVICE',
      );
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(url.trim()) && /^\s*[a-z_]+\s*=/i.test(url)) {
      throw new IoError(
        `only URLs are supported for a PostgreSQL database, not keyword=value strings: ${location}`,
        'write it as postgres://USER@HOST:PORT/DATABASE',
      );
    }
    const secrets = secretsOf(url);
    const fail = (e: unknown) => {
      const err = pgError(e, location, true);
      err.message = scrub(err.message, secrets);
      return err;
    };
    const pg = loadPg();
    const base = pg.types.getTypeParser.bind(pg.types) as GetTypeParser;
    const config: ClientConfig = {
      connectionString: libpqSsl(url),
      application_name: opts.applicationName,
      fallback_application_name: 'ngo',
      types: { getTypeParser: typeParser(base) as PgModule['types']['getTypeParser'] },
      keepAlive: true,
      connectionTimeoutMillis: connectTimeoutMs(url),
    };
    let client: Client;
    try {
      client = new pg.Client(config);
    } catch (e) {
      throw fail(e);
    }
    if (client.password == null) {
      // Our own ~/.pgpass lookup (see above), consulted only when the server asks for a password.
      const lookup = () => {
        const found = pgpassLookup(client.host || 'localhost', client.port || 5432, client.database ?? client.user ?? '', client.user ?? '');
        if (found === undefined) {
          throw Object.assign(new Error(`the server asks for a password for user "${client.user ?? ''}" and none was given`), { code: NO_PASSWORD });
        }
        secrets.push(found);
        return found;
      };
      (client as { password?: unknown }).password = lookup;
    }
    const conn = new PgConn(client, location);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw fail(e);
    }
    try {
      // A commit ngo calls saved is on the server's disk: a server set to synchronous_commit = off (a
      // crash loses the last commits) gets `local` for ngo's sessions. This also lets the VACUUM after
      // a restore or a large import mark the new rows' pages all-visible (see PgConn.afterBulk), which it cannot
      // do for a commit not yet flushed. A stricter setting (on, remote_apply) is kept.
      await client.query(
        "SET TIME ZONE 'UTC'; SET client_min_messages = warning; SELECT CASE WHEN current_setting('synchronous_commit') = 'off' THEN set_config('synchronous_commit', 'local', false) END",
      );
      try {
        await client.query("SET client_connection_check_interval = '1s'");
      } catch (e) {
        // PostgreSQL before 14 has no such setting; platforms without POLLRDHUP refuse a non-zero value.
        if (!codeOf(e) || isConnectionProblem(codeOf(e), messageOf(e))) throw e;
      }
    } catch (e) {
      await client.end().catch(() => undefined);
      throw fail(conn.lost ?? e);
    }
    return conn;
  }

  /** Whether a transaction is open (or failed and not yet ended), as the server last reported it. */
  get inTransaction(): boolean {
    const status = this.client.getTransactionStatus();
    return status === 'T' || status === 'E';
  }

  /** The `$n` form of a SQL text and its statement name, made once per text. */
  private prepared(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (!p) {
      const { text, count } = pgPlaceholders(withExplicitId(sql));
      p = { text, count, name: undefined };
      if (this.cache.size < CACHE_MAX) {
        if (PREPARABLE.test(text)) p.name = `ngo${++this.names}`;
        this.cache.set(sql, p);
      }
    }
    return p;
  }

  private failure(e: unknown): Error {
    // After an error on the idle connection node-postgres says only "not queryable": give the reason.
    return pgError(this.lost && !codeOf(e) ? this.lost : e, this.location);
  }

  private config(given: string, givenParams: Param[]) {
    // The store's @name parameters (one object of values) become positional ones first.
    const { sql, params } = expandNamed(given, givenParams);
    const p = this.prepared(sql);
    if (p.count > 0 && p.count !== params.length) {
      throw new RangeError(`${params.length} parameter(s) given for ${p.count} placeholder(s) in: ${oneLine(sql)}`);
    }
    return { key: sql, name: p.name, text: p.text, values: params.map(pgParam) };
  }

  /** One statement; on "cached plan must not change result type" (a table's columns changed under a `SELECT *`) the next call prepares its text again. */
  private async send<T>(sql: string, params: Param[], run: (config: { name?: string; text: string; values: unknown[] }) => Promise<T>): Promise<T> {
    const { key, ...config } = this.config(sql, params);
    try {
      return await run(config);
    } catch (e) {
      if (codeOf(e) === '0A000') this.cache.delete(key);
      throw this.failure(e);
    }
  }

  private rows<R>(sql: string, params: Param[]): Promise<QueryResult<R & object>> {
    return this.send(sql, params, (config) => this.client.query<R & object>(config));
  }

  private arrays(sql: string, params: Param[]): Promise<QueryArrayResult<unknown[]>> {
    return this.send(sql, params, (config) => this.client.query<unknown[]>({ ...config, rowMode: 'array' }));
  }

  async all<R>(sql: string, ...params: Param[]): Promise<R[]> {
    return (await this.rows<R>(sql, params)).rows;
  }

  /**
   * all(), planned for the values given every time (an unnamed statement, never a cached generic
   * plan): for a lookup into a table that grows under it within one transaction. An import's lookups
   * planned while the table was empty kept scanning it whole as it grew (quadratic in the file).
   */
  async allPlanned<R>(sql: string, ...params: Param[]): Promise<R[]> {
    const r = await this.send(sql, params, ({ text, values }) => this.client.query<R & object>({ text, values }));
    return r.rows;
  }

  async get<R>(sql: string, ...params: Param[]): Promise<R | undefined> {
    return (await this.rows<R>(sql, params)).rows[0];
  }

  async value<V>(sql: string, ...params: Param[]): Promise<V | undefined> {
    return (await this.arrays(sql, params)).rows[0]?.[0] as V | undefined;
  }

  async column<V>(sql: string, ...params: Param[]): Promise<V[]> {
    return (await this.arrays(sql, params)).rows.map((r) => r[0] as V);
  }

  async run(sql: string, ...params: Param[]): Promise<{ changes: number }> {
    return { changes: (await this.rows(sql, params)).rowCount ?? 0 };
  }

  async insertId(sql: string, ...params: Param[]): Promise<number> {
    const row = (await this.rows<{ id: unknown }>(sql, params)).rows[0];
    if (!row || row.id === undefined || row.id === null) throw new Error(`no id returned by: ${oneLine(sql)}`);
    return Number(row.id);
  }

  /** SQL without parameters, over the simple query protocol: several statements separated by `;`. */
  async exec(sql: string): Promise<void> {
    await this.simple(sql);
  }

  write<T>(wait: WriteWait, fn: () => Promise<T>): Promise<T> {
    return pgWrite(this, this.lockKey, wait.ms, wait.notice, fn);
  }

  read<T>(fn: () => Promise<T>): Promise<T> {
    return pgSnapshot(this, fn);
  }

  async beginWrite(wait: WriteWait): Promise<void> {
    await this.begin();
    try {
      await pgLock(this, this.lockKey, wait.ms, wait.notice);
    } catch (e) {
      await this.rollback().catch(() => undefined);
      throw e;
    }
  }

  commitWrite(): Promise<void> {
    return this.commit();
  }

  async rollbackWrite(): Promise<void> {
    if (this.inTransaction) await this.rollback();
  }

  rowSavepoints(): RowSavepoints {
    return {
      begin: () => this.exec('SAVEPOINT ngo_import_row'),
      release: () => this.exec('RELEASE SAVEPOINT ngo_import_row'),
      rollback: () => this.exec('ROLLBACK TO SAVEPOINT ngo_import_row; RELEASE SAVEPOINT ngo_import_row'),
    };
  }

  forBulkWrite(): Promise<void> {
    return Promise.resolve(); // the server's memory is the server's
  }

  /**
   * VACUUM (ANALYZE) of the tables, outside any transaction. ANALYZE gives the planner their size;
   * VACUUM marks their pages all-visible, without which a report's index-only scan read every row from
   * the table as well (the funder report over a freshly restored 1M-entry database took 0.78 s, 0.30 s
   * after). Tables this role does not own are skipped by the server with a notice, not an error.
   */
  async afterBulk(tables: readonly string[]): Promise<void> {
    if (tables.length > 0) await this.exec(`VACUUM (ANALYZE) ${tables.join(', ')}`);
  }

  async schemaVersion(): Promise<number> {
    return (await pgSchemaState(this)).version;
  }

  /**
   * COPY rows into `table` (text format): the way to add many rows at once, one round trip for a
   * batch instead of one a row. Values: null, numbers, text, Buffers (bytea).
   */
  async copyRows(table: string, cols: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    if (rows.length === 0) return;
    const { from } = createRequire(import.meta.url)('pg-copy-streams') as typeof import('pg-copy-streams');
    const text = rows.map((r) => r.map(copyText).join('\t')).join('\n') + '\n';
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = this.client.query(from(`COPY ${table} (${cols.join(', ')}) FROM STDIN`));
        stream.on('error', reject);
        stream.on('finish', () => resolve());
        stream.end(text);
      });
    } catch (e) {
      throw this.failure(e);
    }
  }

  private async simple(sql: string): Promise<QueryResult | QueryResult[]> {
    try {
      return (await this.client.query(sql)) as QueryResult | QueryResult[];
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** Open a transaction: `BEGIN`, or a variant (`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`). */
  async begin(sql = 'BEGIN'): Promise<void> {
    if (this.inTransaction) throw new Error(`a transaction is already open on ${this.location}`);
    await this.simple(sql);
  }

  /**
   * COMMIT. PostgreSQL answers COMMIT in a transaction where a statement failed with ROLLBACK, not an
   * error: that is an error here, so a swallowed failure cannot pass for a write.
   */
  async commit(): Promise<void> {
    const r = await this.simple('COMMIT');
    if (!Array.isArray(r) && r.command === 'ROLLBACK') {
      throw new Error('the transaction was rolled back at COMMIT because a statement in it had failed; nothing was written');
    }
  }

  async rollback(): Promise<void> {
    await this.simple('ROLLBACK');
  }

  /** End the connection (an open transaction is rolled back by the server). */
  async close(): Promise<void> {
    try {
      await this.client.end();
    } catch {
      // already gone
    }
  }
}

/** connect_timeout (seconds) from the URL, else PGCONNECT_TIMEOUT, else 15 s; 0 waits for ever (libpq). */
function connectTimeoutMs(url: string): number {
  let raw: string | undefined;
  try {
    raw = new URL(url).searchParams.get('connect_timeout') ?? undefined;
  } catch {
    raw = undefined;
  }
  raw ??= process.env['PGCONNECT_TIMEOUT'];
  const s = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : 15_000;
}

// ---------------------------------------------------------------------------------------------------------
// Transactions

/** How long a write waits quietly for the lock before saying so (SQLite's busy timeout). */
const QUIET_MS = 5000;
const POLL_MS = 25;

const seconds = (ms: number) => (ms >= 1000 || ms <= 0 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10));

/**
 * Take ngo's single-writer lock in the open transaction: `pg_try_advisory_xact_lock(lockKey)` every 25 ms
 * (the event loop turns in between, so Ctrl-C works), telling `notice` once after 5 s and giving up after
 * `waitMs` with ConflictError (exit 5). The lock ends with the transaction.
 */
export async function pgLock(c: PgConn, lockKey: bigint | number, waitMs: number, notice: ((m: string) => void) | undefined): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    if ((await c.value<number>('SELECT pg_try_advisory_xact_lock(CAST(? AS BIGINT))', String(lockKey))) === 1) return;
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      throw new ConflictError(
        `database is busy (locked by another ngo process for more than ${seconds(waitMs)} s): ${c.location}`,
        'try again when the other command has finished',
      );
    }
    if (!told && waited >= QUIET_MS) {
      told = true;
      notice?.(waitingNotice(waitMs));
    }
    await sleep(Math.min(POLL_MS, Math.max(1, waitMs - waited)));
  }
}

/**
 * A write transaction under ngo's single-writer lock: BEGIN, then `pg_try_advisory_xact_lock(lockKey)` every
 * 25 ms (the event loop turns in between, so Ctrl-C works), telling `notice` once after 5 s and giving up
 * after `waitMs` with ConflictError (exit 5); then `fn`, COMMIT, or ROLLBACK when anything throws. The lock
 * ends with the transaction. Inside an open transaction `fn` runs under SAVEPOINT ngo_nested instead.
 */
export async function pgWrite<T>(
  c: PgConn,
  lockKey: bigint | number,
  waitMs: number,
  notice: ((m: string) => void) | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (c.inTransaction) {
    await c.exec('SAVEPOINT ngo_nested');
    try {
      const out = await fn();
      await c.exec('RELEASE SAVEPOINT ngo_nested');
      return out;
    } catch (e) {
      await c.exec('ROLLBACK TO SAVEPOINT ngo_nested; RELEASE SAVEPOINT ngo_nested').catch(() => undefined);
      throw e;
    }
  }
  return transaction(c, 'BEGIN', async () => {
    await pgLock(c, lockKey, waitMs, notice);
    return fn();
  });
}

/** `begin`, then `fn`, then COMMIT; ROLLBACK when anything throws (the error mapped to ngo's exit codes). */
async function transaction<T>(c: PgConn, begin: string, fn: () => Promise<T>): Promise<T> {
  await c.begin(begin);
  try {
    const out = await fn();
    await c.commit();
    return out;
  } catch (e) {
    if (c.inTransaction) await c.rollback().catch(() => undefined);
    throw pgError(e, c.location);
  }
}

/**
 * A read snapshot: `fn` sees the database as of its first statement, whatever commits meanwhile (BEGIN
 * ISOLATION LEVEL REPEATABLE READ READ ONLY; COMMIT, or ROLLBACK on error). Inside an open transaction
 * `fn` just runs.
 */
export async function pgSnapshot<T>(c: PgConn, fn: () => Promise<T>): Promise<T> {
  if (c.inTransaction) return fn();
  return transaction(c, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
}

/**
 * The schema of the current schema (the first existing one of search_path): `version` = the highest
 * schema_migrations.version (0 without that table), `tables` = whether it holds any table at all.
 */
export async function pgSchemaState(c: PgConn): Promise<{ version: number; tables: boolean }> {
  const row = await c.get<{ s: string | null; m: number; t: number }>(
    `SELECT current_schema() AS s,
       CASE WHEN to_regclass(quote_ident(current_schema()) || '.schema_migrations') IS NULL THEN 0 ELSE 1 END AS m,
       CASE WHEN EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema()) THEN 1 ELSE 0 END AS t`,
  );
  if (!row || row.s === null) return { version: 0, tables: false };
  const version = row.m === 1 ? await c.value<number>(`SELECT COALESCE(MAX(version), 0) FROM ${quoteIdent(row.s)}.schema_migrations`) : 0;
  return { version: version ?? 0, tables: row.t === 1 };
}

const quoteIdent = (name: string) => '"' + name.replace(/"/g, '""') + '"';

/**
 * Create the latest schema in an empty (current) schema and record PG_SCHEMA_VERSION, inside the caller's
 * write transaction (pgWrite), so that a failure leaves nothing behind.
 */
export async function pgCreateSchema(c: PgConn, nowIso: string): Promise<void> {
  if (!c.inTransaction) throw new Error('pgCreateSchema runs inside a write transaction (pgWrite)');
  await c.exec(PG_SCHEMA);
  await c.run('INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)', PG_SCHEMA_VERSION, nowIso);
}

/**
 * Bring a server database from `from` to PG_SCHEMA_VERSION inside the caller's write transaction: each
 * version's DDL (PG_MIGRATIONS) in order, a schema_migrations row per version. A failure rolls all of it
 * back (PostgreSQL's DDL is transactional), so no copy is kept as for a file.
 */
export async function pgMigrateSchema(c: PgConn, from: number, nowIso: string): Promise<void> {
  if (!c.inTransaction) throw new Error('pgMigrateSchema runs inside a write transaction (pgWrite)');
  for (let v = from + 1; v <= PG_SCHEMA_VERSION; v++) {
    const ddl = PG_MIGRATIONS[v];
    if (ddl === undefined) throw new Error(`no PostgreSQL migration to schema ${v}`);
    await c.exec(ddl);
    await c.run('INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)', v, nowIso);
  }
}
