/**
 * The writes of volunteer hours (SPEC "Volunteer hours"): log, approve, reject, void and edit, each one
 * transaction under the single-writer lock with its audit entry, and the rules of state that refuse
 * them (exit 5). Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertNotFuture, fingerprint, validateEntry, type EntryContent, type HoursStatus } from '../domain/hours.js';
import { displayName } from '../domain/people.js';
import { formatHours } from '../domain/duration.js';
import { diff } from '../store/audit.js';
import { getPerson } from '../store/people.js';
import { getProgram } from '../store/orgs.js';
import { getHours, insertHours, pendingIds, refingerprint, updateHours, type HoursEntry } from '../store/hours.js';
import { assertActiveProgram } from './refs.js';
import { entriesWithContent } from '../store/corrections.js';

const AUDITED = [
  'person_id',
  'program_id',
  'date',
  'minutes',
  'activity',
  'miles',
  'expenses',
  'reimbursed',
  'status',
  'reject_reason',
  'note',
  'voided_at',
  'void_reason',
];

function auditView(e: Partial<HoursEntry>): Record<string, unknown> {
  return Object.fromEntries(AUDITED.filter((k) => k in e).map((k) => [k, (e as Record<string, unknown>)[k]]));
}

export async function loadEntry(app: App, id: number): Promise<HoursEntry> {
  const e = await getHours(await app.db(), id);
  if (!e) throw new NotFoundError(`no hours entry #${id}`, 'see `ngo hours list --status all`');
  return e;
}

/** An entry as messages name it: id, hours, volunteer, program, date. */
export async function describeEntry(app: App, e: HoursEntry): Promise<string> {
  const p = await getPerson(await app.db(), e.person_id);
  const g = await getProgram(await app.db(), e.program_id);
  return `entry #${e.id} (${formatHours(e.minutes)} h by ${p ? displayName(p) : `person #${e.person_id}`}, ${g?.code ?? '?'}, ${e.date})`;
}

/**
 * A new entry, logged by hand; returns its id. An entry that repeats one already recorded exactly
 * (same volunteer, day, duration, program, activity, miles, expenses, reimbursed and note; not void)
 * is refused (exit 5) unless `allowDuplicate`: a second identical session is rare, a command run twice
 * (a retried script, a double paste) is not, and a duplicate silently inflates every report.
 */
export async function logEntry(app: App, content: EntryContent, status: HoursStatus, o: { allowDuplicate?: boolean } = {}): Promise<number> {
  return app.tx(async () => {
    if (!o.allowDuplicate) {
      const same = await entriesWithContent(await app.db(), fingerprint(content));
      if (same.length > 0) {
        const first = same[0]!;
        const e = (await getHours(await app.db(), first.id))!;
        throw new ConflictError(
          `${await describeEntry(app, e)}${same.length > 1 ? ` and ${same.length - 1} more` : ''} already ${same.length > 1 ? 'have' : 'has'} exactly this content (${first.status}); nothing was logged`,
          `to log another identical entry (a second session that day), add --allow-duplicate; to correct the first, ngo hours edit ${first.id}${first.status === 'rejected' ? `; to take it back, ngo hours reopen ${first.id}` : ''}`,
        );
      }
    }
    const newId = await insertHours(await app.db(), { ...content, status }, app.ctx.now().toISOString());
    await app.audit('create', 'hours', newId, diff(null, auditView({ ...content, status })));
    return newId;
  });
}

/**
 * Approve the given pending entries, or every pending one of a scope: all or nothing (one entry that is
 * void or not pending stops the whole command). Returns the ids approved and their minutes.
 */
export async function approveEntries(
  app: App,
  which: number[] | { start?: string; end?: string; personId?: number; programId?: number },
): Promise<{ ids: number[]; minutes: number }> {
  return app.tx(async () => {
    const ids = Array.isArray(which) ? which : await pendingIds(await app.db(), which);
    const entries = [];
    for (const id of ids) entries.push(await loadEntry(app, id));
    // All or nothing: one entry that cannot be approved stops the whole command.
    for (const e of entries) {
      if (e.voided_at) throw new ConflictError(`${await describeEntry(app, e)} is void; nothing was approved`);
      if (e.status !== 'pending') throw new ConflictError(`${await describeEntry(app, e)} is ${e.status}, not pending; nothing was approved`);
    }
    const now = app.ctx.now().toISOString();
    let minutes = 0;
    for (const e of entries) {
      await updateHours(await app.db(), e.id, { status: 'approved' }, now);
      await app.audit('approve', 'hours', e.id, { status: ['pending', 'approved'] });
      minutes += e.minutes;
    }
    return { ids, minutes };
  });
}

/** Reject an entry with a reason (not a void one, not one that belongs to a supervision session). */
export async function rejectEntry(app: App, id: number, reason: string): Promise<void> {
  await app.tx(async () => {
    const e = await loadEntry(app, id);
    if (e.voided_at) throw new ConflictError(`${await describeEntry(app, e)} is void`);
    if (e.status === 'rejected') throw new ConflictError(`${await describeEntry(app, e)} is already rejected`);
    if (e.supervision_id !== null) {
      throw new ConflictError(
        `${await describeEntry(app, e)} belongs to supervision session #${e.supervision_id}`,
        `void the supervision session instead: ngo supervision void ${e.supervision_id} --reason …`,
      );
    }
    const set = { status: 'rejected', reject_reason: reason.trim() };
    await updateHours(await app.db(), id, set, app.ctx.now().toISOString());
    await app.audit('reject', 'hours', id, diff(auditView(e), { ...auditView(e), ...set }, ['status', 'reject_reason']));
  });
}

/** The rules that keep an entry from being voided: already void, or part of a supervision session. */
export function assertVoidable(e: HoursEntry): void {
  if (e.voided_at) throw new ConflictError(`entry #${e.id} is already void (${e.void_reason ?? 'no reason given'})`);
  if (e.supervision_id !== null) {
    throw new ConflictError(
      `entry #${e.id} was logged with supervision session #${e.supervision_id}; void the supervision session instead`,
      `ngo supervision void ${e.supervision_id} --reason …`,
    );
  }
}

/** Void an entry with a reason (checked again under the lock). */
export async function voidEntryRecord(app: App, id: number, reason: string): Promise<void> {
  await app.tx(async () => {
    const e = await loadEntry(app, id);
    assertVoidable(e);
    const set = { voided_at: app.ctx.now().toISOString(), void_reason: reason.trim() };
    await updateHours(await app.db(), id, set, set.voided_at);
    await app.audit('void', 'hours', id, diff(auditView(e), { ...auditView(e), ...set }, ['voided_at', 'void_reason']));
  });
}

/**
 * Correct an entry's content: not a void one; an entry of a supervision session keeps the session's
 * date, minutes, program and activity. Its key follows the new content (earlier keys kept). Returns
 * false when nothing changed.
 */
export async function editEntry(app: App, id: number, changes: Partial<EntryContent>, opts: { allowFuture?: boolean }): Promise<boolean> {
  return app.tx(async () => {
    const e = await loadEntry(app, id);
    if (e.voided_at) throw new ConflictError(`entry #${id} is void; it cannot be edited`, 'log a new entry instead');
    if (e.supervision_id !== null) {
      const locked = (['date', 'minutes', 'program_id', 'activity'] as const).filter((k) => k in changes && changes[k] !== e[k]);
      if (locked.length > 0) {
        throw new ConflictError(
          `entry #${id} was logged with supervision session #${e.supervision_id}; its ${locked.join(', ')} follow the session`,
          'void the supervision session and add it again; miles, expenses, reimbursed and note can be edited here',
        );
      }
    }
    const after: EntryContent = { ...e, ...changes };
    if (changes.program_id !== undefined && changes.program_id !== e.program_id) assertActiveProgram((await getProgram(await app.db(), changes.program_id))!);
    if (changes.date !== undefined) assertNotFuture(after.date, app.today(), opts.allowFuture);
    validateEntry(after, { today: app.today(), allowFuture: true });
    const d = diff(auditView(e), auditView(after as Partial<HoursEntry>), Object.keys(changes));
    if (Object.keys(d).length === 0) return false;
    const now = app.ctx.now().toISOString();
    await updateHours(await app.db(), id, Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])), now);
    // The fingerprint follows the content (so our own exports re-import cleanly); an imported entry
    // also keeps the key of its source row (so re-importing the source adds nothing).
    await refingerprint(await app.db(), e, fingerprint(after), now);
    await app.audit('update', 'hours', id, d);
    return true;
  });
}
