/** The audit log: every change, with who, when and the fields before/after. */
import type { Conn } from './conn.js';

export type Changes = Record<string, [unknown, unknown]>;

export interface AuditWriter {
  (action: string, entity: string, entityId: number | bigint | null, changes?: Changes | null): Promise<void>;
}

const AUDIT_INSERT = 'INSERT INTO audit_log(at, actor, action, entity, entity_id, changes) VALUES (?, ?, ?, ?, ?, ?)';

export function makeAudit(db: Conn, actor: string, now: () => Date): AuditWriter {
  // The time text is made again only when the millisecond changes: a roster import writes an entry
  // per person, many within one millisecond, and toISOString was a noticeable part of each.
  let lastMs = NaN;
  let lastAt = '';
  return async (action, entity, entityId, changes) => {
    const t = now();
    const ms = t.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      lastAt = t.toISOString();
    }
    await db.run(AUDIT_INSERT, lastAt, actor, action, entity, entityId ?? null, changes && hasKeys(changes) ? JSON.stringify(changes) : null);
  };
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/** Fields that differ between two records, as audit changes. */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, fields?: string[]): Changes {
  if (before === null && after !== null && fields === undefined) {
    // A new record (once per person of a roster import): no key union to build.
    const out: Changes = {};
    for (const k in after) {
      const a = after[k] ?? null;
      if (a !== null) out[k] = [null, a];
    }
    return out;
  }
  const keys = fields ?? Array.from(new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]));
  const out: Changes = {};
  for (const k of keys) {
    const b = before ? (before[k] ?? null) : null;
    const a = after ? (after[k] ?? null) : null;
    if (b !== a) out[k] = [b, a];
  }
  return out;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number | null;
  changes: string | null;
}

export async function listAudit(db: Conn, f: { entity?: string; id?: number; since?: string }): Promise<AuditRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.entity) {
    where.push('entity = ?');
    args.push(f.entity);
  }
  if (f.id !== undefined) {
    where.push('entity_id = ?');
    args.push(f.id);
  }
  if (f.since) {
    where.push('at >= ?');
    args.push(f.since);
  }
  const sql = `SELECT id, at, actor, action, entity, entity_id, changes FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id`;
  return (await db.all(sql, ...args)) as AuditRow[];
}
