/** Programs, funders and funding agreements: SQL. */
import type { DB } from './db.js';

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

export async function programByCode(db: DB, code: string): Promise<Program | undefined> {
  return db.prepare('SELECT * FROM programs WHERE code = ?').get(code.trim()) as Program | undefined;
}
export async function getProgram(db: DB, id: number): Promise<Program | undefined> {
  return db.prepare('SELECT * FROM programs WHERE id = ?').get(id) as Program | undefined;
}
export async function listPrograms(db: DB, status: 'active' | 'archived' | 'all' = 'all'): Promise<Program[]> {
  const where = status === 'all' ? '' : 'WHERE status = ?';
  return db.prepare(`SELECT * FROM programs ${where} ORDER BY code`).all(...(status === 'all' ? [] : [status])) as Program[];
}
export async function insertProgram(db: DB, p: { code: string; name: string; description: string | null }, now: string): Promise<number> {
  return Number(
    db.prepare('INSERT INTO programs(code, name, description, created_at) VALUES (?, ?, ?, ?)').run(p.code, p.name, p.description, now).lastInsertRowid,
  );
}
export async function updateProgram(db: DB, id: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  db.prepare(`UPDATE programs SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @__id`).run({ ...changes, __id: id });
}

export async function funderByCode(db: DB, code: string): Promise<Funder | undefined> {
  return db.prepare('SELECT * FROM funders WHERE code = ?').get(code.trim()) as Funder | undefined;
}
export async function getFunder(db: DB, id: number): Promise<Funder | undefined> {
  return db.prepare('SELECT * FROM funders WHERE id = ?').get(id) as Funder | undefined;
}
export async function listFunders(db: DB, status: 'active' | 'archived' | 'all' = 'all'): Promise<Funder[]> {
  const where = status === 'all' ? '' : 'WHERE status = ?';
  return db.prepare(`SELECT * FROM funders ${where} ORDER BY code`).all(...(status === 'all' ? [] : [status])) as Funder[];
}
export async function insertFunder(db: DB, f: { code: string; name: string; type: string }, now: string): Promise<number> {
  return Number(db.prepare('INSERT INTO funders(code, name, type, created_at) VALUES (?, ?, ?, ?)').run(f.code, f.name, f.type, now).lastInsertRowid);
}
export async function updateFunder(db: DB, id: number, changes: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(changes);
  if (keys.length === 0) return;
  db.prepare(`UPDATE funders SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @__id`).run({ ...changes, __id: id });
}

const FUNDING_SELECT = `
  SELECT g.id, g.funder_id, f.code AS funder_code, f.name AS funder_name, g.program_id, p.code AS program_code,
         p.name AS program_name, g.start_date, g.end_date, g.amount, g.reference, g.created_at
  FROM funding g JOIN funders f ON f.id = g.funder_id JOIN programs p ON p.id = g.program_id`;

export async function insertFunding(
  db: DB,
  g: { funder_id: number; program_id: number; start_date: string; end_date: string | null; amount: number | null; reference: string | null },
  now: string,
): Promise<number> {
  return Number(
    db
      .prepare('INSERT INTO funding(funder_id, program_id, start_date, end_date, amount, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(g.funder_id, g.program_id, g.start_date, g.end_date, g.amount, g.reference, now).lastInsertRowid,
  );
}
export async function getFunding(db: DB, id: number): Promise<Funding | undefined> {
  return db.prepare(`${FUNDING_SELECT} WHERE g.id = ?`).get(id) as Funding | undefined;
}
export async function listFunding(db: DB, funderId?: number): Promise<Funding[]> {
  const where = funderId === undefined ? '' : 'WHERE g.funder_id = ?';
  return db.prepare(`${FUNDING_SELECT} ${where} ORDER BY f.code, p.code, g.start_date, g.id`).all(...(funderId === undefined ? [] : [funderId])) as Funding[];
}
/** Agreements of one funder and program that overlap [start, end]. */
export async function overlappingFunding(db: DB, funderId: number, programId: number, start: string, end: string | null): Promise<Funding[]> {
  return db
    .prepare(`${FUNDING_SELECT} WHERE g.funder_id = ? AND g.program_id = ? AND (g.end_date IS NULL OR g.end_date >= ?) AND (? IS NULL OR g.start_date <= ?)`)
    .all(funderId, programId, start, end, end) as Funding[];
}
