/**
 * Opening an ngo database on a PostgreSQL server (`--db postgres://…`): connect, then check the schema
 * as openDatabase does for a file. Only `ngo init`, `ngo demo` and `ngo db restore` create one; a newer
 * schema is refused untouched; a schema with tables that are not ngo's is refused. Loaded only for a
 * postgres URL, so that node-postgres never adds to SQLite's start-up.
 */
import { IoError } from '../errors.js';
import { PgConn, pgCreateSchema, pgMigrateSchema, pgSchemaState, pgWrite } from './pg-conn.js';
import { PG_BASE_VERSION, PG_SCHEMA_VERSION } from './pg-schema.js';
import type { WriteWait } from './db.js';

/** Whether a --db / NGO_DB value names a PostgreSQL database. */
export function isPgUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s.trim());
}

/**
 * The single writer's advisory lock key: one per schema, so that two ngo databases kept in two schemas
 * of one server database never wait for each other. A 31-bit FNV-1a hash of the schema name.
 */
export function lockKeyFor(schema: string): number {
  let h = 0x811c9dc5;
  for (const ch of `ngo:${schema}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export async function openPgDatabase(
  url: string,
  opts: { create?: boolean; now: () => Date; writeWait?: WriteWait; notice?: (msg: string) => void },
): Promise<PgConn> {
  const conn = await PgConn.connect(url);
  try {
    const schema = await conn.value<string | null>('SELECT current_schema()');
    // search_path names only schemas that do not exist: nowhere to read from or create in.
    if (schema === null || schema === undefined)
      throw new IoError(
        `${conn.location}: no schema of its search_path exists`,
        'create the schema first (CREATE SCHEMA name), or fix options=-csearch_path=… in the URL',
      );
    const lockKey = (conn.lockKey = lockKeyFor(schema));
    const check = async (): Promise<number> => {
      const { version, tables } = await pgSchemaState(conn);
      if (version === 0 && tables)
        throw new IoError(
          `${conn.location} holds tables, but no ngo schema (schema ${schema})`,
          'give the URL of an ngo database (an empty database or schema for `ngo init`)',
        );
      if (version > PG_SCHEMA_VERSION)
        throw new IoError(
          `database ${conn.location} has schema version ${version}, newer than this program supports (${PG_SCHEMA_VERSION})`,
          'upgrade ngo to the version that wrote this database; the database was not modified',
        );
      return version;
    };
    let version = await check();
    if (version === 0) {
      if (!opts.create) throw new IoError(`no ngo database at ${conn.location}`, `create it with: ngo init --db URL (or check NGO_DB)`);
      const wait = opts.writeWait ?? { ms: 5000 };
      await pgWrite(conn, lockKey, wait.ms, wait.notice, async () => {
        // Again under the lock: another ngo init may have made it meanwhile.
        version = await check();
        if (version === 0) await pgCreateSchema(conn, opts.now().toISOString());
      });
    } else if (version < PG_BASE_VERSION) {
      throw new IoError(`database ${conn.location} has schema version ${version}, which this program cannot migrate on PostgreSQL`);
    } else if (version < PG_SCHEMA_VERSION) {
      const from = version;
      const wait = opts.writeWait ?? { ms: 5000 };
      let migrated = false;
      await pgWrite(conn, lockKey, wait.ms, wait.notice, async () => {
        // Again under the lock: another ngo may have migrated it meanwhile.
        version = await check();
        if (version < PG_SCHEMA_VERSION) {
          await pgMigrateSchema(conn, version, opts.now().toISOString());
          migrated = true;
        }
      });
      if (migrated) opts.notice?.(`migrated the server database ${conn.location} from schema ${from} to ${PG_SCHEMA_VERSION}`);
    }
    return conn;
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw e;
  }
}
