/**
 * References: a person by id, email (case-insensitive) or external id; a program or funder by code
 * (case-insensitive). Unknown → exit 4 with the closest matches; ambiguous → exit 5 naming the candidates.
 */
import type { Conn } from '../store/conn.js';
import { ConflictError, NotFoundError } from '../errors.js';
export { parseRecordId } from '../domain/ids.js';
import { getPerson, personCandidates, personDirectory } from '../store/people.js';
import { funderByCode, getFunder, getProgram, listFunders, listPrograms, programByCode, type Funder, type Program } from '../store/orgs.js';
import { closestMatches } from '../domain/text.js';
import { displayName, type Person } from '../domain/people.js';

/** `#N`: the numeric id N and nothing else (never an external id or a code that reads the same). */
function hashId(ref: string): number | undefined {
  const m = /^#(\d{1,15})$/.exec(ref.trim());
  return m ? Number(m[1]) : undefined;
}

export function describePerson(p: { id: number; first_name: string; last_name: string | null; email: string | null; external_id?: string | null }): string {
  const bits = [`#${p.id} ${displayName(p)}`];
  if (p.email) bits.push(`<${p.email}>`);
  if (p.external_id) bits.push(`(external id ${p.external_id})`);
  return bits.join(' ');
}

export async function resolvePerson(db: Conn, ref: string): Promise<Person> {
  const byHash = hashId(ref);
  if (byHash !== undefined) {
    const p = await getPerson(db, byHash);
    if (!p) throw new NotFoundError(`no person #${byHash}`, 'see `ngo people list --status all`');
    return p;
  }
  const candidates = await personCandidates(db, ref);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1) {
    throw new ConflictError(`person "${ref}" is ambiguous: ${candidates.map(describePerson).join('; ')}`, 'use the numeric id (#N) or the email');
  }
  const dir = await personDirectory(db);
  const labels = new Map<string, string>();
  for (const p of dir) {
    const d = describePerson(p);
    labels.set(displayName(p), d);
    if (p.email) labels.set(p.email, d);
    if (p.external_id) labels.set(p.external_id, d);
  }
  const close = Array.from(new Set(closestMatches(ref, [...labels.keys()]).map((k) => labels.get(k)!))).slice(0, 3);
  throw new NotFoundError(
    `no person matches "${ref}" (by id, email or external id)`,
    close.length ? `did you mean ${close.join(', ')}?` : 'see `ngo people list --search TEXT`',
  );
}

export async function resolveProgram(db: Conn, code: string): Promise<Program> {
  const byHash = hashId(code);
  if (byHash !== undefined) {
    const p = await getProgram(db, byHash);
    if (!p) throw new NotFoundError(`no program #${byHash}`, 'see `ngo programs list`');
    return p;
  }
  const p = await programByCode(db, code);
  if (p) return p;
  const close = closestMatches(
    code,
    (await listPrograms(db)).map((x) => x.code),
  );
  throw new NotFoundError(
    `no program with code "${code}"`,
    close.length ? `did you mean ${close.join(', ')}? (ngo programs list)` : 'see `ngo programs list`, or add it with `ngo programs add CODE --name NAME`',
  );
}

export async function resolveFunder(db: Conn, code: string): Promise<Funder> {
  const byHash = hashId(code);
  if (byHash !== undefined) {
    const f = await getFunder(db, byHash);
    if (!f) throw new NotFoundError(`no funder #${byHash}`, 'see `ngo funders list`');
    return f;
  }
  const f = await funderByCode(db, code);
  if (f) return f;
  const close = closestMatches(
    code,
    (await listFunders(db)).map((x) => x.code),
  );
  throw new NotFoundError(`no funder with code "${code}"`, close.length ? `did you mean ${close.join(', ')}? (ngo funders list)` : 'see `ngo funders list`');
}

/** Archived (or erased) people and archived programs/funders accept no new entries (exit 5). */
export function assertActivePerson(p: Person): void {
  if (p.erased_at) throw new ConflictError(`person #${p.id} was erased; new entries are refused`);
  if (p.status !== 'active')
    throw new ConflictError(`${describePerson(p)} is archived; new entries are refused`, `restore them first: ngo people restore ${p.id}`);
}
export function assertActiveProgram(p: Program): void {
  if (p.status !== 'active') throw new ConflictError(`program ${p.code} is archived; new entries are refused`);
}
export function assertActiveFunder(f: Funder): void {
  if (f.status !== 'active') throw new ConflictError(`funder ${f.code} is archived; new entries are refused`);
}
