/**
 * The public CSV conformance suites in ../shared/csv-tests (see its README), read through csvread,
 * and their bad-header-* cases through the import machinery. Skipped when the folder is absent.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { NgoError } from '../../src/errors.js';
import { readCsv, type CsvRecord, type ReadOptions } from '../../src/io/csvread.js';
import { runImport } from '../../src/io/importer.js';
import { world } from './world.js';

const SHARED = path.resolve(__dirname, '../../../shared/csv-tests');
const present = fs.existsSync(SHARED);

async function read(data: Buffer, opts: ReadOptions = {}, chunk = 64 * 1024): Promise<CsvRecord[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) parts.push(data.subarray(i, i + chunk));
  const out: CsvRecord[] = [];
  for await (const r of readCsv({ stream: Readable.from(parts), name: 'case.csv' }, opts).records) out.push(r);
  return out;
}

function objects(recs: CsvRecord[]): Record<string, string>[] {
  if (recs.length === 0) return [];
  const [header, ...body] = recs;
  return body.map((r) => Object.fromEntries(header!.cells.map((h, i) => [h, r.cells[i]!])));
}

describe.skipIf(!present)('csv-spectrum', () => {
  const dir = path.join(SHARED, 'csv-spectrum');
  const cases = present ? fs.readdirSync(path.join(dir, 'csvs')).filter((f) => f.endsWith('.csv') && f !== 'location_coordinates.csv') : [];

  it('has its cases', () => expect(cases.length).toBeGreaterThanOrEqual(10));

  for (const c of cases) {
    it(`${c} reads as its JSON, whatever the chunking`, async () => {
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'json', c.replace(/\.csv$/, '.json')), 'utf8')) as unknown;
      let data = fs.readFileSync(path.join(dir, 'csvs', c));
      // The *_crlf cases may have been checked out with LF line ends; restore the CRLF bytes they are about.
      if (c.includes('crlf') && !data.includes(0x0d)) data = Buffer.from(data.toString('utf8').replace(/\n/g, '\r\n'));
      for (const chunk of [1, 3, 64 * 1024]) expect(objects(await read(data, {}, chunk)), `${c} / ${chunk}`).toEqual(expected);
    });
  }
});

describe.skipIf(!present)('csv-test-data (RFC 4180)', () => {
  const dir = path.join(SHARED, 'csv-test-data');
  const files = present ? fs.readdirSync(path.join(dir, 'csv')).filter((f) => f.endsWith('.csv')) : [];
  const valid = files.filter((f) => !f.startsWith('bad-'));
  const bad = files.filter((f) => f.startsWith('bad-') && !f.startsWith('bad-header-'));
  const badHeader = files.filter((f) => f.startsWith('bad-header-'));

  it('has its cases', () => {
    expect(valid.length).toBeGreaterThanOrEqual(15);
    expect(bad.length).toBeGreaterThanOrEqual(3);
    expect(badHeader.length).toBeGreaterThanOrEqual(4);
  });

  for (const f of valid) {
    it(`${f} equals its JSON`, async () => {
      const data = fs.readFileSync(path.join(dir, 'csv', f));
      const expected = JSON.parse(fs.readFileSync(path.join(dir, 'json', f.replace(/\.csv$/, '.json')), 'utf8')) as unknown;
      if (f.startsWith('header-')) {
        expect(objects(await read(data, { delimiter: ',' }))).toEqual(expected);
        return;
      }
      // RFC 4180 reading keeps blank lines as one-empty-field records: exactly the JSON.
      for (const chunk of [1, 64 * 1024]) expect((await read(data, { delimiter: ',', keepBlankRows: true }, chunk)).map((r) => r.cells)).toEqual(expected);
      // Imports skip blank rows (SPEC "Blank lines are skipped"); everything else is the same.
      const rows = expected as string[][];
      expect((await read(data)).map((r) => r.cells)).toEqual(rows.filter((r) => !r.every((c) => c.trim() === '')));
    });
  }

  for (const f of bad) {
    it(`${f} fails with a line number`, async () => {
      const data = fs.readFileSync(path.join(dir, 'csv', f));
      await expect(read(data)).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^case\.csv: line 2: /) as unknown });
    });
  }

  for (const f of badHeader) {
    it(`${f}, imported with header foo,bar,baz, is refused naming a line`, async () => {
      for (const strict of [false, true]) {
        const w = await world();
        fs.copyFileSync(path.join(dir, 'csv', f), path.join(w.dir, f));
        let err: NgoError | undefined;
        try {
          await runImport(w.app, {
            kind: 'people',
            file: f,
            strict,
            fields: [{ field: 'foo' }, { field: 'bar' }, { field: 'baz' }],
            handle: async () => 'inserted',
          });
        } catch (e) {
          err = e as NgoError;
        }
        expect(err, f).toBeDefined();
        expect(err!.exitCode, f).toBe(3);
        // Either the message names the line (header problems), or every bad row is listed with its line.
        const said = `${err!.message}\n${w.stderr.text}`;
        expect(said, f).toMatch(/line \d+/);
        if (f.includes('less-fields')) expect(w.stderr.text).toContain('ngo: error: line 2: expected 3 columns, found 2');
        if (f.includes('more-fields')) expect(w.stderr.text).toContain('ngo: error: line 2: expected 3 columns, found 4 (extra: "4")');
        if (f.includes('no-header')) expect(err!.message).toBe(`${f}: line 1: the file is empty (no header line)`);
        if (f.includes('wrong-header'))
          expect(err!.message).toMatch(strict ? /line 1: unknown column\(s\): qux, quux, quuz/ : /line 1: no known column in the header/);
      }
    });
  }
});
