/**
 * Aggregates read back exactly. SQLite sums integers in 64 bits (and fails with "integer overflow"
 * rather than round), but better-sqlite3 hands back a JavaScript number, which silently rounds above
 * 2^53. A query whose result holds such a value is run again with 64-bit integers (BigInt), and each
 * value comes back as a number where that is exact and as a bigint where it is not: totals are exact
 * at any size (SPEC "Faults and values"). The common case costs one scan of the (few) result rows.
 */
import type { Conn } from './conn.js';
import { SqliteConn } from './sqlite-conn.js';
import { normalizeExact } from '../domain/money.js';

function isExactRow(row: unknown): boolean {
  if (row === null || typeof row !== 'object') return typeof row !== 'number' || Number.isSafeInteger(row) || !Number.isInteger(row);
  for (const v of Object.values(row as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return false;
  }
  return true;
}

function normalizeRow<T>(row: T): T {
  if (typeof row === 'bigint') return normalizeExact(row) as T;
  if (row === null || typeof row !== 'object') return row;
  const out: Record<string, unknown> = Array.isArray(row) ? ([] as unknown as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(row as Record<string, unknown>)) out[k] = typeof v === 'bigint' ? normalizeExact(v) : v;
  return out as T;
}

/** db.all(sql, ...params), exact at any size. */
export async function exactAll<T>(db: Conn, sql: string, ...params: unknown[]): Promise<T[]> {
  if (!(db instanceof SqliteConn)) return (await db.all<T>(sql, ...params)).map(normalizeRow);
  const stmt = db.statement(sql);
  const rows = stmt.all(...params) as T[];
  if (rows.every(isExactRow)) return rows;
  try {
    return (stmt.safeIntegers(true).all(...params) as T[]).map(normalizeRow);
  } finally {
    stmt.safeIntegers(false);
  }
}

/** db.get(sql, ...params), exact at any size. */
export async function exactGet<T>(db: Conn, sql: string, ...params: unknown[]): Promise<T | undefined> {
  if (!(db instanceof SqliteConn)) {
    const row = await db.get<T>(sql, ...params);
    return row === undefined ? row : normalizeRow(row);
  }
  const stmt = db.statement(sql);
  const row = stmt.get(...params) as T | undefined;
  if (row === undefined || isExactRow(row)) return row;
  try {
    return normalizeRow(stmt.safeIntegers(true).get(...params) as T);
  } finally {
    stmt.safeIntegers(false);
  }
}
