/**
 * `ngo report tax --year YYYY --letters DIR`: the acknowledgment letters (Treas. Reg. §1.170A-13(f)(10),
 * IRS Pub. 1771). Every figure below is computed by hand from the entries of the fixture; the text of
 * each PDF is read back with pdftotext (poppler-utils), which these tests need: without it they fail.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbHash, mustSucceed, ON_PG, parseCsv, query, testConn, tmpDb, withDb } from '../helpers.js';
import { taxLetterStatusItems } from '../../src/reports/tax-letters.js';
import { HAVE_BUILD, runNgo } from '../reliability/proc.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js';
import Database from 'better-sqlite3';

const TAX_HEADER =
  'tax_year,person_id,external_id,first_name,last_name,email,address_line1,address_line2,city,region,postal_code,country,service_days,hours_served,miles,mileage_rate,mileage_amount,expenses,total_deductible,largest_single_contribution,acknowledgment_required,services_description';

/** The text of a PDF as pdftotext extracts it (UTF-8). Fails the test when pdftotext is missing. */
function pdfText(file: string): string {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (r.error) throw new Error(`pdftotext (Debian package poppler-utils) is needed to read the letters back: ${r.error.message}`);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The fonts of a PDF as pdffonts lists them: name, embedded, Unicode map. */
function pdfFonts(file: string): { name: string; emb: string; uni: string }[] {
  const r = spawnSync('pdffonts', [file], { encoding: 'utf8' });
  if (r.error) throw new Error(`pdffonts (Debian package poppler-utils) is needed: ${r.error.message}`);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .slice(2)
    .map((l) => {
      const f = l.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID
      return { name: f[0]!, emb: f[f.length - 5]!, uni: f[f.length - 3]! };
    });
}

const lines = (t: string) => t.split('\n').map((l) => l.trim());
const flat = (t: string) => t.replace(/\s+/g, ' ');
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const SETTINGS: [string, string][] = [
  ['org.legal_name', 'Harbor Mental Health Collective, Inc.'],
  ['org.ein', '12-3456789'],
  ['org.address', '12 Harbor St\\nPortland, ME 04101'],
  ['org.signer_name', 'Rosa Díaz'],
  ['org.signer_title', 'Executive Director'],
];

/**
 * People: 1 Nguyễn Thị Minh Khai · 2 王秀英 (last 王, first 秀英) · 3 Ben Cole · 4 Dee Park.
 * 2025 entries (mileage 0.14):
 *   #1 PEER 2025-03-01 2 h, 100 mi + 246.00 → 14.00 + 246.00 = 260.00 (≥ 250.00: acknowledgment yes);
 *      TELE 2025-05-02 1.5 h, 10.25 mi → 1.435 → 1.44. Totals: 2 days, 3.50 h, 110.25 mi, 15.44, 246.00, 261.44.
 *   #2 PEER 2025-04-01 3 h, 1800 mi → 252.00 (yes).
 *   #3 TELE 2025-06-01 1 h, 20.00 expenses (no: deductible, below 250.00).
 *   #4 PEER 2025-07-01 4 h, 500.00 expenses reimbursed (nothing deductible).
 */
async function buildFixture(o: { settings?: boolean } = {}) {
  const { dir, db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  await ok([
    'people',
    'add',
    '--first',
    'Nguyễn Thị Minh',
    '--last',
    'Khai',
    '--email',
    'minh@example.org',
    '--address-line1',
    '12 Lê Lợi',
    '--address-line2',
    'Phường Bến Nghé',
    '--city',
    'Hồ Chí Minh',
    '--postal-code',
    '700000',
    '--country',
    'VN',
  ]);
  await ok([
    'people',
    'add',
    '--first',
    '秀英',
    '--last',
    '王',
    '--email',
    'wang@example.org',
    '--address-line1',
    '1 Main St',
    '--address-line2',
    'Apt 2',
    '--city',
    'Boston',
    '--region',
    'MA',
    '--postal-code',
    '02134',
    '--country',
    'US',
  ]);
  await ok(['people', 'add', '--first', 'Ben', '--last', 'Cole', '--email', 'ben@example.org', '--address-line1', '9 Oak Ave', '--city', 'Salem']);
  await ok(['people', 'add', '--first', 'Dee', '--last', 'Park', '--email', 'dee@example.org']);
  await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
  await ok(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
  const log = (p: string, prog: string, date: string, extra: string[]) => ok(['hours', 'log', p, '--program', prog, '--date', date, ...extra]);
  await log('minh@example.org', 'PEER', '2025-03-01', ['--hours', '2', '--miles', '100', '--expenses', '246.00']);
  await log('minh@example.org', 'TELE', '2025-05-02', ['--hours', '1.5', '--miles', '10.25']);
  await log('wang@example.org', 'PEER', '2025-04-01', ['--hours', '3', '--miles', '1800']);
  await log('ben@example.org', 'TELE', '2025-06-01', ['--hours', '1', '--expenses', '20.00']);
  await log('dee@example.org', 'PEER', '2025-07-01', ['--hours', '4', '--expenses', '500.00', '--reimbursed']);
  if (o.settings !== false) for (const [k, v] of SETTINGS) await ok(['config', 'set', k, v]);
  return { dir, db, run, ok };
}

const ROW_MINH =
  '2025,1,,Nguyễn Thị Minh,Khai,minh@example.org,12 Lê Lợi,Phường Bến Nghé,Hồ Chí Minh,,700000,VN,2,3.50,110.25,0.14,15.44,246.00,261.44,260.00,yes,Peer support; Tele-therapy';
const ROW_WANG = '2025,2,,秀英,王,wang@example.org,1 Main St,Apt 2,Boston,MA,02134,US,1,3.00,1800.00,0.14,252.00,0.00,252.00,252.00,yes,Peer support';
const ROW_BEN = '2025,3,,Ben,Cole,ben@example.org,9 Oak Ave,,Salem,,,,1,1.00,0.00,0.14,0.00,20.00,20.00,20.00,no,Tele-therapy';

describe('report tax --letters: the settings come first', () => {
  it('missing settings exit 2 naming each one; no folder, no file, no record', async () => {
    const fx = await buildFixture({ settings: false });
    const out = path.join(fx.dir, 'letters');
    const before = await dbHash(fx.db);
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'ngo: error: the acknowledgment letters need settings that are not set: org.legal_name, org.ein, org.address, org.signer_name, org.signer_title; nothing was written',
    );
    expect(r.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
    for (const [k, v] of SETTINGS.slice(0, 4)) await fx.ok(['config', 'set', k, v]);
    const mid = await dbHash(fx.db);
    const one = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('need a setting that is not set: org.signer_title;');
    expect(fs.existsSync(out)).toBe(false);
    expect(await dbHash(fx.db)).toBe(mid);
    expect(before).not.toBe(mid);
    // A value of blanks is no value.
    await fx.ok(['config', 'set', 'org.signer_title', '   ']);
    expect((await fx.run(['report', 'tax', '--year', '2025', '--letters', out])).code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('config: an EIN is nine digits, stored NN-NNNNNNN; org.address takes \\n; control characters are refused', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    expect((await run(['config', 'set', 'org.ein', '123456789'])).stdout).toBe('12-3456789\n');
    expect((await run(['config', 'set', 'org.ein', '12-345678'])).code).toBe(3);
    expect((await run(['config', 'set', 'org.ein', '1234567890'])).code).toBe(3);
    expect((await run(['config', 'set', 'org.address', ' 12 Harbor St \\n\\n Portland, ME 04101 '])).stdout).toBe('12 Harbor St\nPortland, ME 04101\n');
    expect((await run(['config', 'get', 'org.address'])).stdout).toBe('12 Harbor St\nPortland, ME 04101\n');
    const bad = await run(['config', 'set', 'org.legal_name', 'Harbor\u001b[31m']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('contains a control character (U+001B');
    expect((await run(['config', 'set', 'org.address', '1\\n2\\n3\\n4\\n5\\n6\\n7'])).code).toBe(3);
  });
});

describe('report tax --letters: the letters', () => {
  let fx: Awaited<ReturnType<typeof buildFixture>>;
  let out: string;
  let first: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    fx = await buildFixture();
    out = path.join(fx.dir, 'letters');
    first = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
  }, 60_000);

  it('one PDF per volunteer whose acknowledgment_required is yes, and the mail-merge CSV (the tax report rows + letter_file)', async () => {
    expect(first.code, first.stderr).toBe(0);
    const pdf1 = path.join(out, 'tax-letter-2025-1.pdf');
    const pdf2 = path.join(out, 'tax-letter-2025-2.pdf');
    const csv = path.join(out, 'letters-2025.csv');
    expect(first.stdout).toBe(`${pdf1}\n${pdf2}\n${csv}\n`);
    expect(first.stderr).toContain(`✔ Wrote 2 acknowledgment letter(s) for 2025 and letters-2025.csv to ${out}`);
    expect(fs.readdirSync(out).sort()).toEqual(['letters-2025.csv', 'tax-letter-2025-1.pdf', 'tax-letter-2025-2.pdf']);
    if (process.platform !== 'win32') for (const f of [pdf1, pdf2, csv]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    // By last name: Khai, then 王 (after ASCII and Latin letters in code-point order, as the report sorts).
    expect(fs.readFileSync(csv, 'utf8')).toBe(`${TAX_HEADER},letter_file\n${ROW_MINH},tax-letter-2025-1.pdf\n${ROW_WANG},tax-letter-2025-2.pdf\n`);
    // The same figures as the tax report itself.
    const report = (await fx.ok(['report', 'tax', '--year', '2025'])).stdout;
    expect(report).toBe(
      `${TAX_HEADER}\n${ROW_BEN}\n${ROW_MINH}\n2025,4,,Dee,Park,dee@example.org,,,,,,,1,4.00,0.00,0.14,0.00,0.00,0.00,0.00,no,Peer support\n${ROW_WANG}\n`,
    );
  });

  it('each letter states the organisation, the volunteer, the year, the services, the figures exactly as the report gives them, the no-goods statement, the date and the signer', async () => {
    const t = pdfText(path.join(out, 'tax-letter-2025-1.pdf'));
    const l = lines(t);
    // Names and addresses are lines of their own, extracted exactly (NFC; no ccmp decomposition).
    for (const exact of [
      'Harbor Mental Health Collective, Inc.',
      '12 Harbor St',
      'Portland, ME 04101',
      'EIN 12-3456789',
      'Date: 2026-11-23',
      'Nguyễn Thị Minh Khai',
      '12 Lê Lợi',
      'Phường Bến Nghé',
      'Hồ Chí Minh, 700000',
      'VN',
      'Acknowledgment of unreimbursed volunteer expenses, tax year 2025',
      '(Treas. Reg. §1.170A-13(f)(10); IRS Publication 1771)',
      'Dear Nguyễn Thị Minh Khai,',
      'Unreimbursed out-of-pocket expenses',
      '246.00 USD',
      'Car use: 110.25 miles at the charitable rate of 0.14 per mile',
      '15.44 USD',
      'Total unreimbursed expenses',
      '261.44 USD',
      'Rosa Díaz',
      'Executive Director',
    ]) {
      expect(l, exact).toContain(exact);
    }
    const f = flat(t);
    expect(f).toContain('Services you provided: volunteer services in Peer support; Tele-therapy, on 2 days, 3.50 hours in all, in 2025.');
    expect(f).toContain(
      'No goods or services were provided by Harbor Mental Health Collective, Inc. in consideration, in whole or in part, for these unreimbursed expenses.',
    );
    expect(f).toContain('The value of your time and services is not deductible.');
    expect(t).not.toContain('Mịleage');
    // One page (pdftotext ends each page with a form feed), with the signature on it.
    expect(t.split('\f').filter((p) => p.trim() !== '')).toHaveLength(1);
    expect(t).not.toContain('replaces');
    // Every font embedded, as a subset with a Unicode map.
    const fonts = pdfFonts(path.join(out, 'tax-letter-2025-1.pdf'));
    expect(fonts.length).toBeGreaterThan(0);
    for (const x of fonts) expect([x.name, x.emb, x.uni]).toEqual([x.name, 'yes', 'yes']);
  });

  it('王秀英 renders with no missing glyph: the CJK font is embedded, the name extracts exactly', async () => {
    const file = path.join(out, 'tax-letter-2025-2.pdf');
    const l = lines(pdfText(file));
    for (const exact of [
      '王秀英',
      'Dear 王秀英,',
      '1 Main St',
      'Apt 2',
      'Boston, MA 02134',
      'US',
      '0.00 USD',
      'Car use: 1800.00 miles at the charitable rate of 0.14 per mile',
      '252.00 USD',
    ]) {
      expect(l, exact).toContain(exact);
    }
    const fonts = pdfFonts(file);
    expect(fonts.some((x) => x.name.endsWith('+NotoSansHans-Regular'))).toBe(true);
    for (const x of fonts) expect([x.name, x.emb, x.uni]).toEqual([x.name, 'yes', 'yes']);
    // The Latin-only letter does not carry the CJK font.
    expect(pdfFonts(path.join(out, 'tax-letter-2025-1.pdf')).some((x) => x.name.includes('Hans'))).toBe(false);
  });

  it('each letter issued is recorded (figures, file, SHA-256 of the file) and audited', async () => {
    const rows = await query<Record<string, unknown>>(fx.db, 'SELECT * FROM tax_letters ORDER BY id');
    expect(rows.map((r) => ({ ...r, created_at: undefined }))).toEqual([
      {
        id: 1,
        person_id: 1,
        tax_year: 2025,
        issued_on: '2026-11-23',
        service_days: 2,
        hours_served: 350,
        miles: 11025,
        mileage_rate: 14,
        mileage_amount: 1544,
        expenses: 24600,
        total_deductible: 26144,
        largest_single_contribution: 26000,
        file_name: 'tax-letter-2025-1.pdf',
        sha256: sha(path.join(out, 'tax-letter-2025-1.pdf')),
        replaces: null,
        created_at: undefined,
      },
      {
        id: 2,
        person_id: 2,
        tax_year: 2025,
        issued_on: '2026-11-23',
        service_days: 1,
        hours_served: 300,
        miles: 180000,
        mileage_rate: 14,
        mileage_amount: 25200,
        expenses: 0,
        total_deductible: 25200,
        largest_single_contribution: 25200,
        file_name: 'tax-letter-2025-2.pdf',
        sha256: sha(path.join(out, 'tax-letter-2025-2.pdf')),
        replaces: null,
        created_at: undefined,
      },
    ]);
    const audit = parseCsv((await fx.ok(['audit', '--entity', 'tax_letter', '--format', 'csv'])).stdout);
    expect(audit.map((a) => [a['action'], a['entity_id']])).toEqual([
      ['issue', '1'],
      ['issue', '2'],
    ]);
    const c = JSON.parse(audit[0]!['changes']!) as Record<string, [unknown, unknown]>;
    expect(c['person_id']).toEqual([null, 1]);
    expect(c['total_deductible']).toEqual([null, 261.44]);
    expect(c['sha256']).toEqual([null, sha(path.join(out, 'tax-letter-2025-1.pdf'))]);
  });

  it('a re-run says which letters were already issued and writes nothing; --reissue writes them again, recorded as replacing', async () => {
    const files = fs.readdirSync(out).map((f) => [f, sha(path.join(out, f))]);
    const before = await dbHash(fx.db);
    const again = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('already issued: #1 Nguyễn Thị Minh Khai on 2026-11-23 (tax-letter-2025-1.pdf)');
    expect(again.stderr).toContain('already issued: #2 王秀英 on 2026-11-23 (tax-letter-2025-2.pdf)');
    expect(again.stderr).toContain('nothing written: every letter for 2025 was already issued (--reissue writes them again)');
    expect(fs.readdirSync(out).map((f) => [f, sha(path.join(out, f))])).toEqual(files);
    expect(await dbHash(fx.db)).toBe(before);

    const re = await fx.run(['report', 'tax', '--year', '2025', '--letters', out, '--person', '#2', '--reissue'], { now: new Date(2026, 11, 2, 9) });
    expect(re.code, re.stderr).toBe(0);
    expect(re.stdout).toBe(`${path.join(out, 'tax-letter-2025-2.pdf')}\n${path.join(out, 'letters-2025.csv')}\n`);
    // The mail-merge file holds the letters of this run.
    expect(fs.readFileSync(path.join(out, 'letters-2025.csv'), 'utf8')).toBe(`${TAX_HEADER},letter_file\n${ROW_WANG},tax-letter-2025-2.pdf\n`);
    const t = flat(pdfText(path.join(out, 'tax-letter-2025-2.pdf')));
    expect(t).toContain('Date: 2026-12-02');
    expect(t).toContain('This letter replaces the acknowledgment dated 2026-11-23 for 2025.');
    const rows = await query<{ id: number; person_id: number; issued_on: string; replaces: number | null; sha256: string }>(
      fx.db,
      'SELECT id, person_id, issued_on, replaces, sha256 FROM tax_letters ORDER BY id',
    );
    expect(rows.map((r) => [r.id, r.person_id, r.issued_on, r.replaces])).toEqual([
      [1, 1, '2026-11-23', null],
      [2, 2, '2026-11-23', null],
      [3, 2, '2026-12-02', 2],
    ]);
    expect(rows[2]!.sha256).toBe(sha(path.join(out, 'tax-letter-2025-2.pdf')));
    const audit = parseCsv((await fx.ok(['audit', '--entity', 'tax_letter', '--id', '3', '--format', 'csv'])).stdout);
    expect(audit.map((a) => a['action'])).toEqual(['reissue']);
    // Letter #1 was not touched.
    expect(sha(path.join(out, 'tax-letter-2025-1.pdf'))).toBe(files.find(([f]) => f === 'tax-letter-2025-1.pdf')![1]);
  });

  it('a figure changed after a letter went out: the re-run warns; ngo status lists it with the --reissue command', async () => {
    await fx.ok(['hours', 'log', 'minh@example.org', '--program', 'PEER', '--date', '2025-12-30', '--hours', '1', '--expenses', '10.00']);
    const again = await fx.run(['report', 'tax', '--year', '2025', '--letters', out, '--person', 'minh@example.org']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      'ngo: warning: the 2025 figures of #1 Nguyễn Thị Minh Khai changed since that letter (service_days 2 → 3, hours_served 3.50 → 4.50, expenses 246.00 → 256.00, total_deductible 261.44 → 271.44): --reissue writes a corrected one',
    );
    const conn = await testConn(fx.db);
    try {
      expect(await taxLetterStatusItems(conn, { today: '2026-02-01' })).toEqual([
        {
          area: 'letters',
          severity: 'due',
          subject: 'Nguyễn Thị Minh Khai (#1)',
          detail:
            'the acknowledgment letter issued 2026-11-23 for 2025 no longer matches the tax report (service_days 2 → 3, hours_served 3.50 → 4.50, expenses 246.00 → 256.00, total_deductible 261.44 → 271.44)',
          due_date: '',
          command: "ngo report tax --year 2025 --letters letters-2025 --person '#1' --reissue",
        },
      ]);
    } finally {
      await conn.close();
    }
  });
});

describe('report tax --letters: selection, refusals, stores', () => {
  it('--all writes one letter per volunteer with a deductible amount (not the one with nothing deductible)', async () => {
    const fx = await buildFixture();
    const out = path.join(fx.dir, 'all');
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', out, '--all']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['letters-2025.csv', 'tax-letter-2025-1.pdf', 'tax-letter-2025-2.pdf', 'tax-letter-2025-3.pdf']);
    expect(fs.readFileSync(path.join(out, 'letters-2025.csv'), 'utf8')).toBe(
      `${TAX_HEADER},letter_file\n${ROW_BEN},tax-letter-2025-3.pdf\n${ROW_MINH},tax-letter-2025-1.pdf\n${ROW_WANG},tax-letter-2025-2.pdf\n`,
    );
    const ben = lines(pdfText(path.join(out, 'tax-letter-2025-3.pdf')));
    for (const exact of ['Ben Cole', '9 Oak Ave', 'Salem', '20.00 USD', 'Car use: 0.00 miles at the charitable rate of 0.14 per mile', '0.00 USD'])
      expect(ben).toContain(exact);
    expect(await query(fx.db, 'SELECT person_id FROM tax_letters ORDER BY person_id')).toEqual([{ person_id: 1 }, { person_id: 2 }, { person_id: 3 }]);
    // --person without --all: a volunteer below 250.00 gets none, and is told why.
    const none = await fx.run(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'p'), '--person', 'dee@example.org', '--all']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('nothing written: no volunteer has a deductible amount for 2025 (--person dee@example.org)');
    expect(fs.existsSync(path.join(fx.dir, 'p'))).toBe(false);
  });

  it('a volunteer with no postal address still gets a letter (name only), with a warning', async () => {
    const fx = await buildFixture();
    await fx.ok(['people', 'add', '--first', 'Ola', '--last', 'Nowak', '--email', 'ola@example.org']);
    await fx.ok(['hours', 'log', 'ola@example.org', '--program', 'TELE', '--date', '2025-08-01', '--hours', '1', '--expenses', '250.00']);
    const out = path.join(fx.dir, 'letters');
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', out, '--person', 'ola@example.org']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('ngo: warning: no postal address on file for #5 Ola Nowak: the letter shows the name only');
    const l = lines(pdfText(path.join(out, 'tax-letter-2025-5.pdf')));
    expect(l.slice(l.indexOf('Ola Nowak'), l.indexOf('Ola Nowak') + 2)).toEqual([
      'Ola Nowak',
      'Acknowledgment of unreimbursed volunteer expenses, tax year 2025',
    ]);
  });

  it('a character no shipped font has (Arabic, Hangul) exits 3 naming the person and the character; nothing is written', async () => {
    const fx = await buildFixture();
    await fx.ok(['people', 'add', '--first', 'أحمد', '--last', 'Haddad', '--email', 'ahmad@example.org']);
    await fx.ok(['hours', 'log', 'ahmad@example.org', '--program', 'PEER', '--date', '2025-08-01', '--hours', '1', '--expenses', '300.00']);
    const out = path.join(fx.dir, 'letters');
    const before = await dbHash(fx.db);
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'ngo: error: the letter for #5 أحمد Haddad cannot be printed: the letters\' fonts do not cover the character "أ" (U+0623, Arabic script)',
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(await dbHash(fx.db)).toBe(before);
    // The others still go out when that volunteer is left aside.
    expect((await fx.run(['report', 'tax', '--year', '2025', '--letters', out, '--person', '#1'])).code).toBe(0);
    await fx.ok(['people', 'edit', '#5', '--first', '민준']);
    const k = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(k.code).toBe(3);
    expect(k.stderr).toContain('(U+BBFC, Hangul script)');
    // Devanagari: Noto Sans has glyphs, but the script needs shaping these letters do not do.
    await fx.ok(['people', 'edit', '#5', '--first', 'अमित']);
    const d = await fx.run(['report', 'tax', '--year', '2025', '--letters', out]);
    expect(d.code).toBe(3);
    expect(d.stderr).toContain('(U+0905, Devanagari script)');
  });

  it('DIR that is the database or a file exits 2; usage errors exit 2', async () => {
    const fx = await buildFixture();
    const before = await dbHash(fx.db);
    if (!ON_PG) {
      const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', fx.db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('refusing to write over it');
    }
    const file = path.join(fx.dir, 'notes.txt');
    fs.writeFileSync(file, 'keep');
    const f = await fx.run(['report', 'tax', '--year', '2025', '--letters', file]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('is not a folder; nothing was written');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep');
    for (const args of [
      ['--all'],
      ['--reissue'],
      ['--letters', 'x', '--detail'],
      ['--letters', 'x', '--out', 'y.csv'],
      ['--letters', 'x', '--json'],
      ['--letters', 'x', '--deductible-only'],
      ['--letters', ''],
    ]) {
      const u = await fx.run(['report', 'tax', '--year', '2025', ...args], { cwd: fx.dir });
      expect(u.code, args.join(' ')).toBe(2);
    }
    expect(fs.existsSync(path.join(fx.dir, 'x'))).toBe(false);
    expect(await dbHash(fx.db)).toBe(before);
  });

  it('people forget keeps a letter record anonymous: figures stay, the hash of the PDF (name and address) goes; no new letter for an erased person', async () => {
    const fx = await buildFixture();
    const out = path.join(fx.dir, 'letters');
    await fx.ok(['report', 'tax', '--year', '2025', '--letters', out]);
    const hash1 = sha(path.join(out, 'tax-letter-2025-1.pdf'));
    await fx.ok(['people', 'forget', '#1', '--yes']);
    expect(await query(fx.db, 'SELECT person_id, total_deductible, file_name, sha256 FROM tax_letters ORDER BY id')).toEqual([
      { person_id: 1, total_deductible: 26144, file_name: 'tax-letter-2025-1.pdf', sha256: '[erased]' },
      { person_id: 2, total_deductible: 25200, file_name: 'tax-letter-2025-2.pdf', sha256: sha(path.join(out, 'tax-letter-2025-2.pdf')) },
    ]);
    const audit = (await fx.ok(['audit', '--entity', 'tax_letter', '--format', 'csv'])).stdout;
    expect(audit).not.toContain(hash1);
    expect(audit).toContain('"sha256"":[null,""[erased]""]');
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'again'), '--reissue']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no letter for #1 Erased person #1: the person was erased (people forget)');
    expect(fs.readdirSync(path.join(fx.dir, 'again')).sort()).toEqual(['letters-2025.csv', 'tax-letter-2025-2.pdf']);
  });

  it('two runs at once (two processes): the letters are issued once; a run that overlaps exits 5 having written nothing', async () => {
    expect(HAVE_BUILD, 'npm run build first: this test spawns bin/ngo.js').toBe(true);
    const fx = await buildFixture();
    let overlapped = 0;
    for (let round = 0; round < 3; round++) {
      const dirs = ['a', 'b'].map((d) => path.join(fx.dir, `${d}${round}`));
      const [a, b] = (await Promise.all(dirs.map((d) => runNgo(['--db', fx.db, 'report', 'tax', '--year', '2025', '--letters', d, '--reissue'])))) as [
        Awaited<ReturnType<typeof runNgo>>,
        Awaited<ReturnType<typeof runNgo>>,
      ];
      const codes = [a.code, b.code].sort();
      if (codes[1] === 5) {
        overlapped++;
        const loser = a.code === 5 ? 0 : 1;
        expect([a, b][loser]!.stderr).toContain('the 2025 figures or the letters issued changed while the letters were being made; nothing was written');
        expect(fs.existsSync(dirs[loser]!)).toBe(false);
      }
      expect(codes[0], a.stderr + b.stderr).toBe(0);
      // Each run that succeeded recorded two letters, each replacing the one in force before it.
      const rows = await query<{ id: number; replaces: number | null }>(fx.db, 'SELECT id, replaces FROM tax_letters ORDER BY id');
      const chain = new Set(rows.map((r) => r.replaces).filter((x) => x !== null));
      expect(chain.size, 'no letter replaced twice').toBe(rows.filter((r) => r.replaces !== null).length);
    }
    // Started together, they overlap (pdfkit alone takes longer to load than a transaction).
    expect(overlapped).toBeGreaterThan(0);
  }, 60_000);

  it('db backup and db restore carry the letters issued', async () => {
    const fx = await buildFixture();
    await fx.ok(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'letters')]);
    const backup = path.join(fx.dir, 'backup.db');
    await fx.ok(['db', 'backup', backup]);
    expect(await query(backup, 'SELECT person_id, sha256 FROM tax_letters ORDER BY id')).toEqual(
      await query(fx.db, 'SELECT person_id, sha256 FROM tax_letters ORDER BY id'),
    );
    const { db: other } = await tmpDb();
    await mustSucceed(withDb(other))(['db', 'restore', backup, '--yes']);
    expect(await query(other, 'SELECT COUNT(*) AS n FROM tax_letters')).toEqual([{ n: 2 }]);
    // The restored database knows the letters went out.
    const again = await withDb(other)(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'letters2')]);
    expect(again.stderr).toContain('nothing written: every letter for 2025 was already issued');
  });
});

describe.skipIf(ON_PG)('migration: a schema-7 file gains tax_letters', () => {
  it('an SQLite file at the version before the letters is migrated on open, its data kept', async () => {
    const fx = await buildFixture();
    const raw = new Database(fx.db);
    raw.exec('DROP TABLE tax_letters');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION - 1}`);
    raw.close();
    const r = await fx.run(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'l')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`before migrating it from schema ${LATEST_SCHEMA_VERSION - 1} to ${LATEST_SCHEMA_VERSION}`);
    expect(await query(fx.db, 'SELECT person_id FROM tax_letters ORDER BY id')).toEqual([{ person_id: 1 }, { person_id: 2 }]);
  });
});

describe('ngo status: letters still owed for last year (taxLetterStatusItems)', () => {
  it('from January on, each volunteer owed a letter: due until April 15, then overdue; none once issued', async () => {
    const fx = await buildFixture();
    const conn = await testConn(fx.db);
    try {
      // In 2025 the letters owed are 2024's: none.
      expect(await taxLetterStatusItems(conn, { today: '2025-12-31' })).toEqual([]);
      const item = (id: number, name: string, largest: string, total: string, severity: 'due' | 'overdue') => ({
        area: 'letters',
        severity,
        subject: `${name} (#${id})`,
        detail: `no acknowledgment letter issued for 2025 (largest single contribution ${largest}, total ${total}); it must reach the volunteer before they file`,
        due_date: '2026-04-15',
        command: `ngo report tax --year 2025 --letters letters-2025 --person '#${id}'`,
      });
      expect(await taxLetterStatusItems(conn, { today: '2026-01-01' })).toEqual([
        item(1, 'Nguyễn Thị Minh Khai', '260.00', '261.44', 'due'),
        item(2, '王秀英', '252.00', '252.00', 'due'),
      ]);
      expect((await taxLetterStatusItems(conn, { today: '2026-04-15' })).map((i) => i.severity)).toEqual(['due', 'due']);
      expect((await taxLetterStatusItems(conn, { today: '2026-04-16' })).map((i) => i.severity)).toEqual(['overdue', 'overdue']);
    } finally {
      await conn.close();
    }
    await fx.ok(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'l'), '--person', '#2']);
    const c2 = await testConn(fx.db);
    try {
      expect((await taxLetterStatusItems(c2, { today: '2026-03-01' })).map((i) => i.subject)).toEqual(['Nguyễn Thị Minh Khai (#1)']);
    } finally {
      await c2.close();
    }
    await fx.ok(['report', 'tax', '--year', '2025', '--letters', path.join(fx.dir, 'l')]);
    const c3 = await testConn(fx.db);
    try {
      expect(await taxLetterStatusItems(c3, { today: '2026-03-01' })).toEqual([]);
    } finally {
      await c3.close();
    }
  });
});
