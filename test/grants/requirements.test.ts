/**
 * Issue 21: what a grant still requires. Requirements (require / fulfil / requirements), overdue
 * scheduled disbursements flagged in `grants list` / `grants show`, service deadlines, the prorated
 * repayment of a cancelled grant's unmet service commitment, and the `ngo status` sources. The fixed
 * "today" of the tests is 2026-11-23 (helpers NOW).
 */
import { describe, expect, it } from 'vitest';
import { dbHash, mustSucceed, parseCsv, query, testConn, tmpDb, withDb } from '../helpers.js';
import { disbursementStatusItems, grantStatusItems, requirementStatusItems, serviceCommitmentStatusItems } from '../../src/reports/grants-status.js';
import { repaymentCents, serviceSchedule } from '../../src/domain/grants.js';

const LIST_HEADER =
  'id,grantee_id,grantee,funder_code,program_code,purpose,awarded_on,amount,currency,paid,scheduled,remaining,status,service_commitment_hours,service_hours_logged,service_hours_remaining,service_by,overdue_scheduled,requirements_open,requirements_overdue,repayment_owed,flags';
const REQ_HEADER = 'id,grant_id,grantee,type,due_on,fulfilled_on,status,note';

/** Ana (#1) with grant #1: 1000.00 awarded 2026-01-15, 500.00 paid, 250.00 scheduled for 2026-09-01 (overdue). */
async function world() {
  const { db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org']);
  await ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
  await ok(['grants', 'award', '1', '--amount', '1000', '--purpose', 'Exam', '--date', '2026-01-15']);
  await ok(['grants', 'disburse', '1', '--amount', '500', '--date', '2026-02-01']);
  await ok(['grants', 'disburse', '1', '--amount', '250', '--scheduled', '--date', '2026-09-01']);
  return { db, run, ok };
}

async function withConn<T>(db: string, f: (c: Awaited<ReturnType<typeof testConn>>) => Promise<T>): Promise<T> {
  const c = await testConn(db);
  try {
    return await f(c);
  } finally {
    await c.close();
  }
}

describe('grants require / fulfil / requirements', () => {
  it('records requirements, lists them with their status by due date, fulfils one; each write audited', async () => {
    const { db, run, ok } = await world();
    const r1 = await run(['grants', 'require', '1', '--type', 'report', '--due', '2026-10-01', '--note', 'mid-term report']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout).toBe('1\n');
    expect(r1.stderr).toContain('Required a report on grant #1, due 2026-10-01 (mid-term report) — requirement #1');
    await ok(['grants', 'require', '1', '--type', 'document', '--due', '2026-12-10']); // within 30 days: due
    await ok(['grants', 'require', '#1', '--type', 'MILESTONE', '--due', '2027-03-01']); // open
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-11-23']); // today: due, not overdue
    expect((await run(['grants', 'requirements'])).stdout).toBe(
      `${REQ_HEADER}\n` +
        '1,1,Ana Okafor,report,2026-10-01,,overdue,mid-term report\n' +
        '4,1,Ana Okafor,report,2026-11-23,,due,\n' +
        '2,1,Ana Okafor,document,2026-12-10,,due,\n' +
        '3,1,Ana Okafor,milestone,2027-03-01,,open,\n',
    );
    expect((await run(['grants', 'requirements', '--overdue'])).stdout).toBe(`${REQ_HEADER}\n1,1,Ana Okafor,report,2026-10-01,,overdue,mid-term report\n`);
    const f = await run(['grants', 'fulfil', '1', '--date', '2026-10-05']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toBe('1\n');
    expect(f.stderr).toContain('Fulfilled report #1 of grant #1 on 2026-10-05 (2026-10-01 was the due date)');
    expect((await run(['grants', 'requirements', '1', '--overdue'])).stdout).toBe(`${REQ_HEADER}\n`);
    const j = JSON.parse((await run(['grants', 'fulfil', '2', '--json'])).stdout);
    expect(j).toEqual({
      id: 2,
      grant_id: 1,
      grantee: 'Ana Okafor',
      type: 'document',
      due_on: '2026-12-10',
      fulfilled_on: '2026-11-23',
      status: 'fulfilled',
      note: null,
    });
    const audit = await query<{ action: string; entity_id: number; changes: string }>(
      db,
      "SELECT action, entity_id, changes FROM audit_log WHERE entity = 'grant_requirement' ORDER BY id",
    );
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['create', 1],
      ['create', 2],
      ['create', 3],
      ['create', 4],
      ['fulfil', 1],
      ['fulfil', 2],
    ]);
    expect(JSON.parse(audit[4]!.changes)).toEqual({ fulfilled_on: [null, '2026-10-05'] });
  });

  it('refuses bad input with its exit code and one line, and changes nothing', async () => {
    const { db, run, ok } = await world();
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-10-01']);
    await ok(['grants', 'fulfil', '1', '--date', '2026-10-02']);
    const before = await dbHash(db);
    const cases: [string[], number, string][] = [
      [['grants', 'require', '1', '--type', 'invoice', '--due', '2026-12-01'], 3, 'invalid --type "invoice" (expected report, milestone, document)'],
      [['grants', 'require', '1', '--type', 'report', '--due', '2026-02-30'], 3, '--due'],
      [['grants', 'require', '1', '--type', 'report', '--due', '2025-12-31'], 3, 'due date 2025-12-31 is before the award date 2026-01-15'],
      [['grants', 'require', '1', '--type', 'report'], 2, '--due'],
      [['grants', 'require', '9', '--type', 'report', '--due', '2026-12-01'], 4, 'no grant #9'],
      [['grants', 'require', 'x', '--type', 'report', '--due', '2026-12-01'], 2, 'invalid grant id'],
      [['grants', 'require', '1', '--type', 'report', '--due', '2026-12-01', '--note', 'bad\u001b[31m'], 3, ''],
      [['grants', 'fulfil', '1'], 5, 'requirement #1 was already fulfilled on 2026-10-02'],
      [['grants', 'fulfil', '7'], 4, 'no requirement #7'],
      [['grants', 'fulfil', '0'], 2, 'invalid requirement id'],
      [['grants', 'requirements', '5'], 4, 'no grant #5'],
    ];
    for (const [args, code, msg] of cases) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^ngo: error: /);
    }
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-12-01']);
    const after2 = await dbHash(db);
    for (const [args, code] of [
      [['grants', 'fulfil', '2', '--date', '2026-11-24'], 3], // future
      [['grants', 'fulfil', '2', '--date', '2026-01-01'], 3], // before the award
    ] as [string[], number][]) {
      expect((await run(args)).code).toBe(code);
    }
    expect(await dbHash(db)).toBe(after2);
    expect(before).not.toBe(after2);
    // A cancelled grant takes no new requirement (exit 5); its open ones are waived.
    await ok(['grants', 'close', '1', '--status', 'cancelled', '--yes']);
    const c = await run(['grants', 'require', '1', '--type', 'report', '--due', '2026-12-31']);
    expect(c.code).toBe(5);
    expect(c.stderr).toContain('grant #1 was cancelled on 2026-11-23; nothing more can be required of it');
    expect(parseCsv((await run(['grants', 'requirements'])).stdout).map((r) => r['status'])).toEqual(['fulfilled', 'waived']);
  });
});

describe('overdue tranches and requirements in grants list / show and in ngo status', () => {
  it('a requirement past its due date and a tranche past its date appear in grants show, grants list and the status sources', async () => {
    const { db, ok, run } = await world();
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-10-01', '--note', 'mid-term']);
    await ok(['grants', 'award', '1', '--amount', '300', '--purpose', 'Books', '--date', '2026-11-01']);
    await ok(['grants', 'disburse', '2', '--amount', '100', '--scheduled', '--date', '2026-12-23']); // in 30 days: due
    await ok(['grants', 'disburse', '2', '--amount', '100', '--scheduled', '--date', '2026-12-24']); // 31 days: neither
    const show = (await run(['grants', 'show', '1'])).stdout;
    expect(show).toBe(
      `${LIST_HEADER}\n` +
        '1,1,Ana Okafor,,,Exam,2026-01-15,1000.00,USD,500.00,250.00,500.00,active,,0.00,,,250.00,1,1,,disbursement #2 of 250.00 overdue since 2026-09-01; report #1 overdue since 2026-10-01\n' +
        '\n' +
        'id,date,amount,status,reference,cancel_reason,flag\n' +
        '1,2026-02-01,500.00,paid,,,\n' +
        '2,2026-09-01,250.00,scheduled,,,overdue\n' +
        '\n' +
        `${REQ_HEADER}\n` +
        '1,1,Ana Okafor,report,2026-10-01,,overdue,mid-term\n',
    );
    const table = (await run(['grants', 'show', '1'], { tty: true, env: { NO_COLOR: '1' } })).stdout;
    expect(table).toMatch(/flags\s+disbursement #2 of 250\.00 overdue since 2026-09-01; report #1 overdue since 2026-10-01/);
    expect(table).toMatch(/2\s+2026-09-01\s+250\.00\s+scheduled\s+overdue/);
    expect(table).toMatch(/Requirements\n.*\n\s*1\s+1\s+Ana Okafor\s+report\s+2026-10-01\s+overdue\s+mid-term/);
    const list = parseCsv((await run(['grants', 'list'])).stdout);
    expect(list.map((r) => [r['id'], r['overdue_scheduled'], r['requirements_open'], r['requirements_overdue']])).toEqual([
      ['1', '250.00', '1', '1'],
      ['2', '0.00', '0', '0'],
    ]);
    const json = JSON.parse((await run(['grants', 'show', '1', '--json'])).stdout)[0];
    expect(json.requirements).toEqual([
      { id: 1, grant_id: 1, grantee: 'Ana Okafor', type: 'report', due_on: '2026-10-01', fulfilled_on: null, status: 'overdue', note: 'mid-term' },
    ]);
    expect(json.disbursements[1]).toMatchObject({ id: 2, flag: 'overdue' });

    const items = await withConn(db, (c) => grantStatusItems(c, { today: '2026-11-23' }));
    expect(items).toEqual([
      {
        area: 'disbursements',
        severity: 'overdue',
        subject: 'grant #1 Ana Okafor — Exam',
        detail: 'scheduled disbursement #2 of 250.00 was due on 2026-09-01 and is not paid',
        due_date: '2026-09-01',
        command: 'ngo grants pay 2',
      },
      {
        area: 'disbursements',
        severity: 'due',
        subject: 'grant #2 Ana Okafor — Books',
        detail: 'scheduled disbursement #3 of 100.00 is due on 2026-12-23',
        due_date: '2026-12-23',
        command: 'ngo grants pay 3',
      },
      {
        area: 'requirements',
        severity: 'overdue',
        subject: 'grant #1 Ana Okafor — Exam',
        detail: 'report #1 (mid-term) was due on 2026-10-01',
        due_date: '2026-10-01',
        command: 'ngo grants fulfil 1',
      },
    ]);
    // Paying the tranche and fulfilling the report clears both.
    await ok(['grants', 'pay', '2', '--date', '2026-11-20']);
    await ok(['grants', 'fulfil', '1']);
    expect((await withConn(db, (c) => requirementStatusItems(c, { today: '2026-11-23' }))).length).toBe(0);
    expect((await withConn(db, (c) => disbursementStatusItems(c, { today: '2026-11-23' }))).map((i) => i.due_date)).toEqual(['2026-12-23']);
    expect(parseCsv((await run(['grants', 'show', '1'])).stdout.split('\n\n')[0]!)[0]!['flags']).toBe('');
  });

  it('the tranche dated today is due, not overdue; a cancelled grant has no items', async () => {
    const { db, ok } = await world();
    expect((await withConn(db, (c) => disbursementStatusItems(c, { today: '2026-09-01' })))[0]!.severity).toBe('due');
    expect((await withConn(db, (c) => disbursementStatusItems(c, { today: '2026-09-02' })))[0]!.severity).toBe('overdue');
    expect(await withConn(db, (c) => disbursementStatusItems(c, { today: '2026-08-01' }))).toEqual([]); // 31 days ahead
    expect((await withConn(db, (c) => disbursementStatusItems(c, { today: '2026-08-02' }))).length).toBe(1); // 30 days ahead
    await ok(['grants', 'close', '1', '--status', 'cancelled', '--yes']);
    expect(await withConn(db, (c) => grantStatusItems(c, { today: '2026-11-23' }))).toEqual([]);
  });
});

describe('service commitments: --service-by, behind schedule, repayment on cancellation', () => {
  async function committed() {
    const { db } = await tmpDb();
    const run = withDb(db);
    const ok = mustSucceed(run);
    await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org']);
    await ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
    const a = await run([
      'grants',
      'award',
      '1',
      '--amount',
      '1000',
      '--purpose',
      'Exam',
      '--date',
      '2026-01-15',
      '--service-hours',
      '100',
      '--service-by',
      '2026-12-31',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('100.00 h of service committed by 2026-12-31 — grant #1');
    await ok(['grants', 'disburse', '1', '--amount', '600', '--date', '2026-02-01']);
    return { db, run, ok };
  }

  it('cancelling with 30 of 100 committed hours served records a repayment of 70% of the paid amount, shown and audited', async () => {
    const { db, run, ok } = await committed();
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '12', '--date', '2026-03-01']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '18', '--date', '2026-06-01']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '5', '--date', '2026-01-10']); // before the award: not service
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '4', '--date', '2026-06-02', '--pending']); // not approved
    const c = await run(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'left the program', '--date', '2026-07-01', '--yes']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toContain(
      'Closed grant #1 as cancelled on 2026-07-01; repayment owed: 420.00 (600.00 paid × 70.00 of 100.00 committed hours unmet, as of 2026-07-01)',
    );
    expect(await query(db, 'SELECT grant_id, computed_on, paid, committed_minutes, served_minutes, amount FROM grant_repayments')).toEqual([
      { grant_id: 1, computed_on: '2026-07-01', paid: 60000, committed_minutes: 6000, served_minutes: 1800, amount: 42000 },
    ]);
    const audit = await query<{ action: string; changes: string }>(db, "SELECT action, changes FROM audit_log WHERE entity = 'grant_repayment'");
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(JSON.parse(audit[0]!.changes)).toMatchObject({ amount: [null, 42000], served_minutes: [null, 1800], paid: [null, 60000] });
    const row = parseCsv((await run(['grants', 'list'])).stdout)[0]!;
    expect(row).toMatchObject({ status: 'cancelled', service_by: '2026-12-31', repayment_owed: '420.00', flags: 'repayment of 420.00 owed' });
    const table = (await run(['grants', 'show', '1'], { tty: true, env: { NO_COLOR: '1' } })).stdout;
    expect(table).toContain('repayment                 420.00 (600.00 paid × 70.00 of 100.00 committed hours unmet, as of 2026-07-01)');
    // Hours logged after the closing date do not change what was recorded.
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '20', '--date', '2026-08-01']);
    expect(parseCsv((await run(['grants', 'list'])).stdout)[0]!['repayment_owed']).toBe('420.00');
    // The grants report keeps its columns.
    expect((await run(['report', 'grants'])).stdout.split('\n')[0]).toBe(
      'grant_id,grantee,funder_code,program_code,purpose,awarded_on,amount,currency,disbursed_to_date,disbursed_in_period,remaining,status,service_commitment_hours,service_hours_logged',
    );
  });

  it('no repayment when the commitment is met, when closed as completed, or without a commitment; rounding half away from zero', async () => {
    const { db, run, ok } = await committed();
    await ok(['grants', 'close', '1', '--status', 'completed', '--yes']);
    await ok(['grants', 'award', '1', '--amount', '100', '--purpose', 'B', '--date', '2026-01-15', '--service-hours', '3']);
    await ok(['grants', 'disburse', '2', '--amount', '0.05', '--date', '2026-01-20']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '1', '--date', '2026-02-01']);
    // 0.05 × 2/3 = 0.0333… → 0.03
    const c2 = await run(['grants', 'close', '2', '--status', 'cancelled', '--yes', '--date', '2026-03-01']);
    expect(c2.stderr).toContain('repayment owed: 0.03 (0.05 paid × 2.00 of 3.00 committed hours unmet');
    await ok(['grants', 'award', '1', '--amount', '100', '--purpose', 'C', '--date', '2026-01-15']);
    await ok(['grants', 'close', '3', '--status', 'cancelled', '--yes']);
    await ok(['grants', 'award', '1', '--amount', '100', '--purpose', 'D', '--date', '2026-01-15', '--service-hours', '1']);
    await ok(['grants', 'disburse', '4', '--amount', '50', '--date', '2026-01-20']);
    const c4 = await run(['grants', 'close', '4', '--status', 'cancelled', '--yes']);
    expect(c4.stderr).not.toContain('repayment');
    expect((await query(db, 'SELECT grant_id, amount FROM grant_repayments ORDER BY grant_id')).map((r) => [r['grant_id'], r['amount']])).toEqual([[2, 3]]);
    expect(repaymentCents(1, 2, 1)).toBe(1); // 0.5 cent → 1
    expect(repaymentCents(60000, 6000, 7000)).toBe(0);
  });

  it('--service-by needs a commitment and a date on or after the award (exit 3, nothing written)', async () => {
    const { db, run } = await committed();
    const before = await dbHash(db);
    const a = await run(['grants', 'award', '1', '--amount', '10', '--purpose', 'x', '--service-by', '2027-01-01']);
    expect(a.code).toBe(3);
    expect(a.stderr).toContain('--service-by needs --service-hours');
    const b = await run([
      'grants',
      'award',
      '1',
      '--amount',
      '10',
      '--purpose',
      'x',
      '--date',
      '2026-05-01',
      '--service-hours',
      '5',
      '--service-by',
      '2026-04-30',
    ]);
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('--service-by 2026-04-30 is before the award date 2026-05-01');
    expect((await run(['grants', 'award', '1', '--amount', '10', '--purpose', 'x', '--service-hours', '5', '--service-by', '2026-13-01'])).code).toBe(3);
    expect(await dbHash(db)).toBe(before);
  });

  it('a commitment behind an even pace is due, one past its deadline is overdue; met or cancelled ones are not listed', async () => {
    const { db, ok } = await committed();
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '10', '--date', '2026-03-01']);
    const items = await withConn(db, (c) => serviceCommitmentStatusItems(c, { today: '2026-11-23' }));
    // 2026-01-15 → 2026-12-31 is 350 days; 312 elapsed: 6000 min × 312/350 = 5348.57 → 5349 min = 89.15 h expected.
    expect(items).toEqual([
      {
        area: 'service',
        severity: 'due',
        subject: 'grant #1 Ana Okafor — Exam',
        detail: '10.00 of 100.00 committed hours logged; 89.15 h expected by now for 2026-12-31',
        due_date: '2026-12-31',
        command: 'ngo grants show 1',
      },
    ]);
    const late = await withConn(db, (c) => serviceCommitmentStatusItems(c, { today: '2027-01-01' }));
    expect(late.map((i) => [i.severity, i.detail])).toEqual([['overdue', '10.00 of 100.00 committed hours logged; the deadline was 2026-12-31']]);
    // 34 days in: 6000 × 34/350 = 582.86 → 583 min expected, 600 logged: on pace; 36 days in: 617 expected, behind.
    expect(await withConn(db, (c) => serviceCommitmentStatusItems(c, { today: '2026-02-18' }))).toEqual([]);
    expect((await withConn(db, (c) => serviceCommitmentStatusItems(c, { today: '2026-02-20' }))).map((i) => i.severity)).toEqual(['due']);
    expect(serviceSchedule({ committedMinutes: 6000, loggedMinutes: 600, awardedOn: '2026-01-15', serviceBy: '2026-12-31' }, '2026-02-18')).toEqual({
      state: 'on-pace',
      expected: 583,
    });
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '24', '--date', '2026-04-01']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '24', '--date', '2026-04-02']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '24', '--date', '2026-04-03']);
    await ok(['hours', 'log', '1', '--program', 'TRAIN', '--hours', '18', '--date', '2026-04-04']);
    expect(await withConn(db, (c) => serviceCommitmentStatusItems(c, { today: '2027-01-01' }))).toEqual([]); // 100 h logged: met
  });
});

describe('backup and restore', () => {
  it('requirements, service deadlines and repayments go through db backup and db restore', async () => {
    const { run, ok } = await world();
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-10-01', '--note', 'mid-term']);
    await ok(['grants', 'award', '1', '--amount', '400', '--purpose', 'B', '--date', '2026-01-15', '--service-hours', '10', '--service-by', '2026-06-30']);
    await ok(['grants', 'disburse', '2', '--amount', '200', '--date', '2026-01-20']);
    await ok(['grants', 'close', '2', '--status', 'cancelled', '--yes']);
    const shows = async (r: typeof run) => [(await r(['grants', 'show', '1'])).stdout, (await r(['grants', 'show', '2'])).stdout];
    const before = await shows(run);
    expect(before[1]).toContain(',cancelled,10.00,0.00,10.00,2026-06-30,0.00,0,0,200.00,repayment of 200.00 owed\n');
    const { dir } = await tmpDb({ create: false });
    const file = `${dir}/backup.db`;
    await ok(['db', 'backup', file]);
    const other = await tmpDb();
    const run2 = withDb(other.db);
    expect((await run2(['db', 'restore', file, '--yes'])).code).toBe(0);
    expect(await shows(run2)).toEqual(before);
    // New records after a restore take new ids.
    expect((await run2(['grants', 'require', '1', '--type', 'document', '--due', '2026-12-31'])).stdout).toBe('2\n');
  });
});

describe('second attack findings (issues 19 and 21 together)', () => {
  it('a grant paid in full whose grantee served nothing can be cancelled: the repayment is the whole amount paid', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const ok = mustSucceed(run);
    await ok(['people', 'add', '--first', 'Rae', '--email', 'rae@example.org']);
    await ok(['grants', 'award', '1', '--amount', '600', '--purpose', 'full', '--date', '2026-05-01', '--service-hours', '100', '--service-by', '2026-11-01']);
    await ok(['grants', 'disburse', '1', '--amount', '600', '--date', '2026-05-02']);
    expect(parseCsv((await run(['grants', 'list'])).stdout)[0]!['status']).toBe('completed');
    const c = await run(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'left', '--yes']);
    expect(c.code, c.stderr).toBe(0);
    expect(await query(db, 'SELECT paid, committed_minutes, served_minutes, amount FROM grant_repayments')).toEqual([
      { paid: 60000, committed_minutes: 6000, served_minutes: 0, amount: 60000 },
    ]);
    // Without a commitment, a completed grant stays closed to changes (exit 5).
    await ok(['grants', 'award', '1', '--amount', '100', '--purpose', 'books', '--date', '2026-05-01']);
    await ok(['grants', 'disburse', '2', '--amount', '100', '--date', '2026-05-02']);
    const before = await dbHash(db);
    expect((await run(['grants', 'close', '2', '--status', 'cancelled', '--yes'])).code).toBe(5);
    expect(await dbHash(db)).toBe(before);
  });

  it('grants edit keeps the dates together: no deadline or requirement before the award; --service-by edits; no commitment, no deadline', async () => {
    const { db, run, ok } = await world();
    await ok(['grants', 'award', '1', '--amount', '100', '--purpose', 'sb', '--date', '2026-03-01', '--service-hours', '10', '--service-by', '2026-06-30']);
    await ok(['grants', 'require', '2', '--type', 'report', '--due', '2026-04-01']);
    const before = await dbHash(db);
    const late = await run(['grants', 'edit', '2', '--date', '2026-05-15']);
    expect(late.code).toBe(3);
    expect(late.stderr).toContain('award date 2026-05-15 is after the due date of requirement #1 (2026-04-01)');
    const past = await run(['grants', 'edit', '2', '--date', '2026-03-20', '--service-by', '2026-03-10']);
    expect(past.code).toBe(3);
    expect(await dbHash(db)).toBe(before);
    expect((await run(['grants', 'edit', '2', '--service-by', '2026-09-30', '--reason', 'extended'])).code).toBe(0);
    expect(await query(db, 'SELECT service_by FROM grants WHERE id = 2')).toEqual([{ service_by: '2026-09-30' }]);
    expect((await run(['grants', 'edit', '2', '--service-hours', ''])).code).toBe(0);
    expect(await query(db, 'SELECT service_minutes, service_by FROM grants WHERE id = 2')).toEqual([{ service_minutes: null, service_by: null }]);
  });

  it('a waived requirement cannot be fulfilled (exit 5)', async () => {
    const { db, run, ok } = await world();
    await ok(['grants', 'require', '1', '--type', 'report', '--due', '2026-10-01']);
    await ok(['grants', 'close', '1', '--status', 'cancelled', '--yes']);
    const before = await dbHash(db);
    const f = await run(['grants', 'fulfil', '1', '--date', '2026-11-01']);
    expect(f.code).toBe(5);
    expect(f.stderr).toContain('requirement #1 was waived when grant #1 was cancelled');
    expect(await dbHash(db)).toBe(before);
  });

  it('a meeting for an archived mentee is refused (exit 5); meetings of a pairing that does not exist is exit 4', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const ok = mustSucceed(run);
    await ok(['people', 'add', '--first', 'Mo', '--email', 'mo@example.org', '--roles', 'mentor']);
    await ok(['people', 'add', '--first', 'Li', '--email', 'li@example.org', '--roles', 'mentee']);
    await ok(['mentorship', 'pair', 'mo@example.org', 'li@example.org', '--start', '2026-01-10']);
    await ok(['people', 'archive', 'li@example.org', '--reason', 'moved away', '--yes']);
    const before = await dbHash(db);
    const m = await run(['mentorship', 'meet', '1', '--hours', '1', '--date', '2026-11-01']);
    expect(m.code).toBe(5);
    expect(m.stderr).toContain('is archived; new entries are refused');
    expect(await dbHash(db)).toBe(before);
    const none = await run(['mentorship', 'meetings', '99']);
    expect([none.code, none.stderr.split('\n')[0]]).toEqual([4, 'ngo: error: no pairing #99']);
  });
});
