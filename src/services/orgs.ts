/**
 * The writes of programs and funders: add (codes unique), edit, archive or restore one, and record a
 * funding agreement (a funder funds a program from a date, to a date; agreements of one funder and
 * program never overlap); each one transaction under the single-writer lock with its audit entry,
 * refused (exit 5) where a code is taken, a program or funder is archived, or agreements would overlap.
 * Commands parse, prompt and render; they call these.
 */
import type { App } from '../app.js';
import { ConflictError } from '../errors.js';
import { parseNote } from '../domain/hours.js';
import { addDays } from '../domain/dates.js';
import { diff } from '../store/audit.js';
import {
  funderByCode,
  insertFunder,
  insertFunding,
  insertProgram,
  overlappingFunding,
  programByCode,
  updateFunder,
  updateProgram,
  type Funder,
  type Program,
} from '../store/orgs.js';
import { assertActiveFunder, assertActiveProgram, resolveFunder, resolveProgram } from './refs.js';

export type OrgKind = 'program' | 'funder';

async function updateOrg(app: App, kind: OrgKind, id: number, set: Record<string, unknown>): Promise<void> {
  if (kind === 'program') await updateProgram(await app.db(), id, set);
  else await updateFunder(await app.db(), id, set);
}

/** A new program (its code not taken); returns its id. */
export async function addProgram(app: App, code: string, name: string, description: string | undefined): Promise<number> {
  return app.tx(async () => {
    const existing = await programByCode(await app.db(), code);
    if (existing) throw new ConflictError(`program ${existing.code} already exists (#${existing.id} ${existing.name})`);
    const desc = parseNote(description, '--description');
    const newId = await insertProgram(await app.db(), { code, name, description: desc }, app.ctx.now().toISOString());
    await app.audit('create', 'program', newId, diff(null, { code, name, description: desc }));
    return newId;
  });
}

/** A new funder (its code not taken); returns its id. */
export async function addFunder(app: App, code: string, name: string, type: string): Promise<number> {
  return app.tx(async () => {
    const existing = await funderByCode(await app.db(), code);
    if (existing) throw new ConflictError(`funder ${existing.code} already exists (#${existing.id} ${existing.name})`);
    const newId = await insertFunder(await app.db(), { code, name, type }, app.ctx.now().toISOString());
    await app.audit('create', 'funder', newId, diff(null, { code, name, type }));
    return newId;
  });
}

/** Change fields of a program or funder (`set`: name, description or type); audited when a value changed. */
export async function editOrg(app: App, kind: OrgKind, rec: Program | Funder, set: Record<string, unknown>): Promise<void> {
  await app.tx(async () => {
    const d = diff(rec as unknown as Record<string, unknown>, { ...rec, ...set }, Object.keys(set));
    await updateOrg(app, kind, rec.id, set);
    if (Object.keys(d).length) await app.audit('update', kind, rec.id, d);
  });
}

/**
 * Archive a program or funder (no new entries; its past stays in reports), with an optional reason,
 * or restore an archived one (the reason cleared).
 */
export async function setArchived(app: App, kind: OrgKind, rec: Program | Funder, archived: boolean, reason?: string): Promise<void> {
  await app.tx(async () => {
    const set = archived ? { status: 'archived', archived_reason: reason ?? null } : { status: 'active', archived_reason: null };
    await updateOrg(app, kind, rec.id, set);
    await app.audit(
      archived ? 'archive' : 'restore',
      kind,
      rec.id,
      diff(rec as unknown as Record<string, unknown>, { ...rec, ...set }, ['status', 'archived_reason']),
    );
  });
}

/**
 * The way out of an overlap (issue 19): end the earlier agreement the day before the new one starts,
 * or, when the new one starts first, correct the other's dates (or this one's --to).
 */
export function overlapWayOut(o: { id: number; start_date: string }, newStart: string): string {
  if (newStart > o.start_date)
    return `if agreement #${o.id} ends when this one starts, end it first: ngo funders end-funding ${o.id} --date ${addDays(newStart, -1)}`;
  return `correct agreement #${o.id}'s dates with ngo funders edit-funding ${o.id} --from DATE --to DATE, or give this agreement a --to before ${o.start_date}`;
}

/** A funding agreement between an active funder and an active program, not overlapping another of theirs; returns its id. */
export async function fundProgram(
  app: App,
  refs: { funder: string; program: string },
  a: { start_date: string; end_date: string | null; amount: number | null; reference: string | null },
): Promise<number> {
  return app.tx(async () => {
    const f = await resolveFunder(await app.db(), refs.funder);
    const p = await resolveProgram(await app.db(), refs.program);
    assertActiveFunder(f);
    assertActiveProgram(p);
    const overlap = await overlappingFunding(await app.db(), f.id, p.id, a.start_date, a.end_date);
    if (overlap.length > 0) {
      const o = overlap[0]!;
      throw new ConflictError(
        `${f.code} already funds ${p.code} from ${o.start_date} to ${o.end_date ?? 'open-ended'} (agreement #${o.id}); agreements of one funder and program must not overlap`,
        overlapWayOut(o, a.start_date),
      );
    }
    const rec = { funder_id: f.id, program_id: p.id, start_date: a.start_date, end_date: a.end_date, amount: a.amount, reference: a.reference };
    const newId = await insertFunding(await app.db(), rec, app.ctx.now().toISOString());
    await app.audit('create', 'funding', newId, diff(null, rec));
    return newId;
  });
}
