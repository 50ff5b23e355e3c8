import { describe, expect, it } from 'vitest';
import { renderCsv, type Column, type Row } from '../../src/io/output.js';

const columns: Column[] = [{ key: 'id', kind: 'int' }, { key: 'name' }, { key: 'amount', kind: 'dec2' }, { key: 'note' }];

describe('renderCsv', () => {
  it('quotes RFC 4180 specials, a lone CR included, guards formulas, and writes numbers as they are', () => {
    const rows: Row[] = [
      { id: 1, name: 'Ana, Jr.', amount: -1250, note: 'said "hi"' },
      { id: 2, name: '=SUM(A1)', amount: 5, note: 'line one\nline two' },
      { id: 3, name: 'Ben', amount: null, note: 'old Mac\rline' },
      { id: 4, name: '-', amount: 0, note: '\rstarts with CR' },
    ];
    expect(renderCsv(rows, columns)).toBe(
      'id,name,amount,note\n' +
        '1,"Ana, Jr.",-12.50,"said ""hi"""\n' +
        '2,\'=SUM(A1),0.05,"line one\nline two"\n' +
        '3,Ben,,"old Mac\rline"\n' +
        '4,-,0.00,"\'\rstarts with CR"\n',
    );
  });

  it('writes a large report in batches exactly as one block would be: rows in order, none lost or repeated', () => {
    const rows: Row[] = [];
    for (let i = 1; i <= 1300; i++) rows.push({ id: i, name: `P${i}`, amount: i * 101, note: i === 700 ? 'a\rb' : i % 2 ? 'x,y' : '' });
    const lines = renderCsv(rows, columns).split('\n');
    expect(lines[0]).toBe('id,name,amount,note');
    expect(lines).toHaveLength(1302); // header, 1,300 rows, the empty string after the last \n
    expect(lines[1]).toBe('1,P1,1.01,"x,y"');
    expect(lines[512]).toBe('512,P512,517.12,');
    expect(lines[513]).toBe('513,P513,518.13,"x,y"');
    expect(lines[700]).toBe('700,P700,707.00,"a\rb"'); // the CR-quoting batch
    expect(lines[1300]).toBe('1300,P1300,1313.00,');
    expect(lines.slice(1, -1).map((l) => Number(l.split(',')[0]))).toEqual(rows.map((r) => r['id']));
  });

  it('writes the header alone (with a BOM when asked) for no rows', () => {
    expect(renderCsv([], columns)).toBe('id,name,amount,note\n');
    expect(renderCsv([], columns, { bom: true })).toBe('\ufeffid,name,amount,note\n');
  });
});
