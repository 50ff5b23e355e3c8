/**
 * `people forget` reaches the free text ngo keeps about a person (issue 15): their hours notes,
 * the topics of supervision sessions they were in, their grants' purposes, their pairings' goals and
 * meeting notes, the names of import files that carry their name or email, and the audit copies of all
 * of these; what identifies them for certain (email, full name, phone, ids) is scrubbed from anybody
 * else's free text too, and each of their names from import file names. Afterwards a raw
 * byte search of the database, its WAL and its shm finds none of it. When a reader keeps the WAL from
 * being emptied, the command exits 6 (never 0) and the next command completes the compaction.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';

const P = {
  first: 'Zephyrine',
  last: 'Quillfeather',
  email: 'zeph.quill@example.org',
  ext: 'VOL-ZQ-77',
  phone: '555-0199-ZQ',
  address: '742 Evergreen Terrace',
};
/** Free text that is about P: it must all be gone. */
const OWN_TEXT = {
  hoursNote: 'hours-note-Xylophone',
  rejectReason: 'reject-reason-Marmalade',
  topic: 'topic-Sassafras risk review',
  groupTopic: 'group-topic-Pumpernickel',
  goals: 'goals-Tamarind licensure',
  meetingNote: 'meeting-note-Kumquat',
  purpose: 'purpose-Wolframite tuition',
  closeReason: 'close-reason-Obsidian',
};
const FILES = [`${P.email}-hours.csv`, `${P.last.toLowerCase()}_march.csv`];

function bytesOf(db: string): Buffer {
  return Buffer.concat([db, `${db}-wal`, `${db}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

async function world() {
  const { dir, db } = await tmpDb();
  const ok = mustSucceed(withDb(db));
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['funders', 'add', 'F', '--name', 'Fund']);
  await ok([
    'people',
    'add',
    '--first',
    P.first,
    '--last',
    P.last,
    '--email',
    P.email,
    '--external-id',
    P.ext,
    '--phone',
    P.phone,
    '--address-line1',
    P.address,
    '--roles',
    'volunteer,supervisee,mentee,grantee',
  ]);
  await ok([
    'people',
    'add',
    '--first',
    'Grace',
    '--last',
    'Hopper',
    '--email',
    'grace@example.org',
    '--roles',
    'supervisor,mentor',
    '--credential',
    'LCSW',
    '--license-number',
    'L-1',
    '--license-region',
    'NY',
    '--license-expires',
    '2030-01-01',
  ]);
  await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org', '--roles', 'supervisee,grantee']);
  // P's own records, each with free text about them.
  await ok(['hours', 'log', P.email, '--program', 'TELE', '--hours', '2', '--date', '2026-03-01', '--note', OWN_TEXT.hoursNote, '--expenses', '10.00']);
  const pending = (await ok(['hours', 'log', P.email, '--program', 'TELE', '--hours', '1', '--date', '2026-03-02', '--pending'])).stdout.trim();
  await ok(['hours', 'reject', pending, '--reason', OWN_TEXT.rejectReason]);
  await ok([
    'supervision',
    'add',
    '--supervisor',
    'grace@example.org',
    '--supervisee',
    P.email,
    '--hours',
    '1',
    '--date',
    '2026-03-03',
    '--topic',
    OWN_TEXT.topic,
  ]);
  await ok([
    'supervision',
    'add',
    '--supervisor',
    'grace@example.org',
    '--supervisee',
    `${P.email},ana@example.org`,
    '--hours',
    '1',
    '--date',
    '2026-03-04',
    '--topic',
    OWN_TEXT.groupTopic,
  ]);
  const pairing = (await ok(['mentorship', 'pair', 'grace@example.org', P.email, '--goals', OWN_TEXT.goals, '--start', '2026-01-01'])).stdout.trim();
  await ok(['mentorship', 'meet', pairing, '--hours', '1', '--date', '2026-03-05', '--note', OWN_TEXT.meetingNote]);
  const grant = (
    await ok(['grants', 'award', P.email, '--amount', '500.00', '--purpose', OWN_TEXT.purpose, '--funder', 'F', '--date', '2026-02-01'])
  ).stdout.trim();
  await ok(['grants', 'close', grant, '--status', 'cancelled', '--reason', OWN_TEXT.closeReason, '--yes']);
  // Other people's records that mention P.
  await ok([
    'hours',
    'log',
    'ana@example.org',
    '--program',
    'TELE',
    '--hours',
    '1',
    '--date',
    '2026-03-06',
    '--note',
    `covered for ${P.first} ${P.last} (${P.email})`,
  ]);
  await ok([
    'supervision',
    'add',
    '--supervisor',
    'grace@example.org',
    '--supervisee',
    'ana@example.org',
    '--hours',
    '1',
    '--date',
    '2026-03-07',
    '--topic',
    `peer feedback, ${P.first} ${P.last} absent`,
  ]);
  await ok([
    'grants',
    'award',
    'ana@example.org',
    '--amount',
    '300.00',
    '--purpose',
    'books for the Okafor practicum',
    '--funder',
    'F',
    '--date',
    '2026-02-02',
  ]);
  // Import files named after P.
  for (const [i, f] of FILES.entries()) {
    fs.writeFileSync(path.join(dir, f), `email,date,hours,program\n${P.email},2026-04-0${i + 1},1.5,TELE\n`);
    await ok(['hours', 'import', path.join(dir, f)]);
  }
  const id = Number((await ok(['people', 'show', P.email, '--json'])).stdout.match(/"id": (\d+)/)![1]);
  return { dir, db, ok, run: withDb(db), id };
}

const secrets = () => [...Object.values(P), ...Object.values(OWN_TEXT), ...FILES];

describe('people forget: free text', () => {
  it("clears what is about the person, scrubs their values from everybody else's text, and no byte of it is left in the db, WAL or shm", async () => {
    const { db, ok, run, id } = await world();
    // The test would see them before: every secret is somewhere in the bytes (records and audit log).
    const before = bytesOf(db);
    for (const s of secrets()) expect(before.includes(Buffer.from(s)), s).toBe(true);
    const tax = (await ok(['report', 'tax', '--year', '2026'])).stdout;
    const funder = (await ok(['report', 'funder', '--funder', 'F', '--period', '2026'])).stdout;

    const f = await run(['people', 'forget', P.email, '--yes']);
    expect(f.code, f.stderr).toBe(0);

    const after = bytesOf(db);
    const left = secrets().filter((s) => after.includes(Buffer.from(s)));
    expect(left, `still on disk: ${left.join(', ')}`).toEqual([]);
    // Nor any lower- or upper-case variant of the names.
    for (const s of [P.first, P.last]) for (const v of [s.toLowerCase(), s.toUpperCase()]) expect(after.includes(Buffer.from(v)), v).toBe(false);

    // The records stay, their texts marked as erased; other people's texts lose only P's values.
    const hours = parseCsv((await ok(['hours', 'list', '--status', 'all'])).stdout);
    expect(hours.filter((h) => h['person_id'] === String(id)).map((h) => h['note'])).toEqual(['[erased]', '', '', '']);
    expect(hours.find((h) => h['email'] === 'ana@example.org')!['note']).toBe('covered for [erased] ([erased])');
    const sessions = parseCsv((await ok(['supervision', 'list'])).stdout);
    expect(sessions.map((s) => s['topic'])).toEqual(['[erased]', '[erased]', 'peer feedback, [erased] absent']);
    const grants = parseCsv((await ok(['grants', 'list', '--status', 'all'])).stdout);
    expect(grants.map((g) => g['purpose']).sort()).toEqual(['[erased]', 'books for the Okafor practicum']);
    const imports = new Database(db, { readonly: true });
    try {
      expect(imports.prepare('SELECT file_name FROM imports ORDER BY id').pluck().all()).toEqual(['[erased]-hours.csv', '[erased]_march.csv']);
      const goals = imports.prepare('SELECT goals FROM mentorships').pluck().all();
      expect(goals).toEqual(['[erased]']);
      expect(imports.prepare('SELECT note FROM mentorship_meetings').pluck().all()).toEqual(['[erased]']);
      // The audit log still records every action, its texts scrubbed.
      const actions = imports.prepare("SELECT action || ' ' || entity FROM audit_log ORDER BY id").pluck().all();
      expect(actions).toContain('create supervision');
      expect(actions).toContain('close grant');
      expect(actions).toContain('reject hours');
      expect(actions.at(-1)).toBe('forget person');
    } finally {
      imports.close();
    }
    // Every figure is as before (the tax report's rows lose P's name and address, not a number).
    const numbers = (csv: string) =>
      parseCsv(csv)
        .map((r) => [r['person_id'], r['hours_served'], r['miles'], r['expenses'], r['total_deductible']].join(','))
        .sort();
    expect(numbers((await ok(['report', 'tax', '--year', '2026'])).stdout)).toEqual(numbers(tax));
    expect((await ok(['report', 'funder', '--funder', 'F', '--period', '2026'])).stdout).toBe(funder);
    expect((await ok(['db', 'check'])).stdout).toContain('erasures_compacted,ok');
  });

  it('a reader holding an old snapshot: exit 6 (erasure saved, not yet compacted); the next command completes it', async () => {
    const { db, run, id } = await world();
    // Another process in the middle of a long report: a read transaction on the state before the erasure.
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 3 });
    try {
      const f = await run(['people', 'forget', P.email, '--yes'], { env: { NGO_BUSY_TIMEOUT: '5' } });
      expect(f.code, f.stderr).toBe(6);
      expect(f.stderr).toMatch(
        /^ngo: error: the erasure of person #\d+ is saved, but old copies of their data are still in the database file: another process is still using the database/m,
      );
      expect(f.stdout).toBe('');
      // The erasure itself is committed …
      const check = await run(['db', 'check']);
      expect(check.code).toBe(5);
      expect(check.stdout).toMatch(/erasures_compacted,fail,"the erasure of person #\d+ /);
      const show = await run(['people', 'show', String(id), '--json']);
      expect(show.stdout).toContain(`Erased person #${id}`);
    } finally {
      reader.exec('COMMIT');
      reader.close();
    }
    // … and once the reader is gone, any command finishes the compaction and says so.
    const next = await run(['people', 'list']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('completed the compaction of an earlier erasure');
    const left = secrets().filter((s) => bytesOf(db).includes(Buffer.from(s)));
    expect(left, `still on disk: ${left.join(', ')}`).toEqual([]);
    expect((await run(['db', 'check'])).stdout).toContain('erasures_compacted,ok');
  });
});
