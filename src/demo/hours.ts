/**
 * Demo: a year of volunteer hours for the 30 volunteers (18 clinicians, 12 peer specialists) across
 * TELE, PEER, SCHOOL and TRAIN: some with mileage and out-of-pocket costs, a few reimbursed, a few still
 * pending in December, a few rejected, one voided. Deterministic for a given Rng.
 */
import type { DemoStep } from './index.js';
import type { Activity, HoursStatus } from '../domain/hours.js';
import { insertHours, updateHours } from '../store/hours.js';
import { addDays } from '../domain/dates.js';

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

const TELE_NOTES = [null, null, null, 'intake session', 'follow-up', 'waiting-list check-in', 'crisis follow-up (referred on)'];
const PEER_NOTES = [null, null, 'evening support group', 'one-to-one check-in', 'family support circle', 'drop-in hours'];
const SCHOOL_NOTES = ['mental-health literacy session', 'Grade 10 assembly', 'teacher workshop', 'parents evening', null];
const TRAIN_NOTES = ['trauma-informed care workshop', 'CBT refresher for associates', 'case consultation', null];

export const seedHours: DemoStep = async (app, rng, ids) => {
  const db = await app.db();
  const now = app.ctx.now().toISOString();
  const today = app.today();
  const recent = addDays(today, -14);
  const year = ids.year;
  const P = ids.programs;
  const made: number[] = [];

  const log = async (
    person: number,
    program: string,
    month: number,
    minutes: number,
    activity: Activity,
    extra: { miles?: number; expenses?: number; note?: string | null } = {},
  ): Promise<void> => {
    const date = `${year}-${pad(month)}-${pad(rng.int(1, daysIn(year, month)))}`;
    if (date > today) return;
    const miles = extra.miles ?? 0;
    const expenses = extra.expenses ?? 0;
    const reimbursed: 0 | 1 = (miles > 0 || expenses > 0) && rng.chance(0.12) ? 1 : 0;
    // Late-December entries, and those of the last two weeks, are still waiting for review; a few
    // others were rejected.
    let status: HoursStatus = 'approved';
    let reject_reason: string | null = null;
    if (((month === 12 && Number(date.slice(8)) >= 15) || date > recent) && rng.chance(0.5)) status = 'pending';
    else if (rng.chance(0.012)) {
      status = 'rejected';
      reject_reason = rng.pick(['duplicate of another entry', 'not a program activity', 'hours not confirmed by the site lead']);
    }
    const id = await insertHours(
      db,
      { person_id: person, program_id: P[program]!, date, minutes, activity, miles, expenses, reimbursed, note: extra.note ?? null, status, reject_reason },
      now,
    );
    made.push(id);
  };

  const clinicians = ids.clinicians;
  for (const [i, person] of clinicians.entries()) {
    const supervisor = i < 6;
    for (let month = 1; month <= 12; month++) {
      // Tele-therapy: the core of the clinicians' service.
      const sessions = rng.int(supervisor ? 1 : 2, supervisor ? 3 : 5);
      for (let s = 0; s < sessions; s++) {
        await log(person, 'TELE', month, rng.pick([45, 50, 60, 60, 90, 120]), 'direct-service', { note: rng.pick(TELE_NOTES) });
      }
      // School outreach in term time, driving to the school.
      if (month !== 7 && month !== 8 && rng.chance(0.3)) {
        await log(person, 'SCHOOL', month, rng.pick([60, 90, 120, 150]), 'outreach', {
          miles: rng.int(4, 45) * 100 + rng.pick([0, 25, 50, 75]),
          expenses: rng.chance(0.4) ? rng.pick([800, 1200, 1500, 2250]) : 0,
          note: rng.pick(SCHOOL_NOTES),
        });
      }
      // Supervisors teach in the practitioner training program.
      if (supervisor && rng.chance(0.5)) {
        await log(person, 'TRAIN', month, rng.pick([90, 120, 180, 240]), 'training', {
          miles: rng.chance(0.5) ? rng.int(10, 60) * 100 : 0,
          expenses: rng.chance(0.25) ? rng.pick([2500, 4000, 6475]) : 0,
          note: rng.pick(TRAIN_NOTES),
        });
      }
      if (rng.chance(0.08)) await log(person, 'TELE', month, rng.pick([30, 45, 60]), 'admin', { note: 'case notes and referrals' });
    }
  }

  for (const person of ids.peers) {
    for (let month = 1; month <= 12; month++) {
      const groups = rng.int(2, 4);
      for (let s = 0; s < groups; s++) {
        await log(person, 'PEER', month, rng.pick([60, 90, 120, 120, 180]), 'peer-support', {
          miles: rng.chance(0.35) ? rng.int(2, 25) * 100 + rng.pick([0, 50]) : 0,
          expenses: rng.chance(0.15) ? rng.pick([450, 600, 1000, 1875]) : 0,
          note: rng.pick(PEER_NOTES),
        });
      }
      if (month !== 7 && month !== 8 && rng.chance(0.25)) {
        await log(person, 'SCHOOL', month, rng.pick([60, 90, 120]), 'outreach', {
          miles: rng.int(3, 30) * 100,
          note: rng.pick(SCHOOL_NOTES),
        });
      }
      if (rng.chance(0.1)) await log(person, 'PEER', month, rng.pick([60, 120, 240]), 'training', { note: 'peer specialist continuing education' });
    }
  }

  // One entry logged twice by mistake, then voided.
  if (made.length > 10) {
    await updateHours(db, made[10]!, { voided_at: now, void_reason: 'logged twice' }, now);
  }
};
