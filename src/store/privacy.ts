/** Erasure of a person's personal data ("right to be forgotten"), keeping anonymous aggregates. */
import type { DB } from './db.js';
import type { AuditWriter } from './audit.js';

/** Personal fields erased by `people forget`. Roles, rate, status and dates stay: they are not identifying and reports need them. */
export const ERASED_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'external_id',
  'phone',
  'credential',
  'license_number',
  'license_region',
  'license_expires',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'notes',
  'archived_reason',
] as const;

export const ERASED = '[erased]';

export function forgetPerson(db: DB, id: number, now: string, audit: AuditWriter): void {
  // Overwrite what this transaction deletes with zeros (old cells of the person row, its index
  // entries, the audit rows rewritten below) instead of leaving it readable in free space.
  db.pragma('secure_delete = ON');
  const set = ERASED_FIELDS.map((f) => `${f} = ${f === 'first_name' ? '@name' : 'NULL'}`).join(', ');
  db.prepare(`UPDATE people SET ${set}, erased_at = @now, updated_at = @now WHERE id = @id`).run({ name: `Erased person #${id}`, now, id });
  // Scrub the erased values from this person's audit history.
  const rows = db.prepare("SELECT id, changes FROM audit_log WHERE entity = 'person' AND entity_id = ? AND changes IS NOT NULL").all(id) as { id: number; changes: string }[];
  const upd = db.prepare('UPDATE audit_log SET changes = ? WHERE id = ?');
  for (const r of rows) {
    const c = JSON.parse(r.changes) as Record<string, [unknown, unknown]>;
    for (const f of ERASED_FIELDS) {
      if (c[f]) c[f] = [c[f][0] === null ? null : ERASED, c[f][1] === null ? null : ERASED];
    }
    upd.run(JSON.stringify(c), r.id);
  }
  audit('forget', 'person', id, { fields: [null, ERASED_FIELDS.join(',')] });
}

/**
 * After `forgetPerson` has committed: rebuild the file (VACUUM) so that no old copy of the erased
 * values survives in free space — earlier edits of the person, rows moved by updates, index entries —
 * and empty the WAL, which may still hold old page images. Outside any transaction; it rewrites the
 * whole file, so it is for rare operations like an erasure.
 */
export function purgeFreedSpace(db: DB): void {
  db.pragma('secure_delete = ON');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
