/**
 * The funder and tax reports over a seeded random NGO (thousands of entries, every status, voids,
 * reimbursements, odd names, overlapping agreements, a year without a volunteer-hour rate), checked
 * against a reference written here in plain JavaScript straight from the SPEC and the raw tables.
 * The report queries are shaped for speed (issue 7: covering indexes, one query per program and year,
 * the tax rows as one JSON document); this is the check that the shape never changes a figure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, testConn, tmpDb, withDb } from '../helpers.js';

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Entry {
  person_id: number;
  program_id: number;
  date: string;
  minutes: number;
  activity: string;
  miles: number;
  expenses: number;
  reimbursed: number;
  status: string;
  voided_at: string | null;
}
interface Person {
  id: number;
  external_id: string | null;
  first_name: string;
  last_name: string | null;
  email: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  hourly_rate: number | null;
}
/** A dated rate (rate_history): in force from valid_from to valid_to, both inclusive. */
interface Span {
  person_id: number;
  valid_from: string;
  valid_to: string;
  hourly_rate: number;
}

const ACTIVITIES = ['direct-service', 'supervision', 'training', 'peer-support', 'outreach', 'admin', 'other'];
const SKILLED_ACTIVITIES = new Set(['direct-service', 'supervision', 'training']);
const FIRST = ['Ana', 'ana', 'Ben', 'Zoë', 'Émile', '=SUM(A1)', 'O"Neil', 'van, der', '+1', 'Åsa', 'bob', '@me', 'Line\nbreak'];
const LAST = [null, 'Smith', 'smith', 'Ångström', 'Zed', '-dash', 'Okafor', 'Ölz', 'de la Cruz', 'Müller', ''];
const CITIES = [null, 'Boston', 'Austin, TX', 'Quote "City"', 'Zürich'];

// ---- the reference -------------------------------------------------------------------------------

const roundDiv = (a: number, b: number) => Math.floor((2 * a + b) / (2 * b)); // a, b ≥ 0: half away from zero
const hundredthsOfHours = (minutes: number) => roundDiv(minutes * 100, 60);
const dec2 = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const guard = (s: string | null) => (s === null ? '' : s !== '-' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

class RefRates {
  warnings: string[] = [];
  private seen = new Set<number>();
  constructor(private readonly rows: { kind: string; year: number; amount: number }[]) {}
  rate(kind: string, year: number): number {
    const r = this.rows.filter((x) => x.kind === kind && x.year <= year).sort((a, b) => b.year - a.year)[0]!;
    if (kind === 'volunteer-hour' && r.year !== year && !this.seen.has(year)) {
      this.seen.add(year);
      this.warnings.push(`no volunteer-hour rate for ${year}; using ${r.year}'s rate`);
    }
    return r.amount;
  }
}

interface World {
  people: Map<number, Person>;
  programs: { id: number; code: string; name: string }[];
  funding: { funder: string; program_id: number; start_date: string; end_date: string | null }[];
  entries: Entry[];
  rates: { kind: string; year: number; amount: number }[];
  spans: Span[];
}

/** The rate in force for a person on a date, straight from the spans (SPEC "Figures that stay true"). */
const rateOn = (w: World, personId: number, date: string): number | null =>
  w.spans.find((s) => s.person_id === personId && s.valid_from <= date && date <= s.valid_to)?.hourly_rate ?? null;

function refFunder(w: World, funder: { code: string; name: string }, start: string, end: string) {
  const rates = new RefRates(w.rates);
  const counted = w.entries.filter((e) => e.status === 'approved' && e.voided_at === null);
  const byProgram = new Map<number, { start: string; end: string }[]>();
  for (const f of w.funding.filter((x) => x.funder === funder.code)) {
    const s = f.start_date > start ? f.start_date : start;
    const e = f.end_date === null || f.end_date > end ? end : f.end_date;
    if (s > e) continue;
    byProgram.set(f.program_id, [...(byProgram.get(f.program_id) ?? []), { start: s, end: e }]);
  }
  const programs = w.programs.filter((p) => byProgram.has(p.id)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const base = { funder_code: funder.code, funder_name: funder.name, period_start: start, period_end: end };
  const zeros = {
    supervision_sessions: '0',
    supervision_hours: '0.00',
    supervisees: '0',
    mentorships_active: '0',
    mentorship_meetings: '0',
    mentorship_hours: '0.00',
    mentees: '0',
    grants_awarded: '0',
    grants_awarded_amount: '0.00',
    grants_disbursed_amount: '0.00',
    grants_outstanding: '0.00',
    currency: 'USD',
  };
  const rows: Record<string, string>[] = [];
  const all = new Set<Entry>();
  const allRates = new Set<number>();
  const sums = { minutes: 0, skilled: 0, general: 0, inkindSkilled: 0, miles: 0, expenses: 0 };
  for (const p of programs) {
    const windows = byProgram.get(p.id)!;
    const mine = counted.filter((e) => e.program_id === p.id && windows.some((x) => e.date >= x.start && e.date <= x.end));
    let minutes = 0,
      skilled = 0,
      inkindSkilled = 0,
      general = 0,
      miles = 0,
      expenses = 0;
    const used = new Set<number>();
    // General entries valued in year order (the order the rate book is consulted, for its warnings).
    for (const e of [...mine].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
      const rate = rateOn(w, e.person_id, e.date);
      minutes += e.minutes;
      miles += e.miles;
      expenses += e.expenses;
      if (rate !== null && SKILLED_ACTIVITIES.has(e.activity)) {
        skilled += e.minutes;
        inkindSkilled += roundDiv(e.minutes * rate, 60);
      } else {
        const r = rates.rate('volunteer-hour', Number(e.date.slice(0, 4)));
        used.add(r);
        general += roundDiv(e.minutes * r, 60);
      }
      all.add(e);
    }
    if (used.size === 0)
      for (const x of windows) for (let y = Number(x.start.slice(0, 4)); y <= Number(x.end.slice(0, 4)); y++) used.add(rates.rate('volunteer-hour', y));
    const single = used.size === 1 ? [...used][0]! : null;
    allRates.add(single ?? -1);
    rows.push({
      ...base,
      program_code: guard(p.code),
      program_name: guard(p.name),
      volunteer_hours: dec2(hundredthsOfHours(minutes)),
      volunteers: String(new Set(mine.map((e) => e.person_id)).size),
      skilled_hours: dec2(hundredthsOfHours(skilled)),
      general_hours: dec2(hundredthsOfHours(minutes - skilled)),
      volunteer_hour_rate: single === null ? '' : dec2(single),
      inkind_general: dec2(general),
      inkind_skilled: dec2(inkindSkilled),
      inkind_total: dec2(general + inkindSkilled),
      miles: dec2(miles),
      volunteer_expenses: dec2(expenses),
      ...zeros,
    });
    sums.minutes += minutes;
    sums.skilled += skilled;
    sums.general += general;
    sums.inkindSkilled += inkindSkilled;
    sums.miles += miles;
    sums.expenses += expenses;
  }
  const totalRate = allRates.size === 1 && !allRates.has(-1) ? [...allRates][0]! : null;
  rows.push({
    ...base,
    program_code: 'TOTAL',
    program_name: '',
    volunteer_hours: dec2(hundredthsOfHours(sums.minutes)),
    volunteers: String(new Set([...all].map((e) => e.person_id)).size),
    skilled_hours: dec2(hundredthsOfHours(sums.skilled)),
    general_hours: dec2(hundredthsOfHours(sums.minutes - sums.skilled)),
    volunteer_hour_rate: totalRate === null ? '' : dec2(totalRate),
    inkind_general: dec2(sums.general),
    inkind_skilled: dec2(sums.inkindSkilled),
    inkind_total: dec2(sums.general + sums.inkindSkilled),
    miles: dec2(sums.miles),
    volunteer_expenses: dec2(sums.expenses),
    ...zeros,
  });
  return { rows, warnings: rates.warnings };
}

function refTax(w: World, year: number, opts: { personId?: number; deductibleOnly?: boolean } = {}) {
  const rate = new RefRates(w.rates).rate('mileage', year);
  const byPerson = new Map<number, Entry[]>();
  for (const e of w.entries) {
    if (e.status !== 'approved' || e.voided_at !== null || e.date.slice(0, 4) !== String(year)) continue;
    if (opts.personId !== undefined && e.person_id !== opts.personId) continue;
    byPerson.set(e.person_id, [...(byPerson.get(e.person_id) ?? []), e]);
  }
  const programName = new Map(w.programs.map((p) => [p.id, p.name]));
  const rows: { key: [string, string, number]; row: Record<string, string> }[] = [];
  for (const [id, list] of byPerson) {
    const p = w.people.get(id)!;
    const own = list.filter((e) => e.reimbursed === 0);
    const mileage = own.map((e) => roundDiv(e.miles * rate, 100));
    const mileageAmount = mileage.reduce((a, b) => a + b, 0);
    const expenses = own.reduce((a, e) => a + e.expenses, 0);
    const largest = own.reduce((a, e, i) => Math.max(a, mileage[i]! + e.expenses), 0);
    if (opts.deductibleOnly && mileageAmount + expenses <= 0) continue;
    rows.push({
      key: [(p.last_name ?? '').toLowerCase(), p.first_name.toLowerCase(), p.id],
      row: {
        tax_year: String(year),
        person_id: String(id),
        external_id: guard(p.external_id),
        first_name: guard(p.first_name),
        last_name: guard(p.last_name),
        email: guard(p.email),
        address_line1: guard(p.address_line1),
        address_line2: guard(p.address_line2),
        city: guard(p.city),
        region: guard(p.region),
        postal_code: guard(p.postal_code),
        country: guard(p.country),
        service_days: String(new Set(list.map((e) => e.date)).size),
        hours_served: dec2(hundredthsOfHours(list.reduce((a, e) => a + e.minutes, 0))),
        miles: dec2(own.reduce((a, e) => a + e.miles, 0)),
        mileage_rate: dec2(rate),
        mileage_amount: dec2(mileageAmount),
        expenses: dec2(expenses),
        total_deductible: dec2(mileageAmount + expenses),
        largest_single_contribution: dec2(largest),
        acknowledgment_required: largest >= 25000 ? 'yes' : 'no',
        services_description: guard([...new Set(list.map((e) => programName.get(e.program_id)!))].sort().join('; ')),
      },
    });
  }
  const cmp = (a: [string, string, number], b: [string, string, number]) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] - b[2];
  return rows.sort((x, y) => cmp(x.key, y.key)).map((x) => x.row);
}

// ---- the random NGO ------------------------------------------------------------------------------

let w: World;
let run: ReturnType<typeof withDb>;

beforeAll(async () => {
  const { db } = await tmpDb();
  run = withDb(db);
  const ok = async (args: string[]) => {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
  };
  for (const [code, name] of [
    ['TELE', 'Tele-therapy'],
    ['PEER', 'Peer support'],
    ['SCHOOL', 'School outreach'],
    ['CRISIS', 'Crisis line'],
    ['Yoga', 'yoga, mindful'],
    ['ART', '=Art therapy'],
  ]) {
    await ok(['programs', 'add', code!, '--name', name!]);
  }
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
  await ok(['funders', 'add', 'CITY', '--name', 'City Health Dept', '--type', 'government']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2022-01-01', '--to', '2023-06-30']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'PEER', '--from', '2023-03-15']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'CRISIS', '--from', '2021-06-01', '--to', '2024-12-31']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'Yoga', '--from', '2024-02-29', '--to', '2025-01-31']);
  await ok(['funders', 'fund', 'CITY', '--program', 'SCHOOL', '--from', '2022-01-01', '--to', '2022-12-31']);
  await ok(['funders', 'fund', 'CITY', '--program', 'SCHOOL', '--from', '2024-01-01']);
  await ok(['funders', 'fund', 'CITY', '--program', 'PEER', '--from', '2021-01-01']);
  await ok(['funders', 'fund', 'CITY', '--program', 'ART', '--from', '2025-07-01', '--to', '2025-09-30']);
  await ok(['rates', 'set', 'volunteer-hour', '2025', '35.00']); // 2024 has none: 2023's 33.49, with a warning
  await ok(['rates', 'set', 'mileage', '2024', '0.67']);

  const raw = await testConn(db);
  const now = '2025-01-01T00:00:00.000Z';
  // An agreement overlapping another of the same funder and program (refused today, possible in older files).
  const prog = async (code: string) => (await raw.get<{ id: number }>('SELECT id FROM programs WHERE code = ?', code))!.id;
  await raw.run(
    "INSERT INTO funding(funder_id, program_id, start_date, end_date, created_at) VALUES ((SELECT id FROM funders WHERE code = 'HOPE'), ?, '2023-01-01', NULL, ?)",
    await prog('TELE'),
    now,
  );

  const rnd = mulberry32(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  await raw.exec('BEGIN');
  for (let i = 1; i <= 300; i++) {
    await raw.run(
      `INSERT INTO people(external_id, first_name, last_name, email, address_line1, address_line2, city, region, postal_code, country, hourly_rate, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      rnd() < 0.7 ? `X${i}` : rnd() < 0.5 ? `-${i}` : null,
      pick(FIRST),
      pick(LAST),
      rnd() < 0.9 ? `p${i}@example.org` : null,
      rnd() < 0.5 ? `${i} Elm St` : null,
      rnd() < 0.1 ? 'Apt "B", 2nd floor' : null,
      pick(CITIES),
      rnd() < 0.5 ? 'MA' : null,
      rnd() < 0.5 ? '02134' : null,
      rnd() < 0.3 ? 'US' : null,
      null,
      now,
      now,
    );
  }
  // Dated rates for about a third of the people: one to three spans between 2021 and 2026, some with a
  // gap (no rate: general), some from the start, some open-ended.
  const iso = (days: number) => new Date(Date.UTC(2021, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
  for (let i = 1; i <= 300; i++) {
    if (rnd() >= 0.35) continue;
    const cuts = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => Math.floor(rnd() * 1900)))].sort((a, b) => a - b);
    let from = rnd() < 0.4 ? '0000-01-01' : iso(cuts.shift() ?? 0);
    let last: number | null = null;
    for (;;) {
      const next = cuts.shift();
      const to = next === undefined ? (rnd() < 0.7 ? '9999-12-31' : iso(1900)) : iso(next - 1);
      if (to < from) break;
      const rate = 3000 + Math.floor(rnd() * 12000);
      await raw.run('INSERT INTO rate_history(person_id, valid_from, valid_to, hourly_rate, set_at) VALUES (?, ?, ?, ?, ?)', i, from, to, rate, now);
      last = to === '9999-12-31' ? rate : null;
      if (next === undefined) break;
      // Sometimes a gap of a month without a rate.
      from = rnd() < 0.3 ? iso(next + 30) : iso(next);
    }
    await raw.run('UPDATE people SET hourly_rate = ? WHERE id = ?', last, i);
  }
  const programIds = (await raw.all<{ id: number }>('SELECT id FROM programs ORDER BY id')).map((p) => p.id);
  const day0 = Date.UTC(2020, 11, 25);
  {
    for (let i = 0; i < 6000; i++) {
      const date = new Date(day0 + Math.floor(rnd() * 1850) * 86_400_000).toISOString().slice(0, 10); // 2020-12-25 .. early 2026
      const status = rnd() < 0.85 ? 'approved' : pick(['pending', 'rejected']);
      await raw.run(
        `INSERT INTO hours(person_id, program_id, date, minutes, activity, miles, expenses, reimbursed, status, voided_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        1 + Math.floor(rnd() * 300),
        pick(programIds),
        date,
        rnd() < 0.5 ? 1 + Math.floor(rnd() * 1440) : 15 * (1 + Math.floor(rnd() * 32)),
        pick(ACTIVITIES),
        rnd() < 0.4 ? Math.floor(rnd() * 20_000) : 0,
        rnd() < 0.3 ? (rnd() < 0.05 ? 30_000 + Math.floor(rnd() * 10_000) : Math.floor(rnd() * 8_000)) : 0,
        rnd() < 0.15 ? 1 : 0,
        status,
        rnd() < 0.05 ? now : null,
        now,
        now,
      );
    }
  }
  await raw.exec('COMMIT');
  w = {
    people: new Map((await raw.all<Person>('SELECT * FROM people ORDER BY id')).map((p) => [p.id, p])),
    programs: await raw.all<World['programs'][number]>('SELECT id, code, name FROM programs ORDER BY id'),
    funding: await raw.all<World['funding'][number]>(
      'SELECT f.code AS funder, g.program_id, g.start_date, g.end_date FROM funding g JOIN funders f ON f.id = g.funder_id ORDER BY g.id',
    ),
    entries: await raw.all<Entry>('SELECT * FROM hours ORDER BY id'),
    rates: await raw.all<World['rates'][number]>('SELECT kind, year, amount FROM rates ORDER BY kind, year'),
    spans: await raw.all<Span>('SELECT * FROM rate_history ORDER BY person_id, valid_from'),
  };
  expect(w.spans.length).toBeGreaterThan(100);
  await raw.close();
}, 60_000);

const FUNDERS = { HOPE: { code: 'HOPE', name: 'Hope Foundation' }, CITY: { code: 'CITY', name: 'City Health Dept' } };

describe('funder report = the reference, over a random NGO', () => {
  const cases: [keyof typeof FUNDERS, string, string][] = [
    ['HOPE', '2023-01-01', '2023-12-31'],
    ['HOPE', '2022-10-01', '2023-03-31'],
    ['HOPE', '2021-01-01', '2025-12-31'],
    ['HOPE', '2024-01-01', '2024-12-31'],
    ['HOPE', '2025-01-01', '2025-12-31'],
    ['CITY', '2020-01-01', '2026-12-31'],
    ['CITY', '2024-02-01', '2024-02-29'],
    ['CITY', '2022-12-31', '2024-01-01'],
    ['CITY', '2025-07-01', '2025-09-30'],
  ];
  it.each(cases)('%s %s..%s', async (code, start, end) => {
    const r = await run(['report', 'funder', '--funder', code, '--from', start, '--to', end]);
    expect(r.code, r.stderr).toBe(0);
    const ref = refFunder(w, FUNDERS[code], start, end);
    expect(parseCsv(r.stdout)).toEqual(ref.rows);
    expect(ref.rows.length).toBeGreaterThan(1);
    const warned = r.stderr
      .split('\n')
      .filter((l) => l.includes('no volunteer-hour rate'))
      .map((l) => l.replace(/^ngo: warning: /, '').replace(/ \d+\.\d\d \(set one.*$/, ''));
    expect(warned).toEqual(ref.warnings);
  });
});

describe('tax report = the reference, over a random NGO', () => {
  it.each([2021, 2023, 2024, 2025, 2026])('%i', async (year) => {
    const r = await run(['report', 'tax', '--year', String(year)]);
    expect(r.code, r.stderr).toBe(0);
    const ref = refTax(w, year);
    expect(parseCsv(r.stdout)).toEqual(ref);
    if (year !== 2026) expect(ref.length).toBeGreaterThan(100);
  });

  it('--deductible-only and --person', async () => {
    const r = await run(['report', 'tax', '--year', '2024', '--deductible-only']);
    expect(parseCsv(r.stdout)).toEqual(refTax(w, 2024, { deductibleOnly: true }));
    const someone = refTax(w, 2024)[7]!;
    const one = await run(['report', 'tax', '--year', '2024', '--person', someone['person_id']!]);
    expect(parseCsv(one.stdout)).toEqual([someone]);
    expect(refTax(w, 2024, { personId: Number(someone['person_id']) })).toEqual([someone]);
  });
});
