/**
 * Erasure of a person's personal data ("right to be forgotten"), keeping anonymous aggregates, and the
 * compaction that removes every old copy of it from the file.
 */
import type { Conn } from './conn.js';
import { SqliteConn, sqliteOf } from './sqlite-conn.js';
import type { AuditWriter } from './audit.js';
import { ERASED_TEXT, scrubJson, scrubberFor, type IdentityValues } from '../domain/erasure.js';

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

export const ERASED = ERASED_TEXT;

/**
 * Free text ngo keeps, table by column. What belongs to the person's own records is cleared; in the
 * rest, their identifying values are scrubbed (domain/erasure.ts).
 */
const FREE_TEXT: Record<string, string[]> = {
  people: ['notes', 'archived_reason'],
  programs: ['description', 'archived_reason'],
  funders: ['archived_reason'],
  funding: ['reference'],
  hours: ['note', 'reject_reason', 'void_reason'],
  supervision_sessions: ['topic', 'void_reason'],
  mentorships: ['goals', 'end_reason'],
  mentorship_meetings: ['note', 'void_reason'],
  grants: ['purpose', 'closed_reason'],
  disbursements: ['reference', 'cancel_reason'],
  grant_requirements: ['note'],
};
/** Import file names: scrubbed more widely (each name, the email's local part; see domain/erasure.ts). */
const FILE_NAMES: Record<string, string[]> = { imports: ['file_name'] };

/** The person's own records, and the free text of each that is about them. */
const OWN: { table: string; entity: string; where: string; fields: string[] }[] = [
  { table: 'hours', entity: 'hours', where: 'person_id = @id', fields: ['note', 'reject_reason', 'void_reason'] },
  {
    table: 'supervision_sessions',
    entity: 'supervision',
    where: 'supervisor_id = @id OR id IN (SELECT session_id FROM supervision_attendees WHERE supervisee_id = @id)',
    fields: ['topic', 'void_reason'],
  },
  { table: 'mentorships', entity: 'mentorship', where: 'mentor_id = @id OR mentee_id = @id', fields: ['goals', 'end_reason'] },
  {
    table: 'mentorship_meetings',
    entity: 'meeting',
    where: 'mentorship_id IN (SELECT id FROM mentorships WHERE mentor_id = @id OR mentee_id = @id)',
    fields: ['note', 'void_reason'],
  },
  { table: 'grants', entity: 'grant', where: 'grantee_id = @id', fields: ['purpose', 'closed_reason'] },
  { table: 'disbursements', entity: 'disbursement', where: 'grant_id IN (SELECT id FROM grants WHERE grantee_id = @id)', fields: ['cancel_reason'] },
  { table: 'grant_requirements', entity: 'grant_requirement', where: 'grant_id IN (SELECT id FROM grants WHERE grantee_id = @id)', fields: ['note'] },
  // The acknowledgment letters issued to them keep their figures (as hours do), not the PDF's hash:
  // anyone holding a copy of the letter (which shows the name and address) could match it to the
  // record and so to the erased person's id and figures.
  { table: 'tax_letters', entity: 'tax_letter', where: 'person_id = @id', fields: ['sha256'] },
];

/** An erased text: [erased] where there was one, nothing where there was none. */
const cleared = (col: string) => `${col} = CASE WHEN ${col} IS NULL THEN NULL ELSE '${ERASED_TEXT}' END`;

export async function forgetPerson(db: Conn, id: number, now: string, audit: AuditWriter): Promise<void> {
  const raw = db instanceof SqliteConn ? db.raw : null;
  // Overwrite what this transaction deletes with zeros (old cells of the person row, its index
  // entries, the rows rewritten below) instead of leaving it readable in free space. (A PostgreSQL
  // server keeps old row versions until VACUUM, and its WAL and backups longer: see the README.)
  raw?.pragma('secure_delete = ON');
  const person = (await db.get(
    `SELECT first_name, last_name, email, external_id, phone, license_number, address_line1, address_line2 FROM people WHERE id = ?`,
    id,
  )) as IdentityValues;
  // Every value this person ever had in an identifying field (people edit keeps the old ones in the audit log).
  const history = (await db.all("SELECT changes FROM audit_log WHERE entity = 'person' AND entity_id = ? AND changes IS NOT NULL", id)) as {
    changes: string;
  }[];
  const identities: IdentityValues[] = [person];
  for (const h of history) {
    const c = JSON.parse(h.changes) as Record<string, [unknown, unknown] | undefined>;
    for (const side of [0, 1] as const) {
      const v = (f: keyof IdentityValues) => {
        const x = c[f]?.[side];
        return typeof x === 'string' ? x : null;
      };
      const older: IdentityValues = {
        first_name: v('first_name') ?? person.first_name,
        last_name: v('last_name') ?? person.last_name,
        email: v('email'),
        external_id: v('external_id'),
        phone: v('phone'),
        license_number: v('license_number'),
        address_line1: v('address_line1'),
        address_line2: v('address_line2'),
      };
      if (Object.values(older).some((x) => x !== null)) identities.push(older);
    }
  }
  const inText = identities.map((p) => scrubberFor(p, 'text'));
  const inFileNames = identities.map((p) => scrubberFor(p, 'file-name'));
  const scrub = (t: string) => inText.reduce((s, f) => f(s), t);
  const scrubFileName = (t: string) => inFileNames.reduce((s, f) => f(s), t);

  // 1. The person's own records: their free text goes (the records and their figures stay).
  const ownIds = new Map<string, number[]>();
  for (const o of OWN) {
    ownIds.set(o.entity, (await db.column(`SELECT id FROM ${o.table} WHERE ${o.where}`, { id })) as number[]);
    await db.run(`UPDATE ${o.table} SET ${o.fields.map(cleared).join(', ')} WHERE ${o.where}`, { id });
  }

  // 1b. The licence kept with each session they led (the supervision log shows [erased]).
  await db.run(
    `UPDATE supervision_sessions SET ${['supervisor_credential', 'supervisor_license_number', 'supervisor_license_region'].map(cleared).join(', ')},
            supervisor_license_expires = NULL WHERE supervisor_id = ?`,
    id,
  );
  const led = (await db.column('SELECT id FROM supervision_sessions WHERE supervisor_id = ?', id)) as number[];

  // 2. The person record.
  const set = ERASED_FIELDS.map((f) => `${f} = ${f === 'first_name' ? '@name' : 'NULL'}`).join(', ');
  await db.run(`UPDATE people SET ${set}, erased_at = @now, updated_at = @now WHERE id = @id`, { name: `Erased person #${id}`, now, id });

  // 3. Their identifying values anywhere else in free text: other people's notes, topics, references,
  //    import file names.
  if (raw) {
    // SQLite: the scrubbers as SQL functions, one UPDATE a column.
    raw.function('ngo_scrub', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? scrub(t) : t));
    raw.function('ngo_scrub_file_name', { deterministic: true }, (t: unknown) => (typeof t === 'string' ? scrubFileName(t) : t));
    for (const [fn, columns] of [
      ['ngo_scrub', FREE_TEXT],
      ['ngo_scrub_file_name', FILE_NAMES],
    ] as const) {
      for (const [table, cols] of Object.entries(columns)) {
        for (const col of cols) await db.run(`UPDATE ${table} SET ${col} = ${fn}(${col}) WHERE ${col} IS NOT NULL AND ${col} <> ${fn}(${col})`);
      }
    }
  } else {
    // A server cannot call into this process from SQL: each value is read, scrubbed here, and written back when it changed.
    for (const [fn, columns] of [
      [scrub, FREE_TEXT],
      [scrubFileName, FILE_NAMES],
    ] as const) {
      for (const [table, cols] of Object.entries(columns)) {
        for (const col of cols) {
          const rows = (await db.all(`SELECT id, ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL ORDER BY id`)) as { id: number; v: string }[];
          for (const r of rows) {
            const after = fn(r.v);
            if (after !== r.v) await db.run(`UPDATE ${table} SET ${col} = ? WHERE id = ?`, after, r.id);
          }
        }
      }
    }
  }

  // 4. The audit log: the person's history, the history of their own records, and any other row
  //    that names them (an import's file name, a note quoted in another record's change, the actor).
  const rows = (await db.all('SELECT id, entity, entity_id, actor, changes FROM audit_log')) as {
    id: number;
    entity: string;
    entity_id: number | null;
    actor: string;
    changes: string | null;
  }[];
  const ownFields = new Map(OWN.map((o) => [o.entity, new Set(o.fields)]));
  const ownSets = new Map([...ownIds].map(([k, v]) => [k, new Set(v)]));
  const ledSet = new Set(led);
  const SNAPSHOT = ['supervisor_credential', 'supervisor_license_number', 'supervisor_license_region', 'supervisor_license_expires'];
  for (const r of rows) {
    let changes = r.changes;
    if (changes !== null) {
      const c = JSON.parse(changes) as Record<string, [unknown, unknown]>;
      let touched = false;
      const fields: Set<string> | undefined =
        r.entity === 'person' && r.entity_id === id
          ? new Set<string>(ERASED_FIELDS)
          : r.entity_id !== null && ownSets.get(r.entity)?.has(r.entity_id)
            ? ownFields.get(r.entity)
            : undefined;
      const all = new Set(fields ?? []);
      // The reason a correction gave (issue 19: edits, reopen, end-funding) is free text about the record, as its notes are.
      if (fields && r.entity !== 'person') all.add('reason');
      if (r.entity === 'supervision' && r.entity_id !== null && ledSet.has(r.entity_id)) for (const f of SNAPSHOT) all.add(f);
      if (all.size > 0) {
        for (const f of all) {
          const pair = c[f];
          if (pair) {
            c[f] = [pair[0] === null ? null : ERASED_TEXT, pair[1] === null ? null : ERASED_TEXT];
            touched = true;
          }
        }
      }
      if (touched) changes = JSON.stringify(c);
      // An import's audit row holds its file name.
      changes = scrubJson(changes, r.entity === 'import' ? (t) => scrubFileName(scrub(t)) : scrub);
    }
    const actor = scrub(r.actor);
    if (changes !== r.changes || actor !== r.actor) await db.run('UPDATE audit_log SET changes = ?, actor = ? WHERE id = ?', changes, actor, r.id);
  }
  await audit('forget', 'person', id, { fields: [null, ERASED_FIELDS.join(',')] });
  // 5. Until the file is compacted (purgeFreedSpace) old copies may remain in free space and the WAL.
  //    (A server's dead row versions are VACUUM's, and beyond ngo's reach: nothing is pending there.)
  if (!raw) return;
  await db.run(
    "INSERT INTO maintenance_due(task, since, detail) VALUES ('purge', ?, ?) ON CONFLICT(task) DO UPDATE SET detail = maintenance_due.detail || ',' || excluded.detail",
    now,
    String(id),
  );
}

export type PurgeResult = { done: true } | { done: false; busy: boolean; reason: string };

const isBusy = (e: unknown) => {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/**
 * One attempt, waiting for nobody (busy_timeout 0), at what `forgetPerson` needs once it has committed:
 * rebuild the file (VACUUM) so that no old copy of the erased values survives in free space (earlier
 * edits of the person, rows moved by updates, index entries), and leave the WAL empty, since it holds
 * old page images until every reader has moved past them. The WAL is emptied first: while another
 * process reads an older state nothing is rebuilt (a VACUUM then would only add a copy of the whole
 * file to a WAL that cannot be emptied, at every attempt). Done only when the WAL is empty after the
 * rebuild; the `purge` task is then cleared. `busy`: another process writes or reads; try again later.
 * Outside any transaction.
 */
export async function purgeFreedSpace(db: Conn): Promise<PurgeResult> {
  const raw = sqliteOf(db);
  const quiet = raw.pragma('busy_timeout', { simple: true }) as number;
  raw.pragma('busy_timeout = 0');
  const readers: PurgeResult = {
    done: false,
    busy: true,
    reason: 'another process is still using the database (reading an older state of it, or writing), so the WAL could not be emptied',
  };
  const emptyWal = () => {
    const r = (raw.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[])[0]!;
    return r.busy === 0 && r.log === r.checkpointed;
  };
  try {
    if (!emptyWal()) return readers;
    raw.pragma('secure_delete = ON');
    raw.pragma('temp_store = MEMORY'); // VACUUM's copy stays in memory, not in a temporary file
    try {
      await db.exec('VACUUM');
    } catch (e) {
      if (isBusy(e)) return { done: false, busy: true, reason: 'another ngo command is writing to the database' };
      throw e;
    }
    if (!emptyWal()) return readers;
    await db.run("DELETE FROM maintenance_due WHERE task = 'purge'");
    // The DELETE went through the WAL: empty it again (no reader can be behind this time but a new one).
    emptyWal();
    return { done: true };
  } finally {
    raw.pragma(`busy_timeout = ${quiet}`);
  }
}

/** Whether an erasure still waits for its compaction. */
export async function purgePending(db: Conn): Promise<boolean> {
  return (await db.get("SELECT 1 FROM maintenance_due WHERE task = 'purge'")) !== undefined;
}
