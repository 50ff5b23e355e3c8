/**
 * The writes of clinical supervision: record a session (and, with --log-hours, the supervisor's hours
 * linked to it) and void one (with its linked hours); each one transaction under the single-writer lock
 * with its audit entries. Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { diff } from '../store/audit.js';
import { assertGroupFitsPlans } from './plans.js';
import { getHours, insertHours, updateHours } from '../store/hours.js';
import { getSession, insertSession, linkedHoursIds, voidSession, type Session, type SessionValues } from '../store/supervision.js';

export async function loadSession(app: App, id: number): Promise<Session> {
  const s = await getSession(await app.db(), id);
  if (!s) throw new NotFoundError(`no supervision session #${id}`, 'see `ngo supervision list --status all`');
  return s;
}

/** A session is voided once. */
export function assertSessionVoidable(s: Session): void {
  if (s.voided_at) throw new ConflictError(`supervision session #${s.id} is already void (${s.void_reason ?? 'no reason given'})`);
}

/**
 * A new session with its supervisees; with `hoursProgramId`, the supervisor's hours of it too (approved,
 * linked to the session, in that program). Returns the ids.
 */
export async function recordSession(
  app: App,
  values: SessionValues,
  ids: number[],
  hoursProgramId: number | null,
): Promise<{ id: number; hoursId: number | undefined }> {
  return app.tx(async () => {
    const now = app.ctx.now().toISOString();
    await assertGroupFitsPlans(await app.db(), values.date, ids);
    const newId = await insertSession(await app.db(), values, ids, now);
    await app.audit('create', 'supervision', newId, diff(null, { ...values, supervisee_ids: ids.join(',') }));
    let hid: number | undefined;
    if (hoursProgramId !== null) {
      const entry = {
        person_id: values.supervisor_id,
        program_id: hoursProgramId,
        date: values.date,
        minutes: values.minutes,
        activity: 'supervision' as const,
        miles: 0,
        expenses: 0,
        reimbursed: 0 as const,
        note: `supervision session #${newId}`,
        status: 'approved' as const,
        supervision_id: newId,
      };
      hid = await insertHours(await app.db(), entry, now);
      await app.audit('create', 'hours', hid, diff(null, { ...entry }));
    }
    return { id: newId, hoursId: hid };
  });
}

/** Void a session and the hours linked to it, with a reason; returns the ids of the hours voided. */
export async function voidSessionRecord(app: App, id: number, reason: string): Promise<number[]> {
  return app.tx(async () => {
    const s = await loadSession(app, id);
    assertSessionVoidable(s);
    const at = app.ctx.now().toISOString();
    const why = reason.trim();
    await voidSession(await app.db(), id, at, why);
    await app.audit('void', 'supervision', id, { voided_at: [null, at], void_reason: [null, why] });
    const hours = await linkedHoursIds(await app.db(), id);
    for (const hid of hours) {
      const e = (await getHours(await app.db(), hid))!;
      const set = { voided_at: at, void_reason: `supervision session #${id} voided: ${why}` };
      await updateHours(await app.db(), hid, set, at);
      await app.audit('void', 'hours', hid, { voided_at: [e.voided_at, set.voided_at], void_reason: [e.void_reason, set.void_reason] });
    }
    return hours;
  });
}
