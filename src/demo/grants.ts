/**
 * Demo: five scholarships and training grants to the five grantees (associates working toward
 * licensure), paid in tranches: one completed, one active with a 40 h service commitment and hours
 * logged before and after its award, one active with a tranche still scheduled, one awarded and not yet
 * paid, one cancelled (its scheduled tranche cancelled with it). Deterministic; payments never dated
 * after today (they stay scheduled instead).
 */
import type { DemoStep } from './index.js';
import { deriveStatus, type CloseStatus } from '../domain/grants.js';
import { diff } from '../store/audit.js';
import {
  getDisbursement,
  getGrant,
  grantTotals,
  insertDisbursement,
  insertGrant,
  scheduledDisbursements,
  updateDisbursement,
  updateGrant,
  type GrantValues,
} from '../store/grants.js';
import { insertHours } from '../store/hours.js';

interface Tranche {
  amount: number;
  date: string;
  /** paid on `date` (if not after today), else scheduled */
  paid: boolean;
  reference?: string;
}

export const seedGrants: DemoStep = async (app, rng, ids) => {
  const db = await app.db();
  const now = app.ctx.now().toISOString();
  const today = app.today();
  const y = ids.year;
  const currency = await app.setting('currency');
  if (ids.grantees.length < 5) return;
  const [g1, g2, g3, g4, g5] = ids.grantees as [number, number, number, number, number];

  const refresh = async (grantId: number): Promise<void> => {
    const g = (await getGrant(db, grantId))!;
    const status = deriveStatus({
      amount: g.amount,
      paid: (await grantTotals(db, grantId)).paid,
      closedAs: g.closed_on !== null ? (g.status as CloseStatus) : null,
    });
    if (status !== g.status) {
      await updateGrant(db, grantId, { status });
      await app.audit('update', 'grant', grantId, { status: [g.status, status] });
    }
  };

  const award = async (v: Omit<GrantValues, 'currency'>, tranches: Tranche[]): Promise<number> => {
    const rec: GrantValues = { ...v, currency };
    const id = await insertGrant(db, rec, now);
    await app.audit('create', 'grant', id, diff(null, { ...rec, status: 'awarded' }));
    for (const t of tranches) {
      const paid = t.paid && t.date <= today;
      const d = { grant_id: id, amount: t.amount, date: t.date, status: 'scheduled' as const, reference: t.reference ?? null };
      const did = await insertDisbursement(db, d, now);
      await app.audit('create', 'disbursement', did, diff(null, d));
      if (paid) {
        // Planned first, then marked paid (as `ngo grants pay` does).
        const before = (await getDisbursement(db, did))!;
        await updateDisbursement(db, did, { status: 'paid' });
        await app.audit('pay', 'disbursement', did, { status: [before.status, 'paid'] });
      }
      await refresh(id);
    }
    return id;
  };

  const ref = () => `TRF-${rng.int(1000, 9999)}`;

  // 1. Licensing-exam scholarship with a 40 h service commitment: two tranches paid, one scheduled.
  await award(
    {
      grantee_id: g1,
      funder_id: ids.funders['HOPE']!,
      program_id: ids.programs['TRAIN']!,
      purpose: 'LCSW licensing exam fees and prep course',
      awarded_on: `${y}-02-01`,
      amount: 150000,
      service_minutes: 40 * 60,
    },
    [
      { amount: 50000, date: `${y}-02-15`, paid: true, reference: ref() },
      { amount: 50000, date: `${y}-06-15`, paid: true, reference: ref() },
      { amount: 50000, date: `${y}-12-15`, paid: false },
    ],
  );
  // Service hours: one shift before the award (does not count), then pro bono peer-support shifts.
  const shift = async (date: string, minutes: number) => {
    if (date > today) return;
    await insertHours(
      db,
      {
        person_id: g1,
        program_id: ids.programs['PEER']!,
        date,
        minutes,
        activity: 'peer-support',
        miles: 0,
        expenses: 0,
        reimbursed: 0,
        note: 'service commitment shift',
        status: 'approved',
      },
      now,
    );
  };
  await shift(`${y}-01-20`, 180);
  for (let m = 3; m <= 11; m++) await shift(`${y}-${String(m).padStart(2, '0')}-${String(rng.int(5, 25)).padStart(2, '0')}`, rng.pick([120, 150, 180]));

  // 2. Training grant, paid in one go: completed.
  await award(
    {
      grantee_id: g2,
      funder_id: ids.funders['HOPE']!,
      program_id: ids.programs['TRAIN']!,
      purpose: 'Trauma-informed care certificate',
      awarded_on: `${y}-03-01`,
      amount: 80000,
      service_minutes: null,
    },
    [{ amount: 80000, date: `${y}-03-10`, paid: true, reference: ref() }],
  );

  // 3. Tuition scholarship in three tranches: two paid, the last scheduled for next January.
  await award(
    {
      grantee_id: g3,
      funder_id: ids.funders['CITY']!,
      program_id: ids.programs['PEER']!,
      purpose: 'MSW tuition (three semesters)',
      awarded_on: `${y}-01-15`,
      amount: 240000,
      service_minutes: 20 * 60,
    },
    [
      { amount: 80000, date: `${y}-01-20`, paid: true, reference: ref() },
      { amount: 80000, date: `${y}-05-20`, paid: true, reference: ref() },
      { amount: 80000, date: `${y + 1}-01-20`, paid: false },
    ],
  );

  // 4. Awarded in the autumn, first payment planned for next year.
  await award(
    {
      grantee_id: g4,
      funder_id: ids.funders['CITY']!,
      program_id: ids.programs['PEER']!,
      purpose: 'Certified Peer Specialist training',
      awarded_on: `${y}-09-01`,
      amount: 60000,
      service_minutes: null,
    },
    [{ amount: 60000, date: `${y + 1}-01-15`, paid: false }],
  );

  // 5. Conference scholarship, cancelled before it was paid.
  const c = await award(
    {
      grantee_id: g5,
      funder_id: ids.funders['HOPE']!,
      program_id: null,
      purpose: 'Regional conference registration and travel',
      awarded_on: `${y}-04-01`,
      amount: 45000,
      service_minutes: null,
    },
    [{ amount: 45000, date: `${y}-05-01`, paid: false }],
  );
  const closedOn = `${y}-04-20`;
  if (closedOn <= today) {
    for (const d of await scheduledDisbursements(db, c)) {
      const set = { status: 'cancelled' as const, cancel_reason: 'grant closed as cancelled: conference cancelled' };
      await updateDisbursement(db, d.id, set);
      await app.audit('cancel', 'disbursement', d.id, { status: ['scheduled', 'cancelled'], cancel_reason: [null, set.cancel_reason] });
    }
    const g = (await getGrant(db, c))!;
    const set = { status: 'cancelled' as const, closed_on: closedOn, closed_reason: 'conference cancelled' };
    await updateGrant(db, c, set);
    await app.audit('close', 'grant', c, diff(g as unknown as Record<string, unknown>, { ...g, ...set }, Object.keys(set)));
  }
};
