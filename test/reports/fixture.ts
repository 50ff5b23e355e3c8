/**
 * A hand-built NGO for the report tests. Every figure the tests expect is computed by hand in the
 * test files from the entries listed here, never by the code under test.
 *
 * Rates: volunteer-hour 2022 = 31.80, 2023 = 33.49 (defaults); mileage 0.14 (since 1998).
 * Period of the funder tests: 2022-10-01 .. 2023-03-31.
 *
 * People: 1 Ana Okafor (rate 85.00, skilled) · 2 Ben Cole (no rate) · 3 =HYPERLINK("x") Tester · 4 Dee Park
 * Programs: PEER (Peer support), SCHOOL (School outreach), TELE (Tele-therapy)
 * Funding: HOPE→TELE 2022-01-01..2023-12-31 · HOPE→PEER from 2023-01-01 (mid-period, open-ended)
 *          CITY→PEER 2022-01-01..2023-12-31 (PEER is shared) · CITY→SCHOOL from 2023-01-01
 */
import { expect } from 'vitest';
import { testConn, tmpDb, withDb } from '../helpers.js';

export async function buildFixture() {
  const { dir, db } = await tmpDb();
  const run = withDb(db);
  const ok = async (args: string[]) => {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  await ok([
    'people',
    'add',
    '--first',
    'Ana',
    '--last',
    'Okafor',
    '--email',
    'ana@example.org',
    '--rate',
    '85.00',
    '--credential',
    'LCSW',
    '--address-line1',
    '1 Elm St',
    '--city',
    'Boston',
    '--region',
    'MA',
    '--postal-code',
    '02134',
    '--country',
    'US',
  ]);
  await ok(['people', 'add', '--first', 'Ben', '--last', 'Cole', '--email', 'ben@example.org']);
  await ok(['people', 'add', '--first', '=HYPERLINK("x")', '--last', 'Tester', '--email', 'hyper@example.org', '--external-id', '+X3']);
  await ok(['people', 'add', '--first', 'Dee', '--last', 'Park', '--email', 'dee@example.org']);
  await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
  await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
  await ok(['programs', 'add', 'SCHOOL', '--name', 'School outreach']);
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
  await ok(['funders', 'add', 'CITY', '--name', 'City Health Dept', '--type', 'government']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2022-01-01', '--to', '2023-12-31']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'PEER', '--from', '2023-01-01']);
  await ok(['funders', 'fund', 'CITY', '--program', 'PEER', '--from', '2022-01-01', '--to', '2023-12-31']);
  await ok(['funders', 'fund', 'CITY', '--program', 'SCHOOL', '--from', '2023-01-01']);

  const log = (person: string, program: string, date: string, minutes: number, activity: string, extra: string[] = []) =>
    ok(['hours', 'log', person, '--program', program, '--date', date, '--minutes', String(minutes), '--activity', activity, ...extra]);
  // TELE
  await log('ana@example.org', 'TELE', '2022-11-10', 120, 'direct-service'); // e1 skilled: 120 × 85.00/60 = 170.00
  await log('ana@example.org', 'TELE', '2023-02-15', 90, 'admin'); // e2 general 2023: 90 × 33.49/60 = 50.235 → 50.24
  await log('ben@example.org', 'TELE', '2022-12-01', 180, 'direct-service', ['--miles', '10']); // e3 general 2022: 95.40
  await log('ben@example.org', 'TELE', '2023-01-20', 20, 'outreach'); // e4 general 2023: 11.1633 → 11.16
  await log('ben@example.org', 'TELE', '2022-09-15', 60, 'direct-service'); // e5 before the period
  await log('ana@example.org', 'TELE', '2023-03-01', 60, 'direct-service', ['--pending']); // e6 pending: never counts
  const e7 = await log('ben@example.org', 'TELE', '2023-03-05', 60, 'direct-service'); // e7 voided below
  await ok(['hours', 'void', e7, '--reason', 'logged twice', '--yes']);
  await log('ben@example.org', 'TELE', '2023-03-20', 30, 'direct-service', ['--miles', '10.25']); // e8: 16.745 → 16.75; mileage 1.435 → 1.44
  await log('ben@example.org', 'TELE', '2023-03-21', 30, 'direct-service', ['--miles', '10.25']); // e9: same
  // PEER
  await log('ben@example.org', 'PEER', '2022-11-05', 120, 'peer-support'); // p1 general 2022: 63.60 (CITY only: before HOPE's PEER start)
  await log('hyper@example.org', 'PEER', '2023-02-02', 60, 'peer-support', ['--miles', '100', '--expenses', '246.00']); // p2 general 2023: 33.49; tax 14.00 + 246.00 = 260.00
  await log('ana@example.org', 'PEER', '2023-01-10', 60, 'training'); // p3 skilled: 85.00
  // SCHOOL
  await log('dee@example.org', 'SCHOOL', '2023-03-10', 240, 'outreach', ['--expenses', '249.99']); // d1 general 2023: 133.96; tax 249.99
  await log('dee@example.org', 'SCHOOL', '2023-03-11', 60, 'outreach', ['--miles', '20', '--expenses', '15.00', '--reimbursed']); // d2 reimbursed

  // Grants (HOPE): Ben 1500.00 for TELE in the period; Dee 300.00 with no program, awarded before the period.
  const g1 = await ok([
    'grants',
    'award',
    'ben@example.org',
    '--amount',
    '1500.00',
    '--purpose',
    'LPC exam fees',
    '--funder',
    'HOPE',
    '--program',
    'TELE',
    '--date',
    '2023-02-01',
  ]);
  await ok(['grants', 'disburse', g1, '--amount', '500.00', '--date', '2023-02-10']);
  await ok(['grants', 'disburse', g1, '--amount', '1000.00', '--date', '2023-06-01', '--scheduled']);
  const g2 = await ok(['grants', 'award', 'dee@example.org', '--amount', '300.00', '--purpose', 'Conference', '--funder', 'HOPE', '--date', '2022-08-01']);
  await ok(['grants', 'disburse', g2, '--amount', '100.00', '--date', '2022-08-15']);
  await ok(['grants', 'disburse', g2, '--amount', '100.00', '--date', '2022-12-15']);

  // Supervision and mentorship, written straight into their tables (their commands are tested elsewhere).
  const raw = await testConn(db);
  const ids = async (sql: string) => (await raw.get<{ id: number }>(sql))!;
  const now = '2023-01-01T00:00:00.000Z';
  const tele = (await ids("SELECT id FROM programs WHERE code = 'TELE'")).id;
  const peer = (await ids("SELECT id FROM programs WHERE code = 'PEER'")).id;
  const session = async (supervisor: number, date: string, minutes: number, format: string, program: number, supervisees: number[], voided = false) => {
    const id = await raw.insertId(
      'INSERT INTO supervision_sessions(supervisor_id, date, minutes, format, modality, program_id, created_at, voided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      supervisor,
      date,
      minutes,
      format,
      'video',
      program,
      now,
      voided ? now : null,
    );
    for (const s of supervisees) await raw.run('INSERT INTO supervision_attendees(session_id, supervisee_id) VALUES (?, ?)', id, s);
  };
  await session(1, '2022-12-05', 90, 'group', tele, [2, 3, 4]); // counts once: 1.50 h, 3 supervisees
  await session(1, '2023-01-05', 60, 'individual', tele, [2]);
  await session(1, '2023-01-06', 60, 'individual', tele, [4], true); // voided
  await session(1, '2022-11-01', 60, 'individual', peer, [4]); // PEER: inside CITY's window, before HOPE's
  const pair = (mentor: number, mentee: number, program: number, start: string, end: string | null) =>
    raw.insertId(
      'INSERT INTO mentorships(mentor_id, mentee_id, program_id, start_date, end_date, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      mentor,
      mentee,
      program,
      start,
      end,
      end ? 'ended' : 'active',
      now,
    );
  const meet = (m: number, date: string, minutes: number) =>
    raw.run('INSERT INTO mentorship_meetings(mentorship_id, date, minutes, created_at) VALUES (?, ?, ?, ?)', m, date, minutes, now);
  const m1 = await pair(1, 2, tele, '2022-06-01', null);
  await meet(m1, '2022-10-15', 45);
  await meet(m1, '2023-04-02', 60); // after the period
  const m2 = await pair(1, 4, peer, '2022-05-01', '2022-12-15'); // ended before HOPE's PEER window, inside CITY's
  await meet(m2, '2022-11-20', 30);
  await raw.close();
  return { dir, db, run };
}
