/** People: SQL. */
import { asciiLower } from '../domain/text.js';
import type { Conn } from './conn.js';
import { ROSTER_FIELDS, personMatches, type Person, type PersonValues } from '../domain/people.js';
import { FROM_START, OPEN_END, openRate, type RateSpan } from '../domain/rate-history.js';

const COLS = ['id', ...ROSTER_FIELDS, 'archived_reason', 'erased_at', 'created_at', 'updated_at'].join(', ');
// Built once: the statement cache is keyed by these very strings (cheap to hash again and again).
const BY_ID = `SELECT ${COLS} FROM people WHERE id = ?`;
const BY_EMAIL = `SELECT ${COLS} FROM people WHERE email = ?`;
const BY_EXTERNAL_ID = `SELECT ${COLS} FROM people WHERE external_id = ?`;
const INSERT = `INSERT INTO people(${ROSTER_FIELDS.join(', ')}, created_at, updated_at) VALUES (${ROSTER_FIELDS.map(() => '?').join(', ')}, ?, ?) RETURNING id`;

export function getPerson(db: Conn, id: number): Promise<Person | undefined> {
  return db.get(BY_ID, id) as Promise<Person | undefined>;
}

export function personByEmail(db: Conn, email: string): Promise<Person | undefined> {
  return db.get(BY_EMAIL, email.trim().toLowerCase()) as Promise<Person | undefined>;
}

export function personByExternalId(db: Conn, externalId: string): Promise<Person | undefined> {
  return db.get(BY_EXTERNAL_ID, externalId.trim()) as Promise<Person | undefined>;
}

/** Who an email or external id names, and who may not get new entries (archived or erased). */
export interface RosterKeys {
  email: Map<string, number>;
  external_id: Map<string, number>;
  unusable: Set<number>;
}

/**
 * Every person's email and external id, in one query: a server import then finds a row's person in
 * memory, not with a query (a round trip) per person. Null when there are more than `max` people.
 * Keys are as personByEmail and personByExternalId read them (emails are stored lower-case).
 */
export async function rosterKeys(db: Conn, max: number): Promise<RosterKeys | null> {
  if (Number(await db.value('SELECT COUNT(*) FROM people')) > max) return null;
  const keys: RosterKeys = { email: new Map(), external_id: new Map(), unusable: new Set() };
  const rows = await db.all<{ id: number; email: string | null; external_id: string | null; usable: number }>(
    "SELECT id, email, external_id, CASE WHEN status = 'active' AND erased_at IS NULL THEN 1 ELSE 0 END AS usable FROM people",
  );
  for (const r of rows) {
    if (r.email !== null) keys.email.set(r.email, r.id);
    if (r.external_id !== null) keys.external_id.set(r.external_id, r.id);
    if (r.usable !== 1) keys.unusable.add(r.id);
  }
  return keys;
}

/**
 * A new person. A rate given now applies from the start: nobody can have reported a figure about a
 * person who did not exist, so no past figure changes.
 */
export async function insertPerson(db: Conn, p: PersonValues, now: string): Promise<number> {
  // A preallocated array filled in a plain loop: this runs once per person of a roster import.
  const n = ROSTER_FIELDS.length;
  const values: unknown[] = new Array(n + 2);
  for (let i = 0; i < n; i++) values[i] = p[ROSTER_FIELDS[i] as keyof PersonValues] ?? null;
  values[n] = now;
  values[n + 1] = now;
  const id = await db.insertId(INSERT, ...values);
  if (p.hourly_rate !== null && p.hourly_rate !== undefined) await db.run(INSERT_SPAN, id, FROM_START, OPEN_END, p.hourly_rate, now);
  return id;
}

const INSERT_SPAN = 'INSERT INTO rate_history(person_id, valid_from, valid_to, hourly_rate, set_at) VALUES (?, ?, ?, ?, ?)';

/** A person's dated rates, by start. */
export function rateSpans(db: Conn, personId: number): Promise<RateSpan[]> {
  return db.all('SELECT valid_from, valid_to, hourly_rate FROM rate_history WHERE person_id = ? ORDER BY valid_from', personId) as Promise<RateSpan[]>;
}

/** Replace a person's dated rates; people.hourly_rate follows (the open rate, or none). */
export async function replaceRateSpans(db: Conn, personId: number, spans: readonly RateSpan[], now: string): Promise<void> {
  await db.run('DELETE FROM rate_history WHERE person_id = ?', personId);
  for (const s of spans) await db.run(INSERT_SPAN, personId, s.valid_from, s.valid_to, s.hourly_rate, now);
  await db.run('UPDATE people SET hourly_rate = ?, updated_at = ? WHERE id = ?', openRate(spans), now, personId);
}

/** Whether a person has any entry (whatever its status) dated before `date`. */
export async function entriesBefore(db: Conn, personId: number, date: string): Promise<boolean> {
  return (await db.get('SELECT 1 FROM hours WHERE person_id = ? AND date < ? LIMIT 1', personId, date)) !== undefined;
}

/** Counted entries in skilled activities of a person dated on or after `from`: what a rate change from then revalues. */
export async function entriesRevalued(db: Conn, personId: number, from: string): Promise<number> {
  return (await db.value(
    "SELECT COUNT(*) FROM hours WHERE person_id = ? AND date >= ? AND status = 'approved' AND voided_at IS NULL AND activity IN ('direct-service','supervision','training')",
    personId,
    from,
  )) as number;
}

/** Update the given columns of a person. */
export async function updatePerson(db: Conn, id: number, changes: Partial<Record<string, unknown>>, now: string): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  const sql = `UPDATE people SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @__now WHERE id = @__id`;
  await db.run(sql, { ...changes, __now: now, __id: id });
}

export interface PeopleFilter {
  role?: string;
  status?: 'active' | 'inactive' | 'all';
  /** Matched by personMatches (case and accents ignored, phone digits), after the query: neither engine's lower() folds beyond ASCII. */
  search?: string;
}

export async function listPeople(db: Conn, f: PeopleFilter): Promise<Person[]> {
  const where: string[] = [];
  const args: Record<string, unknown> = {};
  if (f.status && f.status !== 'all') {
    where.push('status = @status');
    args['status'] = f.status;
  }
  if (f.role) {
    where.push("lower(',' || COALESCE(roles, '') || ',') LIKE @role");
    args['role'] = asciiLower(`%,${f.role},%`);
  }
  const sql = `SELECT ${COLS} FROM people ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY lower(last_name) NULLS FIRST, lower(first_name), id`;
  const rows = (await db.all(sql, args)) as Person[];
  return f.search === undefined ? rows : rows.filter((p) => personMatches(p, f.search!));
}

/** Every candidate a reference could mean: by id (numeric), email (contains @), external id. */
export async function personCandidates(db: Conn, ref: string): Promise<Person[]> {
  const r = ref.trim();
  const found = new Map<number, Person>();
  if (/^\d+$/.test(r)) {
    const p = await getPerson(db, Number(r));
    if (p) found.set(p.id, p);
  }
  if (r.includes('@')) {
    const p = await personByEmail(db, r);
    if (p) found.set(p.id, p);
  }
  const x = await personByExternalId(db, r);
  if (x) found.set(x.id, x);
  return [...found.values()];
}

/** Names and emails of everyone, for "did you mean" hints and pick lists. */
export async function personDirectory(
  db: Conn,
  /** activeOnly: people new records may name (not archived, not erased). */
  opts: { activeOnly?: boolean } = {},
): Promise<DirectoryEntry[]> {
  return (await db.all(
    `SELECT id, first_name, last_name, email, external_id, roles, status FROM people ${opts.activeOnly ? "WHERE status = 'active' AND erased_at IS NULL" : ''} ORDER BY lower(last_name) NULLS FIRST, lower(first_name), id`,
  )) as DirectoryEntry[];
}

/** One line of the directory: what a pick list and completion show of a person. */
export interface DirectoryEntry {
  id: number;
  first_name: string;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
  roles: string | null;
  status: string;
}

/** Every person's id and name (not erased): what an import matches a full-name cell against. */
export async function peopleNames(db: Conn): Promise<{ id: number; first_name: string; last_name: string | null }[]> {
  return (await db.all('SELECT id, first_name, last_name FROM people WHERE erased_at IS NULL ORDER BY id')) as {
    id: number;
    first_name: string;
    last_name: string | null;
  }[];
}
