import { describe, expect, it } from 'vitest';
import { sqliteOf } from '../../src/store/sqlite-conn.js';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import { Readable } from 'node:stream';
import type { App } from '../../src/app.js';
import { ConflictError, IoError, NgoError, NotFoundError, ValidationError } from '../../src/errors.js';
import { RowError, runImport, type ImportOptions, type ImportRow, type ImportSummary, type RowOutcome, progressLine } from '../../src/io/importer.js';
import { NOW, parseCsv } from '../helpers.js';
import { world, type World } from './world.js';

/** A rejects file's text without the `(ngo import #N ref XXXXXXXX)` tags of its error cells. */
const untag = (text: string) => text.replace(/ \(ngo import #\d+ ref [0-9a-f]{8}\)/g, '');

const FIELDS = [
  { field: 'key', synonyms: ['id', 'code'] },
  { field: 'value', synonyms: ['val', 'amount'] },
  { field: 'first_name', synonyms: ['given name'] },
  { field: 'last_name', synonyms: ['surname'] },
];

/**
 * The row logic of the tests: `key` required; value BAD → row error; HALF → writes, then a row error
 * (the savepoint must undo the write); MISSING → NotFoundError; BOOM → an internal error (aborts).
 */
function kvHandler(app: App): ImportOptions['handle'] {
  return async (row: ImportRow): Promise<RowOutcome> => {
    const key = row.get('key');
    const value = row.get('value') ?? '';
    if (!key) throw new RowError(row.columnOf('key'), 'key is required');
    if (value === 'BAD') throw new RowError(row.columnOf('value'), `invalid value "${value}"`);
    if (value === 'MISSING') throw new NotFoundError(`no such thing "${key}"`);
    if (value === 'BOOM') throw new Error('boom');
    const old = sqliteOf(await app.db())
      .prepare('SELECT value FROM kv WHERE key = ?')
      .pluck()
      .get(key) as string | undefined;
    if (value === 'SKIP') return 'skipped';
    if (old === undefined) {
      sqliteOf(await app.db())
        .prepare('INSERT INTO kv(key, value, first, last) VALUES (?, ?, ?, ?)')
        .run(key, value, row.get('first_name') ?? null, row.get('last_name') ?? null);
      if (value === 'HALF') throw new ValidationError('half-way failure after a write');
      return 'inserted';
    }
    if (old === value) return 'unchanged';
    sqliteOf(await app.db())
      .prepare('UPDATE kv SET value = ? WHERE key = ?')
      .run(value, key);
    return 'updated';
  };
}

async function imp(w: World, file: string, o: Partial<ImportOptions> = {}): Promise<ImportSummary> {
  return runImport(w.app, { kind: 'people', file, fields: FIELDS, handle: kvHandler(w.app), ...o });
}

async function impError(w: World, file: string, o: Partial<ImportOptions> = {}): Promise<NgoError> {
  try {
    await imp(w, file, o);
  } catch (e) {
    return e as NgoError;
  }
  throw new Error('expected the import to fail');
}

async function untouched(w: World, rows = 0) {
  expect(await w.count('SELECT count(*) FROM kv')).toBe(rows);
  expect(await w.count('SELECT count(*) FROM imports')).toBe(0);
  expect(await w.count("SELECT count(*) FROM audit_log WHERE action = 'import'")).toBe(0);
  expect((await w.app.db()).inTransaction).toBe(false);
}

// ---- tests --------------------------------------------------------------------------------------

describe('runImport: reading', () => {
  it('BOM + CRLF + a quoted line break: rows carry the line where they start', async () => {
    const w = await world();
    const lines: number[] = [];
    const f = w.write('a.csv', '\ufeffKey,Value\r\nk1,"two\r\nlines"\r\n\r\nk2,"x, ""y"""\r\nk3,BAD\r\n');
    const e = await impError(w, f, {
      handle: (row) => {
        lines.push(row.line);
        return kvHandler(w.app)(row, 0);
      },
    });
    expect(lines).toEqual([2, 5, 6]);
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.exitCode).toBe(3);
    expect(w.stderr.text).toContain('ngo: error: line 6, column "Value": invalid value "BAD"\n');
    expect(e.message).toBe('1 invalid row(s) in a.csv; nothing was imported');
    expect(e.hint).toBe('fix them, or use --skip-invalid (with --rejects FILE) to import the valid rows');
    await untouched(w);
  });

  it('detects ; and tab delimiters, or takes --delimiter', async () => {
    for (const [text, delimiter] of [
      ['key;value\nk1;1,5\nk2;2\n', undefined],
      ['key\tvalue\nk1\t1,5\nk2\t2\n', undefined],
      ['key|value\nk1|1,5\nk2|2\n', '|'],
      ['key\tvalue\nk1\t1,5\nk2\t2\n', '\\t'],
    ] as const) {
      const w = await world();
      const s = await imp(w, w.write('d.csv', text), { delimiter });
      expect(s.inserted).toBe(2);
      expect(
        sqliteOf(await w.app.db())
          .prepare("SELECT value FROM kv WHERE key = 'k1'")
          .pluck()
          .get(),
      ).toBe('1,5');
    }
  });

  it('invalid UTF-8 is exit 3 naming the line; nothing is written', async () => {
    const w = await world();
    const f = w.write('latin1.csv', Buffer.concat([Buffer.from('key,value\nk1,1\nk2,Jos'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const e = await impError(w, f);
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/^latin1\.csv: line 3: invalid UTF-8/);
    expect(e.hint).toContain('CSV UTF-8');
    await untouched(w);
  });

  it('a UTF-32 file is refused with advice', async () => {
    const w = await world();
    const f = w.write('u32.csv', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('k\0\0\0', 'latin1')]));
    const e = await impError(w, f);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('u32.csv looks like UTF-32; save it as UTF-8 (CSV UTF-8 in Excel)');
    await untouched(w);
  });

  it('a NUL byte is exit 3 naming the line', async () => {
    const w = await world();
    const e = await impError(w, w.write('nul.csv', 'key,value\nk1,1\nk2,\u0000\n'));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/^nul\.csv: line 3: NUL byte/);
    await untouched(w);
  });

  it('an unterminated quote is fatal (not a row error), names the line, and writes nothing even with --skip-invalid', async () => {
    const w = await world();
    const e = await impError(w, w.write('q.csv', 'key,value\nk1,1\nk2,"oops\nk3,3\n'), { skipInvalid: true });
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('q.csv: line 3: a quoted field is never closed (unterminated quote)');
    await untouched(w);
  });

  it('a ragged row is a row error: expected N columns, found M (trailing empty cells are tolerated)', async () => {
    const w = await world();
    const e = await impError(w, w.write('r.csv', 'key,value\nk1,1,\nk2\nk3,3,x\n'));
    expect(e.message).toBe('2 invalid row(s) in r.csv; nothing was imported');
    expect(w.stderr.text).toContain('ngo: error: line 3: expected 2 columns, found 1\n');
    expect(w.stderr.text).toContain('ngo: error: line 4: expected 2 columns, found 3 (extra: "x")\n');
    await untouched(w);
  });

  it('an empty file is an error; a header-only file imports nothing and is recorded', async () => {
    const w = await world();
    for (const text of ['', '\r\n\n']) {
      const e = await impError(w, w.write('empty.csv', text));
      expect(e.exitCode).toBe(3);
      expect(e.message).toBe('empty.csv: line 1: the file is empty (no header line)');
    }
    await untouched(w);
    const s = await imp(w, w.write('h.csv', '\ufeffkey,value\r\n'));
    expect(s).toMatchObject({ inserted: 0, updated: 0, unchanged: 0, skipped: 0, invalid: 0, dry_run: false });
    expect(w.stderr.text).toContain('inserted 0, updated 0, unchanged 0, skipped 0, invalid 0\n');
    expect(await w.count('SELECT count(*) FROM imports')).toBe(1);
  });

  it('a header with no known column is refused with its line (a headerless file)', async () => {
    const w = await world();
    const e = await impError(w, w.write('nohead.csv', '\nk1,1\nk2,2\n'));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/^nohead\.csv: line 2: no known column in the header \(k1, 1\)/);
    await untouched(w);
  });

  it('a missing file is exit 6 before the database is touched', async () => {
    const w = await world();
    const e = await impError(w, 'nope.csv');
    expect(e).toBeInstanceOf(IoError);
    expect(e.exitCode).toBe(6);
    expect(e.message).toBe('cannot read nope.csv: no such file');
    expect(w.app.isDbOpen).toBe(false);
  });

  it('reads stdin for "-" and records the file name as "-"', async () => {
    const w = await world({ stdin: 'key,value\nk1,1\n' });
    const s = await imp(w, '-');
    expect(s.inserted).toBe(1);
    expect(
      sqliteOf(await w.app.db())
        .prepare('SELECT file_name FROM imports')
        .pluck()
        .get(),
    ).toBe('-');
  });
});

describe('runImport: headers', () => {
  it('synonyms, --map and a warning naming the unknown columns once', async () => {
    const w = await world();
    const s = await imp(w, w.write('m.csv', 'Code,Betrag,Shoe Size,Notes\nk1,5,42,x\n'), { map: ['Betrag=value'] });
    expect(s.inserted).toBe(1);
    expect(
      sqliteOf(await w.app.db())
        .prepare("SELECT value FROM kv WHERE key = 'k1'")
        .pluck()
        .get(),
    ).toBe('5');
    const warnings = w.stderr.text.split('\n').filter((l) => l.startsWith('ngo: warning:'));
    expect(warnings).toEqual(['ngo: warning: ignoring unknown column(s): Shoe Size, Notes (use --map "Header=field" to import them, --strict to refuse them)']);
  });

  it('--strict makes unknown columns an error before anything is written', async () => {
    const w = await world();
    const e = await impError(w, w.write('s.csv', 'key,value,Shoe Size\nk1,1,42\n'), { strict: true });
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('s.csv: line 1: unknown column(s): Shoe Size (use --map "Header=field" or drop them)');
    expect(w.app.isDbOpen).toBe(false);
  });

  it('a bad --map is a usage error (exit 2)', async () => {
    const w = await world();
    const e = await impError(w, w.write('s.csv', 'key,value\nk1,1\n'), { map: ['key=nope'] });
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^--map: unknown field "nope" \(known: key, value, first_name, last_name/);
  });

  it('two columns for one field is exit 3', async () => {
    const w = await world();
    const e = await impError(w, w.write('s.csv', 'key,id,value\nk1,k1,1\n'));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('s.csv: line 1: columns "key" and "id" both map to field key');
  });

  it('a full-name column fills first and last names (nameField)', async () => {
    const w = await world();
    await imp(w, w.write('n.csv', 'key,value,Full Name\nk1,1,Ana María Okafor\nk2,2,"Okafor, Ana"\nk3,3,Cher\n'), { nameField: true });
    expect(
      sqliteOf(await w.app.db())
        .prepare('SELECT key, first, last FROM kv ORDER BY key')
        .all(),
    ).toEqual([
      { key: 'k1', first: 'Ana María', last: 'Okafor' },
      { key: 'k2', first: 'Ana', last: 'Okafor' },
      { key: 'k3', first: 'Cher', last: '' },
    ]);
    expect(w.stderr.text).not.toContain('unknown column');
  });

  it('get() trims, gives "" for empty and undefined for absent columns, and undoes our formula guard; columnOf names the source header', async () => {
    const w = await world();
    const seen: unknown[] = [];
    await imp(w, w.write('g.csv', "Code,Val,Full Name\n  k1 ,,'=1+1\n"), {
      nameField: true,
      handle: async (row) => {
        seen.push([
          row.get('key'),
          row.get('value'),
          row.get('first_name'),
          row.get('name'),
          row.get('nope'),
          row.columnOf('key'),
          row.columnOf('last_name'),
          row.columnOf('nope'),
          row.header,
        ]);
        return 'skipped';
      },
    });
    expect(seen).toEqual([['k1', '', '=1+1', '=1+1', undefined, 'Code', 'Full Name', null, ['Code', 'Val', 'Full Name']]]);
  });
});

describe('runImport: all or nothing, --skip-invalid, --rejects, --dry-run', () => {
  const MIXED = 'key,value,Note\nk1,1,ok\nk2,BAD,=cmd|x\nk3,HALF,half\n,4,no key\nk5,MISSING,gone\nk6,6,"multi\nline"\n';

  it('any invalid row: nothing is written (even the half-written row), every bad row is listed, exit 3', async () => {
    const w = await world();
    sqliteOf(await w.app.db())
      .prepare("INSERT INTO kv(key, value) VALUES ('k0', '0')")
      .run();
    const e = await impError(w, w.write('mixed.csv', MIXED));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe('4 invalid row(s) in mixed.csv; nothing was imported');
    expect(w.stderr.text).toBe(
      [
        'ngo: warning: ignoring unknown column(s): Note (use --map "Header=field" to import them, --strict to refuse them)',
        'ngo: error: line 3, column "value": invalid value "BAD"',
        'ngo: error: line 4: half-way failure after a write',
        'ngo: error: line 5, column "key": key is required',
        'ngo: error: line 6: no such thing "k5"',
        '',
      ].join('\n'),
    );
    await untouched(w, 1);
  });

  it('--skip-invalid writes the valid rows only (a half-written bad row leaves nothing); --rejects gets the bad rows exactly', async () => {
    const w = await world();
    const s = await imp(w, w.write('mixed.csv', MIXED), { skipInvalid: true, rejects: 'out/rejects.csv' });
    expect(s).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, skipped: 0, invalid: 4, dry_run: false });
    expect(s.errors).toEqual([
      { line: 3, column: 'value', error: 'invalid value "BAD"' },
      { line: 4, column: null, error: 'half-way failure after a write' },
      { line: 5, column: 'key', error: 'key is required' },
      { line: 6, column: null, error: 'no such thing "k5"' },
    ]);
    expect(
      sqliteOf(await w.app.db())
        .prepare('SELECT key FROM kv ORDER BY key')
        .pluck()
        .all(),
    ).toEqual(['k1', 'k6']);
    // Each error cell ends with the import's tag (how a fixed row finds the row it fixes); compared without it.
    expect(untag(fs.readFileSync(path.join(w.dir, 'out/rejects.csv'), 'utf8'))).toBe(
      'key,value,Note,line,error\n' +
        'k2,BAD,\'=cmd|x,3,"invalid value ""BAD"""\n' +
        'k3,HALF,half,4,half-way failure after a write\n' +
        ',4,no key,5,key is required\n' +
        'k5,MISSING,gone,6,"no such thing ""k5"""\n',
    );
    expect(fs.readdirSync(path.join(w.dir, 'out'))).toEqual(['rejects.csv']);
    expect(w.stderr.text).toContain('ngo: warning: line 3, column "value": invalid value "BAD" (row skipped)\n');
    expect(w.stderr.text).toContain('inserted 2, updated 0, unchanged 0, skipped 0, invalid 4\n');
    expect(await w.count('SELECT invalid FROM imports')).toBe(4);
  });

  it('--rejects is written even when the run then exits 3, and holds ragged rows cut to the header', async () => {
    const w = await world();
    const e = await impError(w, w.write('r.csv', 'key,value\nk1,1\nk2,2,extra\nk3,BAD\n'), { rejects: 'rej.csv' });
    expect(e.exitCode).toBe(3);
    expect(parseCsv(untag(fs.readFileSync(path.join(w.dir, 'rej.csv'), 'utf8')))).toEqual([
      { key: 'k2', value: '2', line: '3', error: 'expected 2 columns, found 3 (extra: "extra")' },
      { key: 'k3', value: 'BAD', line: '4', error: 'invalid value "BAD"' },
    ]);
    await untouched(w);
  });

  it('--rejects that cannot be written is exit 6 and writes nothing', async () => {
    const w = await world();
    w.write('blocker', 'x');
    const e = await impError(w, w.write('r.csv', 'key,value\nk1,1\n'), { rejects: 'blocker/rej.csv' });
    expect(e).toBeInstanceOf(IoError);
    expect(e.message).toMatch(/^cannot write blocker\/rej\.csv: /);
    expect(w.app.isDbOpen ? await w.count('SELECT count(*) FROM kv') : 0).toBe(0);
  });

  it('--dry-run writes nothing and says what would have happened', async () => {
    const w = await world();
    sqliteOf(await w.app.db())
      .prepare("INSERT INTO kv(key, value) VALUES ('k1', 'old'), ('k2', '2')")
      .run();
    const s = await imp(w, w.write('d.csv', 'key,value\nk1,new\nk2,2\nk3,3\nk4,SKIP\n'), { dryRun: true });
    expect(s).toEqual({ inserted: 1, updated: 1, unchanged: 1, skipped: 1, invalid: 0, import_id: null, dry_run: true, errors: [] });
    expect(w.stderr.text).toBe('dry run: would have inserted 1, updated 1, unchanged 1, skipped 1, invalid 0\n');
    expect(
      sqliteOf(await w.app.db())
        .prepare('SELECT key, value FROM kv ORDER BY key')
        .all(),
    ).toEqual([
      { key: 'k1', value: 'old' },
      { key: 'k2', value: '2' },
    ]);
    await untouched(w, 2);
  });

  it('--dry-run with invalid rows exits 3 and says nothing was imported; with --skip-invalid it exits 0', async () => {
    const w = await world();
    const f = w.write('d.csv', 'key,value\nk1,1\nk2,BAD\n');
    const e = await impError(w, f, { dryRun: true });
    expect(e.message).toBe('1 invalid row(s) in d.csv; nothing was imported');
    const s = await imp(w, f, { dryRun: true, skipInvalid: true });
    expect(s).toMatchObject({ inserted: 1, invalid: 1, dry_run: true, import_id: null });
    await untouched(w);
  });

  it('an error that is not a row error aborts the whole import and is rethrown', async () => {
    const w = await world();
    const e = await impError(w, w.write('b.csv', 'key,value\nk1,1\nk2,BOOM\nk3,3\n'), { skipInvalid: true, rejects: 'rej.csv' });
    expect(e.message).toBe('boom');
    await untouched(w);
    expect(fs.readdirSync(w.dir).filter((f) => f.includes('rej'))).toEqual([]);
  });

  it('prints at most 50 bad rows, then "… and K more"; keeps the first 1000 in the summary', async () => {
    const w = await world();
    const body = Array.from({ length: 1200 }, (_, i) => `k${i},BAD`).join('\n');
    const s = await imp(w, w.write('many.csv', `key,value\n${body}\n`), { skipInvalid: true });
    expect(s.invalid).toBe(1200);
    expect(s.errors).toHaveLength(1000);
    expect(s.errors[999]).toEqual({ line: 1001, column: 'value', error: 'invalid value "BAD"' });
    const warned = w.stderr.text.split('\n').filter((l) => l.includes('(row skipped)'));
    expect(warned).toHaveLength(50);
    expect(w.stderr.text).toContain('ngo: warning: … and 1150 more\n');
    const w2 = await world();
    await impError(w2, w2.write('many.csv', `key,value\n${body}\n`));
    expect(w2.stderr.text.split('\n').filter((l) => l.startsWith('ngo: error: line '))).toHaveLength(50);
    expect(w2.stderr.text).toContain('ngo: error: … and 1150 more\n');
  });
});

describe('runImport: the record, the summary, output', () => {
  it('commits once: the import record (file name, SHA-256, counts, actor) and one audit entry', async () => {
    const w = await world();
    const text = '\ufeffkey,value\r\nk1,1\r\nk2,2\r\nk3,SKIP\r\n';
    const f = w.write('sub/roster.csv', text);
    sqliteOf(await w.app.db())
      .prepare("INSERT INTO kv(key, value) VALUES ('k2', '2')")
      .run();
    const s = await imp(w, f);
    expect(s).toEqual({ inserted: 1, updated: 0, unchanged: 1, skipped: 1, invalid: 0, import_id: 1, dry_run: false, errors: [] });
    const rec = sqliteOf(await w.app.db())
      .prepare('SELECT * FROM imports')
      .get() as Record<string, unknown>;
    expect(rec).toEqual({
      id: 1,
      kind: 'people',
      file_name: 'roster.csv',
      sha256: crypto.createHash('sha256').update(text).digest('hex'),
      started_at: NOW.toISOString(),
      finished_at: NOW.toISOString(),
      actor: 'tester',
      inserted: 1,
      updated: 0,
      unchanged: 1,
      skipped: 1,
      invalid: 0,
      token: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    const audit = sqliteOf(await w.app.db())
      .prepare("SELECT actor, entity, entity_id, changes FROM audit_log WHERE action = 'import'")
      .all() as Record<string, unknown>[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'tester', entity: 'import', entity_id: 1 });
    expect(JSON.parse(audit[0]!['changes'] as string)).toEqual({
      kind: [null, 'people'],
      file: [null, 'roster.csv'],
      sha256: [null, rec['sha256']],
      counts: [null, { inserted: 1, updated: 0, unchanged: 1, skipped: 1, invalid: 0 }],
    });
    expect(w.stderr.text).toBe('inserted 1, updated 0, unchanged 1, skipped 1, invalid 0\n');
    expect(w.stdout.text).toBe('');
  });

  it('json: the summary object on stdout, the line still on stderr; --quiet hides the line', async () => {
    const w = await world({ quiet: true });
    const s = await imp(w, w.write('j.csv', 'key,value\nk1,1\nk2,BAD\n'), { json: true, skipInvalid: true });
    expect(JSON.parse(w.stdout.text)).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      invalid: 1,
      import_id: s.import_id,
      dry_run: false,
      errors: [{ line: 3, column: 'value', error: 'invalid value "BAD"' }],
    });
    expect(w.stderr.text).toBe('');
    const w2 = await world();
    await imp(w2, w2.write('j.csv', 'key,value\nk1,1\n'), { json: true });
    expect(JSON.parse(w2.stdout.text)).toMatchObject({ inserted: 1, import_id: 1 });
    expect(w2.stderr.text).toBe('inserted 1, updated 0, unchanged 0, skipped 0, invalid 0\n');
  });

  it('begin() runs once inside the transaction before the first row; handle gets the import id', async () => {
    const w = await world();
    const calls: string[] = [];
    await imp(w, w.write('b.csv', 'key,value\nk1,1\nk2,2\n'), {
      begin: async (id) => void calls.push(`begin ${id} ${(await w.app.db()).inTransaction}`),
      handle: async (row, id) => {
        calls.push(`row ${row.line} ${id}`);
        return 'skipped';
      },
      finish: (id) => void calls.push(`finish ${id}`),
    });
    expect(calls).toEqual(['begin 1 true', 'row 2 1', 'row 3 1', 'finish 1']);
  });

  it('a busy database (another writer) is exit 5 and nothing is written', async () => {
    const w = await world();
    sqliteOf(await w.app.db()).pragma('busy_timeout = 50');
    Object.defineProperty(w.app, 'writeWait', { value: { ms: 50 } }); // give up at once instead of waiting (NGO_BUSY_TIMEOUT)
    const other = new Database(w.dbFile);
    other.exec('BEGIN IMMEDIATE');
    try {
      const e = await impError(w, w.write('b.csv', 'key,value\nk1,1\n'));
      expect(e).toBeInstanceOf(ConflictError);
      expect(e.exitCode).toBe(5);
      expect(e.message).toMatch(/^database is busy/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await untouched(w);
  });

  it('progress line: a bar, the share read and the time left for a file; megabytes for stdin', () => {
    expect(progressLine(0, 0, 1000, 0)).toBe('importing [>                   ] 0% 0 rows, 0 rows/s');
    // A quarter of the file in 10 s: 30 s to go.
    expect(progressLine(25_000, 250, 1000, 10)).toBe('importing [=====>              ] 25% 25,000 rows, 2,500 rows/s, ETA 0:30');
    expect(progressLine(90_000, 100, 1000, 10)).toBe('importing [==>                 ] 10% 90,000 rows, 9,000 rows/s, ETA 1:30');
    expect(progressLine(1_000_000, 1000, 1000, 40)).toBe('importing [====================] 100% 1,000,000 rows, 25,000 rows/s, ETA 0:00');
    expect(progressLine(1200, 3 * 1048576, undefined, 2)).toBe('importing: 1,200 rows, 600 rows/s, 3.0 MB');
  });

  it('progress: a \\r line on a TTY stderr, cleared before the summary; nothing off a TTY', async () => {
    async function* slow() {
      yield Buffer.from('key,value\n');
      for (let i = 0; i < 3; i++) {
        yield Buffer.from(Array.from({ length: 200 }, (_, k) => `k${i}-${k},1\n`).join(''));
        await new Promise((r) => setTimeout(r, 120));
      }
    }
    const tty = await world({ stdin: Readable.from(slow()), tty: true });
    await imp(tty, '-');
    const t = tty.stderr.text;
    expect(t).toMatch(/\rimporting: [\d,]+ rows, [\d,]+ rows\/s, [\d.]+ MB\u001b\[K/);
    expect(t).toMatch(/\r\u001b\[Kinserted 600, /);
    const plain = await world({ stdin: Readable.from(slow()) });
    await imp(plain, '-');
    expect(plain.stderr.text).toBe('inserted 600, updated 0, unchanged 0, skipped 0, invalid 0\n');
  });
});

describe('runImport: streaming', () => {
  it('200,000 rows stream through with flat memory (heap growth well under 30 MB)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const ROWS = 200_000;
    async function* generate() {
      yield Buffer.from('key,value,Note\r\n');
      for (let i = 0; i < ROWS; i += 1000) {
        let s = '';
        for (let k = i; k < i + 1000; k++) s += `key-${k},${k},"a note, with a comma and some padding text ${k}"\r\n`;
        yield Buffer.from(s);
      }
    }
    const w = await world({ stdin: Readable.from(generate()) });
    void (await w.app.db()); // open before measuring
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    const insert = sqliteOf(await w.app.db()).prepare('INSERT INTO kv(key, value) VALUES (?, ?)');
    const s = await runImport(w.app, {
      kind: 'hours',
      file: '-',
      fields: FIELDS,
      map: ['Note=-'],
      handle: async (row) => {
        insert.run(row.get('key'), row.get('value'));
        if (row.line % 50_000 === 0) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        }
        return 'inserted';
      },
    });
    expect(s.inserted).toBe(ROWS);
    expect(await w.count('SELECT count(*) FROM kv')).toBe(ROWS);
    expect(peak).toBeGreaterThan(-Infinity);
    expect(peak).toBeLessThan(30 * 1024 * 1024);
  }, 120_000);
});
