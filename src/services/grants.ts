/**
 * The writes of grants: award, disburse (paid or scheduled), pay a scheduled disbursement, close
 * (completed or cancelled, cancelling what is still scheduled), cancel one disbursement; each one
 * transaction under the single-writer lock with its audit entries, refused where the grant's state
 * forbids it (exit 5). A grant's status follows its disbursements (refreshStatus, audited).
 * Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import {
  assertNotBeforeAward,
  assertOpen,
  assertWithinAward,
  deriveStatus,
  repaymentCents,
  type CloseStatus,
  type GrantStatus,
  type RequirementType,
} from '../domain/grants.js';
import { diff } from '../store/audit.js';
import {
  getDisbursement,
  getGrant,
  getRepayment,
  getRequirement,
  insertRepayment,
  insertRequirement,
  serviceMinutesSince,
  updateRequirement,
  type Repayment,
  type Requirement,
  grantTotals,
  insertDisbursement,
  insertGrant,
  lastPaidDate,
  scheduledDisbursements,
  updateDisbursement,
  updateGrant,
  type Disbursement,
  type Grant,
  type GrantValues,
} from '../store/grants.js';
import { assertActiveFunder, assertActivePerson, assertActiveProgram, parseRecordId, resolveFunder, resolvePerson, resolveProgram } from './refs.js';

const parseId = (s: string, what: string): number => parseRecordId(s, what);

export async function loadGrant(app: App, ref: string): Promise<Grant> {
  const id = parseId(ref, 'grant');
  const g = await getGrant(await app.db(), id);
  if (!g) throw new NotFoundError(`no grant #${id}`, 'see `ngo grants list`');
  return g;
}

export async function loadDisbursement(app: App, ref: string): Promise<Disbursement> {
  const id = parseId(ref, 'disbursement');
  const d = await getDisbursement(await app.db(), id);
  if (!d) throw new NotFoundError(`no disbursement #${id}`, 'see `ngo grants show GRANT`');
  return d;
}

function assertPaidNotFuture(app: App, date: string): void {
  if (date > app.today()) {
    throw new ValidationError(
      `payment date ${date} is in the future (today is ${app.today()})`,
      'record a planned payment with --scheduled, then `ngo grants pay DISBURSEMENT` when it is made',
    );
  }
}

/** Re-derive the grant's status from its disbursements and store it (audited) when it changed. */
async function refreshStatus(app: App, grantId: number): Promise<GrantStatus> {
  const g = (await getGrant(await app.db(), grantId))!;
  const { paid } = await grantTotals(await app.db(), grantId);
  const status = deriveStatus({ amount: g.amount, paid, closedAs: g.closed_on !== null ? (g.status as CloseStatus) : null });
  if (status !== g.status) {
    await updateGrant(await app.db(), grantId, { status });
    await app.audit('update', 'grant', grantId, { status: [g.status, status] });
  }
  return status;
}

/** A new grant to a person (and, optionally, under a funder and program); returns its id. */
export async function awardGrant(
  app: App,
  refs: { grantee: string; funder?: string; program?: string },
  g: Pick<GrantValues, 'purpose' | 'awarded_on' | 'amount' | 'currency' | 'service_minutes' | 'service_by'>,
): Promise<number> {
  return app.tx(async () => {
    const person = await resolvePerson(await app.db(), refs.grantee);
    assertActivePerson(person);
    const funder = refs.funder !== undefined ? await resolveFunder(await app.db(), refs.funder) : undefined;
    if (funder) assertActiveFunder(funder);
    const program = refs.program !== undefined ? await resolveProgram(await app.db(), refs.program) : undefined;
    if (program) assertActiveProgram(program);
    const rec: GrantValues = {
      grantee_id: person.id,
      funder_id: funder?.id ?? null,
      program_id: program?.id ?? null,
      ...g,
    };
    // A deadline only where there is a commitment; audited only when given (older awards have none).
    if (rec.service_by === undefined || rec.service_by === null) delete rec.service_by;
    else assertServiceBy(rec.service_by, rec.awarded_on, rec.service_minutes);
    const newId = await insertGrant(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'grant', newId, diff(null, { ...rec, status: 'awarded' }));
    return newId;
  });
}

/** A payment made, or one planned (scheduled), on an open grant, within its award; returns its id. */
export async function disburseGrant(
  app: App,
  grantRef: string,
  d: { amount: number; date: string; status: 'paid' | 'scheduled'; reference: string | null },
): Promise<number> {
  const { amount, date, status, reference } = d;
  return app.tx(async () => {
    const g = await loadGrant(app, grantRef);
    assertOpen(g, 'disburse');
    assertNotBeforeAward(date, g.awarded_on, status === 'paid' ? 'payment date' : 'scheduled date');
    if (status === 'paid') assertPaidNotFuture(app, date);
    assertWithinAward({ id: g.id, amount: g.amount, ...(await grantTotals(await app.db(), g.id)) }, amount);
    const rec = { grant_id: g.id, amount, date, status, reference } as const;
    const newId = await insertDisbursement(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'disbursement', newId, diff(null, rec));
    await refreshStatus(app, g.id);
    return newId;
  });
}

/** Mark a scheduled disbursement paid on a day (optionally with a new reference); returns its id. */
export async function payDisbursement(app: App, ref: string, date: string, reference: string | undefined): Promise<number> {
  return app.tx(async () => {
    const d = await loadDisbursement(app, ref);
    if (d.status !== 'scheduled') {
      throw new ConflictError(
        `disbursement #${d.id} is ${d.status}, not scheduled; only a scheduled disbursement can be marked paid`,
        d.status === 'cancelled' ? 'schedule a new one with `ngo grants disburse GRANT --amount X --scheduled --date D`' : undefined,
      );
    }
    const g = (await getGrant(await app.db(), d.grant_id))!;
    assertOpen(g, 'pay a disbursement');
    assertNotBeforeAward(date, g.awarded_on, 'payment date');
    assertPaidNotFuture(app, date);
    const set: Partial<Disbursement> = { status: 'paid', date };
    if (reference !== undefined) set.reference = reference.trim() || null;
    await updateDisbursement(await app.db(), d.id, set);
    await app.audit('pay', 'disbursement', d.id, diff(d as unknown as Record<string, unknown>, { ...d, ...set }, Object.keys(set)));
    await refreshStatus(app, g.id);
    return d.id;
  });
}

/**
 * Close an open grant as completed or cancelled on a day; what is still scheduled is cancelled. A grant
 * cancelled with a service commitment not met by the closing date records the repayment owed
 * (repaymentCents: paid × unmet share of the committed hours), audited; it is returned (else null).
 */
export async function closeGrant(app: App, grantId: number, to: CloseStatus, date: string, reason: string | null): Promise<Repayment | null> {
  return app.tx(async () => {
    const g = (await getGrant(await app.db(), grantId))!;
    // A grant paid in full is completed, but a grantee who then leaves with service unmet owes part of
    // it back: cancelling it is how the repayment is recorded (nothing else may change a completed grant).
    const unmetPaidInFull =
      to === 'cancelled' &&
      g.status === 'completed' &&
      g.closed_on === null &&
      g.service_minutes !== null &&
      (await serviceMinutesSince(await app.db(), g.grantee_id, g.awarded_on, date)) < g.service_minutes;
    if (!unmetPaidInFull) assertOpen(g, 'close it');
    assertNotBeforeAward(date, g.awarded_on, 'closing date');
    if (date > app.today()) throw new ValidationError(`closing date ${date} is in the future (today is ${app.today()})`);
    const last = await lastPaidDate(await app.db(), g.id);
    if (last !== null && date < last) throw new ValidationError(`closing date ${date} is before the last payment on ${last}`);
    const cancelReason = `grant closed as ${to}${reason ? `: ${reason}` : ''}`;
    for (const d of await scheduledDisbursements(await app.db(), g.id)) {
      const set = { status: 'cancelled' as const, cancel_reason: cancelReason };
      await updateDisbursement(await app.db(), d.id, set);
      await app.audit('cancel', 'disbursement', d.id, diff(d as unknown as Record<string, unknown>, { ...d, ...set }, Object.keys(set)));
    }
    const set = { status: to, closed_on: date, closed_reason: reason };
    await updateGrant(await app.db(), g.id, set);
    await app.audit('close', 'grant', g.id, diff(g as unknown as Record<string, unknown>, { ...g, ...set }, Object.keys(set)));
    if (to !== 'cancelled' || g.service_minutes === null) return null;
    const served = await serviceMinutesSince(await app.db(), g.grantee_id, g.awarded_on, date);
    if (served >= g.service_minutes) return null;
    const { paid } = await grantTotals(await app.db(), g.id);
    const rec = {
      grant_id: g.id,
      computed_on: date,
      paid,
      committed_minutes: g.service_minutes,
      served_minutes: served,
      amount: repaymentCents(paid, g.service_minutes, served),
    };
    const id = await insertRepayment(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'grant_repayment', id, diff(null, rec));
    return (await getRepayment(await app.db(), g.id))!;
  });
}

/** A service deadline: on or after the award, and only with a commitment (exit 3). */
export function assertServiceBy(serviceBy: string, awardedOn: string, serviceMinutes: number | null): void {
  if (serviceMinutes === null) {
    throw new ValidationError(
      '--service-by needs --service-hours: a deadline is for a service commitment',
      'add --service-hours N (the pro bono hours committed)',
    );
  }
  if (serviceBy < awardedOn) throw new ValidationError(`--service-by ${serviceBy} is before the award date ${awardedOn}`);
}

// ---- requirements (issue 21) ---------------------------------------------------------------------

/** A report, milestone or document the grantee owes by a date; returns its id. Refused on a cancelled grant (exit 5). */
export async function requireOnGrant(app: App, grantRef: string, r: { type: RequirementType; due_on: string; note: string | null }): Promise<number> {
  return app.tx(async () => {
    const g = await loadGrant(app, grantRef);
    if (g.status === 'cancelled') throw new ConflictError(`grant #${g.id} was cancelled on ${g.closed_on}; nothing more can be required of it`);
    assertNotBeforeAward(r.due_on, g.awarded_on, 'due date');
    const rec = { grant_id: g.id, ...r };
    const id = await insertRequirement(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'grant_requirement', id, diff(null, rec));
    return id;
  });
}

export async function loadRequirement(app: App, ref: string): Promise<Requirement> {
  const id = parseRecordId(ref, 'requirement', 'ngo grants requirements');
  const r = await getRequirement(await app.db(), id);
  if (!r) throw new NotFoundError(`no requirement #${id}`, 'see `ngo grants requirements`');
  return r;
}

/** Record a requirement as fulfilled on a day (not in the future, not before the award); returns its id. */
export async function fulfilRequirement(app: App, ref: string, date: string): Promise<number> {
  return app.tx(async () => {
    const r = await loadRequirement(app, ref);
    if (r.fulfilled_on !== null) throw new ConflictError(`requirement #${r.id} was already fulfilled on ${r.fulfilled_on}`);
    if (date > app.today()) throw new ValidationError(`fulfilment date ${date} is in the future (today is ${app.today()})`);
    const g = (await getGrant(await app.db(), r.grant_id))!;
    // A cancelled grant's requirements are waived: nothing is owed any more.
    if (g.status === 'cancelled') throw new ConflictError(`requirement #${r.id} was waived when grant #${g.id} was cancelled`);
    assertNotBeforeAward(date, g.awarded_on, 'fulfilment date');
    await updateRequirement(await app.db(), r.id, { fulfilled_on: date });
    await app.audit('fulfil', 'grant_requirement', r.id, { fulfilled_on: [null, date] });
    return r.id;
  });
}

/** Cancel one disbursement (paid or scheduled) of a grant that is not closed, with a reason. */
export async function cancelDisbursementRecord(app: App, id: number, reason: string): Promise<void> {
  await app.tx(async () => {
    const d = (await getDisbursement(await app.db(), id))!;
    if (d.status === 'cancelled') throw new ConflictError(`disbursement #${d.id} is already cancelled`);
    const set = { status: 'cancelled' as const, cancel_reason: reason };
    await updateDisbursement(await app.db(), d.id, set);
    await app.audit('cancel', 'disbursement', d.id, diff(d as unknown as Record<string, unknown>, { ...d, ...set }, Object.keys(set)));
    await refreshStatus(app, d.grant_id);
  });
}
