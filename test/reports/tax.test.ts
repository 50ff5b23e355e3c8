import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from './fixture.js';
import { parseCsv } from '../helpers.js';

const HEADER =
  'tax_year,person_id,external_id,first_name,last_name,email,address_line1,address_line2,city,region,postal_code,country,service_days,hours_served,miles,mileage_rate,mileage_amount,expenses,total_deductible,largest_single_contribution,acknowledgment_required,services_description';

let fx: Awaited<ReturnType<typeof buildFixture>>;
beforeAll(async () => {
  fx = await buildFixture();
}, 60_000);

describe('report tax (hand-computed, IRS Pub. 526 rules)', () => {
  it('2023: time never deductible, reimbursed entries not deductible, per-entry rounding, the 250.00 acknowledgment', async () => {
    const r = await fx.run(['report', 'tax', '--year', '2023']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        HEADER,
        // Ben Cole: e4 (20 min), e8, e9 (30 min each, 10.25 mi): 80 min = 1.33 h; mileage per entry 1.435 → 1.44, twice = 2.88 (not 20.50 × 0.14 = 2.87).
        '2023,2,,Ben,Cole,ben@example.org,,,,,,,3,1.33,20.50,0.14,2.88,0.00,2.88,1.44,no,Tele-therapy',
        // Ana Okafor: p3 + e2 = 150 min; e6 pending does not count. Nothing deductible: time never is.
        '2023,1,,Ana,Okafor,ana@example.org,1 Elm St,,Boston,MA,02134,US,2,2.50,0.00,0.14,0.00,0.00,0.00,0.00,no,Peer support; Tele-therapy',
        // Dee Park: d1 249.99 unreimbursed (acknowledgment no); d2 reimbursed: hours and days only.
        '2023,4,,Dee,Park,dee@example.org,,,,,,,2,5.00,0.00,0.14,0.00,249.99,249.99,249.99,no,School outreach',
        // #3: 100 mi × 0.14 = 14.00 + 246.00 = 260.00 in one entry → acknowledgment yes. Formula-guarded text.
        `2023,3,'+X3,"'=HYPERLINK(""x"")",Tester,hyper@example.org,,,,,,,1,1.00,100.00,0.14,14.00,246.00,260.00,260.00,yes,Peer support`,
      ].join('\n') + '\n',
    );
  });

  it('--deductible-only, --person, --detail', async () => {
    const d = parseCsv((await fx.run(['report', 'tax', '--year', '2023', '--deductible-only'])).stdout);
    expect(d.map((x) => x['last_name'])).toEqual(['Cole', 'Park', 'Tester']);
    const one = await fx.run(['report', 'tax', '--year', '2023', '--person', 'dee@example.org', '--detail']);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(
      'tax_year,person_id,first_name,last_name,date,program,activity,hours,miles,mileage_amount,expenses,reimbursed,deductible\n' +
        '2023,4,Dee,Park,2023-03-10,School outreach,outreach,4.00,0.00,0.00,249.99,no,249.99\n' +
        '2023,4,Dee,Park,2023-03-11,School outreach,outreach,1.00,20.00,0.00,15.00,yes,0.00\n',
    );
  });

  it('a set mileage rate applies; years without hours give an empty report', async () => {
    await fx.run(['rates', 'set', 'mileage', '2023', '0.20']);
    const r = parseCsv((await fx.run(['report', 'tax', '--year', '2023'])).stdout);
    // Ben: 10.25 × 0.20 = 2.05 per entry → 4.10; #3: 100 × 0.20 = 20.00 + 246.00 = 266.00.
    expect(r.map((x) => [x['last_name'], x['mileage_rate'], x['mileage_amount'], x['total_deductible']])).toEqual([
      ['Cole', '0.20', '4.10', '4.10'],
      ['Okafor', '0.20', '0.00', '0.00'],
      ['Park', '0.20', '0.00', '249.99'],
      ['Tester', '0.20', '20.00', '266.00'],
    ]);
    await fx.run(['rates', 'set', 'mileage', '2023', '0.14']);
    const empty = await fx.run(['report', 'tax', '--year', '2019']);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim().split('\n')).toHaveLength(1);
    expect((await fx.run(['report', 'tax'])).code).toBe(2);
    expect((await fx.run(['report', 'tax', '--year', '23'])).code).toBe(3);
  });
});

describe('report hours', () => {
  it('--by program and --by month', async () => {
    const p = await fx.run(['report', 'hours', '--period', '2023-Q1', '--by', 'program']);
    expect(p.code, p.stderr).toBe(0);
    // PEER: p2 60 + p3 60; SCHOOL: d1 240 + d2 60; TELE: e2 90 + e4 20 + e8 30 + e9 30 (e6 pending, e7 void).
    expect(p.stdout).toBe(
      'program_code,program_name,entries,hours,volunteers,miles,expenses\n' +
        'PEER,Peer support,2,2.00,2,100.00,246.00\n' +
        'SCHOOL,School outreach,2,5.00,1,20.00,264.99\n' +
        'TELE,Tele-therapy,4,2.83,2,20.50,0.00\n',
    );
    const m = await fx.run(['report', 'hours', '--from', '2022-11-01', '--to', '2022-12-31', '--by', 'month']);
    expect(m.stdout).toBe('month,entries,hours,volunteers,miles,expenses\n2022-11,2,4.00,2,0.00,0.00\n2022-12,1,3.00,1,10.00,0.00\n');
    const a = parseCsv((await fx.run(['report', 'hours', '--period', '2023-Q1', '--by', 'activity'])).stdout);
    expect(a.map((x) => [x['activity'], x['hours']])).toEqual([
      ['admin', '1.50'],
      ['direct-service', '1.00'],
      ['outreach', '5.33'],
      ['peer-support', '1.00'],
      ['training', '1.00'],
    ]);
    const per = parseCsv((await fx.run(['report', 'hours', '--period', '2023-Q1', '--by', 'person'])).stdout);
    expect(per.map((x) => [x['last_name'], x['entries'], x['hours']])).toEqual([
      ['Cole', '3', '1.33'],
      ['Okafor', '2', '2.50'],
      ['Park', '2', '5.00'],
      ['Tester', '1', '1.00'],
    ]);
  });
});
