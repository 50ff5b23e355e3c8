/**
 * The CSV writer of reports and lists (src/io/output.ts) against csv-stringify, which it replaced for
 * speed: with the options the project used (record_delimiter '\n', quoted_match /\r/) both must write
 * the same bytes for any cell, including quotes, delimiters, CR/LF, formula-looking and non-ASCII text.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { csvField, csvHeader, renderCsv, type Column, type Row } from '../../src/io/output.js';

const oldHeader = (columns: Column[]) => stringify([columns.map((c) => c.key)], { record_delimiter: '\n' });
const oldRows = (cells: string[][]) => (cells.length === 0 ? '' : stringify(cells, { record_delimiter: '\n', quoted_match: /\r/ }));

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Zoë', ',', '"', '""', '\n', '\r', '\r\n', ' ', '=', '+', '-', '@', '\t', ';', "'", '1', 'é', '😀', '\u2028', ''];

describe('csv writer', () => {
  it('quotes a field exactly when csv-stringify did', () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 5000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 6);
      for (let k = 0; k < n; k++) s += PIECES[Math.floor(rnd() * PIECES.length)];
      expect(csvField(s), JSON.stringify(s)).toBe(oldRows([[s]]).slice(0, -1) || '');
    }
  });

  it('writes whole reports byte for byte as before (text, int, dec2 and date columns, nulls)', () => {
    const columns: Column[] = [{ key: 'name' }, { key: 'n', kind: 'int' }, { key: 'amount', kind: 'dec2' }, { key: 'on', kind: 'date' }, { key: 'code' }];
    const rnd = mulberry32(11);
    const text = () => {
      let s = '';
      const n = Math.floor(rnd() * 5);
      for (let k = 0; k < n; k++) s += PIECES[Math.floor(rnd() * PIECES.length)];
      return rnd() < 0.1 ? null : s;
    };
    const rows: Row[] = [];
    for (let i = 0; i < 2000; i++) {
      rows.push({
        name: text(),
        n: rnd() < 0.1 ? null : Math.floor((rnd() - 0.5) * 1e6),
        amount: rnd() < 0.1 ? undefined : Math.floor((rnd() - 0.5) * 1e9),
        on: rnd() < 0.1 ? null : '2025-0' + (1 + Math.floor(rnd() * 9)) + '-15',
        code: rnd() < 0.2 ? '-' : text(),
      });
    }
    // What output.ts did before: each cell through csvCell (guard, number formatting), then csv-stringify.
    const guard = (s: string) => (s !== '-' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
    const dec2 = (c: number) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
    const before = rows.map((r) =>
      columns.map((c) => {
        const v = r[c.key];
        if (v === null || v === undefined) return '';
        if (c.kind === 'dec2') return dec2(v as number);
        if (c.kind === 'int' || c.kind === 'date') return String(v);
        return guard(String(v));
      }),
    );
    expect(renderCsv(rows, columns)).toBe(oldHeader(columns) + oldRows(before));
    expect(renderCsv(rows, columns, { bom: true })).toBe('\ufeff' + oldHeader(columns) + oldRows(before));
    expect(renderCsv([], columns)).toBe(oldHeader(columns));
    expect(csvHeader(columns)).toBe('name,n,amount,on,code\n');
  });
});
