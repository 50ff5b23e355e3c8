import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { detectDelimiter, readCsv, type CsvRecord } from '../../src/io/csvread.js';
import { mapHeaders, splitFullName } from '../../src/io/headers.js';

function src(data: string | Buffer, chunk = 7) {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return { stream: Readable.from(parts), name: 'test.csv' };
}

async function read(data: string | Buffer, opts: { delimiter?: string; chunk?: number } = {}): Promise<CsvRecord[]> {
  const r = readCsv(src(data, opts.chunk ?? 7), opts);
  const out: CsvRecord[] = [];
  for await (const rec of r.records) out.push(rec);
  return out;
}

describe('csv reader', () => {
  it('gives the line where each record starts: BOM, CRLF, quoted line breaks, blank lines', async () => {
    const text = '\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n2,"p\r\n\r\nq"\r\n3,z\r\n';
    expect(await read(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x\r\ny'] },
      { line: 5, cells: ['2', 'p\r\n\r\nq'] },
      { line: 8, cells: ['3', 'z'] },
    ]);
    expect((await read(text.replace(/\r\n/g, '\n'))).map((r) => r.line)).toEqual([1, 2, 5, 8]);
  });

  it('skips rows whose cells are all empty', async () => {
    expect((await read('a,b\n1,2\n,\n , \n3,4\n')).map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'a'],
      [2, '1'],
      [5, '3'],
    ]);
  });

  it('detects ; and tab, or takes --delimiter', async () => {
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a')).toBe(',');
    expect((await read('a;b\n1,5;2\n'))[1]!.cells).toEqual(['1,5', '2']);
    expect((await read('a\tb\n1\t2\n'))[1]!.cells).toEqual(['1', '2']);
    expect((await read('a|b\n1|2\n', { delimiter: '|' }))[1]!.cells).toEqual(['1', '2']);
  });

  it('computes the SHA-256 of the bytes', async () => {
    const r = readCsv(src('a\n1\n'));
    for await (const _ of r.records) void _;
    expect(r.sha256()).toMatch(/^[0-9a-f]{64}$/);
    const crypto = await import('node:crypto');
    expect(r.sha256()).toBe(crypto.createHash('sha256').update('a\n1\n').digest('hex'));
  });

  it('reads UTF-16 by its BOM; refuses invalid UTF-8 and NUL bytes with a line number', async () => {
    expect(await read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\0,\0b\0', 'latin1')]))).toEqual([{ line: 1, cells: ['a', 'b'] }]);
    await expect(read(Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xe9]), Buffer.from('t\n')]))).rejects.toThrow(
      'test.csv: line 3: invalid UTF-8',
    );
    await expect(read(Buffer.from('a,b\n1,2\n3,\0\n'))).rejects.toThrow('test.csv: line 3: NUL byte');
    // A multi-byte character split across chunks is fine.
    expect((await read('a\nJosé Zoë\n', { chunk: 4 }))[1]!.cells).toEqual(['José Zoë']);
  });

  it('an unterminated quote names the line where its record starts', async () => {
    await expect(read('a,b\n1,2\n3,"oops\n4,5\n')).rejects.toThrow('test.csv: line 3: a quoted field is never closed (unterminated quote)');
  });

  it('a parse error after thousands of records in the same chunk still names its exact line', async () => {
    // One 64 KB chunk holds every record before the error: the parser fails while they are still
    // buffered, so the line count must not depend on the records having been read.
    const body = (n: number) => Array.from({ length: n }, (_, i) => (i % 500 === 7 ? '\r\n' : '') + `${i},"q\r\nr"`).join('\r\n');
    // 2,000 records of 2 lines each, plus 4 blank lines (i = 7, 507, 1007, 1507): the bad one starts on line 2 + 4,000 + 4.
    const head = 'a,b\r\n' + body(2000) + '\r\n';
    await expect(read(head + '9,"x"y\r\n', { chunk: 1 << 16 })).rejects.toThrow('test.csv: line 4006: a closing quote is followed by other text');
    await expect(read(head + '9,"never\r\nclosed\r\n', { chunk: 1 << 16 })).rejects.toThrow('test.csv: line 4006: a quoted field is never closed');
    // The records before it read as usual, line numbers and all.
    const ok = await read(head, { chunk: 1 << 16 });
    expect(ok).toHaveLength(2001);
    expect(ok[9]).toEqual({ line: 19, cells: ['8', 'q\r\nr'] }); // the header, records 0-7 (2 lines each) and the blank line before record 7: line 1 + 16 + 1 + 1
    expect(ok[2000]).toEqual({ line: 4004, cells: ['1999', 'q\r\nr'] });
  });
});

describe('header mapping', () => {
  const fields = [
    { field: 'first_name', synonyms: ['firstname', 'givenname'] },
    { field: 'last_name', synonyms: ['surname'] },
    { field: 'email', synonyms: ['emailaddress'] },
    { field: 'postal_code', synonyms: ['zip'] },
  ];
  it('matches case, spaces, _ and - insensitively, with synonyms and --map', () => {
    const m = mapHeaders(['Given Name', 'SURNAME', 'E-mail Address', 'Shoe-Size'], fields, ['shoe size=postal_code'], {});
    expect(m.columns).toEqual(['first_name', 'last_name', 'email', 'postal_code']);
    expect(m.unknown).toEqual([]);
    expect(mapHeaders(['ZIP', 'first name'], fields, [], {}).columns).toEqual(['postal_code', 'first_name']);
  });
  it('reports unknown columns, strict makes them an error, two columns for one field is an error', () => {
    const m = mapHeaders(['first_name', 'email', 'Shoe size'], fields, [], {});
    expect(m.unknown).toEqual(['Shoe size']);
    expect(() => mapHeaders(['first_name', 'email', 'Shoe size'], fields, [], { strict: true })).toThrow('unknown column(s): Shoe size');
    expect(() => mapHeaders(['Email', 'E-mail'], fields, [], {})).toThrow('columns "Email" and "E-mail" both map to field email');
    expect(() => mapHeaders(['a'], fields, ['a=nope'], {})).toThrow('--map: unknown field "nope"');
    expect(() => mapHeaders(['a'], fields, ['nope'], {})).toThrow('expected "Header=field"');
  });
  it('a full-name column fills first and last names', () => {
    expect(mapHeaders(['Full Name', 'Email'], fields, [], { nameField: true }).splitName).toBe(0);
    expect(splitFullName('Ana María Okafor')).toEqual({ first: 'Ana María', last: 'Okafor' });
    expect(splitFullName('Okafor, Ana')).toEqual({ first: 'Ana', last: 'Okafor' });
    expect(splitFullName('Ana')).toEqual({ first: 'Ana', last: '' });
  });
});

const SHARED = path.resolve(__dirname, '../../../shared/csv-tests');
const haveShared = fs.existsSync(SHARED);

describe.skipIf(!haveShared)('public CSV test suites (../shared/csv-tests)', () => {
  it('csv-spectrum: every case reads as its expected JSON', async () => {
    const dir = path.join(SHARED, 'csv-spectrum');
    const cases = fs.readdirSync(path.join(dir, 'csvs')).filter((f) => f.endsWith('.csv') && f !== 'location_coordinates.csv');
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'json', c.replace(/\.csv$/, '.json')), 'utf8')) as Record<string, string>[];
      const recs = await read(fs.readFileSync(path.join(dir, 'csvs', c)));
      if (recs.length === 0) {
        expect(expected, c).toEqual([]);
        continue;
      }
      const [header, ...body] = recs;
      const got = body.map((r) => Object.fromEntries(header!.cells.map((h, i) => [h, r.cells[i] ?? ''])));
      // newlines_crlf: this copy of the file has LF line breaks while its JSON says CRLF; compare line breaks loosely.
      const norm = (rows: Record<string, string>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replace(/\r\n/g, '\n')])));
      expect(norm(got), c).toEqual(norm(expected));
    }
  });

  it('csv-test-data: valid cases equal their JSON; bad-* cases fail with a line number', async () => {
    const dir = path.join(SHARED, 'csv-test-data');
    const files = fs.readdirSync(path.join(dir, 'csv'));
    for (const f of files) {
      const data = fs.readFileSync(path.join(dir, 'csv', f));
      const jsonFile = path.join(dir, 'json', f.replace(/\.csv$/, '.json'));
      if (f.startsWith('bad-header-')) {
        // Read with header foo,bar,baz: a header or row of another width is a row error with a line number.
        const recs = await read(data, { delimiter: ',' }).catch((e: Error) => e);
        if (recs instanceof Error) {
          expect(recs.message, f).toMatch(/line \d+/);
          continue;
        }
        if (recs.length === 0) continue; // no header at all: the importer refuses it ("line 1: no header line"), tested in the import tests
        const bad = recs.find((r) => r.cells.length !== 3 || (r.line === 1 && r.cells.join(',') !== 'foo,bar,baz'));
        expect(bad, f).toBeDefined();
        expect(bad!.line, f).toBeGreaterThan(0);
      } else if (f.startsWith('bad-')) {
        const res = await read(data, { delimiter: ',' }).catch((e: Error) => e);
        expect(res, f).toBeInstanceOf(Error);
        expect((res as Error).message, f).toMatch(/line \d+/);
      } else {
        const expected = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as unknown;
        const recs = await read(data, { delimiter: ',' });
        const cells = recs.map((r) => r.cells);
        if (f.startsWith('header-')) {
          const [h, ...body] = cells;
          const objs = body.map((r) => Object.fromEntries(h!.map((k, i) => [k, r[i]])));
          expect(objs, f).toEqual(expected);
        } else {
          expect(cells, f).toEqual((expected as string[][]).filter((r) => !r.every((c) => c === '')));
        }
      }
    }
  });
});
