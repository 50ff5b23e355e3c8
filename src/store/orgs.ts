/** Programs, funders and funding agreements: SQL. */
import { asciiLower } from '../domain/text.js';
import { updateRow, type Conn } from './conn.js';

export interface Program {
  id: number;
  code: string;
  name: string;
  description: string | null;
  status: 'active' | 'archived';
  archived_reason: string | null;
  created_at: string;
}

export interface Funder {
  id: number;
  code: string;
  name: string;
  type: string;
  status: 'active' | 'archived';
  archived_reason: string | null;
  created_at: string;
}

export interface Funding {
  id: number;
  funder_id: number;
  funder_code: string;
  funder_name: string;
  program_id: number;
  program_code: string;
  program_name: string;
  start_date: string;
  end_date: string | null;
  amount: number | null;
  reference: string | null;
  created_at: string;
}

export function programByCode(db: Conn, code: string): Promise<Program | undefined> {
  return db.get('SELECT * FROM programs WHERE lower(code) = ?', asciiLower(code.trim())) as Promise<Program | undefined>;
}
export function getProgram(db: Conn, id: number): Promise<Program | undefined> {
  return db.get('SELECT * FROM programs WHERE id = ?', id) as Promise<Program | undefined>;
}
export async function listPrograms(db: Conn, status: 'active' | 'archived' | 'all' = 'all'): Promise<Program[]> {
  const where = status === 'all' ? '' : 'WHERE status = ?';
  return (await db.all(`SELECT * FROM programs ${where} ORDER BY lower(code)`, ...(status === 'all' ? [] : [status]))) as Program[];
}
export async function insertProgram(db: Conn, p: { code: string; name: string; description: string | null }, now: string): Promise<number> {
  return await db.insertId('INSERT INTO programs(code, name, description, created_at) VALUES (?, ?, ?, ?) RETURNING id', p.code, p.name, p.description, now);
}
export async function updateProgram(db: Conn, id: number, changes: Record<string, unknown>): Promise<void> {
  await updateRow(db, 'programs', id, changes);
}

export function funderByCode(db: Conn, code: string): Promise<Funder | undefined> {
  return db.get('SELECT * FROM funders WHERE lower(code) = ?', asciiLower(code.trim())) as Promise<Funder | undefined>;
}
export function getFunder(db: Conn, id: number): Promise<Funder | undefined> {
  return db.get('SELECT * FROM funders WHERE id = ?', id) as Promise<Funder | undefined>;
}
export async function listFunders(db: Conn, status: 'active' | 'archived' | 'all' = 'all'): Promise<Funder[]> {
  const where = status === 'all' ? '' : 'WHERE status = ?';
  return (await db.all(`SELECT * FROM funders ${where} ORDER BY lower(code)`, ...(status === 'all' ? [] : [status]))) as Funder[];
}
export async function insertFunder(db: Conn, f: { code: string; name: string; type: string }, now: string): Promise<number> {
  return await db.insertId('INSERT INTO funders(code, name, type, created_at) VALUES (?, ?, ?, ?) RETURNING id', f.code, f.name, f.type, now);
}
export async function updateFunder(db: Conn, id: number, changes: Record<string, unknown>): Promise<void> {
  await updateRow(db, 'funders', id, changes);
}

const FUNDING_SELECT = `
  SELECT g.id, g.funder_id, f.code AS funder_code, f.name AS funder_name, g.program_id, p.code AS program_code,
         p.name AS program_name, g.start_date, g.end_date, g.amount, g.reference, g.created_at
  FROM funding g JOIN funders f ON f.id = g.funder_id JOIN programs p ON p.id = g.program_id`;

export async function insertFunding(
  db: Conn,
  g: { funder_id: number; program_id: number; start_date: string; end_date: string | null; amount: number | null; reference: string | null },
  now: string,
): Promise<number> {
  return await db.insertId(
    'INSERT INTO funding(funder_id, program_id, start_date, end_date, amount, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    g.funder_id,
    g.program_id,
    g.start_date,
    g.end_date,
    g.amount,
    g.reference,
    now,
  );
}
export function getFunding(db: Conn, id: number): Promise<Funding | undefined> {
  return db.get(`${FUNDING_SELECT} WHERE g.id = ?`, id) as Promise<Funding | undefined>;
}
export async function listFunding(db: Conn, funderId?: number): Promise<Funding[]> {
  const where = funderId === undefined ? '' : 'WHERE g.funder_id = ?';
  return (await db.all(
    `${FUNDING_SELECT} ${where} ORDER BY lower(f.code), lower(p.code), g.start_date, g.id`,
    ...(funderId === undefined ? [] : [funderId]),
  )) as Funding[];
}
/** Agreements of one funder and program that overlap [start, end] (but agreement `exceptId`, the one being edited). */
export async function overlappingFunding(
  db: Conn,
  funderId: number,
  programId: number,
  start: string,
  end: string | null,
  exceptId?: number,
): Promise<Funding[]> {
  return (await db.all(
    `${FUNDING_SELECT} WHERE g.funder_id = ? AND g.program_id = ? AND (g.end_date IS NULL OR g.end_date >= ?) AND (CAST(? AS TEXT) IS NULL OR g.start_date <= ?) AND g.id <> ? ORDER BY g.id`,
    funderId,
    programId,
    start,
    end,
    end,
    exceptId ?? 0,
  )) as Funding[];
}

/** Change columns of a funding agreement (funders edit-funding, end-funding). */
export async function updateFunding(db: Conn, id: number, changes: Record<string, unknown>): Promise<void> {
  await updateRow(db, 'funding', id, changes);
}
