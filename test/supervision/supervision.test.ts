import { describe, expect, it } from 'vitest';
import { dbHash, parseCsv, query as queryAny, scriptedPrompter } from '../helpers.js';
import { world } from './setup.js';

const LOG_HEADER =
  'date,supervisee,supervisor,supervisor_credential,supervisor_license_number,supervisor_license_region,format,modality,minutes,hours,cumulative_hours,cumulative_individual_hours,cumulative_group_hours';
const GRACE = 'Grace Mensah,LPC-S,12345,TX';

const query = <T>(db: string, sql: string): Promise<T[]> => queryAny<T>(db, sql);

describe('supervision add', () => {
  it('a group session with 3 supervisees is one session: once in each supervisee’s log, once in the funder report', async () => {
    const { run, ok } = await world();
    const r = await run([
      'supervision',
      'add',
      '--supervisor',
      'grace@example.org',
      '--supervisee',
      'ana@example.org,ben@example.org',
      '--supervisee',
      'cy@example.org',
      '--hours',
      '1.5',
      '--date',
      '2026-10-05',
      '--program',
      'TRAIN',
      '--topic',
      'risk assessment',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Recorded 1.50 h of group supervision: Grace Mensah with Ana Okafor, Ben Lee, Cy Park on 2026-10-05 — session #1');

    const list = await ok(['supervision', 'list']);
    expect(list.stdout).toBe(
      'id,date,supervisor_id,supervisor,supervisor_credential,supervisee_ids,supervisees,format,modality,program_code,minutes,hours,topic,hours_entry_id,status\n' +
        '1,2026-10-05,1,Grace Mensah,LPC-S,2;3;4,Ana Okafor; Ben Lee; Cy Park,group,in-person,TRAIN,90,1.50,risk assessment,,active\n',
    );
    for (const [who, name] of [
      ['ana@example.org', 'Ana Okafor'],
      ['3', 'Ben Lee'],
      ['cy@example.org', 'Cy Park'],
    ]) {
      const log = await ok(['report', 'supervision', '--supervisee', who!]);
      expect(log.stdout).toBe(`${LOG_HEADER}\n2026-10-05,${name},${GRACE},group,in-person,90,1.50,1.50,0.00,1.50\n`);
    }
    const funder = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026'])).stdout);
    for (const row of funder) {
      expect(row).toMatchObject({ supervision_sessions: '1', supervision_hours: '1.50', supervisees: '3' });
    }
  });

  it('defaults the format from the number of supervisees: 1 individual, 2 triadic, 3 group', async () => {
    const { ok } = await world();
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--minutes', '60', '--date', '2026-10-01']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2,3', '--duration', '1:00', '--date', '2026-10-02', '--modality', 'video']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2,3,4', '--hours', '1', '--date', '2026-10-03', '--modality', 'phone']);
    const rows = parseCsv((await ok(['supervision', 'list'])).stdout);
    expect(rows.map((r) => [r['format'], r['modality']])).toEqual([
      ['individual', 'in-person'],
      ['triadic', 'video'],
      ['group', 'phone'],
    ]);
  });

  it('cumulative columns run across sessions, from minutes (not rounded hours); a period carries the earlier totals', async () => {
    const { ok } = await world();
    const add = (supervisees: string, minutes: string, date: string, extra: string[] = []) =>
      ok(['supervision', 'add', '--supervisor', '1', '--supervisee', supervisees, '--minutes', minutes, '--date', date, ...extra]);
    await add('2', '60', '2026-01-05'); // #1 Ana individual
    await add('2,3,4', '90', '2026-01-12'); // #2 group
    await add('2,3', '45', '2026-01-19'); // #3 triadic = individual
    await add('2', '50', '2026-02-02'); // #4 Ana individual 0.83
    await add('2,3,4', '120', '2026-02-09'); // #5 group, voided below
    await add('2,3,4', '40', '2026-02-16'); // #6 group 0.67
    await add('3', '30', '2026-03-02'); // #7 Ben only
    await ok(['supervision', 'void', '5', '--reason', 'entered twice', '--yes']);

    // Ana: 60 | +90 g | +45 i | +50 i | +40 g → total 285 min (4.75): individual 155 (2.58), group 130 (2.17)
    const ana = await ok(['report', 'supervision', '--supervisee', 'ana@example.org']);
    expect(ana.stdout).toBe(
      [
        LOG_HEADER,
        `2026-01-05,Ana Okafor,${GRACE},individual,in-person,60,1.00,1.00,1.00,0.00`,
        `2026-01-12,Ana Okafor,${GRACE},group,in-person,90,1.50,2.50,1.00,1.50`,
        `2026-01-19,Ana Okafor,${GRACE},triadic,in-person,45,0.75,3.25,1.75,1.50`,
        `2026-02-02,Ana Okafor,${GRACE},individual,in-person,50,0.83,4.08,2.58,1.50`,
        `2026-02-16,Ana Okafor,${GRACE},group,in-person,40,0.67,4.75,2.58,2.17`,
        '',
      ].join('\n'),
    );
    // Ben: 90 g | 45 i | 40 g | 30 i → totals 1.50, 2.25, 2.92 (175 min), 3.42 (205 min)
    const ben = await ok(['report', 'supervision', '--supervisee', 'ben@example.org']);
    expect(ben.stdout).toBe(
      [
        LOG_HEADER,
        `2026-01-12,Ben Lee,${GRACE},group,in-person,90,1.50,1.50,0.00,1.50`,
        `2026-01-19,Ben Lee,${GRACE},triadic,in-person,45,0.75,2.25,0.75,1.50`,
        `2026-02-16,Ben Lee,${GRACE},group,in-person,40,0.67,2.92,0.75,2.17`,
        `2026-03-02,Ben Lee,${GRACE},individual,in-person,30,0.50,3.42,1.25,2.17`,
        '',
      ].join('\n'),
    );
    // February only: the rows of the period, totals carried from January.
    const feb = await ok(['report', 'supervision', '--supervisee', '2', '--period', '2026-02']);
    expect(feb.stdout).toBe(
      [
        LOG_HEADER,
        `2026-02-02,Ana Okafor,${GRACE},individual,in-person,50,0.83,4.08,2.58,1.50`,
        `2026-02-16,Ana Okafor,${GRACE},group,in-person,40,0.67,4.75,2.58,2.17`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await ok(['report', 'supervision', '--supervisee', '2', '--from', '2026-01-01', '--to', '2026-01-12', '--json'])).stdout);
    expect(json).toEqual([
      expect.objectContaining({ date: '2026-01-05', minutes: 60, hours: 1, cumulative_hours: 1 }),
      expect.objectContaining({ date: '2026-01-12', minutes: 90, hours: 1.5, cumulative_hours: 2.5, cumulative_group_hours: 1.5 }),
    ]);
  });

  it('a topic over 2,000 characters: exit 3, nothing written', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-11-02', '--topic', 't'.repeat(2001)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('ngo: error: topic is too long (2001 characters; at most 2000)\n');
    expect(r.stdout).toBe('');
    expect(await dbHash(db)).toBe(before);
  });

  it('self-supervision exits 5 and writes nothing', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run([
      'supervision',
      'add',
      '--supervisor',
      'grace@example.org',
      '--supervisee',
      'ana@example.org,grace@example.org',
      '--hours',
      '1',
      '--date',
      '2026-10-01',
    ]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('ngo: error: Grace Mensah cannot supervise themself: the supervisor is also listed as a supervisee\n');
    expect(await dbHash(db)).toBe(before);
  });

  it.each([
    [['--supervisee', '2,ana@example.org'], 3, 'Ana Okafor is listed twice among the supervisees'],
    [['--supervisee', '2,3', '--format', 'individual'], 3, 'an individual session has exactly 1 supervisee; this one lists 2'],
    [['--supervisee', '2,3,4', '--format', 'triadic'], 3, 'a triadic session has exactly 2 supervisees; this one lists 3'],
    [['--supervisee', '2', '--format', 'group'], 3, 'a group session has at least 2 supervisees; this one lists 1'],
    [['--supervisee', 'nobody@example.org'], 4, 'no person matches "nobody@example.org"'],
    [['--supervisee', '2', '--program', 'NOPE'], 4, 'no program with code "NOPE"'],
    [['--supervisee', '2', '--date', '2026-12-01'], 3, 'in the future'],
    [['--supervisee', '2', '--date', '2026-02-30'], 3, '2026-02-30'],
    [['--supervisee', '2', '--hours', '25'], 3, 'at most 24 hours'],
    [['--supervisee', '2', '--log-hours'], 2, 'missing required option: --program (needed by --log-hours)'],
  ])('rejects %j with exit %i, writing nothing', async (extra, code, message) => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const args = ['supervision', 'add', '--supervisor', '1', '--date', '2026-10-01', '--hours', '1', ...extra];
    const r = await run(args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^ngo: error: /);
    expect(await dbHash(db)).toBe(before);
  });

  it('an archived supervisee or supervisor is refused with exit 5', async () => {
    const { db, run, ok } = await world();
    await ok(['people', 'archive', '4', '--reason', 'moved away', '--yes']);
    const before = await dbHash(db);
    const r = await run(['supervision', 'add', '--supervisor', '1', '--supervisee', '2,4', '--hours', '1', '--date', '2026-10-01']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('is archived');
    expect(await dbHash(db)).toBe(before);
  });

  it('without a terminal, missing values exit 2 naming every missing option', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['supervision', 'add']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ngo: error: missing required options: --supervisor, --supervisee, --hours, --minutes or --duration\n');
    expect(await dbHash(db)).toBe(before);
  });

  it('asks for what is missing on a terminal, supervisees one by one, then confirms', async () => {
    const { run, ok } = await world();
    const seen: string[] = [];
    const answers = ['Grace', 'Ana', true, 'Ben', false, '1:30', '2026-11-20', 'triadic', 'video', '', 'documentation standards', true];
    const r = await run(['supervision', 'add'], { tty: true, prompter: scriptedPrompter(answers, seen) });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.map((s) => s.split(':')[0])).toEqual([
      'search',
      'search',
      'confirm',
      'search',
      'confirm',
      'input',
      'input',
      'select',
      'select',
      'select',
      'input',
      'confirm',
    ]);
    expect(seen[7]).toBe('select: Format (2 supervisees)');
    expect(seen[9]).toBe('select: Program (counts in that program’s funder reports)');
    expect(seen.at(-2)).toContain('never client-identifying');
    const row = parseCsv((await ok(['supervision', 'list'])).stdout)[0];
    expect(row).toMatchObject({
      date: '2026-11-20',
      supervisee_ids: '2;3',
      format: 'triadic',
      modality: 'video',
      minutes: '90',
      topic: 'documentation standards',
    });
  });
});

describe('supervision --log-hours and void', () => {
  it('logs the supervisor’s hours linked to the session; hours void refuses it; supervision void voids both, audited', async () => {
    const { db, run, ok } = await world();
    const r = await ok([
      'supervision',
      'add',
      '--supervisor',
      '1',
      '--supervisee',
      '2,3',
      '--hours',
      '2',
      '--date',
      '2026-10-05',
      '--program',
      'TRAIN',
      '--log-hours',
    ]);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('(supervisor’s hours: entry #1)');
    expect((await ok(['hours', 'list'])).stdout).toBe(
      'id,date,person_id,first_name,last_name,email,program_code,activity,hours,miles,expenses,reimbursed,status,note\n' +
        '1,2026-10-05,1,Grace,Mensah,grace@example.org,TRAIN,supervision,2.00,0.00,0.00,no,approved,supervision session #1\n',
    );
    expect(parseCsv((await ok(['supervision', 'list'])).stdout)[0]).toMatchObject({ hours_entry_id: '1' });

    const before = await dbHash(db);
    const hv = await run(['hours', 'void', '1', '--reason', 'x', '--yes']);
    expect(hv.code).toBe(5);
    expect(hv.stderr).toContain('void the supervision session instead');
    const noYes = await run(['supervision', 'void', '1', '--reason', 'wrong day']);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('add --yes to confirm');
    expect(await dbHash(db)).toBe(before);

    const v = await ok(['supervision', 'void', '1', '--reason', 'wrong day', '--yes']);
    expect(v.stdout).toBe('1\n');
    expect(v.stderr).toContain('with hours entry #1: wrong day');
    // The supervisor and each supervisee by name (the names were once promises, printed as [object Promise]).
    expect(v.stderr).toContain('Voided supervision session #1 (2026-10-05, 2.00 h, Grace Mensah with Ana Okafor, Ben Lee), with hours entry #1');
    expect(v.stderr).not.toContain('[object');
    expect((await ok(['supervision', 'list'])).stdout.split('\n')[1]).toBe('');
    expect(parseCsv((await ok(['supervision', 'list', '--status', 'void'])).stdout)[0]).toMatchObject({ id: '1', status: 'void' });
    expect(parseCsv((await ok(['hours', 'list', '--status', 'void'])).stdout)[0]).toMatchObject({ id: '1', status: 'void' });
    expect((await query<{ void_reason: string }>(db, 'SELECT void_reason FROM hours WHERE id = 1'))[0]!.void_reason).toBe(
      'supervision session #1 voided: wrong day',
    );
    expect(parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026'])).stdout).at(-1)).toMatchObject({
      supervision_sessions: '0',
      volunteer_hours: '0.00',
    });
    const audit = parseCsv((await ok(['audit', '--format', 'csv'])).stdout).filter((a) => a['entity'] === 'supervision' || a['entity'] === 'hours');
    expect(audit.map((a) => `${a['action']} ${a['entity']} ${a['entity_id']}`)).toEqual([
      'create supervision 1',
      'create hours 1',
      'void supervision 1',
      'void hours 1',
    ]);

    const again = await run(['supervision', 'void', '1', '--reason', 'x', '--yes']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already void');
    expect((await run(['supervision', 'void', '99', '--reason', 'x', '--yes'])).code).toBe(4);
  });
});

describe('supervision list filters', () => {
  it('by supervisee, supervisor and period', async () => {
    const { ok } = await world();
    await ok([
      'people',
      'add',
      '--first',
      'Hal',
      '--last',
      'Berg',
      '--email',
      'hal@example.org',
      '--roles',
      'supervisor',
      '--license-number',
      'LMHC-77',
      '--license-expires',
      '2028-01-31',
    ]);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-09-30']);
    await ok(['supervision', 'add', '--supervisor', '6', '--supervisee', '3', '--hours', '1', '--date', '2026-10-01']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '3,4', '--hours', '1', '--date', '2026-10-31']);
    const ids = async (args: string[]) => parseCsv((await ok(['supervision', 'list', ...args])).stdout).map((r) => r['id']);
    expect(await ids(['--supervisee', 'ben@example.org'])).toEqual(['2', '3']);
    expect(await ids(['--supervisor', 'hal@example.org'])).toEqual(['2']);
    expect(await ids(['--period', '2026-10'])).toEqual(['2', '3']);
    expect(await ids(['--supervisor', '1', '--from', '2026-09-01', '--to', '2026-09-30'])).toEqual(['1']);
  });
});

describe('supervision progress', () => {
  async function ana() {
    const w = await world();
    const add = (supervisees: string, minutes: string, date: string) =>
      w.ok(['supervision', 'add', '--supervisor', '1', '--supervisee', supervisees, '--minutes', minutes, '--date', date]);
    await add('2', '120', '2026-09-03');
    await add('2,3,4', '150', '2026-09-17');
    await add('2', '60', '2026-10-08');
    await add('2', '90', '2026-11-05');
    return w;
  }

  it('months with hours, group share, running total and status; a TOTAL row with the verdict', async () => {
    const { ok } = await ana();
    const r = await ok(['supervision', 'progress', '--supervisee', 'ana@example.org', '--required-hours', '10']);
    // Sep: 270 min (4.50, group 150/270 = 0.56) ok; Oct: 60 (1.00) under; Nov: 90 (1.50) still running.
    // Total 420 min = 7.00, group 150/420 = 0.36; October is under 4 h → off track.
    expect(r.stdout).toBe(
      [
        'month,sessions,hours,individual_hours,group_hours,group_share,cumulative_hours,status',
        '2026-09,2,4.50,2.00,2.50,0.56,4.50,ok',
        '2026-10,1,1.00,1.00,0.00,0.00,5.50,under',
        '2026-11,1,1.50,1.50,0.00,0.00,7.00,in-progress',
        'TOTAL,4,7.00,4.50,2.50,0.36,7.00,off-track',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      'Ana Okafor: 7.00 h of supervision in 4 sessions since 2026-09-03; 3.00 h to go of 10.00 h required; 1 month under 4.00 h (2026-10); group share 0.36 (at most 0.50). Off track.\n',
    );
  });

  it('a lower monthly minimum puts her on track; a lower group maximum takes her off again', async () => {
    const { ok } = await ana();
    const onTrack = await ok(['supervision', 'progress', '--supervisee', '2', '--monthly-min-hours', '1']);
    expect(onTrack.stdout.trim().split('\n').at(-1)).toBe('TOTAL,4,7.00,4.50,2.50,0.36,7.00,on-track');
    expect(onTrack.stderr).toContain('every complete month has at least 1.00 h');
    const groupHeavy = await ok(['supervision', 'progress', '--supervisee', '2', '--monthly-min-hours', '1', '--group-max-share', '35%']);
    expect(groupHeavy.stdout.trim().split('\n').at(-1)).toBe('TOTAL,4,7.00,4.50,2.50,0.36,7.00,off-track');
    expect(groupHeavy.stderr).toContain('group share 0.36 (at most 0.35) — too much group supervision');
  });

  it('--all: one row per supervisee, who is off track at a glance', async () => {
    const { ok } = await ana();
    const r = await ok(['supervision', 'progress', '--all', '--required-hours', '10']);
    expect(r.stdout).toBe(
      [
        'supervisee_id,supervisee,first_session,last_session,sessions,hours,individual_hours,group_hours,group_share,months,months_under_min,required_hours,remaining_hours,status',
        '3,Ben Lee,2026-09-17,2026-09-17,1,2.50,0.00,2.50,1.00,3,2,10.00,7.50,off-track',
        '2,Ana Okafor,2026-09-03,2026-11-05,4,7.00,4.50,2.50,0.36,3,1,10.00,3.00,off-track',
        '4,Cy Park,2026-09-17,2026-09-17,1,2.50,0.00,2.50,1.00,3,2,10.00,7.50,off-track',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('3 supervisees, 3 off track: Ben Lee, Ana Okafor, Cy Park\n');
  });

  it('a person without sessions, and bad options', async () => {
    const { run, ok } = await ana();
    const none = await ok(['supervision', 'progress', '--supervisee', 'dee@example.org']);
    expect(none.stdout).toBe(
      'month,sessions,hours,individual_hours,group_hours,group_share,cumulative_hours,status\nTOTAL,0,0.00,0.00,0.00,,0.00,no-sessions\n',
    );
    expect(none.stderr).toBe('Dee Ross has no supervision sessions yet.\n');
    expect((await run(['supervision', 'progress'])).stderr).toBe('ngo: error: missing required option: --supervisee (or --all)\n');
    const bad = await run(['supervision', 'progress', '--supervisee', '2', '--group-max-share', '1.5']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('invalid share "1.5"');
  });
});
