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

/** Change columns of a session (supervision edit). */
export async function updateSession(db: Conn, id: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  await db.run(`UPDATE supervision_sessions SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, ...keys.map((k) => changes[k] ?? null), id);
}
