/**
 * The writes of the roster: add a person, edit one (with a dated change of their hourly rate:
 * services/rates.ts), archive or restore one; each one transaction under the single-writer lock with
 * its audit entry, refused (exit 5) where an email or external id belongs to somebody else or the
 * person was erased. Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError } from '../errors.js';
import type { PersonValues, RosterField } from '../domain/people.js';
import { diff } from '../store/audit.js';
import { getPerson, insertPerson, personByEmail, personByExternalId, updatePerson } from '../store/people.js';
import { describePerson, resolvePerson } from './refs.js';
import { changeRate, type RateChange } from './rates.js';

/** Refuse an email or external id that belongs to somebody else (exit 5). */
async function assertUnique(app: App, values: Partial<PersonValues>, selfId: number | null): Promise<void> {
  if (values.email) {
    const other = await personByEmail(await app.db(), values.email);
    if (other && other.id !== selfId) throw new ConflictError(`email ${values.email} already belongs to ${describePerson(other)}`);
  }
  if (values.external_id) {
    const other = await personByExternalId(await app.db(), values.external_id);
    if (other && other.id !== selfId) throw new ConflictError(`external id ${values.external_id} already belongs to ${describePerson(other)}`);
  }
}

/** A new person (email and external id unique); returns their id. */
export async function addPerson(app: App, values: PersonValues): Promise<number> {
  return app.tx(async () => {
    await assertUnique(app, values, null);
    const now = app.ctx.now().toISOString();
    const newId = await insertPerson(await app.db(), values, now);
    await app.audit('create', 'person', newId, diff(null, values as unknown as Record<string, unknown>));
    return newId;
  });
}

/** A new hourly rate (null: none) from a day on; `fromIsDefault` when no --rate-from was given (see changeRate). */
export interface RateEdit {
  rate: number | null;
  from: string;
  fromIsDefault: boolean;
}

/**
 * Change fields of a person (not erased) and, with `rate`, their hourly rate from a day on: one audit
 * entry for both, none when nothing changed. Returns the person's id and the rate change (null when
 * none was asked for or it changed nothing), whose replaced spans and revalued entries the caller reports.
 */
export async function editPerson(
  app: App,
  ref: string,
  changes: Partial<Record<Exclude<RosterField, 'hourly_rate'>, string | number | null>>,
  rate: RateEdit | undefined,
): Promise<{ id: number; rateChange: RateChange | null }> {
  return app.tx(async () => {
    const p = await resolvePerson(await app.db(), ref);
    if (p.erased_at) throw new ConflictError(`${describePerson(p)} was erased; it cannot be edited`);
    await assertUnique(app, changes as Partial<PersonValues>, p.id);
    const now = app.ctx.now().toISOString();
    const d = diff(p as unknown as Record<string, unknown>, { ...p, ...changes } as Record<string, unknown>, Object.keys(changes));
    if (Object.keys(d).length > 0) {
      const set = Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a]));
      if (set['status'] === 'active') set['archived_reason'] = null;
      await updatePerson(await app.db(), p.id, set, now);
    }
    const rateChange = rate ? await changeRate(await app.db(), p.id, rate.rate, rate.from, now, { fromIsDefault: rate.fromIsDefault }) : null;
    const all = { ...d, ...(rateChange?.changes ?? {}) };
    if (Object.keys(all).length > 0) await app.audit('update', 'person', p.id, all);
    return { id: p.id, rateChange };
  });
}

/** Archive a person (inactive, with the reason) or restore one (active, the reason cleared). */
export async function setPersonStatus(app: App, personId: number, to: 'active' | 'inactive', reason: string | undefined): Promise<void> {
  const verb = to === 'inactive' ? 'archive' : 'restore';
  await app.tx(async () => {
    const p = (await getPerson(await app.db(), personId))!;
    const set = { status: to, archived_reason: to === 'inactive' ? (reason ?? null) : null };
    await updatePerson(await app.db(), p.id, set, app.ctx.now().toISOString());
    await app.audit(verb, 'person', p.id, diff(p as unknown as Record<string, unknown>, { ...p, ...set }, ['status', 'archived_reason']));
  });
}
