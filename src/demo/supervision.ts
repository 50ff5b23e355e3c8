/**
 * Demo: clinical supervision and mentorship, from the start of the demo year up to today, so that
 * `supervision progress` and `mentorship list --stale` have a present to look at.
 * - Three supervisors each run a monthly group session for their supervisees and individual sessions
 *   (three or four a month; two supervisees fall short in some months: the off-track cases). The
 *   supervisors' time is logged as hours (activity supervision, TRAIN), linked to the sessions.
 * - Eight mentorship pairings: most active and meeting every few weeks, one paused, two gone quiet,
 *   one completed, one rematched to a new mentor.
 */
import type { DemoStep } from './index.js';
import type { Rng } from './random.js';
import { addDays, addMonths, isoOf, lastDayOfMonth, monthKey } from '../domain/dates.js';
import { defaultFormat, licenceProblem, licenceSnapshot, type Modality, type SupervisionFormat } from '../domain/supervision.js';
import { getPerson } from '../store/people.js';
import { hoursOfSession, insertHours, updateHours } from '../store/hours.js';
import { insertSession, voidSession } from '../store/supervision.js';
import { insertMeeting, insertPairing, updatePairing } from '../store/mentorship.js';
import { diff } from '../store/audit.js';
import type { App } from '../app.js';

const TOPICS = [
  'ethics and boundaries',
  'risk assessment and safety planning',
  'documentation standards',
  'CBT case conceptualisation',
  'trauma-informed practice',
  'self-care and burnout prevention',
  'cultural humility in practice',
  'working with interpreters',
  'termination and referrals',
];
const MEETING_NOTES = [null, null, 'exam preparation', 'career planning', 'caseload and boundaries', 'reading discussion', 'practice-building questions'];

/** The months from `first` (YYYY-MM) to `last`, inclusive. */
function months(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last; m = monthKey(addMonths(`${m}-01`, 1))) out.push(m);
  return out;
}

function dayIn(rng: Rng, month: string, today: string): string | undefined {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = isoOf(y, m, rng.int(1, Math.min(28, lastDayOfMonth(y, m))));
  return d <= today ? d : undefined;
}

async function session(
  app: App,
  rng: Rng,
  o: { supervisor: number; supervisees: number[]; date: string; minutes: number; format?: SupervisionFormat; program: number },
): Promise<number> {
  const now = app.ctx.now().toISOString();
  const sup = (await getPerson(await app.db(), o.supervisor))!;
  const values = {
    ...licenceSnapshot(sup),
    licensed: licenceProblem(sup, o.date) === null ? (1 as const) : (0 as const),
    supervisor_id: o.supervisor,
    date: o.date,
    minutes: o.minutes,
    format: o.format ?? defaultFormat(o.supervisees.length),
    modality: rng.pick<Modality>(['in-person', 'in-person', 'video', 'video', 'phone']),
    program_id: o.program,
    topic: rng.pick(TOPICS),
  };
  const id = await insertSession(await app.db(), values, o.supervisees, now);
  await app.audit('create', 'supervision', id, diff(null, { ...values, supervisee_ids: o.supervisees.join(',') }));
  const entry = {
    person_id: o.supervisor,
    program_id: o.program,
    date: o.date,
    minutes: o.minutes,
    activity: 'supervision' as const,
    miles: 0,
    expenses: 0,
    reimbursed: 0 as const,
    note: `supervision session #${id}`,
    status: 'approved' as const,
    supervision_id: id,
  };
  const hid = await insertHours(await app.db(), entry, now);
  await app.audit('create', 'hours', hid, diff(null, entry));
  return id;
}

export const seedSupervision: DemoStep = async (app, rng, ids) => {
  const today = app.today();
  const train = ids.programs['TRAIN']!;
  const supervisors = ids.supervisors.slice(0, 3);
  const list = months(`${ids.year}-01`, monthKey(today));
  // Supervisee k belongs to supervisor k % 3; the last three joined in April of the demo year.
  const joined = (k: number) => (k >= ids.supervisees.length - 3 ? `${ids.year}-04` : `${ids.year}-01`);
  const shortfall = new Set([ids.supervisees[4], ids.supervisees[7]]);
  let made = 0;
  let firstId = 0;
  for (const month of list) {
    for (const [s, supervisor] of supervisors.entries()) {
      const group = ids.supervisees.filter((_, k) => k % 3 === s && joined(k) <= month);
      // The monthly group session; someone may be away (a group of 2 is still a group).
      const present = group.filter(() => rng.chance(0.9));
      const date = dayIn(rng, month, today);
      if (date && present.length >= 2) {
        const id = await session(app, rng, { supervisor, supervisees: present, date, minutes: 90, format: 'group', program: train });
        firstId ||= id;
        made++;
      }
      for (const p of group) {
        // Three or four hours a month (one more when away from the group); the two short cases not always.
        const away = !(date && present.length >= 2 && present.includes(p));
        const n = shortfall.has(p) && rng.chance(0.4) ? 1 : rng.int(3, 4) + (away ? 1 : 0);
        for (let i = 0; i < n; i++) {
          const d = dayIn(rng, month, today);
          if (d) await session(app, rng, { supervisor, supervisees: [p], date: d, minutes: rng.pick([60, 60, 75, 90]), program: train });
        }
      }
    }
  }
  // One session entered twice by mistake, voided with its hours entry.
  if (made > 0) {
    const at = app.ctx.now().toISOString();
    await voidSession(await app.db(), firstId, at, 'entered twice');
    await app.audit('void', 'supervision', firstId, { voided_at: [null, at], void_reason: [null, 'entered twice'] });
    const hid = (await hoursOfSession(await app.db(), firstId))!;
    await updateHours(await app.db(), hid, { voided_at: at, void_reason: `supervision session #${firstId} voided: entered twice` }, at);
    await app.audit('void', 'hours', hid, { voided_at: [null, at] });
  }
};

export const seedMentorship: DemoStep = async (app, rng, ids) => {
  const today = app.today();
  const now = app.ctx.now().toISOString();
  const train = ids.programs['TRAIN']!;
  const mentors = ids.mentors;
  const mentees = ids.mentees.slice(0, 8);
  const pair = async (mentor: number, mentee: number, start: string, goals: string): Promise<number> => {
    const rec = { mentor_id: mentor, mentee_id: mentee, program_id: train, start_date: start, goals };
    const id = await insertPairing(await app.db(), rec, now);
    await app.audit('create', 'mentorship', id, diff(null, { ...rec, status: 'active' }));
    return id;
  };
  const meetings = async (pairing: number, from: string, until: string): Promise<void> => {
    for (let d = addDays(from, rng.int(5, 12)); d <= until; d = addDays(d, rng.int(14, 28))) {
      const rec = { mentorship_id: pairing, date: d, minutes: rng.pick([45, 60, 60, 75, 90]), note: rng.pick(MEETING_NOTES) };
      const id = await insertMeeting(await app.db(), rec, now);
      await app.audit('create', 'meeting', id, diff(null, rec));
    }
  };
  const end = async (pairing: number, date: string, outcome: 'completed' | 'rematched', reason: string): Promise<void> => {
    const set = { status: 'ended' as const, end_date: date, outcome, end_reason: reason };
    await updatePairing(await app.db(), pairing, set);
    await app.audit('end', 'mentorship', pairing, diff({ status: 'active', end_date: null, outcome: null, end_reason: null }, set));
  };
  const goals = [
    'first year of independent practice',
    'licensure exam preparation',
    'building a private practice',
    'school-based practice',
    'working with trauma survivors',
  ];
  for (const [k, mentee] of mentees.entries()) {
    const mentor = mentors[(k + 3) % mentors.length]!;
    const start = `${ids.year}-${String(1 + (k % 4)).padStart(2, '0')}-${String(rng.int(1, 20)).padStart(2, '0')}`;
    const id = await pair(mentor, mentee, start, rng.pick(goals));
    if (k === 5) {
      // Completed after nine months.
      const stop = addMonths(start, 9);
      await meetings(id, start, addDays(stop, -7));
      await end(id, stop, 'completed', 'goals met; mentee licensed');
    } else if (k === 6) {
      // Rematched to a mentor closer to the mentee's practice.
      const stop = addMonths(start, 5);
      await meetings(id, start, addDays(stop, -10));
      await end(id, stop, 'rematched', 'mentee moved to school-based practice');
      const next = await pair(mentors[(k + 4) % mentors.length]!, mentee, addDays(stop, 3), 'school-based practice');
      await meetings(next, addDays(stop, 3), today);
    } else if (k === 2) {
      // Paused for the mentor's leave.
      await meetings(id, start, addDays(today, -75));
      await updatePairing(await app.db(), id, { status: 'paused' });
      await app.audit('pause', 'mentorship', id, { status: ['active', 'paused'] });
    } else if (k === 3 || k === 7) {
      // Gone quiet: active, but the last meeting was 6–10 weeks ago.
      await meetings(id, start, addDays(today, -rng.int(45, 70)));
    } else {
      await meetings(id, start, today);
    }
  }
};
