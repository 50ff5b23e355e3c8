/**
 * Issue 21: licensure plans by jurisdiction. Rule sets as data (domain/licensure.ts), judged per week
 * (ca-bbs) or month (tx-lpc, ny-lcsw, custom) with a status and a reason, from the plan's start to its
 * end, leave excepted, partial first and last periods pro rata. The clock is NOW (2026-11-23) unless a
 * test gives another.
 */
import { describe, expect, it } from 'vitest';
import { dbHash, parseCsv, query, testConn, tmpDb, withDb } from '../helpers.js';
import { world } from './setup.js';
import { superviseesBehindPlan } from '../../src/reports/plans.js';
import { judgePlan, periodOf, ruleSet, isoWeekLabel, weekStart } from '../../src/domain/licensure.js';

const at = (iso: string) => new Date(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)), 10, 0, 0);

async function behind(db: string, today: string) {
  const c = await testConn(db);
  try {
    return await superviseesBehindPlan(c, { today });
  } finally {
    await c.close();
  }
}

describe('ca-bbs: weekly units, experience cap, group size', () => {
  it('a California plan over 10 weeks flags exactly the weeks that miss a unit and the week over 40 hours', async () => {
    const { db, run, ok } = await world();
    const p = await run(['supervision', 'plan', 'ana@example.org', '--rules', 'ca-bbs', '--start', '2026-09-07', '--end', '2026-11-15']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe('1\n');
    expect(p.stderr).toContain('Created the ca-bbs plan of Ana Okafor from 2026-09-07 to 2026-11-15 — plan #1');
    const sup = (date: string, hours: string, ...extra: string[]) =>
      ok(['supervision', 'add', '--supervisor', '1', '--supervisee', ['2', ...extra].join(','), '--hours', hours, '--date', date]);
    const exp = (date: string, hours: string) => ok(['hours', 'log', '2', '--program', 'TRAIN', '--hours', hours, '--date', date]);
    // W37: 8 h experience, 1 h individual → ok
    await exp('2026-09-08', '8');
    await sup('2026-09-09', '1');
    // W38: 8 h experience, no supervision → under
    await exp('2026-09-15', '8');
    // W39: 12 h experience (more than 10: two units), 1 h individual → under
    await exp('2026-09-21', '6');
    await exp('2026-09-22', '6');
    await sup('2026-09-23', '1');
    // W40: 12 h, 1 h individual + 2 h group of three → ok (2 units)
    await exp('2026-09-28', '12');
    await sup('2026-09-29', '1');
    await sup('2026-09-30', '2', '3', '4');
    // W41: 42 h of experience (6 × 7 h), 2 h individual → over (40 h a week at most)
    for (const d of ['05', '06', '07', '08', '09', '10']) await exp(`2026-10-${d}`, '7');
    await sup('2026-10-06', '2');
    // W42: 8 h, 2 h group → ok
    await exp('2026-10-12', '8');
    await sup('2026-10-13', '2', '3', '4');
    // W43: 8 h, 1 h group (half a unit) → under
    await exp('2026-10-19', '8');
    await sup('2026-10-20', '1', '3', '4');
    // W44: 8 h, 1 h triadic (counts as individual) → ok
    await exp('2026-10-26', '8');
    await sup('2026-10-27', '1', '3');
    // W45: no experience, no supervision → not credited, not a failure
    // W46: 8 h, 1 h individual by video → ok
    await exp('2026-11-09', '8');
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-11-10', '--modality', 'video']);
    // A session after the plan's end is not judged.
    await sup('2026-11-17', '1');

    const r = await run(['supervision', 'progress', '--supervisee', 'ana@example.org']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.map((x) => [x['period'], x['status']])).toEqual([
      ['2026-W37', 'ok'],
      ['2026-W38', 'under'],
      ['2026-W39', 'under'],
      ['2026-W40', 'ok'],
      ['2026-W41', 'over'],
      ['2026-W42', 'ok'],
      ['2026-W43', 'under'],
      ['2026-W44', 'ok'],
      ['2026-W45', 'no-experience'],
      ['2026-W46', 'ok'],
      ['TOTAL', 'behind'],
    ]);
    expect(r.stdout.split('\n')[0]).toBe(
      'period,period_start,period_end,plan_days,sessions,hours,individual_hours,group_hours,group_share,experience_hours,minimum_hours,units,units_required,cumulative_hours,status,reason',
    );
    const byPeriod = new Map(rows.map((x) => [x['period'], x]));
    expect(byPeriod.get('2026-W38')!['reason']).toBe('0.00 units of supervision for 8.00 h of experience; 1 unit is required');
    expect(byPeriod.get('2026-W39')).toMatchObject({
      units: '1.00',
      units_required: '2.00',
      reason: '1.00 unit of supervision for 12.00 h of experience; 2 units are required (more than 10.00 h of direct client contact)',
    });
    expect(byPeriod.get('2026-W41')).toMatchObject({
      experience_hours: '42.00',
      reason: '2.00 units of supervision for 42.00 h of experience; 42.00 h of experience logged; at most 40.00 h a week are credited',
    });
    expect(byPeriod.get('2026-W43')).toMatchObject({ units: '0.50', group_hours: '1.00' });
    expect(byPeriod.get('2026-W44')).toMatchObject({ individual_hours: '1.00', group_hours: '0.00' });
    expect(byPeriod.get('2026-W45')!['reason']).toBe('no direct-service hours logged: the week is not credited');
    expect(byPeriod.get('TOTAL')).toMatchObject({
      period_end: '2026-11-15',
      sessions: '9',
      // 114 h logged; credited: the weeks credited only (W37 8, W40 12, W41 40 of its 42, W42 8, W44 8, W46 8)
      experience_hours: '84.00',
      reason:
        '3 weeks under (2026-W38, 2026-W39, 2026-W43); 6 of 104 weeks credited; 5 of 52 with individual or triadic supervision; 84.00 of 3000.00 h of experience; the plan ended on 2026-11-15',
    });
    expect(r.stderr).toContain('Behind.');
    // The weekly log for the board: the same rows, through report supervision --by-period.
    const log = await run(['report', 'supervision', '--supervisee', '2', '--by-period']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toBe(r.stdout);
    const q = parseCsv((await run(['report', 'supervision', '--supervisee', '2', '--by-period', '--from', '2026-10-01', '--to', '2026-10-14'])).stdout);
    expect(q.map((x) => x['period'])).toEqual(['2026-W40', '2026-W41', '2026-W42', 'TOTAL']);
    // ngo status: behind.
    expect(await behind(db, '2026-11-23')).toEqual([
      {
        area: 'supervision',
        severity: 'overdue',
        subject: 'Ana Okafor (ca-bbs plan)',
        detail: '2026-W38 under: 0.00 units of supervision for 8.00 h of experience; 1 unit is required',
        due_date: '2026-09-20',
        command: "ngo supervision progress --supervisee '#2'",
      },
    ]);
  });

  it('a 9-person group under ca-bbs exits 5 and writes nothing; 8 are fine; outside the plan the limit does not apply', async () => {
    const { db, run, ok } = await world();
    for (const n of ['Eve', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo']) await ok(['people', 'add', '--first', n, '--email', `${n.toLowerCase()}@example.org`]);
    await ok(['supervision', 'plan', '3', '--rules', 'ca-bbs', '--start', '2026-09-01']);
    const nine = ['2', '3', '4', '5', '6', '7', '8', '9', '10'].join(',');
    const before = await dbHash(db);
    const r = await run(['supervision', 'add', '--supervisor', '1', '--supervisee', nine, '--hours', '2', '--date', '2026-10-01']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      'ngo: error: Ben Lee has a ca-bbs plan: a group session counts only with at most 8 supervisees, and this one lists 9\nhint: split the group into sessions of at most 8\n',
    );
    expect(await dbHash(db)).toBe(before);
    expect(
      (await run(['supervision', 'add', '--supervisor', '1', '--supervisee', nine.split(',').slice(0, 8).join(','), '--hours', '2', '--date', '2026-10-01']))
        .code,
    ).toBe(0);
    // Before the plan's start, and for a tx-lpc plan, there is no group size limit.
    expect((await run(['supervision', 'add', '--supervisor', '1', '--supervisee', nine, '--hours', '2', '--date', '2026-08-31'])).code).toBe(0);
    await ok(['supervision', 'plan', '3', '--rules', 'tx-lpc']);
    expect((await run(['supervision', 'add', '--supervisor', '1', '--supervisee', nine, '--hours', '2', '--date', '2026-10-02'])).code).toBe(0);
    // A 9-person session recorded before the ca-bbs plan existed is not counted, and says why.
    await ok(['supervision', 'plan', '3', '--rules', 'ca-bbs', '--start', '2026-08-31']);
    await ok(['hours', 'log', '3', '--program', 'TRAIN', '--hours', '5', '--date', '2026-08-31']);
    const rows = parseCsv((await run(['supervision', 'progress', '--supervisee', '3'])).stdout);
    expect(rows[0]).toMatchObject({ period: '2026-W36', sessions: '1', hours: '0.00', status: 'under' });
    expect(rows[0]!['reason']).toContain('not counted: session #2 (2026-08-31) had 9 supervisees, more than the 8 a ca-bbs group may have');
  });
});

describe('tx-lpc: monthly minimum, pro rata, end and leave', () => {
  async function texas() {
    const w = await world();
    for (const [m, d] of [
      ['01', '10'],
      ['02', '10'],
      ['03', '10'],
      ['04', '10'],
      ['05', '10'],
      ['06', '10'],
    ])
      await w.ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '4', '--date', `2026-${m}-${d}`]);
    return w;
  }

  it('a Texas plan that ended in June is not behind in July (nor later); without the end, July is in progress and August under', async () => {
    const { db, run, ok } = await texas();
    await ok(['supervision', 'plan', '2', '--rules', 'tx-lpc', '--start', '2026-01-01', '--end', '2026-06-30']);
    const july = await run(['supervision', 'progress', '--supervisee', '2'], { now: at('2026-07-20') });
    const rows = parseCsv(july.stdout);
    expect(rows.map((x) => [x['period'], x['minimum_hours'], x['status']])).toEqual([
      ['2026-01', '4.00', 'ok'],
      ['2026-02', '4.00', 'ok'],
      ['2026-03', '4.00', 'ok'],
      ['2026-04', '4.00', 'ok'],
      ['2026-05', '4.00', 'ok'],
      ['2026-06', '4.00', 'ok'],
      ['TOTAL', null, 'on-track'].map((v) => v ?? ''),
    ]);
    expect(rows.at(-1)!['reason']).toBe('group share 0.00 (at most 0.50); 6 of 18 months; 0.00 of 3000.00 h of experience; the plan ended on 2026-06-30');
    expect(await behind(db, '2026-07-20')).toEqual([]);
    expect(await behind(db, '2027-03-01')).toEqual([]);
    await ok(['supervision', 'plan', '2', '--no-end']);
    const open = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'], { now: at('2026-07-20') })).stdout);
    expect(open.slice(-2).map((x) => [x['period'], x['status']])).toEqual([
      ['2026-07', 'in-progress'],
      ['TOTAL', 'on-track'],
    ]);
    const aug = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'], { now: at('2026-08-05') })).stdout);
    expect(aug.slice(-3).map((x) => [x['period'], x['status']])).toEqual([
      ['2026-07', 'under'],
      ['2026-08', 'in-progress'],
      ['TOTAL', 'behind'],
    ]);
    expect((await behind(db, '2026-08-05')).map((i) => i.detail)).toEqual(['2026-07 under: 0.00 h of supervision, 4.00 h required']);
  });

  it('a first month that starts on the 20th is judged pro rata (11 of 30 days: 1.47 h), and so is a last partial month', async () => {
    const { run, ok } = await world();
    await ok(['supervision', 'plan', '2', '--rules', 'tx-lpc', '--start', '2026-09-20', '--end', '2026-11-10']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1.5', '--date', '2026-09-25']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '4', '--date', '2026-10-15']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-11-05']);
    const rows = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'])).stdout);
    expect(rows.map((x) => [x['period'], x['plan_days'], x['minimum_hours'], x['status'], x['reason']])).toEqual([
      ['2026-09', '11', '1.47', 'ok', '1.50 h of supervision, at least 1.47 h (pro rata: 11 of 30 days in the plan)'],
      ['2026-10', '31', '4.00', 'ok', '4.00 h of supervision, at least 4.00 h'],
      // 10 of 30 days: 4 h × 10/30 = 80 min = 1.33 h; 1 h is under.
      ['2026-11', '10', '1.33', 'under', '1.00 h of supervision, 1.33 h required (pro rata: 10 of 30 days in the plan)'],
      [
        'TOTAL',
        '52',
        '',
        'behind',
        '1 month under (2026-11); group share 0.00 (at most 0.50); 1 of 18 months; 0.00 of 3000.00 h of experience; the plan ended on 2026-11-10',
      ],
    ]);
    // 1.45 h in the first month is under the 88 minutes.
    await ok(['supervision', 'plan', '2', '--start', '2026-09-20']);
    const s2 = await run(['supervision', 'add', '--supervisor', '1', '--supervisee', '3', '--minutes', '87', '--date', '2026-09-25']);
    expect(s2.code).toBe(0);
    await ok(['supervision', 'plan', '3', '--rules', 'tx-lpc', '--start', '2026-09-20', '--end', '2026-09-30']);
    expect(parseCsv((await run(['supervision', 'progress', '--supervisee', '3'])).stdout)[0]).toMatchObject({ minimum_hours: '1.47', status: 'under' });
  });

  it('leave: a month wholly on leave is not judged; a partly covered month is pro rata; two sessions of two supervisees count as individual', async () => {
    const { run, ok } = await world();
    await ok([
      'supervision',
      'plan',
      '2',
      '--rules',
      'tx-lpc',
      '--start',
      '2026-08-01',
      '--end',
      '2026-10-31',
      '--leave',
      '2026-09-01:2026-09-30',
      '--leave',
      '2026-10-01:2026-10-15',
    ]);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '4', '--date', '2026-08-10']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2,3', '--format', 'group', '--hours', '2.5', '--date', '2026-10-20']);
    const rows = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'])).stdout);
    expect(rows.map((x) => [x['period'], x['plan_days'], x['minimum_hours'], x['individual_hours'], x['status']])).toEqual([
      ['2026-08', '31', '4.00', '4.00', 'ok'],
      ['2026-09', '0', '', '0.00', 'leave'],
      ['2026-10', '16', '2.07', '2.50', 'ok'], // 4 h × 16/31 = 123.87 → 124 min
      ['TOTAL', '47', '', '6.50', 'on-track'],
    ]);
    expect(rows[1]!['reason']).toBe('on leave 2026-09-01 to 2026-09-30');
  });
});

describe('ny-lcsw and custom', () => {
  it('ny-lcsw: in-person supervision judged by the pace to 100 h over 36 months; video does not count toward it', async () => {
    const { run, ok } = await world();
    await ok(['supervision', 'plan', '2', '--rules', 'ny-lcsw', '--start', '2026-09-01']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '3', '--date', '2026-09-10']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '3', '--date', '2026-10-10', '--modality', 'video']);
    const rows = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'])).stdout);
    // 36 months from 2026-09-01 = 1096 days. By 2026-09-30 (30 days): 6000 × 30/1096 = 164 min = 2.73 h; by 2026-10-31
    // (61 days): 334 min = 5.57 h; by today, 2026-11-23 (84 days): 460 min = 7.67 h.
    expect(rows.map((x) => [x['period'], x['status'], x['reason']])).toEqual([
      ['2026-09', 'ok', '3.00 h of in-person supervision so far (2.73 h expected at an even pace)'],
      ['2026-10', 'behind', '3.00 h of in-person supervision so far, 5.57 h expected at an even pace to 100.00 h over 36 months'],
      ['2026-11', 'behind', '3.00 h of in-person supervision so far, 7.67 h expected at an even pace to 100.00 h over 36 months'],
      ['TOTAL', 'behind', '2 months behind (2026-10, 2026-11); 2 of 36 months; 3.00 of 100.00 h of in-person supervision; 0.00 of 2000.00 h of experience'],
    ]);
  });

  it('custom: the flags of supervision progress; --required-hours replaces the total', async () => {
    const { run, ok } = await world();
    await ok(['supervision', 'plan', '2', '--rules', 'custom', '--start', '2026-10-01', '--required-hours', '20']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '2', '--date', '2026-10-10']);
    const four = parseCsv((await run(['supervision', 'progress', '--supervisee', '2'])).stdout);
    expect(four.map((x) => [x['period'], x['status']])).toEqual([
      ['2026-10', 'under'],
      ['2026-11', 'in-progress'],
      ['TOTAL', 'behind'],
    ]);
    const two = parseCsv((await run(['supervision', 'progress', '--supervisee', '2', '--monthly-min-hours', '2'])).stdout);
    expect(two.map((x) => [x['period'], x['status']])).toEqual([
      ['2026-10', 'ok'],
      ['2026-11', 'in-progress'],
      ['TOTAL', 'on-track'],
    ]);
    expect(two.at(-1)!['reason']).toBe('group share 0.00 (at most 0.50); 2.00 of 20.00 h of supervision');
  });
});

describe('supervision plan: set, show, change, refuse', () => {
  it('shows the plan, changes it (audited), adds and clears leave', async () => {
    const { db, run, ok } = await world();
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-03-04']);
    await ok(['supervision', 'plan', 'ana@example.org', '--rules', 'tx-lpc']); // start: the first session
    const header = 'id,supervisee_id,supervisee,rules,rule_set,period,start_date,end_date,required_hours,leave';
    expect((await run(['supervision', 'plan', '2'])).stdout).toBe(`${header}\n1,2,Ana Okafor,tx-lpc,Texas LPC Associate,month,2026-03-04,,,\n`);
    await ok(['supervision', 'plan', '2', '--leave', '2026-07-01:2026-07-31', '--required-hours', '3500', '--end', '2027-12-31']);
    await ok(['supervision', 'plan', '2', '--leave', '2026-09-01:2026-09-10', '--leave', '2026-07-01:2026-07-31']);
    expect((await run(['supervision', 'plan', '2'])).stdout).toBe(
      `${header}\n1,2,Ana Okafor,tx-lpc,Texas LPC Associate,month,2026-03-04,2027-12-31,3500.00,2026-07-01:2026-07-31 2026-09-01:2026-09-10\n`,
    );
    const same = await run(['supervision', 'plan', '2', '--rules', 'tx-lpc']);
    expect(same.stderr).toContain('No change to the tx-lpc plan');
    await ok(['supervision', 'plan', '2', '--clear-leave', '--no-required-hours', '--rules', 'ca-bbs']);
    expect(parseCsv((await run(['supervision', 'plan', '2'])).stdout)[0]).toMatchObject({ rules: 'ca-bbs', period: 'week', required_hours: '', leave: '' });
    const audit = await query<{ action: string; changes: string }>(db, "SELECT action, changes FROM audit_log WHERE entity = 'supervision_plan' ORDER BY id");
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'update']);
    expect(JSON.parse(audit[2]!.changes)).toEqual({ leave: ['2026-07-01:2026-07-31', '2026-07-01:2026-07-31,2026-09-01:2026-09-10'] });
    expect(JSON.parse(audit[3]!.changes)).toMatchObject({ rules: ['tx-lpc', 'ca-bbs'], required_minutes: [210000, null] });
    expect(JSON.parse((await run(['supervision', 'plan', '2', '--json'])).stdout)).toEqual([
      {
        id: 1,
        supervisee_id: 2,
        supervisee: 'Ana Okafor',
        rules: 'ca-bbs',
        rule_set: 'California BBS associate (LMFT/LCSW/LPCC)',
        period: 'week',
        start_date: '2026-03-04',
        end_date: '2027-12-31',
        required_hours: null,
        leave: '',
      },
    ]);
  });

  it('refuses bad input with one line and its exit code, and writes nothing', async () => {
    const { db, run, ok } = await world();
    await ok(['supervision', 'plan', '2', '--rules', 'tx-lpc', '--start', '2026-01-01']);
    const before = await dbHash(db);
    const cases: [string[], number, string][] = [
      [['supervision', 'plan', '3'], 2, 'has no licensure plan yet: give --rules'],
      [['supervision', 'plan', '3', '--rules', 'fl-lmhc'], 2, 'fl-lmhc'],
      [['supervision', 'plan', '2', '--end', '2025-12-31'], 3, "the plan's end 2025-12-31 is before its start 2026-01-01"],
      [['supervision', 'plan', '2', '--start', '2026-02-31'], 3, '--start'],
      [['supervision', 'plan', '2', '--leave', '2026-03-01'], 3, 'invalid --leave "2026-03-01" (expected FROM:TO'],
      [['supervision', 'plan', '2', '--leave', '2026-03-10:2026-03-01'], 3, 'it ends before it starts'],
      [['supervision', 'plan', '2', '--leave', '2026-03-01:2026-03-10', '--leave', '2026-03-10:2026-03-20'], 3, 'overlaps leave 2026-03-01:2026-03-10'],
      [['supervision', 'plan', '2', '--leave', '2025-03-01:2025-03-10'], 3, 'lies outside the plan'],
      [['supervision', 'plan', '2', '--required-hours', '0'], 3, '--required-hours must be more than 0'],
      [['supervision', 'plan', '2', '--required-hours', 'lots'], 3, '--required-hours'],
      [['supervision', 'plan', 'nobody@example.org', '--rules', 'tx-lpc'], 4, 'nobody@example.org'],
      [['supervision', 'plan'], 2, 'SUPERVISEE'],
    ];
    for (const [args, code, msg] of cases) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(msg);
    }
    expect(await dbHash(db)).toBe(before);
    const noPlan = await run(['report', 'supervision', '--supervisee', '3', '--by-period']);
    expect(noPlan.code).toBe(5);
    expect(noPlan.stderr).toContain('Ben Lee has no licensure plan');
  });
});

describe('the judge (pure)', () => {
  it('ISO weeks start on Monday; a week across the new year takes the year of its Thursday', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(isoWeekLabel('2026-11-23')).toBe('2026-W48');
    expect(periodOf('week', '2027-01-01')).toEqual({ label: '2026-W53', start: '2026-12-28', end: '2027-01-03' });
    expect(periodOf('week', '2025-12-31')).toEqual({ label: '2026-W01', start: '2025-12-29', end: '2026-01-04' });
    expect(periodOf('month', '2028-02-10')).toEqual({ label: '2028-02', start: '2028-02-01', end: '2028-02-29' });
  });

  it('the running period is judged only once it is over: on its last day it is still in progress', () => {
    const tx = ruleSet('tx-lpc');
    const plan = { rules: tx, start: '2026-10-01', end: null, leaves: [] };
    expect(judgePlan(plan, [], new Map(), '2026-10-31').periods.map((p) => p.status)).toEqual(['in-progress']);
    expect(judgePlan(plan, [], new Map(), '2026-11-01').periods.map((p) => p.status)).toEqual(['under', 'in-progress']);
  });

  it('ca-bbs: exactly 10 h of direct client contact needs one unit; a minute more needs two', () => {
    const ca = ruleSet('ca-bbs');
    const plan = { rules: ca, start: '2026-09-07', end: '2026-09-13', leaves: [] };
    const one = [{ id: 1, date: '2026-09-08', minutes: 60, format: 'individual' as const, modality: 'in-person' as const, attendees: 1, licensed: true }];
    const ten = judgePlan(plan, one, new Map([['2026-09-08', 600]]), '2026-11-23').periods[0]!;
    expect([ten.status, ten.pointsRequired]).toEqual(['ok', 120]);
    const more = judgePlan(plan, one, new Map([['2026-09-08', 601]]), '2026-11-23').periods[0]!;
    expect([more.status, more.pointsRequired]).toEqual(['under', 240]);
    // 40 h is credited whole; 40 h and a minute is over.
    const forty = judgePlan(plan, [...one, { ...one[0]!, id: 2 }], new Map([['2026-09-08', 2400]]), '2026-11-23').periods[0]!;
    expect(forty.status).toBe('ok');
    expect(judgePlan(plan, [...one, { ...one[0]!, id: 2 }], new Map([['2026-09-08', 2401]]), '2026-11-23').periods[0]!.status).toBe('over');
  });

  it('a plan starting in the future has nothing judged yet; exactly the minimum is ok', () => {
    const tx = ruleSet('tx-lpc');
    expect(judgePlan({ rules: tx, start: '2026-12-01', end: null, leaves: [] }, [], new Map(), '2026-11-23').status).toBe('not-started');
    const r = judgePlan(
      { rules: tx, start: '2026-10-01', end: '2026-10-31', leaves: [] },
      [{ id: 1, date: '2026-10-02', minutes: 240, format: 'individual', modality: 'in-person', attendees: 1, licensed: true }],
      new Map(),
      '2026-11-23',
    );
    expect(r.periods.map((p) => p.status)).toEqual(['ok']);
    const unlicensed = judgePlan(
      { rules: tx, start: '2026-10-01', end: '2026-10-31', leaves: [] },
      [{ id: 1, date: '2026-10-02', minutes: 240, format: 'individual', modality: 'in-person', attendees: 1, licensed: false }],
      new Map(),
      '2026-11-23',
    );
    expect(unlicensed.periods[0]).toMatchObject({ status: 'under', minutes: 0 });
  });
});

describe('backup and restore', () => {
  it('plans and their leave go through db backup and db restore', async () => {
    const { run, ok } = await world();
    await ok(['supervision', 'plan', '2', '--rules', 'ca-bbs', '--start', '2026-09-07', '--leave', '2026-10-01:2026-10-14']);
    await ok(['supervision', 'add', '--supervisor', '1', '--supervisee', '2', '--hours', '1', '--date', '2026-09-08']);
    const before = [(await run(['supervision', 'plan', '2'])).stdout, (await run(['supervision', 'progress', '--supervisee', '2'])).stdout];
    const { dir } = await tmpDb({ create: false });
    await ok(['db', 'backup', `${dir}/b.db`]);
    const other = await tmpDb();
    const run2 = withDb(other.db);
    expect((await run2(['db', 'restore', `${dir}/b.db`, '--yes'])).code).toBe(0);
    expect([(await run2(['supervision', 'plan', '2'])).stdout, (await run2(['supervision', 'progress', '--supervisee', '2'])).stdout]).toEqual(before);
    expect((await run2(['supervision', 'plan', '3', '--rules', 'tx-lpc'])).stdout).toBe('2\n');
  });
});
