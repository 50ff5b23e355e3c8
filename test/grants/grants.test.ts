import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dbHash, mustSucceed, parseCsv, query, scriptedPrompter, testConn, tmpDb, withDb } from '../helpers.js';

/** A database with a grantee (#1 Ana), another person (#2 Sam), funder HOPE and program TRAIN. */
async function seeded() {
  const { db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--roles', 'grantee']);
  await ok(['people', 'add', '--first', 'Sam', '--last', 'Lee', '--email', 'sam@example.org']);
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
  await ok(['programs', 'add', 'TRAIN', '--name', 'Practitioner training']);
  return { db, run, ok };
}

/** Hours rows written straight into table `hours` (the fixture of the service-commitment tests). */
async function addHours(db: string, rows: { person: number; date: string; minutes: number; status?: string; voided?: boolean }[]): Promise<void> {
  const conn = await testConn(db);
  const now = '2026-11-23T09:00:00.000Z';
  for (const r of rows)
    await conn.run(
      'INSERT INTO hours(person_id, program_id, date, minutes, status, voided_at, void_reason, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)',
      r.person,
      r.date,
      r.minutes,
      r.status ?? 'approved',
      r.voided ? now : null,
      r.voided ? 'typo' : null,
      now,
      now,
    );
  await conn.close();
}

function audit(db: string): Promise<{ action: string; entity: string; entity_id: number; changes: string | null }[]> {
  return query(db, "SELECT action, entity, entity_id, changes FROM audit_log WHERE entity IN ('grant','disbursement') ORDER BY id");
}

const listRow = async (run: ReturnType<typeof withDb>, id = '1') => JSON.parse((await run(['grants', 'show', id, '--json'])).stdout)[0];

describe('grants award', () => {
  it('awards a grant: id on stdout, summary on stderr, the list row with amounts in cents shown as decimals', async () => {
    const { run } = await seeded();
    const r = await run([
      'grants',
      'award',
      'ana@example.org',
      '--amount',
      '1500',
      '--purpose',
      'LCSW exam fees',
      '--funder',
      'hope',
      '--program',
      'TRAIN',
      '--date',
      '2026-01-15',
      '--service-hours',
      '40',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Awarded 1500.00 USD to Ana Okafor for "LCSW exam fees" on 2026-01-15, 40.00 h of service committed — grant #1');
    const list = await run(['grants', 'list']);
    expect(list.stdout).toBe(
      'id,grantee_id,grantee,funder_code,program_code,purpose,awarded_on,amount,currency,paid,scheduled,remaining,status,service_commitment_hours,service_hours_logged,service_hours_remaining,service_by,overdue_scheduled,requirements_open,requirements_overdue,repayment_owed,flags\n' +
        '1,1,Ana Okafor,HOPE,TRAIN,LCSW exam fees,2026-01-15,1500.00,USD,0.00,0.00,1500.00,awarded,40.00,0.00,40.00,,0.00,0,0,,\n',
    );
  });

  it('defaults: today, the database currency, no funder/program/commitment', async () => {
    const { run } = await seeded();
    expect((await run(['grants', 'award', '2', '--amount', '250.5', '--purpose', 'Workshop'])).code).toBe(0);
    expect(await listRow(run)).toMatchObject({
      grantee: 'Sam Lee',
      awarded_on: '2026-11-23',
      amount: 250.5,
      currency: 'USD',
      funder_code: null,
      program_code: null,
      service_commitment_hours: null,
      service_hours_remaining: null,
    });
  });

  it('refuses bad values (exit 3), archived or unknown references (5 / 4), missing flags without a TTY (exit 2); nothing written', async () => {
    const { db, run, ok } = await seeded();
    await ok(['people', 'add', '--first', 'Old', '--email', 'old@example.org']);
    await ok(['people', 'archive', 'old@example.org', '--reason', 'left', '--yes']);
    await ok(['funders', 'add', 'GONE', '--name', 'Gone Fund']);
    await ok(['funders', 'archive', 'GONE', '--yes']);
    const before = await dbHash(db);
    const base = ['grants', 'award', '1', '--purpose', 'Exam'];
    for (const [args, code, msg] of [
      [[...base, '--amount', '0'], 3, 'must be more than 0'],
      [[...base, '--amount', '12.345'], 3, 'at most 2 decimal places'],
      [[...base, '--amount', '-5'], 3, 'must not be negative'],
      [[...base, '--amount', '10', '--date', '2026-02-30'], 3, 'invalid --date "2026-02-30"'],
      [[...base, '--amount', '10', '--currency', 'EUR'], 3, '--currency EUR differs from the database currency USD'],
      [[...base, '--amount', '10', '--currency', 'euro'], 3, 'invalid --currency "euro"'],
      [[...base, '--amount', '10', '--service-hours', 'forty'], 3, 'invalid --service-hours "forty"'],
      [[...base, '--amount', '10', '--service-hours', '0'], 3, 'must be more than 0'],
      [['grants', 'award', '1', '--amount', '10', '--purpose', '  '], 3, '--purpose cannot be empty'],
      [[...base, '--amount', '10', '--funder', 'GONE'], 5, 'funder GONE is archived'],
      [['grants', 'award', 'old@example.org', '--amount', '10', '--purpose', 'x'], 5, 'is archived'],
      [[...base, '--amount', '10', '--program', 'NOPE'], 4, 'no program with code "NOPE"'],
      [[...base, '--amount', '10', '--funder', 'HOPF'], 4, 'did you mean HOPE'],
      [['grants', 'award', 'nobody@example.org', '--amount', '10', '--purpose', 'x'], 4, 'no person matches "nobody@example.org"'],
      [['grants', 'award', '1'], 2, 'missing required options: --amount, --purpose'],
      [['grants', 'award', '--amount', '10', '--purpose', 'x'], 2, 'missing required option: GRANTEE'],
    ] as [string[], number, string][]) {
      const r = await run(args);
      expect(r.code, args.join(' ') + ' ' + r.stderr).toBe(code);
      expect(r.stderr).toContain(msg);
    }
    expect(await dbHash(db)).toBe(before);
  });

  it('the currency flag matching the database currency (any case) is accepted', async () => {
    const { run } = await seeded();
    expect((await run(['grants', 'award', '1', '--amount', '10', '--purpose', 'x', '--currency', 'usd'])).code).toBe(0);
  });

  it('asks for grantee, amount, purpose, funder, program and commitment on a TTY', async () => {
    const { run } = await seeded();
    const seen: string[] = [];
    const r = await run(['grants', 'award', '--date', '2026-03-01'], {
      tty: true,
      prompter: scriptedPrompter(['Ana', '1200.00', 'MSW tuition', '', '', '', true], seen),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(seen.map((s) => s.split(':')[0])).toEqual(['search', 'input', 'input', 'select', 'select', 'input', 'confirm']);
    expect(await listRow(run)).toMatchObject({ grantee_id: 1, amount: 1200, purpose: 'MSW tuition', awarded_on: '2026-03-01' });
  });
});

describe('grants disburse and pay', () => {
  async function awarded() {
    const s = await seeded();
    await s.ok(['grants', 'award', '1', '--amount', '1500.00', '--purpose', 'LCSW exam fees', '--funder', 'HOPE', '--date', '2026-01-15']);
    return s;
  }

  it('awarding 1500.00, paying 500.00 then scheduling 1000.01 exits 5 naming the numbers and writes nothing', async () => {
    const { db, run, ok } = await awarded();
    const paid = await ok(['grants', 'disburse', '1', '--amount', '500.00', '--date', '2026-02-01', '--reference', 'TRF-1']);
    expect(paid.stdout).toBe('1\n');
    expect(paid.stderr).toContain('Paid 500.00 on 2026-02-01 on grant #1 (paid 500.00 + scheduled 0.00 of 1500.00 USD; active) — disbursement #1');
    const before = await dbHash(db);
    const r = await run(['grants', 'disburse', '1', '--amount', '1000.01', '--scheduled', '--date', '2026-12-01']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(
      'ngo: error: disbursing 1000.01 would bring disbursements to 1500.01 of an award of 1500.00 (grant #1: paid 500.00, scheduled 0.00)',
    );
    expect(r.stderr).toContain('at most 1000.00 can still be disbursed or scheduled');
    expect(r.stdout).toBe('');
    expect(await dbHash(db)).toBe(before);
    // Exactly the rest fits.
    const s = await run(['grants', 'disburse', '1', '--amount', '1000.00', '--scheduled', '--date', '2026-12-01']);
    expect(s.code, s.stderr).toBe(0);
    expect(await listRow(run)).toMatchObject({ paid: 500, scheduled: 1000, remaining: 1000, status: 'active' });
    // Now nothing more fits, paid or scheduled.
    const h = await dbHash(db);
    const more = await run(['grants', 'disburse', '1', '--amount', '0.01', '--date', '2026-11-01']);
    expect(more.code).toBe(5);
    expect(more.stderr).toContain('would bring disbursements to 1500.01 of an award of 1500.00');
    expect(more.stderr).toContain('nothing more can be disbursed on this grant');
    expect(await dbHash(db)).toBe(h);
  });

  it('status: awarded while only scheduled, active with a payment, completed once the paid total equals the award', async () => {
    const { db, run, ok } = await awarded();
    await ok(['grants', 'disburse', '1', '--amount', '1000.00', '--scheduled', '--date', '2026-06-01']);
    expect(await listRow(run)).toMatchObject({ paid: 0, scheduled: 1000, status: 'awarded' });
    await ok(['grants', 'disburse', '1', '--amount', '500.00', '--date', '2026-02-01']);
    expect(await listRow(run)).toMatchObject({ paid: 500, scheduled: 1000, remaining: 1000, status: 'active' });
    const p = await ok(['grants', 'pay', '1', '--date', '2026-06-03', '--reference', 'TRF-9']);
    expect(p.stdout).toBe('1\n');
    expect(p.stderr).toContain('Paid 1000.00 on 2026-06-03 on grant #1 (paid 1500.00 + scheduled 0.00 of 1500.00 USD; completed)');
    const g = await listRow(run);
    expect(g).toMatchObject({ paid: 1500, scheduled: 0, remaining: 0, status: 'completed' });
    expect(g.disbursements).toEqual([
      { id: 2, date: '2026-02-01', amount: 500, status: 'paid', reference: null, cancel_reason: null, flag: null },
      { id: 1, date: '2026-06-03', amount: 1000, status: 'paid', reference: 'TRF-9', cancel_reason: null, flag: null },
    ]);
    // A completed grant takes no more disbursements or closing (exit 5, nothing written).
    const before = await dbHash(db);
    const r = await run(['grants', 'disburse', '1', '--amount', '1', '--date', '2026-07-01']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('grant #1 is completed; cannot disburse');
    expect((await run(['grants', 'close', '1', '--status', 'cancelled', '--yes'])).code).toBe(5);
    expect(await dbHash(db)).toBe(before);
    // Audited: each disbursement created, the payment, and every status change.
    const a = (await audit(db)).map((x) => `${x.action} ${x.entity} ${x.entity_id} ${x.changes ?? ''}`);
    expect(a).toContain('update grant 1 {"status":["awarded","active"]}');
    expect(a).toContain('update grant 1 {"status":["active","completed"]}');
    expect(a).toContain('pay disbursement 1 {"status":["scheduled","paid"],"date":["2026-06-01","2026-06-03"],"reference":[null,"TRF-9"]}');
    expect(a.filter((x) => x.startsWith('create disbursement'))).toHaveLength(2);
  });

  it('paying the whole award in one disbursement completes the grant', async () => {
    const { run, ok } = await awarded();
    await ok(['grants', 'disburse', '1', '--amount', '1500', '--date', '2026-01-20']);
    expect(await listRow(run)).toMatchObject({ paid: 1500, remaining: 0, status: 'completed' });
  });

  it('pay: only a scheduled disbursement (exit 5), never in the future or before the award (exit 3), unknown id exit 4', async () => {
    const { db, run, ok } = await awarded();
    await ok(['grants', 'disburse', '1', '--amount', '100', '--date', '2026-02-01']);
    await ok(['grants', 'disburse', '1', '--amount', '100', '--scheduled', '--date', '2026-12-15']);
    const before = await dbHash(db);
    for (const [args, code, msg] of [
      [['grants', 'pay', '1'], 5, 'disbursement #1 is paid, not scheduled'],
      [['grants', 'pay', '2', '--date', '2026-11-24'], 3, 'payment date 2026-11-24 is in the future (today is 2026-11-23)'],
      [['grants', 'pay', '2', '--date', '2026-01-14'], 3, 'payment date 2026-01-14 is before the award date 2026-01-15'],
      [['grants', 'pay', '9'], 4, 'no disbursement #9'],
      [['grants', 'pay', 'abc'], 2, 'invalid disbursement id "abc"'],
      [['grants', 'pay'], 2, 'missing required option: DISBURSEMENT'],
      [['grants', 'disburse', '1', '--amount', '5', '--date', '2027-01-01'], 3, 'payment date 2027-01-01 is in the future'],
      [['grants', 'disburse', '1', '--amount', '5', '--date', '2026-01-01'], 3, 'payment date 2026-01-01 is before the award date 2026-01-15'],
      [['grants', 'disburse', '1', '--amount', '5', '--scheduled'], 2, 'missing required option: --date'],
      [['grants', 'disburse', '7', '--amount', '5'], 4, 'no grant #7'],
      [['grants', 'disburse', '1'], 2, 'missing required option: --amount'],
    ] as [string[], number, string][]) {
      const r = await run(args);
      expect(r.code, args.join(' ') + ' ' + r.stderr).toBe(code);
      expect(r.stderr).toContain(msg);
    }
    expect(await dbHash(db)).toBe(before);
    // Paid today by default.
    await ok(['grants', 'pay', '2']);
    expect((await listRow(run)).disbursements[1]).toMatchObject({ id: 2, date: '2026-11-23', status: 'paid' });
  });

  it('cancel-disbursement frees the amount; cancelling a payment recorded in error re-derives the status', async () => {
    const { db, run, ok } = await awarded();
    await ok(['grants', 'disburse', '1', '--amount', '1500', '--date', '2026-02-01']);
    expect((await listRow(run)).status).toBe('completed');
    const before = await dbHash(db);
    expect((await run(['grants', 'cancel-disbursement', '1'])).code).toBe(2); // no --reason, no TTY
    expect((await run(['grants', 'cancel-disbursement', '1', '--reason', 'typo'])).code).toBe(2); // no --yes
    expect(await dbHash(db)).toBe(before);
    const r = await run(['grants', 'cancel-disbursement', '1', '--reason', 'typed 1500 for 150', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(await listRow(run)).toMatchObject({ paid: 0, remaining: 1500, status: 'awarded' });
    expect((await run(['grants', 'cancel-disbursement', '1', '--reason', 'again', '--yes'])).code).toBe(5);
    await ok(['grants', 'disburse', '1', '--amount', '150', '--date', '2026-02-01']);
    expect(await listRow(run)).toMatchObject({ paid: 150, status: 'active' });
    expect((await audit(db)).map((x) => x.action + ' ' + x.entity)).toContain('cancel disbursement');
  });
});

describe('grants close', () => {
  async function withTranches() {
    const s = await seeded();
    await s.ok(['grants', 'award', '1', '--amount', '1500', '--purpose', 'Exam', '--date', '2026-01-15']);
    await s.ok(['grants', 'disburse', '1', '--amount', '500', '--date', '2026-02-01']);
    await s.ok(['grants', 'disburse', '1', '--amount', '600', '--scheduled', '--date', '2026-12-01']);
    await s.ok(['grants', 'disburse', '1', '--amount', '400', '--scheduled', '--date', '2027-01-15']);
    return s;
  }

  it('cancelling needs --yes without a TTY, then cancels the scheduled disbursements (each audited)', async () => {
    const { db, run } = await withTranches();
    const before = await dbHash(db);
    const no = await run(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'withdrew']);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('add --yes to confirm');
    expect(await dbHash(db)).toBe(before);
    const r = await run(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'withdrew', '--date', '2026-10-01', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('Closed grant #1 as cancelled on 2026-10-01; cancelled 2 scheduled disbursements');
    const g = await listRow(run);
    expect(g).toMatchObject({ status: 'cancelled', paid: 500, scheduled: 0, remaining: 0 });
    expect(g.disbursements.map((d: { status: string; cancel_reason: string | null }) => [d.status, d.cancel_reason])).toEqual([
      ['paid', null],
      ['cancelled', 'grant closed as cancelled: withdrew'],
      ['cancelled', 'grant closed as cancelled: withdrew'],
    ]);
    const a = (await audit(db)).filter((x) => x.action === 'cancel' || x.action === 'close');
    expect(a.map((x) => `${x.action} ${x.entity} ${x.entity_id}`)).toEqual(['cancel disbursement 2', 'cancel disbursement 3', 'close grant 1']);
    expect(JSON.parse(a[2]!.changes!)).toEqual({ status: ['active', 'cancelled'], closed_on: [null, '2026-10-01'], closed_reason: [null, 'withdrew'] });
    // Closed: no pay, disburse, cancel-disbursement, close (exit 5).
    for (const args of [
      ['grants', 'pay', '2'],
      ['grants', 'disburse', '1', '--amount', '1'],
      ['grants', 'cancel-disbursement', '1', '--reason', 'x', '--yes'],
      ['grants', 'close', '1', '--status', 'completed', '--yes'],
    ]) {
      expect((await run(args)).code, args.join(' ')).toBe(5);
    }
  });

  it('closing as completed with money unpaid (under-spent) is allowed; remaining becomes 0', async () => {
    const { run } = await withTranches();
    const r = await run(['grants', 'close', '1', '--status', 'completed', '--reason', 'course cost less', '--date', '2026-11-01', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await listRow(run)).toMatchObject({ status: 'completed', paid: 500, scheduled: 0, remaining: 0 });
  });

  it('refuses a bad --status (exit 2), a closing date before the last payment or in the future (exit 3)', async () => {
    const { db, run } = await withTranches();
    const before = await dbHash(db);
    expect((await run(['grants', 'close', '1', '--status', 'done', '--yes'])).code).toBe(2);
    expect((await run(['grants', 'close', '1', '--yes'])).code).toBe(2);
    const early = await run(['grants', 'close', '1', '--status', 'cancelled', '--date', '2026-01-20', '--yes']);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('closing date 2026-01-20 is before the last payment on 2026-02-01');
    expect((await run(['grants', 'close', '1', '--status', 'cancelled', '--date', '2026-12-01', '--yes'])).code).toBe(3);
    expect(await dbHash(db)).toBe(before);
  });

  it('confirms on a TTY', async () => {
    const { run } = await withTranches();
    const seen: string[] = [];
    const r = await run(['grants', 'close', '1', '--status', 'cancelled'], { tty: true, prompter: scriptedPrompter([true], seen) });
    expect(r.code, r.stderr).toBe(0);
    expect(seen[0]).toBe('confirm: Close grant #1 Ana Okafor — Exam as cancelled; its 2 scheduled disbursements (1000.00) will be cancelled?');
  });
});

describe('service commitment', () => {
  it("counts the grantee's approved, non-void hours on or after the award date; hours before it never count", async () => {
    const { db, run, ok } = await seeded();
    await ok(['grants', 'award', '1', '--amount', '1000', '--purpose', 'Exam', '--date', '2026-03-01', '--service-hours', '40']);
    await addHours(db, [
      { person: 1, date: '2026-02-28', minutes: 600 }, // before the award: not counted
      { person: 1, date: '2026-03-01', minutes: 90 }, // the award date: counted
      { person: 1, date: '2026-04-10', minutes: 120 },
      { person: 1, date: '2026-05-10', minutes: 45 },
      { person: 1, date: '2026-05-11', minutes: 300, status: 'pending' },
      { person: 1, date: '2026-05-12', minutes: 300, status: 'rejected' },
      { person: 1, date: '2026-05-13', minutes: 300, voided: true },
      { person: 2, date: '2026-05-10', minutes: 500 }, // somebody else
    ]);
    // 90 + 120 + 45 = 255 min = 4.25 h; 40 − 4.25 = 35.75
    expect(await listRow(run)).toMatchObject({ service_commitment_hours: 40, service_hours_logged: 4.25, service_hours_remaining: 35.75 });
    const csv = parseCsv((await run(['grants', 'list', '--person', 'ana@example.org'])).stdout);
    expect(csv.map((r) => [r['service_commitment_hours'], r['service_hours_logged'], r['service_hours_remaining']])).toEqual([['40.00', '4.25', '35.75']]);
    // The report counts up to the period end.
    const q = parseCsv((await run(['report', 'grants', '--period', '2026-Q1'])).stdout);
    expect(q[0]).toMatchObject({ service_commitment_hours: '40.00', service_hours_logged: '1.50' });
    // Fulfilled: remaining never goes below 0.
    await addHours(db, [
      { person: 1, date: '2026-06-01', minutes: 1440 },
      { person: 1, date: '2026-06-02', minutes: 1440 },
    ]);
    expect(await listRow(run)).toMatchObject({ service_hours_logged: 52.25, service_hours_remaining: 0 });
  });
});

describe('report grants', () => {
  async function reportDb() {
    const s = await seeded();
    // Grant 1: 1500.00 awarded 2026-01-15; paid 500 (02-01) and 400 (05-10); 600 scheduled for 12-01.
    await s.ok([
      'grants',
      'award',
      '1',
      '--amount',
      '1500',
      '--purpose',
      'LCSW exam fees',
      '--funder',
      'HOPE',
      '--program',
      'TRAIN',
      '--date',
      '2026-01-15',
      '--service-hours',
      '10',
    ]);
    await s.ok(['grants', 'disburse', '1', '--amount', '500', '--date', '2026-02-01']);
    await s.ok(['grants', 'disburse', '1', '--amount', '400', '--scheduled', '--date', '2026-05-01']);
    await s.ok(['grants', 'pay', '2', '--date', '2026-05-10']);
    await s.ok(['grants', 'disburse', '1', '--amount', '600', '--scheduled', '--date', '2026-12-01']);
    // Grant 2: 300.00 to Sam, no funder, awarded 2026-07-01, paid in full 07-05.
    await s.ok(['grants', 'award', '2', '--amount', '300', '--purpose', '=Workshop, "CBT"', '--date', '2026-07-01']);
    await s.ok(['grants', 'disburse', '2', '--amount', '300', '--date', '2026-07-05']);
    // Grant 3: 200.00 to Ana, HOPE, awarded 2026-02-10, cancelled 2026-08-01 with nothing paid.
    await s.ok(['grants', 'award', '1', '--amount', '200', '--purpose', 'Books', '--funder', 'HOPE', '--date', '2026-02-10']);
    await s.ok(['grants', 'close', '3', '--status', 'cancelled', '--date', '2026-08-01', '--yes']);
    await addHours(s.db, [
      { person: 1, date: '2026-01-10', minutes: 60 },
      { person: 1, date: '2026-04-01', minutes: 150 },
      { person: 1, date: '2026-09-01', minutes: 30 },
    ]);
    return s;
  }
  const HEADER =
    'grant_id,grantee,funder_code,program_code,purpose,awarded_on,amount,currency,disbursed_to_date,disbursed_in_period,remaining,status,service_commitment_hours,service_hours_logged\n';

  it('a period that splits the tranches: to date, in period, remaining and status as at the period end', async () => {
    const { run } = await reportDb();
    const q2 = await run(['report', 'grants', '--period', '2026-Q2']);
    expect(q2.code, q2.stderr).toBe(0);
    expect(q2.stdout).toBe(
      HEADER +
        '1,Ana Okafor,HOPE,TRAIN,LCSW exam fees,2026-01-15,1500.00,USD,900.00,400.00,600.00,active,10.00,2.50\n' +
        '3,Ana Okafor,HOPE,,Books,2026-02-10,200.00,USD,0.00,0.00,200.00,awarded,,2.50\n',
    );
    const q1 = await run(['report', 'grants', '--from', '2026-01-01', '--to', '2026-03-31']);
    expect(q1.stdout).toBe(
      HEADER +
        '1,Ana Okafor,HOPE,TRAIN,LCSW exam fees,2026-01-15,1500.00,USD,500.00,500.00,1000.00,active,10.00,0.00\n' +
        '3,Ana Okafor,HOPE,,Books,2026-02-10,200.00,USD,0.00,0.00,200.00,awarded,,0.00\n',
    );
    const jan = parseCsv((await run(['report', 'grants', '--period', '2026-01'])).stdout);
    expect(jan.map((r) => [r['grant_id'], r['disbursed_to_date'], r['remaining'], r['status']])).toEqual([['1', '0.00', '1500.00', 'awarded']]);
  });

  it('without a period: every grant, all payments, current status; a cancelled grant has nothing remaining; formula cells guarded', async () => {
    const { run } = await reportDb();
    const r = await run(['report', 'grants']);
    expect(r.stdout).toBe(
      HEADER +
        '1,Ana Okafor,HOPE,TRAIN,LCSW exam fees,2026-01-15,1500.00,USD,900.00,900.00,600.00,active,10.00,3.00\n' +
        '2,Sam Lee,,,"\'=Workshop, ""CBT""",2026-07-01,300.00,USD,300.00,300.00,0.00,completed,,0.00\n' +
        '3,Ana Okafor,HOPE,,Books,2026-02-10,200.00,USD,0.00,0.00,0.00,cancelled,,3.00\n',
    );
    // The whole year: the cancellation (2026-08-01) is inside it.
    const y = parseCsv((await run(['report', 'grants', '--period', '2026'])).stdout);
    expect(y.map((x) => [x['grant_id'], x['disbursed_in_period'], x['remaining'], x['status']])).toEqual([
      ['1', '900.00', '600.00', 'active'],
      ['2', '300.00', '0.00', 'completed'],
      ['3', '0.00', '0.00', 'cancelled'],
    ]);
  });

  it('--funder filters; --out writes the file; --format json; bad period exit 3, mixed flags exit 2, unknown funder exit 4', async () => {
    const { run } = await reportDb();
    const f = parseCsv((await run(['report', 'grants', '--funder', 'hope', '--period', '2026'])).stdout);
    expect(f.map((x) => x['grant_id'])).toEqual(['1', '3']);
    // A file of its own (the database may be a URL on a server: NGO_TEST_STORE=pg).
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-test-')), 'g.csv');
    const w = await run(['report', 'grants', '--period', '2026-Q2', '--out', out]);
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('1,Ana Okafor,HOPE,TRAIN,LCSW exam fees,2026-01-15,1500.00,USD,900.00,400.00,600.00,active');
    const j = JSON.parse((await run(['report', 'grants', '--period', '2026-Q2', '--json'])).stdout);
    expect(j[0]).toMatchObject({ grant_id: 1, amount: 1500, disbursed_to_date: 900, disbursed_in_period: 400, remaining: 600, service_commitment_hours: 10 });
    expect((await run(['report', 'grants', '--period', '2026-Q5'])).code).toBe(3);
    expect((await run(['report', 'grants', '--period', '2026', '--from', '2026-01-01', '--to', '2026-02-01'])).code).toBe(2);
    expect((await run(['report', 'grants', '--funder', 'NOPE'])).code).toBe(4);
  });
});

describe('grants list and show', () => {
  it('list filters by status, funder and person; show prints the grant then its disbursements in every format', async () => {
    const { run, ok } = await seeded();
    await ok(['grants', 'award', '1', '--amount', '1000', '--purpose', 'Exam', '--funder', 'HOPE', '--date', '2026-01-15']);
    await ok(['grants', 'award', '2', '--amount', '200', '--purpose', 'Books', '--date', '2026-01-15']);
    await ok(['grants', 'disburse', '2', '--amount', '200', '--date', '2026-02-01']);
    await ok(['grants', 'disburse', '1', '--amount', '250', '--scheduled', '--date', '2026-12-20', '--reference', 'PO-7']);
    const ids = async (args: string[]) => parseCsv((await run(['grants', 'list', ...args])).stdout).map((r) => r['id']);
    expect(await ids([])).toEqual(['1', '2']);
    expect(await ids(['--status', 'completed'])).toEqual(['2']);
    expect(await ids(['--status', 'awarded'])).toEqual(['1']);
    expect(await ids(['--funder', 'HOPE'])).toEqual(['1']);
    expect(await ids(['--person', 'sam@example.org'])).toEqual(['2']);
    expect((await run(['grants', 'list', '--status', 'open'])).code).toBe(2);

    const csv = (await run(['grants', 'show', '1'])).stdout;
    expect(csv).toBe(
      'id,grantee_id,grantee,funder_code,program_code,purpose,awarded_on,amount,currency,paid,scheduled,remaining,status,service_commitment_hours,service_hours_logged,service_hours_remaining,service_by,overdue_scheduled,requirements_open,requirements_overdue,repayment_owed,flags\n' +
        '1,1,Ana Okafor,HOPE,,Exam,2026-01-15,1000.00,USD,0.00,250.00,1000.00,awarded,,0.00,,,0.00,0,0,,\n' +
        '\n' +
        'id,date,amount,status,reference,cancel_reason,flag\n' +
        '2,2026-12-20,250.00,scheduled,PO-7,,due\n' +
        '\n' +
        'id,grant_id,grantee,type,due_on,fulfilled_on,status,note\n',
    );
    const table = (await run(['grants', 'show', '1'], { tty: true, env: { NO_COLOR: '1' } })).stdout;
    expect(table).toContain('purpose                   Exam\nawarded_on                2026-01-15\n');
    expect(table).toContain('\nprogram_code\n');
    expect(table).toContain('Disbursements');
    expect(table).toMatch(/2\s+2026-12-20\s+250\.00\s+scheduled\s+PO-7/);
    expect((await run(['grants', 'show', '3'])).code).toBe(4);
    expect((await run(['grants', 'show', 'x'])).code).toBe(2);
  });

  it('write commands print the record with --json', async () => {
    const { run, ok } = await seeded();
    const a = JSON.parse((await run(['grants', 'award', '1', '--amount', '99.99', '--purpose', 'Exam', '--date', '2026-01-15', '--json'])).stdout);
    expect(a).toMatchObject({ id: 1, amount: 99.99, status: 'awarded' });
    const d = JSON.parse((await run(['grants', 'disburse', '1', '--amount', '99.99', '--date', '2026-01-16', '--json'])).stdout);
    expect(d).toEqual({ id: 1, grant_id: 1, date: '2026-01-16', amount: 99.99, status: 'paid', reference: null, cancel_reason: null });
    await ok(['grants', 'award', '1', '--amount', '5', '--purpose', 'x', '--date', '2026-01-15']);
    const c = JSON.parse((await run(['grants', 'close', '2', '--status', 'cancelled', '--yes', '--json'])).stdout);
    expect(c).toMatchObject({ id: 2, status: 'cancelled', remaining: 0 });
  });

  it('every grants command has help with an example', async () => {
    const { run } = await seeded();
    for (const sub of ['award', 'disburse', 'pay', 'list', 'show', 'close', 'cancel-disbursement']) {
      const r = await run(['grants', sub, '--help']);
      expect(r.stdout, sub).toContain(`$ ngo grants ${sub}`);
    }
    expect((await run(['report', 'grants', '--help'])).stdout).toContain('$ ngo report grants --period 2026-Q3');
  });
});

describe('demo', () => {
  it('seeds five grants: completed, active with a 40 h commitment, scheduled tranches, awarded, cancelled', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const r = await run(['demo', '--year', '2025']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv((await run(['grants', 'list'])).stdout);
    expect(rows.map((x) => [x['status'], x['amount'], x['paid'], x['scheduled'], x['service_commitment_hours']])).toEqual([
      ['active', '1500.00', '1000.00', '500.00', '40.00'],
      ['completed', '800.00', '800.00', '0.00', ''],
      ['active', '2400.00', '1600.00', '800.00', '20.00'],
      ['awarded', '600.00', '0.00', '600.00', ''],
      ['cancelled', '450.00', '0.00', '0.00', ''],
    ]);
    // The commitment counts hours after the award only (the January shift is before it).
    expect(Number(rows[0]!['service_hours_logged'])).toBeGreaterThan(0);
    const logged = Number(rows[0]!['service_hours_logged']);
    expect(Number(rows[0]!['service_hours_remaining'])).toBeCloseTo(Math.max(0, 40 - logged), 2);
    const rep = parseCsv((await run(['report', 'grants', '--period', '2025-Q2'])).stdout);
    expect(rep.find((x) => x['grant_id'] === '1')).toMatchObject({ disbursed_to_date: '1000.00', disbursed_in_period: '500.00', remaining: '500.00' });
  });
});
