/**
 * Corrections (issue 19): edit or void the records that had no way to be corrected — mentorship
 * meetings, supervision sessions, funding agreements, grants — and reopen a rejected hours entry.
 * Each is one transaction under the single-writer lock, audited (the fields before/after, and the
 * reason when one is given as `reason`), and refused with exit 5 where a rule of state forbids it
 * (a void record, a closed grant, an award below what it has paid, overlapping agreements, a session
 * that would lose its supervisor's licence). Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { diff, type Changes } from '../store/audit.js';
import { assertNotFuture, fingerprint, type EntryContent } from '../domain/hours.js';
import { checkFormat, licenceProblem, type Modality, type SupervisionFormat } from '../domain/supervision.js';
import { deriveStatus, type CloseStatus } from '../domain/grants.js';
import { formatCents } from '../domain/money.js';
import { getPairing, getMeeting, updateMeeting, type Meeting } from '../store/mentorship.js';
import { getSession, linkedHoursIds, updateSession, type Session } from '../store/supervision.js';
import { getHours, refingerprint, updateHours } from '../store/hours.js';
import { getFunding, getProgram, overlappingFunding, updateFunding, type Funding } from '../store/orgs.js';
import { getGrant, grantTotals, listRequirements, updateGrant, type Grant } from '../store/grants.js';
import { assertServiceBy } from './grants.js';
import { firstDisbursementDate } from '../store/corrections.js';
import { overlapWayOut } from './orgs.js';
import { loadEntry, describeEntry } from './hours.js';
import { assertActiveProgram } from './refs.js';

/** The audit changes of a correction, with its reason (when one was given) as `reason`. */
function withReason(d: Changes, reason: string | undefined): Changes {
  const why = reason?.trim();
  return why ? { ...d, reason: [null, why] } : d;
}

// ---- mentorship meetings ---------------------------------------------------------------------------

export async function loadMeeting(app: App, id: number): Promise<Meeting> {
  const m = await getMeeting(await app.db(), id);
  if (!m) throw new NotFoundError(`no mentorship meeting #${id}`, 'see `ngo mentorship meetings --status all`');
  return m;
}

export type MeetingChanges = Partial<Pick<Meeting, 'date' | 'minutes' | 'note'>>;

/**
 * Correct a meeting's date, duration or note. A void meeting cannot be edited (exit 5); the date
 * stays inside the pairing (not before its start, not after its end: exit 3) and not in the future
 * unless allowed. Returns false when nothing changed.
 */
export async function editMeeting(app: App, id: number, changes: MeetingChanges, o: { allowFuture?: boolean; reason?: string }): Promise<boolean> {
  return app.tx(async () => {
    const m = await loadMeeting(app, id);
    if (m.voided_at)
      throw new ConflictError(
        `meeting #${id} is void (${m.void_reason ?? 'no reason given'}); it cannot be edited`,
        'record a new one with ngo mentorship meet PAIRING',
      );
    const p = (await getPairing(await app.db(), m.mentorship_id))!;
    if (changes.date !== undefined && changes.date !== m.date) {
      assertNotFuture(changes.date, app.today(), o.allowFuture);
      if (changes.date < p.start_date) throw new ValidationError(`date ${changes.date} is before pairing #${p.id} started (${p.start_date})`);
      if (p.end_date !== null && changes.date > p.end_date) throw new ValidationError(`date ${changes.date} is after pairing #${p.id} ended (${p.end_date})`);
    }
    const d = diff(m as unknown as Record<string, unknown>, { ...m, ...changes }, Object.keys(changes));
    if (Object.keys(d).length === 0) return false;
    await updateMeeting(await app.db(), id, Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])) as Partial<Meeting>);
    await app.audit('update', 'meeting', id, withReason(d, o.reason));
    return true;
  });
}

/** A meeting is voided once (exit 5). */
export function assertMeetingVoidable(m: Meeting): void {
  if (m.voided_at) throw new ConflictError(`meeting #${m.id} is already void (${m.void_reason ?? 'no reason given'})`);
}

/** Void a meeting with a reason (once: exit 5 when it is already void); it stops counting everywhere. */
export async function voidMeeting(app: App, id: number, reason: string): Promise<void> {
  await app.tx(async () => {
    const m = await loadMeeting(app, id);
    assertMeetingVoidable(m);
    const set = { voided_at: app.ctx.now().toISOString(), void_reason: reason.trim() };
    await updateMeeting(await app.db(), id, set);
    await app.audit('void', 'meeting', id, diff(m as unknown as Record<string, unknown>, { ...m, ...set }, Object.keys(set)));
  });
}

// ---- supervision sessions ----------------------------------------------------------------------------

export interface SessionChanges {
  date?: string;
  minutes?: number;
  format?: SupervisionFormat;
  modality?: Modality;
  program_id?: number | null;
  topic?: string | null;
}

/**
 * Correct a session. A void session cannot be edited (exit 5). The format must fit its supervisees
 * (exit 3). A new date is checked against the licence the session keeps (its supervisor's as it was
 * recorded): a licence expired by then is exit 5 unless `allowUnlicensed` (the session then stops
 * counting toward licensure), and a session recorded unlicensed counts once its date is covered. The
 * supervisor's hours entry logged with it (`--log-hours`) follows its date, duration and program; such
 * a session keeps a program (exit 5). Returns what changed and the hours entries that followed.
 */
export async function editSession(
  app: App,
  id: number,
  changes: SessionChanges,
  o: { allowFuture?: boolean; allowUnlicensed?: boolean; reason?: string },
): Promise<{ changed: boolean; hoursIds: number[]; licensed: 0 | 1; problem: string | null }> {
  return app.tx(async () => {
    const s = await getSession(await app.db(), id);
    if (!s) throw new NotFoundError(`no supervision session #${id}`, 'see `ngo supervision list --status all`');
    if (s.voided_at)
      throw new ConflictError(
        `supervision session #${id} is void (${s.void_reason ?? 'no reason given'}); it cannot be edited`,
        'record it again with ngo supervision add',
      );
    if (changes.format !== undefined) checkFormat(changes.format, s.supervisee_ids.length);
    const hoursIds = await linkedHoursIds(await app.db(), id);
    if (changes.program_id !== undefined && changes.program_id !== s.program_id) {
      if (changes.program_id === null && hoursIds.length > 0)
        throw new ConflictError(
          `supervision session #${id} logged the supervisor's hours (entry #${hoursIds.join(', #')}), which need a program`,
          'give another --program, or void the session and add it again without --log-hours',
        );
      if (changes.program_id !== null) assertActiveProgram((await getProgram(await app.db(), changes.program_id))!);
    }
    const set: Record<string, unknown> = { ...changes };
    let problem: string | null = null;
    if (changes.date !== undefined && changes.date !== s.date) {
      assertNotFuture(changes.date, app.today(), o.allowFuture);
      problem = licenceProblem(
        {
          credential: s.supervisor_credential,
          license_number: s.supervisor_license_number,
          license_region: s.supervisor_license_region,
          license_expires: s.supervisor_license_expires,
        },
        changes.date,
      );
      if (problem && s.licensed === 1 && !o.allowUnlicensed)
        throw new ConflictError(
          `the supervisor's ${problem.replace(/^has no licence on record$/, 'licence is not on record')} (the licence recorded with session #${id}): on ${changes.date} the session would not count toward licensure`,
          'add --allow-unlicensed to move it anyway (it will never count, and the log marks it)',
        );
      set['licensed'] = problem ? 0 : 1;
    }
    const before = { ...s } as unknown as Record<string, unknown>;
    const d = diff(before, { ...before, ...set }, Object.keys(set));
    if (Object.keys(d).length === 0) return { changed: false, hoursIds: [], licensed: s.licensed, problem: null };
    await updateSession(await app.db(), id, Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])));
    await app.audit('update', 'supervision', id, withReason(d, o.reason));
    // The supervisor's hours entry follows the session (it is the same time).
    const follow: Partial<EntryContent> = {};
    if ('date' in d) follow.date = d['date']![1] as string;
    if ('minutes' in d) follow.minutes = d['minutes']![1] as number;
    if ('program_id' in d) follow.program_id = d['program_id']![1] as number;
    const moved: number[] = [];
    if (Object.keys(follow).length > 0) {
      const now = app.ctx.now().toISOString();
      for (const hid of hoursIds) {
        const e = (await getHours(await app.db(), hid))!;
        const hd = diff(e as unknown as Record<string, unknown>, { ...e, ...follow }, Object.keys(follow));
        if (Object.keys(hd).length === 0) continue;
        await updateHours(await app.db(), hid, follow, now);
        await refingerprint(await app.db(), e, fingerprint({ ...e, ...follow }), now);
        await app.audit('update', 'hours', hid, { ...hd, reason: [null, `follows supervision session #${id}`] });
        moved.push(hid);
      }
    }
    return { changed: true, hoursIds: moved, licensed: (set['licensed'] as 0 | 1 | undefined) ?? s.licensed, problem };
  });
}

export type { Session };

// ---- funding agreements --------------------------------------------------------------------------------

export async function loadFunding(app: App, id: number): Promise<Funding> {
  const f = await getFunding(await app.db(), id);
  if (!f) throw new NotFoundError(`no funding agreement #${id}`, 'see `ngo funders funding`');
  return f;
}

export type FundingChanges = Partial<Pick<Funding, 'start_date' | 'end_date' | 'amount' | 'reference'>>;

async function assertNoOverlap(app: App, f: Funding, start: string, end: string | null): Promise<void> {
  if (end !== null && end < start) throw new ValidationError(`the agreement would end (${end}) before it starts (${start})`);
  const overlap = await overlappingFunding(await app.db(), f.funder_id, f.program_id, start, end, f.id);
  if (overlap.length > 0) {
    const o = overlap[0]!;
    throw new ConflictError(
      `agreement #${f.id} would overlap agreement #${o.id} of ${f.funder_code} / ${f.program_code} (${o.start_date} to ${o.end_date ?? 'open-ended'}); agreements of one funder and program must not overlap`,
      overlapWayOut(o, start),
    );
  }
}

/** Correct an agreement's dates, amount or reference: never overlapping another of its funder and program (exit 5). */
export async function editFunding(app: App, id: number, changes: FundingChanges, reason: string | undefined): Promise<boolean> {
  return app.tx(async () => {
    const f = await loadFunding(app, id);
    const after = { ...f, ...changes };
    if (changes.start_date !== undefined || changes.end_date !== undefined) await assertNoOverlap(app, f, after.start_date, after.end_date);
    const d = diff(f as unknown as Record<string, unknown>, after, Object.keys(changes));
    if (Object.keys(d).length === 0) return false;
    await updateFunding(await app.db(), id, Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])));
    await app.audit('update', 'funding', id, withReason(d, reason));
    return true;
  });
}

/**
 * End an agreement on a day (its last funded day): not before it starts (exit 3); one that already
 * ends on or before that day is exit 5 (move an end later with edit-funding --to).
 */
export async function endFunding(app: App, id: number, date: string, reason: string | undefined): Promise<void> {
  await app.tx(async () => {
    const f = await loadFunding(app, id);
    if (f.end_date !== null && f.end_date <= date)
      throw new ConflictError(
        `agreement #${id} already ends on ${f.end_date}`,
        `to move its end to ${date}, correct it: ngo funders edit-funding ${id} --to ${date}`,
      );
    if (date < f.start_date) throw new ValidationError(`end date ${date} is before agreement #${id} starts (${f.start_date})`);
    await updateFunding(await app.db(), id, { end_date: date });
    await app.audit('end', 'funding', id, withReason({ end_date: [f.end_date, date] }, reason));
  });
}

// ---- grants --------------------------------------------------------------------------------------------

export type GrantChanges = Partial<Pick<Grant, 'amount' | 'purpose' | 'funder_id' | 'program_id' | 'awarded_on' | 'service_minutes' | 'service_by'>>;

/**
 * Correct a grant. A grant closed with `grants close` (completed early or cancelled) cannot be edited
 * (exit 5); the amount never goes below what is paid and scheduled (exit 5); the award date is never
 * after its first disbursement (exit 3). The status follows the amount (a fully paid grant whose
 * amount is raised is active again). Returns false when nothing changed.
 */
export async function editGrant(app: App, id: number, changes: GrantChanges, reason: string | undefined): Promise<boolean> {
  return app.tx(async () => {
    const g = await getGrant(await app.db(), id);
    if (!g) throw new NotFoundError(`no grant #${id}`, 'see `ngo grants list`');
    if (g.closed_on !== null)
      throw new ConflictError(
        `grant #${id} was closed as ${g.status} on ${g.closed_on}; it cannot be edited`,
        'a closed grant is part of the record; award a new one if needed',
      );
    const totals = await grantTotals(await app.db(), id);
    if (changes.amount !== undefined && changes.amount < totals.paid + totals.scheduled)
      throw new ConflictError(
        `an award of ${formatCents(changes.amount)} would be less than the ${formatCents(totals.paid + totals.scheduled)} already paid (${formatCents(totals.paid)}) and scheduled (${formatCents(totals.scheduled)}) on grant #${id}`,
        'cancel a scheduled disbursement first (ngo grants cancel-disbursement ID --reason …), or give a larger --amount',
      );
    if (changes.awarded_on !== undefined) {
      const d0 = await firstDisbursementDate(await app.db(), id);
      if (d0 !== null && changes.awarded_on > d0)
        throw new ValidationError(`award date ${changes.awarded_on} is after the grant's first disbursement on ${d0}`);
    }
    const after = { ...g, ...changes };
    // The dates hang together as at the award: a deadline needs a commitment and is not before the
    // award (a commitment removed takes its deadline with it); nothing required is due before it.
    if (changes.service_minutes === null && changes.service_by === undefined && g.service_by !== null) {
      changes.service_by = null;
      after.service_by = null;
    }
    if (after.service_by !== null && after.service_by !== undefined) assertServiceBy(after.service_by, after.awarded_on, after.service_minutes);
    if (changes.awarded_on !== undefined) {
      const early = (await listRequirements(await app.db(), id)).filter((r) => r.due_on < after.awarded_on);
      if (early.length > 0)
        throw new ValidationError(
          `award date ${after.awarded_on} is after the due date of requirement #${early[0]!.id} (${early[0]!.due_on})`,
          'a grant cannot require something before it was awarded: check the dates',
        );
    }
    const status = deriveStatus({ amount: after.amount, paid: totals.paid, closedAs: null as CloseStatus | null });
    const fields = [...Object.keys(changes), 'status'];
    const d = diff(g as unknown as Record<string, unknown>, { ...after, status }, fields);
    if (Object.keys(d).length === 0) return false;
    await updateGrant(await app.db(), id, Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a])) as Partial<Grant>);
    await app.audit('update', 'grant', id, withReason(d, reason));
    return true;
  });
}

// ---- hours: reopen a rejected entry -----------------------------------------------------------------

/** A rejected entry back to pending (its reject reason stays in the audit log); only a rejected, non-void entry (exit 5). */
export async function reopenEntry(app: App, id: number, reason: string | undefined): Promise<void> {
  await app.tx(async () => {
    const e = await loadEntry(app, id);
    if (e.voided_at) throw new ConflictError(`${await describeEntry(app, e)} is void; it cannot be reopened`, 'log a new entry instead');
    if (e.status !== 'rejected') throw new ConflictError(`${await describeEntry(app, e)} is ${e.status}, not rejected; only a rejected entry can be reopened`);
    const set = { status: 'pending', reject_reason: null };
    await updateHours(await app.db(), id, set, app.ctx.now().toISOString());
    await app.audit('reopen', 'hours', id, withReason({ status: [e.status, 'pending'], reject_reason: [e.reject_reason, null] }, reason));
  });
}
