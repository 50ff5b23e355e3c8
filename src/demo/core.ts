/** Sample data: the organisation, programs, funders, funding and a 40-person roster. */
import type { App } from '../app.js';
import { emptyPerson, type PersonValues } from '../domain/people.js';
import { insertPerson } from '../store/people.js';
import { insertFunder, insertFunding, insertProgram } from '../store/orgs.js';
import { putSetting } from '../store/settings.js';
import { getRate, putRate } from '../store/rates.js';
import { diff } from '../store/audit.js';
import { Rng } from './random.js';

export interface DemoIds {
  programs: Record<string, number>;
  funders: Record<string, number>;
  /** person ids by role */
  clinicians: number[];
  peers: number[];
  supervisors: number[];
  supervisees: number[];
  mentors: number[];
  mentees: number[];
  grantees: number[];
  all: number[];
  year: number;
}

const FIRST = [
  'Ana',
  'Sam',
  'Priya',
  'Kwame',
  'Lucía',
  'Mei',
  'Tomás',
  'Aisha',
  'Jonas',
  'Fatima',
  'Diego',
  'Nadia',
  'Oluwaseun',
  'Hannah',
  'Mateo',
  'Yara',
  'Chen',
  'Grace',
  'Ravi',
  'Sofia',
  'Emeka',
  'Leila',
  'Noah',
  'Zainab',
  'Élodie',
  'Marcus',
  'Ines',
  'Kofi',
  'Amara',
  'Luis',
  'Hye-jin',
  'Daniel',
  'Rosa',
  'Tariq',
  'Julia',
  'Bongani',
  'Marta',
  'Isaac',
  'Nour',
  'Beatriz',
];
const LAST = [
  'Okafor',
  'Lee',
  'Raman',
  'Mensah',
  'Hernández',
  'Zhang',
  'Álvarez',
  'Khan',
  'Berg',
  'Haddad',
  'Rivera',
  'Petrova',
  'Adeyemi',
  'Cohen',
  'García',
  'Nasser',
  'Wang',
  "O'Brien",
  'Patel',
  'Rossi',
  'Eze',
  'Farahani',
  'Schmidt',
  'Bello',
  'Dubois',
  'Johnson',
  'Costa',
  'Asante',
  'Diallo',
  'Moreno',
  'Park',
  'Kim',
  'Ortiz',
  'Aziz',
  'Novak',
  'Dlamini',
  'Silva',
  'Goldberg',
  'Saleh',
  'Santos',
];
const CITIES: [string, string, string][] = [
  ['Boston', 'MA', '02134'],
  ['Cambridge', 'MA', '02139'],
  ['Providence', 'RI', '02903'],
  ['Hartford', 'CT', '06103'],
  ['Worcester', 'MA', '01608'],
];

export async function seedCore(app: App, rng: Rng, year: number): Promise<DemoIds> {
  const db = await app.db();
  const now = app.ctx.now().toISOString();
  await putSetting(db, 'org.name', 'Harbor Mental Health Collective');
  // What the acknowledgment letters state (report tax --letters), with a made-up EIN.
  for (const [k, v] of [
    ['org.legal_name', 'Harbor Mental Health Collective, Inc.'],
    ['org.ein', '12-3456789'],
    ['org.address', '12 Harbor St\nPortland, ME 04101'],
    ['org.signer_name', 'Rosa Díaz'],
    ['org.signer_title', 'Executive Director'],
  ]) {
    await putSetting(db, k!, v!);
  }
  // The demo values its year's general volunteer time at 34.79 (Independent Sector's 2024 figure)
  // unless a rate is already known, so the sample report needs no fallback warning.
  if ((await getRate(db, 'volunteer-hour', year)) === undefined) await putRate(db, 'volunteer-hour', year, 3479);
  const programs: Record<string, number> = {};
  for (const [code, name, description] of [
    ['TELE', 'Tele-therapy', 'Short-term counselling by video for people on waiting lists'],
    ['PEER', 'Peer support', 'Peer specialists running support groups and one-to-one check-ins'],
    ['SCHOOL', 'School outreach', 'Mental-health literacy sessions in public high schools'],
    ['TRAIN', 'Practitioner training', 'Supervision, mentoring and scholarships for local practitioners'],
  ] as const) {
    programs[code] = await insertProgram(db, { code, name, description }, now);
    await app.audit('create', 'program', programs[code]!, diff(null, { code, name, description }));
  }
  const funders: Record<string, number> = {};
  for (const [code, name, type] of [
    ['HOPE', 'Hope Family Foundation', 'foundation'],
    ['CITY', 'City Department of Public Health', 'government'],
  ] as const) {
    funders[code] = await insertFunder(db, { code, name, type }, now);
    await app.audit('create', 'funder', funders[code]!, diff(null, { code, name, type }));
  }
  const funding: [string, string, string, string | null, number][] = [
    ['HOPE', 'TELE', `${year}-01-01`, `${year}-12-31`, 6000000],
    ['HOPE', 'TRAIN', `${year}-01-01`, null, 2500000],
    ['CITY', 'PEER', `${year}-01-01`, `${year}-12-31`, 4000000],
    ['CITY', 'SCHOOL', `${year}-03-01`, `${year}-12-31`, 1800000],
    ['CITY', 'TELE', `${year}-07-01`, `${year}-12-31`, 2000000],
  ];
  for (const [f, p, start, end, amount] of funding) {
    const rec = { funder_id: funders[f]!, program_id: programs[p]!, start_date: start, end_date: end, amount, reference: `${f}-${year}-${p}` };
    const id = await insertFunding(db, rec, now);
    await app.audit('create', 'funding', id, diff(null, rec));
  }

  const ids: DemoIds = {
    programs,
    funders,
    clinicians: [],
    peers: [],
    supervisors: [],
    supervisees: [],
    mentors: [],
    mentees: [],
    grantees: [],
    all: [],
    year,
  };
  for (let i = 0; i < 40; i++) {
    const first = FIRST[i]!;
    const last = LAST[i]!;
    const [city, region, zip] = rng.pick(CITIES);
    const p: PersonValues = {
      ...emptyPerson(),
      external_id: `V-${String(1001 + i).padStart(5, '0')}`,
      first_name: first,
      last_name: last,
      email:
        `${first}.${last}`
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[^A-Za-z.]/g, '')
          .toLowerCase() + '@example.org',
      phone: `+1 617 555 ${String(100 + i).padStart(4, '0')}`,
      address_line1: `${rng.int(10, 999)} ${rng.pick(['Elm', 'Harbor', 'Maple', 'Washington', 'Centre', 'Summer'])} St`,
      city,
      region,
      postal_code: zip,
      country: 'US',
      joined_on: `${year - rng.int(0, 4)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    };
    let roles: string[];
    if (i < 6) {
      roles = ['volunteer', 'supervisor', 'mentor'];
      p.credential = rng.pick(['LCSW', 'LMHC', 'PhD, Licensed Psychologist', 'LMFT']);
      p.license_number = String(rng.int(10000, 99999));
      p.license_region = region;
      p.license_expires = `${year + rng.int(2, 4)}-06-30`; // valid through every demo session (which run up to today)
      p.hourly_rate = rng.pick([8500, 9500, 11000, 12500]);
    } else if (i < 18) {
      roles = ['volunteer'];
      p.credential = rng.pick(['LCSW', 'LMHC', 'LPC', 'LMFT']);
      p.license_number = String(rng.int(10000, 99999));
      p.license_region = region;
      p.license_expires = `${year + rng.int(0, 3)}-12-31`;
      p.hourly_rate = rng.pick([6500, 7500, 8500]);
    } else if (i < 30) {
      roles = ['volunteer'];
      p.credential = rng.chance(0.5) ? 'Certified Peer Specialist' : null;
    } else {
      roles = ['supervisee', 'mentee'];
      p.credential = rng.pick(['LPC Associate', 'LMSW', 'LMHC (provisional)']);
      if (i >= 35) roles.push('grantee');
    }
    p.roles = roles.join(',');
    const id = await insertPerson(db, p, now);
    await app.audit('create', 'person', id, diff(null, p as unknown as Record<string, unknown>));
    ids.all.push(id);
    if (i < 18) ids.clinicians.push(id);
    else if (i < 30) ids.peers.push(id);
    if (roles.includes('supervisor')) ids.supervisors.push(id);
    if (roles.includes('mentor')) ids.mentors.push(id);
    if (roles.includes('supervisee')) ids.supervisees.push(id);
    if (roles.includes('mentee')) ids.mentees.push(id);
    if (roles.includes('grantee')) ids.grantees.push(id);
  }
  return ids;
}
