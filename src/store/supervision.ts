/** Clinical supervision sessions and their attendees: all the SQL. */
import type { Conn } from './conn.js';
import type { Modality, SupervisionFormat } from '../domain/supervision.js';

export interface SessionValues {
  supervisor_id: number;
  date: string;
  minutes: number;
  format: SupervisionFormat;
  modality: Modality;
  program_id: number | null;
  topic: string | null;
  /** The supervisor's credential and licence when the session was recorded. */
  supervisor_credential: string | null;
  supervisor_license_number: string | null;
  supervisor_license_region: string | null;
  supervisor_license_expires: string | null;
  /** 1: the licence was valid on the session date; 0: recorded with --allow-unlicensed. */
  licensed: 0 | 1;
}

export interface Session extends SessionValues {
  id: number;
  voided_at: string | null;
  void_reason: string | null;
  created_at: string;
  supervisee_ids: number[];
}

export async function insertSession(db: Conn, s: SessionValues, superviseeIds: number[], now: string): Promise<number> {
  const id = await db.insertId(
    `INSERT INTO supervision_sessions(supervisor_id, date, minutes, format, modality, program_id, topic,
                                          supervisor_credential, supervisor_license_number, supervisor_license_region, supervisor_license_expires, licensed, created_at)
         VALUES (@supervisor_id, @date, @minutes, @format, @modality, @program_id, @topic,
                 @supervisor_credential, @supervisor_license_number, @supervisor_license_region, @supervisor_license_expires, @licensed, @now) RETURNING id`,
    { ...s, now },
  );
  for (const p of superviseeIds) await db.run('INSERT INTO supervision_attendees(session_id, supervisee_id) VALUES (?, ?)', id, p);
  return id;
}

export async function getSession(db: Conn, id: number): Promise<Session | undefined> {
  const s = (await db.get(
    `SELECT id, supervisor_id, date, minutes, format, modality, program_id, topic, supervisor_credential, supervisor_license_number,
              supervisor_license_region, supervisor_license_expires, licensed, voided_at, void_reason, created_at
       FROM supervision_sessions WHERE id = ?`,
    id,
  )) as Omit<Session, 'supervisee_ids'> | undefined;
  if (!s) return undefined;
  const ids = (
    (await db.all('SELECT supervisee_id FROM supervision_attendees WHERE session_id = ? ORDER BY supervisee_id', id)) as { supervisee_id: number }[]
  ).map((r) => r.supervisee_id);
  return { ...s, supervisee_ids: ids };
}

export async function voidSession(db: Conn, id: number, voidedAt: string, reason: string): Promise<void> {
  await db.run('UPDATE supervision_sessions SET voided_at = ?, void_reason = ? WHERE id = ?', voidedAt, reason, id);
}

/** The non-void hours entries logged with a session (`--log-hours`). */
export async function linkedHoursIds(db: Conn, sessionId: number): Promise<number[]> {
  return ((await db.all('SELECT id FROM hours WHERE supervision_id = ? AND voided_at IS NULL ORDER BY id', sessionId)) as { id: number }[]).map((r) => r.id);
}

export type SessionStatus = 'active' | 'void' | 'all';

export interface SessionFilter {
  supervisorId?: number;
  superviseeId?: number;
  start?: string;
  end?: string;
  status?: SessionStatus;
  ids?: number[];
}

/** A session as lists show it; supervisees come from `attendeesOf`. */
export interface SessionListRow {
  id: number;
  date: string;
  supervisor_id: number;
  supervisor_first: string;
  supervisor_last: string | null;
  supervisor_credential: string | null;
  format: string;
  modality: string;
  program_code: string | null;
  minutes: number;
  topic: string | null;
  hours_entry_id: number | null;
  status: 'active' | 'void';
  void_reason: string | null;
}

export async function listSessions(db: Conn, f: SessionFilter): Promise<SessionListRow[]> {
  const w: string[] = [];
  const args: Record<string, unknown> = {};
  if (f.supervisorId !== undefined) {
    w.push('s.supervisor_id = @supervisor');
    args['supervisor'] = f.supervisorId;
  }
  if (f.superviseeId !== undefined) {
    w.push('EXISTS (SELECT 1 FROM supervision_attendees a WHERE a.session_id = s.id AND a.supervisee_id = @supervisee)');
    args['supervisee'] = f.superviseeId;
  }
  if (f.start !== undefined) {
    w.push('s.date >= @start');
    args['start'] = f.start;
  }
  if (f.end !== undefined) {
    w.push('s.date <= @end');
    args['end'] = f.end;
  }
  if ((f.status ?? 'active') === 'active') w.push('s.voided_at IS NULL');
  else if (f.status === 'void') w.push('s.voided_at IS NOT NULL');
  if (f.ids) w.push(`s.id IN (${f.ids.map((n) => Number(n)).join(', ') || 'NULL'})`);
  return (await db.all(
    `SELECT s.id, s.date, s.supervisor_id, p.first_name AS supervisor_first, p.last_name AS supervisor_last, s.supervisor_credential,
              s.format, s.modality, g.code AS program_code, s.minutes, s.topic,
              (SELECT MIN(h.id) FROM hours h WHERE h.supervision_id = s.id) AS hours_entry_id,
              CASE WHEN s.voided_at IS NULL THEN 'active' ELSE 'void' END AS status, s.void_reason
       FROM supervision_sessions s JOIN people p ON p.id = s.supervisor_id LEFT JOIN programs g ON g.id = s.program_id
       ${w.length ? 'WHERE ' + w.join(' AND ') : ''} ORDER BY s.date, s.id`,
    args,
  )) as SessionListRow[];
}

export interface Attendee {
  session_id: number;
  id: number;
  first_name: string;
  last_name: string | null;
}

/** Supervisees of the given sessions, by session id then person id. */
export async function attendeesOf(db: Conn, sessionIds: number[]): Promise<Map<number, Attendee[]>> {
  const out = new Map<number, Attendee[]>();
  if (sessionIds.length === 0) return out;
  const rows = (await db.all(
    `SELECT a.session_id, p.id, p.first_name, p.last_name FROM supervision_attendees a JOIN people p ON p.id = a.supervisee_id
       WHERE a.session_id IN (${sessionIds.map(Number).join(', ')}) ORDER BY a.session_id, p.id`,
  )) as Attendee[];
  for (const r of rows) out.set(r.session_id, [...(out.get(r.session_id) ?? []), r]);
  return out;
}

/** A supervisee's non-void sessions up to `end` (all of them without), in date order, with the supervisor's licence. */
export interface SuperviseeSession {
  id: number;
  date: string;
  minutes: number;
  format: SupervisionFormat;
  modality: Modality;
  supervisor_first: string;
  supervisor_last: string | null;
  supervisor_credential: string | null;
  supervisor_license_number: string | null;
  supervisor_license_region: string | null;
  supervisor_license_expires: string | null;
  licensed: 0 | 1;
}

export async function superviseeSessions(db: Conn, superviseeId: number, end?: string): Promise<SuperviseeSession[]> {
  return (await db.all(
    `SELECT s.id, s.date, s.minutes, s.format, s.modality, p.first_name AS supervisor_first, p.last_name AS supervisor_last,
              s.supervisor_credential, s.supervisor_license_number, s.supervisor_license_region, s.supervisor_license_expires, s.licensed
       FROM supervision_attendees a JOIN supervision_sessions s ON s.id = a.session_id JOIN people p ON p.id = s.supervisor_id
       WHERE a.supervisee_id = ? AND s.voided_at IS NULL AND (CAST(? AS TEXT) IS NULL OR s.date <= ?)
       ORDER BY s.date, s.id`,
    superviseeId,
    end ?? null,
    end ?? null,
  )) as SuperviseeSession[];
}

/** Everyone who attended a non-void session up to `end`, by name. */
export async function supervisees(db: Conn, end?: string): Promise<{ id: number; first_name: string; last_name: string | null }[]> {
  return (await db.all(
    `SELECT DISTINCT p.id, p.first_name, p.last_name FROM supervision_attendees a JOIN supervision_sessions s ON s.id = a.session_id
       JOIN people p ON p.id = a.supervisee_id WHERE s.voided_at IS NULL AND (CAST(? AS TEXT) IS NULL OR s.date <= ?)
       ORDER BY p.last_name, p.first_name, p.id`,
    end ?? null,
    end ?? null,
  )) as { id: number; first_name: string; last_name: string | null }[];
}

// ---- licensure plans (issue 21) ---------------------------------------------------------------------

export interface PlanRecord {
  id: number;
  supervisee_id: number;
  rules: string;
  start_date: string;
  end_date: string | null;
  required_minutes: number | null;
  created_at: string;
  updated_at: string;
}

export function getPlan(db: Conn, superviseeId: number): Promise<PlanRecord | undefined> {
  return db.get('SELECT * FROM supervision_plans WHERE supervisee_id = ?', superviseeId) as Promise<PlanRecord | undefined>;
}

/** Every plan with its supervisee's name, by name. */
export function listPlans(db: Conn): Promise<(PlanRecord & { first_name: string; last_name: string | null })[]> {
  return db.all(
    `SELECT sp.*, p.first_name, p.last_name FROM supervision_plans sp JOIN people p ON p.id = sp.supervisee_id
       ORDER BY p.last_name, p.first_name, p.id`,
  ) as Promise<(PlanRecord & { first_name: string; last_name: string | null })[]>;
}

export async function insertPlan(db: Conn, p: Omit<PlanRecord, 'id' | 'created_at' | 'updated_at'>, now: string): Promise<number> {
  return db.insertId(
    `INSERT INTO supervision_plans(supervisee_id, rules, start_date, end_date, required_minutes, created_at, updated_at)
       VALUES (@supervisee_id, @rules, @start_date, @end_date, @required_minutes, @now, @now) RETURNING id`,
    { ...p, now },
  );
}

export async function updatePlan(db: Conn, id: number, changes: Partial<PlanRecord>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  await db.run(
    `UPDATE supervision_plans SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`,
    ...keys.map((k) => (changes as Record<string, unknown>)[k] ?? null),
    id,
  );
}

export function planLeaves(db: Conn, planId: number): Promise<{ from_date: string; to_date: string }[]> {
  return db.all('SELECT from_date, to_date FROM supervision_plan_leave WHERE plan_id = ? ORDER BY from_date', planId) as Promise<
    { from_date: string; to_date: string }[]
  >;
}

export async function replaceLeaves(db: Conn, planId: number, leaves: { from_date: string; to_date: string }[]): Promise<void> {
  await db.run('DELETE FROM supervision_plan_leave WHERE plan_id = ?', planId);
  for (const l of leaves) await db.run('INSERT INTO supervision_plan_leave(plan_id, from_date, to_date) VALUES (?, ?, ?)', planId, l.from_date, l.to_date);
}

/** A supervisee's non-void sessions up to `end`, with the number of supervisees of each (plan judging). */
export function planSessions(
  db: Conn,
  superviseeId: number,
  end: string,
): Promise<{ id: number; date: string; minutes: number; format: SupervisionFormat; modality: Modality; licensed: 0 | 1; attendees: number }[]> {
  return db.all(
    `SELECT s.id, s.date, s.minutes, s.format, s.modality, s.licensed,
            (SELECT COUNT(*) FROM supervision_attendees b WHERE b.session_id = s.id) AS attendees
       FROM supervision_attendees a JOIN supervision_sessions s ON s.id = a.session_id
       WHERE a.supervisee_id = ? AND s.voided_at IS NULL AND s.date <= ? ORDER BY s.date, s.id`,
    superviseeId,
    end,
  ) as Promise<{ id: number; date: string; minutes: number; format: SupervisionFormat; modality: Modality; licensed: 0 | 1; attendees: number }[]>;
}

/** A person's approved, non-void direct-service minutes by date, from `start` to `end`. */
export async function directServiceByDate(db: Conn, personId: number, start: string, end: string): Promise<Map<string, number>> {
  const rows = (await db.all(
    `SELECT date, SUM(minutes) AS minutes FROM hours
       WHERE person_id = ? AND activity = 'direct-service' AND status = 'approved' AND voided_at IS NULL AND date >= ? AND date <= ?
       GROUP BY date ORDER BY date`,
    personId,
    start,
    end,
  )) as { date: string; minutes: number }[];
  return new Map(rows.map((r) => [r.date, Number(r.minutes)]));
}

/** The supervisees (ids) who have a plan, among the given ones. */
export async function plannedAmong(db: Conn, ids: number[]): Promise<PlanRecord[]> {
  if (ids.length === 0) return [];
  return (await db.all(`SELECT * FROM supervision_plans WHERE supervisee_id IN (${ids.map(Number).join(', ')}) ORDER BY supervisee_id`)) as PlanRecord[];
}

/** Change columns of a session (supervision edit). */
export async function updateSession(db: Conn, id: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  await db.run(`UPDATE supervision_sessions SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, ...keys.map((k) => changes[k] ?? null), id);
}
