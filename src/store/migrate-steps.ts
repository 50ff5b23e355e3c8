/**
 * Steps of a migration that SQL alone cannot do, run inside the migration's transaction right after
 * that version's SQL (db.ts, migrateInTransaction). Keyed by the version the migration brings the
 * schema to; each returns what the user should be told, or nothing.
 */
import type { Conn } from './conn.js';
import { fingerprint, type EntryContent } from '../domain/hours.js';
import { refingerprint } from './hours.js';

type Row = EntryContent & { id: number; fingerprint: Buffer | null; seq: number | null };

export const MIGRATION_STEPS: Record<number, (db: Conn) => Promise<string | undefined>> = {
  // 6 (was 5): imported entries corrected by hand before schema 5 kept only their source row's key, so
  // an export of the corrected entry imported as a new one (counted twice). Give each its corrected
  // content's key, keeping the source row's among its earlier keys. Runs after schema 6 made hours_keys.
  6: async (db) => {
    const rows = (await db.all(`SELECT id, person_id, program_id, date, minutes, activity, miles, expenses, reimbursed, note, fingerprint, seq
         FROM hours
         WHERE import_id IS NOT NULL AND fingerprint IS NOT NULL
           AND id IN (SELECT entity_id FROM audit_log WHERE entity = 'hours' AND action = 'update')
         ORDER BY id`)) as Row[];
    let n = 0;
    for (const r of rows) {
      const fp = fingerprint(r);
      if (r.fingerprint!.equals(fp)) continue;
      await refingerprint(db, r, fp, new Date().toISOString());
      n++;
    }
    if (n === 0) return undefined;
    return `schema 6: ${n} imported ${n === 1 ? 'entry' : 'entries'} corrected by hand now also match${n === 1 ? 'es' : ''} ${n === 1 ? 'its' : 'their'} corrected content, so an export of ${n === 1 ? 'it' : 'them'} re-imports as unchanged (re-importing the source file still adds nothing)`;
  },
};
