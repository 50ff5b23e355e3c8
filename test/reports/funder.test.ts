import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { buildFixture } from './fixture.js';
import { dbHash, parseCsv } from '../helpers.js';

const HEADER =
  'funder_code,funder_name,period_start,period_end,program_code,program_name,volunteer_hours,volunteers,skilled_hours,general_hours,volunteer_hour_rate,inkind_general,inkind_skilled,inkind_total,miles,volunteer_expenses,supervision_sessions,supervision_hours,supervisees,mentorships_active,mentorship_meetings,mentorship_hours,mentees,grants_awarded,grants_awarded_amount,grants_disbursed_amount,grants_outstanding,currency';

let fx: Awaited<ReturnType<typeof buildFixture>>;
beforeAll(async () => {
  fx = await buildFixture();
}, 60_000);

describe('report funder (hand-computed)', () => {
  it('HOPE, 2022-10-01..2023-03-31: per program, grant-only row, TOTAL with distinct counts', async () => {
    const r = await fx.run(['report', 'funder', '--funder', 'hope', '--from', '2022-10-01', '--to', '2023-03-31']);
    expect(r.code, r.stderr).toBe(0);
    const p = 'HOPE,Hope Foundation,2022-10-01,2023-03-31';
    expect(r.stdout).toBe(
      [
        HEADER,
        // "-": Dee's grant without a program: awarded before the period; 100.00 paid in it (2022-12-15);
        // outstanding at the end: 300.00 − 200.00 = 100.00. No activity, so no single rate.
        `${p},-,,0.00,0,0.00,0.00,,0.00,0.00,0.00,0.00,0.00,0,0.00,0,0,0,0.00,0,0,0.00,100.00,100.00,USD`,
        // PEER (window 2023-01-01..2023-03-31): p2 #3 60 min general 2023 = 33.49; p3 Ana 60 min training skilled = 85.00.
        // p1 (2022-11-05) and the PEER session (2022-11-01) fall before HOPE's agreement; Ana→Dee ended 2022-12-15.
        `${p},PEER,Peer support,2.00,2,1.00,1.00,33.49,33.49,85.00,118.49,100.00,246.00,0,0.00,0,0,0,0.00,0,0,0.00,0.00,0.00,USD`,
        // TELE: e1 120 skilled 170.00; general e2 90 (50.24) + e3 180 (95.40) + e4 20 (11.16) + e8 30 (16.75) + e9 30 (16.75) = 190.30;
        // hours 470 min = 7.83, skilled 2.00, general 350 min = 5.83; two rates (31.80, 33.49) → empty; miles 10 + 10.25 + 10.25.
        // Sessions: the group session once (1.50 h) + 1.00 h; supervisees Ben, #3, Dee. Ana→Ben: 1 meeting of 45 min in the period.
        // Grant: Ben 1500.00 awarded 2023-02-01, 500.00 paid; the scheduled 1000.00 is still outstanding.
        `${p},TELE,Tele-therapy,7.83,2,2.00,5.83,,190.30,170.00,360.30,30.50,0.00,2,2.50,3,1,1,0.75,1,1,1500.00,500.00,1000.00,USD`,
        // TOTAL: 590 min = 9.83; volunteers Ana, Ben, #3 = 3 (not 2 + 2); general 410 min = 6.83; 190.30 + 33.49 = 223.79; 170.00 + 85.00.
        `${p},TOTAL,,9.83,3,3.00,6.83,,223.79,255.00,478.79,130.50,246.00,2,2.50,3,1,1,0.75,1,1,1500.00,600.00,1100.00,USD`,
      ].join('\n') + '\n',
    );
  });

  it('CITY: the shared program counts its whole window; the mid-period agreement cuts SCHOOL', async () => {
    const r = await fx.run(['report', 'funder', '--funder', 'CITY', '--from', '2022-10-01', '--to', '2023-03-31']);
    expect(r.code, r.stderr).toBe(0);
    const p = 'CITY,City Health Dept,2022-10-01,2023-03-31';
    expect(r.stdout.split('\n').slice(1, 4)).toEqual([
      // PEER: p1 120 (63.60) + p2 60 (33.49) general = 97.09; p3 skilled 85.00; session 2022-11-01 (1.00 h, Dee); Ana→Dee active, 1 meeting 30 min.
      `${p},PEER,Peer support,4.00,3,1.00,3.00,,97.09,85.00,182.09,100.00,246.00,1,1.00,1,1,1,0.50,1,0,0.00,0.00,0.00,USD`,
      // SCHOOL (from 2023-01-01): d1 240 (133.96) + d2 60 (33.49) = 167.45; miles 20 (reimbursed, still driven); expenses 249.99 + 15.00.
      `${p},SCHOOL,School outreach,5.00,1,0.00,5.00,33.49,167.45,0.00,167.45,20.00,264.99,0,0.00,0,0,0,0.00,0,0,0.00,0.00,0.00,USD`,
      `${p},TOTAL,,9.00,4,1.00,8.00,,264.54,85.00,349.54,120.00,510.99,1,1.00,1,1,1,0.50,1,0,0.00,0.00,0.00,USD`,
    ]);
  });

  it('--all --out-dir writes one file per funder with funding in the period, and nothing else', async () => {
    const out = path.join(fx.dir, 'monthly');
    const r = await fx.run(['report', 'funder', '--all', '--out-dir', out, '--period', '2023-Q1']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['funder-CITY-2023-01-01_2023-03-31.csv', 'funder-HOPE-2023-01-01_2023-03-31.csv']);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((f) => path.basename(f)),
    ).toEqual(['funder-CITY-2023-01-01_2023-03-31.csv', 'funder-HOPE-2023-01-01_2023-03-31.csv']);
    const hope = parseCsv(fs.readFileSync(path.join(out, 'funder-HOPE-2023-01-01_2023-03-31.csv'), 'utf8'));
    expect(hope.map((x) => x['program_code'])).toEqual(['-', 'PEER', 'TELE', 'TOTAL']);
    // Q1 2023 TELE: e2 90 + e4 20 + e8 30 + e9 30 = 170 min = 2.83 h, all general 2023 → one rate.
    expect(hope[2]).toMatchObject({ volunteer_hours: '2.83', general_hours: '2.83', volunteer_hour_rate: '33.49', inkind_general: '94.90' });
  });

  it('a year without a volunteer-hour rate uses the latest earlier one, with a warning', async () => {
    const r = await fx.run(['report', 'funder', '--funder', 'HOPE', '--period', '2023', '--detail']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    await fx.run(['hours', 'log', 'ben@example.org', '--program', 'PEER', '--date', '2024-02-01', '--minutes', '60']);
    const w = await fx.run(['report', 'funder', '--funder', 'HOPE', '--period', '2024']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain("no volunteer-hour rate for 2024; using 2023's rate 33.49");
    const rows = parseCsv(w.stdout);
    expect(rows.map((x) => x['program_code'])).toEqual(['-', 'PEER', 'TELE', 'TOTAL']);
    // PEER (HOPE's agreement is open-ended): 60 min at 2023's 33.49. TELE's agreement ended in 2023; it is listed for Ben's outstanding grant.
    expect(rows[2]).toMatchObject({ volunteer_hours: '0.00', grants_outstanding: '1000.00' });
    expect(rows[1]).toMatchObject({ volunteer_hours: '1.00', volunteer_hour_rate: '33.49', inkind_general: '33.49' });
    await fx.run([
      'hours',
      'void',
      (await fx.run(['hours', 'list', '--from', '2024-01-01', '--to', '2024-12-31', '--format', 'csv'])).stdout.split('\n')[1]!.split(',')[0]!,
      '--reason',
      'test entry',
      '--yes',
    ]);
  });

  it('--detail lists the line items with their values', async () => {
    const r = await fx.run(['report', 'funder', '--funder', 'HOPE', '--from', '2023-03-01', '--to', '2023-03-31', '--detail']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(Object.keys(rows[0]!).join(',')).toBe(
      'funder_code,program_code,item,item_id,date,person_id,first_name,last_name,activity,hours,skilled,rate,inkind_value,miles,expenses,amount,currency',
    );
    expect(rows.map((x) => [x['program_code'], x['item'], x['date'], x['hours'], x['rate'], x['inkind_value'], x['miles']])).toEqual([
      ['TELE', 'hours', '2023-03-20', '0.50', '33.49', '16.75', '10.25'],
      ['TELE', 'hours', '2023-03-21', '0.50', '33.49', '16.75', '10.25'],
    ]);
  });

  it('formula guard on text cells only; numeric columns are never prefixed; JSON and table work', async () => {
    const r = await fx.run(['report', 'funder', '--funder', 'HOPE', '--from', '2022-10-01', '--to', '2023-03-31', '--detail']);
    const rows = parseCsv(r.stdout);
    const hyper = rows.find((x) => x['person_id'] === '3')!;
    expect(hyper['first_name']).toBe(`'=HYPERLINK("x")`);
    expect(r.stdout).toContain(`"'=HYPERLINK(""x"")"`);
    for (const row of rows) {
      for (const k of ['item_id', 'person_id', 'hours', 'rate', 'inkind_value', 'miles', 'expenses', 'amount']) {
        expect(row[k]!, k).toMatch(/^(\d+(\.\d\d)?)?$/);
      }
    }
    const j = await fx.run(['report', 'funder', '--funder', 'HOPE', '--from', '2022-10-01', '--to', '2023-03-31', '--json']);
    const data = JSON.parse(j.stdout) as Record<string, unknown>[];
    expect(data.at(-1)).toMatchObject({ program_code: 'TOTAL', volunteers: 3, inkind_total: 478.79, volunteer_hour_rate: null });
    const bom = await fx.run(['report', 'funder', '--funder', 'HOPE', '--period', '2023-Q1', '--bom']);
    expect(bom.stdout.startsWith('\ufefffunder_code,')).toBe(true);
  });

  it('bad input: unknown funder exit 4, missing period exit 2, bad period exit 3; the database is untouched', async () => {
    const before = await dbHash(fx.db);
    expect((await fx.run(['report', 'funder', '--funder', 'NOPE', '--period', '2023'])).code).toBe(4);
    const missing = await fx.run(['report', 'funder', '--funder', 'HOPE']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--period');
    expect((await fx.run(['report', 'funder', '--funder', 'HOPE', '--period', '2023-13'])).code).toBe(3);
    expect((await fx.run(['report', 'funder', '--all', '--period', '2023'])).code).toBe(2);
    expect(await dbHash(fx.db)).toBe(before);
  });
});
