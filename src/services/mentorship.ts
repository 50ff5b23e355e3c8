/**
 * The writes of mentorship (SPEC "Mentorship"): pair, record a meeting, pause, resume, end; each one
 * transaction under the single-writer lock with its audit entry, refused (exit 5) where the pairing's
 * state forbids it. Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { assertTransition, checkEndDate, type Outcome } from '../domain/mentorship.js';
import { displayName, type Person } from '../domain/people.js';
import { parseNote } from '../domain/hours.js';
import { diff } from '../store/audit.js';
import { getPerson } from '../store/people.js';
import { assertActivePerson } from './refs.js';
import { getPairing, insertMeeting, insertPairing, lastMeeting, openPairing, updatePairing, type Pairing } from '../store/mentorship.js';

export async function loadPairing(app: App, id: number): Promise<Pairing> {
  const p = await getPairing(await app.db(), id);
  if (!p) throw new NotFoundError(`no mentorship pairing #${id}`, 'see `ngo mentorship list --status all`');
  return p;
}

/** A new pairing (one open pairing per mentor and mentee); returns its id. */
export async function pairPeople(
  app: App,
  mentor: Person,
  mentee: Person,
  programId: number | null,
  startDate: string,
  goals: string | undefined,
): Promise<number> {
  return app.tx(async () => {
    const open = await openPairing(await app.db(), mentor.id, mentee.id);
    if (open)
      throw new ConflictError(
        `${displayName(mentor)} already mentors ${displayName(mentee)}: pairing #${open.id} is ${open.status}`,
        `see ngo mentorship list --person ${mentee.id}`,
      );
    const rec = {
      mentor_id: mentor.id,
      mentee_id: mentee.id,
      program_id: programId,
      start_date: startDate,
      goals: parseNote(goals, 'goals'),
    };
    const newId = await insertPairing(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'mentorship', newId, diff(null, { ...rec, status: 'active' }));
    return newId;
  });
}

/** A meeting of an active pairing; returns its id. */
export async function recordMeeting(app: App, id: number, m: { date: string; minutes: number; note: string | null }): Promise<number> {
  return app.tx(async () => {
    const p = await loadPairing(app, id);
    assertTransition(p, 'meet');
    // As every new record: an archived or erased mentor or mentee gets none (exit 5).
    for (const who of [p.mentor_id, p.mentee_id]) assertActivePerson((await getPerson(await app.db(), who))!);
    const rec = { mentorship_id: id, ...m };
    const newId = await insertMeeting(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'meeting', newId, diff(null, rec));
    return newId;
  });
}

/** Pause an active pairing or resume a paused one; returns the pairing as it was. */
export async function setPairingState(app: App, id: number, action: 'pause' | 'resume'): Promise<Pairing> {
  const to = action === 'pause' ? 'paused' : 'active';
  return app.tx(async () => {
    const p = await loadPairing(app, id);
    assertTransition(p, action);
    await updatePairing(await app.db(), id, { status: to });
    await app.audit(action, 'mentorship', id, { status: [p.status, to] });
    return p;
  });
}

/** End an open pairing on a day, with its outcome and an optional reason. */
export async function endPairing(app: App, id: number, e: { date: string; outcome: Outcome; reason: string | undefined }): Promise<void> {
  await app.tx(async () => {
    const p = await loadPairing(app, id);
    assertTransition(p, 'end');
    checkEndDate(p, e.date, await lastMeeting(await app.db(), id));
    const set = { status: 'ended' as const, end_date: e.date, outcome: e.outcome, end_reason: parseNote(e.reason, 'reason') };
    await updatePairing(await app.db(), id, set);
    await app.audit('end', 'mentorship', id, diff(p as unknown as Record<string, unknown>, { ...p, ...set }, Object.keys(set)));
  });
}
