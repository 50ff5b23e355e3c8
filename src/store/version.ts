/** The schema version of an open database, whichever engine holds it. */
import type { Conn } from './conn.js';
import { schemaVersion } from './db.js';
import { PgConn, pgSchemaState } from './pg-conn.js';
import { sqliteOf } from './sqlite-conn.js';

export async function schemaVersionOf(c: Conn): Promise<number> {
  return c instanceof PgConn ? (await pgSchemaState(c)).version : schemaVersion(sqliteOf(c));
}
