/** Mentorship pairings and their meetings: all the SQL. */
import { insertRow, updateRow, type Conn } from './conn.js';
import type { Outcome, PairingListStatus, PairingStatus } from '../domain/mentorship.js';

export interface Pairing {
  id: number;
  mentor_id: number;
  mentee_id: number;
  program_id: number | null;
  start_date: string;
  end_date: string | null;
  status: PairingStatus;
  outcome: Outcome | null;
  end_reason: string | null;
  goals: string | null;
  created_at: string;
}

const COLS = 'id, mentor_id, mentee_id, program_id, start_date, end_date, status, outcome, end_reason, goals, created_at';

export async function insertPairing(
  db: Conn,
  p: { mentor_id: number; mentee_id: number; program_id: number | null; start_date: string; goals: string | null },
  now: string,
): Promise<number> {
  return insertRow(db, 'mentorships', ['mentor_id', 'mentee_id', 'program_id', 'start_date', 'goals', 'created_at'], { ...p, created_at: now });
}

export function getPairing(db: Conn, id: number): Promise<Pairing | undefined> {
  return db.get(`SELECT ${COLS} FROM mentorships WHERE id = ?`, id) as Promise<Pairing | undefined>;
}

/** The active or paused pairing of this mentor and mentee, if any. */
export async function openPairing(db: Conn, mentorId: number, menteeId: number): Promise<Pairing | undefined> {
  return (await db.get(`SELECT ${COLS} FROM mentorships WHERE mentor_id = ? AND mentee_id = ? AND status IN ('active','paused')`, mentorId, menteeId)) as
    Pairing | undefined;
}

export async function updatePairing(db: Conn, id: number, changes: Partial<Pairing>): Promise<void> {
  await updateRow(db, 'mentorships', id, changes);
}

export async function insertMeeting(db: Conn, m: { mentorship_id: number; date: string; minutes: number; note: string | null }, now: string): Promise<number> {
  return insertRow(db, 'mentorship_meetings', ['mentorship_id', 'date', 'minutes', 'note', 'created_at'], { ...m, created_at: now });
}

/** The date of a pairing's last (non-void) meeting. */
export async function lastMeeting(db: Conn, pairingId: number): Promise<string | null> {
  return ((await db.get('SELECT MAX(date) AS d FROM mentorship_meetings WHERE mentorship_id = ? AND voided_at IS NULL', pairingId)) as { d: string | null }).d;
}

/** A pairing as `mentorship list` shows it, with its meeting figures. */
export interface PairingListRow {
  id: number;
  mentor_id: number;
  mentor_first: string;
  mentor_last: string | null;
  mentee_id: number;
  mentee_first: string;
  mentee_last: string | null;
  program_code: string | null;
  start_date: string;
  end_date: string | null;
  status: PairingStatus;
  outcome: Outcome | null;
  meetings: number;
  minutes: number;
  last_meeting: string | null;
  goals: string | null;
}

export async function listPairings(db: Conn, f: { status?: PairingListStatus; personId?: number; ids?: number[] }): Promise<PairingListRow[]> {
  const w: string[] = [];
  const args: Record<string, unknown> = {};
  const status = f.status ?? 'open';
  if (status === 'open') w.push("m.status IN ('active','paused')");
  else if (status !== 'all') {
    w.push('m.status = @status');
    args['status'] = status;
  }
  if (f.personId !== undefined) {
    w.push('(m.mentor_id = @person OR m.mentee_id = @person)');
    args['person'] = f.personId;
  }
  if (f.ids) w.push(`m.id IN (${f.ids.map((n) => Number(n)).join(', ') || 'NULL'})`);
  return (await db.all(
    `SELECT m.id, m.mentor_id, a.first_name AS mentor_first, a.last_name AS mentor_last, m.mentee_id, b.first_name AS mentee_first, b.last_name AS mentee_last,
              g.code AS program_code, m.start_date, m.end_date, m.status, m.outcome,
              COALESCE(x.meetings, 0) AS meetings, COALESCE(x.minutes, 0) AS minutes, x.last_meeting, m.goals
       FROM mentorships m JOIN people a ON a.id = m.mentor_id JOIN people b ON b.id = m.mentee_id LEFT JOIN programs g ON g.id = m.program_id
       LEFT JOIN (SELECT mentorship_id, COUNT(*) AS meetings, SUM(minutes) AS minutes, MAX(date) AS last_meeting
                  FROM mentorship_meetings WHERE voided_at IS NULL GROUP BY mentorship_id) x ON x.mentorship_id = m.id
       ${w.length ? 'WHERE ' + w.join(' AND ') : ''} ORDER BY m.start_date, m.id`,
    args,
  )) as PairingListRow[];
}

// ---- meetings: list, correct, void (issue 19) ------------------------------------------------------

export interface Meeting {
  id: number;
  mentorship_id: number;
  date: string;
  minutes: number;
  note: string | null;
  voided_at: string | null;
  void_reason: string | null;
  created_at: string;
}

export function getMeeting(db: Conn, id: number): Promise<Meeting | undefined> {
  return db.get('SELECT id, mentorship_id, date, minutes, note, voided_at, void_reason, created_at FROM mentorship_meetings WHERE id = ?', id) as Promise<
    Meeting | undefined
  >;
}

export async function updateMeeting(db: Conn, id: number, changes: Partial<Meeting>): Promise<void> {
  await updateRow(db, 'mentorship_meetings', id, changes);
}

/** A meeting as `mentorship meetings` shows it. */
export interface MeetingListRow {
  id: number;
  pairing_id: number;
  date: string;
  mentor_id: number;
  mentor_first: string;
  mentor_last: string | null;
  mentee_id: number;
  mentee_first: string;
  mentee_last: string | null;
  program_code: string | null;
  minutes: number;
  note: string | null;
  status: 'active' | 'void';
  void_reason: string | null;
}

export async function listMeetings(
  db: Conn,
  f: { pairingId?: number; personId?: number; start?: string; end?: string; status?: 'active' | 'void' | 'all'; ids?: number[] },
): Promise<MeetingListRow[]> {
  const w: string[] = [];
  const args: Record<string, unknown> = {};
  if (f.pairingId !== undefined) {
    w.push('x.mentorship_id = @pairing');
    args['pairing'] = f.pairingId;
  }
  if (f.personId !== undefined) {
    w.push('(m.mentor_id = @person OR m.mentee_id = @person)');
    args['person'] = f.personId;
  }
  if (f.start !== undefined) {
    w.push('x.date >= @start');
    args['start'] = f.start;
  }
  if (f.end !== undefined) {
    w.push('x.date <= @end');
    args['end'] = f.end;
  }
  if ((f.status ?? 'active') === 'active') w.push('x.voided_at IS NULL');
  else if (f.status === 'void') w.push('x.voided_at IS NOT NULL');
  if (f.ids) w.push(`x.id IN (${f.ids.map((n) => Number(n)).join(', ') || 'NULL'})`);
  return (await db.all(
    `SELECT x.id, x.mentorship_id AS pairing_id, x.date, m.mentor_id, a.first_name AS mentor_first, a.last_name AS mentor_last,
            m.mentee_id, b.first_name AS mentee_first, b.last_name AS mentee_last, g.code AS program_code, x.minutes, x.note,
            CASE WHEN x.voided_at IS NULL THEN 'active' ELSE 'void' END AS status, x.void_reason
       FROM mentorship_meetings x JOIN mentorships m ON m.id = x.mentorship_id
       JOIN people a ON a.id = m.mentor_id JOIN people b ON b.id = m.mentee_id LEFT JOIN programs g ON g.id = m.program_id
       ${w.length ? 'WHERE ' + w.join(' AND ') : ''} ORDER BY x.date, x.id`,
    args,
  )) as MeetingListRow[];
}
