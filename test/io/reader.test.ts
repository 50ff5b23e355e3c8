import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { IoError, UsageError, ValidationError } from '../../src/errors.js';
import {
  detectDelimiter,
  firstInvalidUtf8,
  openSource,
  parseDelimiterOption,
  rawBreaks,
  readCsv,
  type CsvRecord,
  type ReadOptions,
} from '../../src/io/csvread.js';

/** A source that delivers `data` in chunks of `chunk` bytes. */
function src(data: string | Buffer, chunk = 64 * 1024) {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return { stream: Readable.from(parts), name: 'in.csv' };
}

async function read(data: string | Buffer, opts: ReadOptions & { chunk?: number } = {}): Promise<CsvRecord[]> {
  const r = readCsv(src(data, opts.chunk), opts);
  const out: CsvRecord[] = [];
  for await (const rec of r.records) out.push(rec);
  return out;
}

async function readError(data: string | Buffer, opts: ReadOptions & { chunk?: number } = {}): Promise<Error> {
  try {
    await read(data, opts);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const CHUNKS = [1, 2, 3, 5, 64 * 1024];

describe('line numbers: the line where each record starts', () => {
  // line: 1 header; 2-3 quoted CRLF; 4 blank; 5-7 quoted with a blank line inside; 8 blank; 9 blank; 10 row; 11 row
  const crlf = '\ufeffkey,value\r\nk1,"two\r\nlines"\r\n\r\nk2,"p\r\n\r\nq"\r\n\r\n\r\nk3,z\r\nk4,"a,b ""c"""\r\n';
  const expected = [
    { line: 1, cells: ['key', 'value'] },
    { line: 2, cells: ['k1', 'two\r\nlines'] },
    { line: 5, cells: ['k2', 'p\r\n\r\nq'] },
    { line: 10, cells: ['k3', 'z'] },
    { line: 11, cells: ['k4', 'a,b "c"'] },
  ];

  for (const chunk of CHUNKS) {
    it(`BOM + CRLF + quoted line breaks + blank lines, chunks of ${chunk} byte(s)`, async () => {
      expect(await read(crlf, { chunk })).toEqual(expected);
    });
  }

  it('the same file with LF, and with lone CR (old Mac), gives the same lines', async () => {
    const lf = crlf.replace(/\r\n/g, '\n');
    expect((await read(lf, { chunk: 3 })).map((r) => r.line)).toEqual([1, 2, 5, 10, 11]);
    const cr = crlf.replace(/\r\n/g, '\r');
    expect((await read(cr, { chunk: 3 })).map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'key'],
      [2, 'k1'],
      [5, 'k2'],
      [10, 'k3'],
      [11, 'k4'],
    ]);
  });

  it('mixed line endings, blank lines of either kind, a file without a final line break', async () => {
    const text = 'a,b\r\n\r\n\n1,2\n\r\n3,"x\ny"\r\n\n4,5';
    expect(await read(text, { chunk: 2 })).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 4, cells: ['1', '2'] },
      { line: 6, cells: ['3', 'x\ny'] },
      { line: 9, cells: ['4', '5'] },
    ]);
  });

  it('leading blank lines before the header count', async () => {
    expect((await read('\n\r\na,b\n1,2\n')).map((r) => r.line)).toEqual([3, 4]);
  });

  it('skips rows whose cells are all empty or spaces (spreadsheet leftovers) but counts their lines', async () => {
    expect((await read('a,b\n1,2\n,\n , \n"",""\n3,4\n')).map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'a'],
      [2, '1'],
      [6, '3'],
    ]);
  });

  it('keepBlankRows reads blank lines as records (RFC 4180), with their own line numbers', async () => {
    expect(await read('foo\n\nbar\n', { keepBlankRows: true })).toEqual([
      { line: 1, cells: ['foo'] },
      { line: 2, cells: [''] },
      { line: 3, cells: ['bar'] },
    ]);
  });

  it('rawBreaks: CR of a CRLF delimiter alone outside quotes, CRLF inside quotes is one line', () => {
    expect(rawBreaks('\r\r2,"p\r\n\r\nq"\r')).toEqual({ lead: 2, total: 5 });
    expect(rawBreaks('\n4,5\r')).toEqual({ lead: 1, total: 2 });
    expect(rawBreaks('x')).toEqual({ lead: 0, total: 0 });
  });
});

describe('delimiters', () => {
  it('detects ; and tab from the header line, outside quotes; ties and none → comma', () => {
    expect(detectDelimiter('a;b;"c,d,e,f"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('a')).toBe(',');
    expect(detectDelimiter('"a;b;c",d')).toBe(',');
  });

  it('reads ; (European Excel) and tab files, with decimal commas kept in cells', async () => {
    expect(await read('Name;Amount\r\nAna;"1,5"\r\nSam;2,25\r\n', { chunk: 4 })).toEqual([
      { line: 1, cells: ['Name', 'Amount'] },
      { line: 2, cells: ['Ana', '1,5'] },
      { line: 3, cells: ['Sam', '2,25'] },
    ]);
    expect((await read('a\tb\n1\t2\n', { chunk: 1 }))[1]!.cells).toEqual(['1', '2']);
  });

  it('detects from a header line that arrives in many chunks, or after blank lines, or spans a quoted break', async () => {
    expect((await read('\n\n"x;\ny";b;c\n1;2;3\n', { chunk: 1 }))[1]).toEqual({ line: 5, cells: ['1', '2', '3'] });
  });

  it('--delimiter forces one: \\t, tab, ;, ",", |', async () => {
    expect(parseDelimiterOption('\\t')).toBe('\t');
    expect(parseDelimiterOption('tab')).toBe('\t');
    expect(parseDelimiterOption('\t')).toBe('\t');
    expect(parseDelimiterOption(';')).toBe(';');
    expect(parseDelimiterOption(',')).toBe(',');
    expect(parseDelimiterOption('|')).toBe('|');
    expect(() => parseDelimiterOption(':')).toThrow(UsageError);
    expect((await read('a|b\n1|2,5\n', { delimiter: '|' }))[1]!.cells).toEqual(['1', '2,5']);
    expect((await read('a;b\n1;2\n', { delimiter: ',' }))[1]!.cells).toEqual(['1;2']);
  });
});

describe('encodings and bytes', () => {
  it('computes the SHA-256 of the raw bytes, BOM included', async () => {
    const data = '\ufeffa,b\r\n1,2\r\n';
    const r = readCsv(src(data, 3));
    for await (const _ of r.records) void _;
    expect(r.sha256()).toBe(crypto.createHash('sha256').update(Buffer.from(data)).digest('hex'));
    expect(r.bytesRead()).toBe(Buffer.byteLength(data));
  });

  it('reads UTF-16 by its BOM (LE and BE), even when the BOM arrives byte by byte, hashing the raw bytes; refuses UTF-32', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\r\nJosé,2\r\n', 'utf16le')]);
    for (const chunk of [1, 3, 1024]) {
      const r = readCsv(src(le, chunk));
      const out: CsvRecord[] = [];
      for await (const rec of r.records) out.push(rec);
      expect(out).toEqual([
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['José', '2'] },
      ]);
      expect(r.sha256()).toBe(crypto.createHash('sha256').update(le).digest('hex'));
      expect(r.bytesRead()).toBe(le.length);
    }
    expect(await read(Buffer.from([0xfe, 0xff, 0, 0x61]))).toEqual([{ line: 1, cells: ['a'] }]);
    expect(await read(Buffer.from([0xfe, 0xff]))).toEqual([]);
    expect((await readError(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).message).toContain('looks like UTF-32');
  });

  it('--encoding windows-1252 and latin1 decode a legacy file; a byte that is no character names its line', async () => {
    const w1252 = Buffer.concat([Buffer.from('a,b\r\n'), Buffer.from([0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x80, 0x0d, 0x0a])]); // José,€
    expect(await read(w1252, { encoding: 'windows-1252', chunk: 2 })).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['José', '€'] },
    ]);
    expect((await read(w1252, { encoding: 'latin1' }))[1]!.cells).toEqual(['José', '\u0080']);
    const e = await readError(Buffer.concat([Buffer.from('a\n1\n'), Buffer.from([0x81]), Buffer.from('\n')]), { encoding: 'windows-1252' });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe('in.csv: line 3: a byte that is no character in windows-1252 (is the file in another encoding?)');
    expect(() => readCsv(src('a'), { encoding: 'ebcdic' })).toThrow('invalid --encoding "ebcdic"');
  });

  it('invalid UTF-8 (a Windows-1252 é) is exit 3 naming its line, whatever the chunking', async () => {
    const data = Buffer.concat([Buffer.from('a,b\r\n1,"x\r\ny"\r\n3,Jos'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
    for (const chunk of CHUNKS) {
      const e = await readError(data, { chunk });
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).exitCode).toBe(3);
      expect(e.message, `chunk ${chunk}`).toMatch(/^in\.csv: line 4: invalid UTF-8 \(byte 0xE9/);
    }
  });

  it('invalid UTF-8 after a valid multi-byte character split across chunks; a truncated last character', async () => {
    const data = Buffer.concat([Buffer.from('a\nZoë\nx'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    for (const chunk of CHUNKS) expect((await readError(data, { chunk })).message).toMatch(/^in\.csv: line 3: invalid UTF-8 \(byte 0xC3/);
    const cut = Buffer.concat([Buffer.from('a\nb\nZo'), Buffer.from([0xc3])]);
    expect((await readError(cut, { chunk: 2 })).message).toMatch(/^in\.csv: line 3: invalid UTF-8 at the end/);
    expect((await read('a\nJosé Zoë 😎\n', { chunk: 1 }))[1]!.cells).toEqual(['José Zoë 😎']);
  });

  it('firstInvalidUtf8 agrees with the WHATWG decoder on overlongs, surrogates and > U+10FFFF', () => {
    for (const bytes of [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0x80]]) {
      expect(firstInvalidUtf8(Uint8Array.from([0x61, ...bytes]), true)).toBe(1);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes))).toThrow();
    }
    expect(firstInvalidUtf8(Buffer.from('é😎'), true)).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xf0, 0x9f]), false)).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x61, 0xf0, 0x9f]), true)).toBe(1);
  });

  it('a NUL byte is exit 3 naming its line (UTF-16 without a BOM looks like this)', async () => {
    for (const chunk of [1, 4, 1024]) {
      const e = await readError(Buffer.from('a,b\r\n1,2\r\n3,\0\r\n'), { chunk });
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.message).toMatch(/^in\.csv: line 3: NUL byte/);
    }
    expect((await readError(Buffer.from('a,b\n', 'utf16le'))).message).toMatch(/^in\.csv: line 1: NUL byte/);
  });
});

describe('parse errors are fatal and name a line', () => {
  it('an unterminated quote names the line where its record starts', async () => {
    for (const chunk of [1, 7, 1024]) {
      const e = await readError('a,b\r\n1,2\r\n\r\n3,"oops\r\n4,5\r\n6,7\r\n', { chunk });
      expect(e).toBeInstanceOf(ValidationError);
      expect(e.message).toBe('in.csv: line 4: a quoted field is never closed (unterminated quote)');
    }
  });

  it('a stray quote names its own line, after quoted line breaks in CRLF', async () => {
    expect((await readError('a,b\r\n1,"x\r\ny"\r\n2,This "q" x\r\n')).message).toMatch(/^in\.csv: line 4: a quote appears inside an unquoted field/);
    expect((await readError('a,b\r\n1,"x\r\ny"\r\n2,"Hey" you\r\n')).message).toMatch(/^in\.csv: line 4: a closing quote is followed by other text/);
  });
});

describe('openSource', () => {
  it('a missing file, or a directory, is an IoError (exit 6) naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-src-'));
    const ctx = { cwd: dir, stdin: Readable.from([]) };
    for (const f of ['nope.csv', '.']) {
      let err: unknown;
      try {
        await openSource(f, ctx);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IoError);
      expect((err as IoError).exitCode).toBe(6);
      expect((err as Error).message).toMatch(new RegExp(`^cannot read ${f.replace('.', '\\.')}: (no such file|is a directory)`));
    }
  });

  it('a path is relative to the cwd; `-` is stdin', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-src-'));
    fs.writeFileSync(path.join(dir, 'x.csv'), 'a\n1\n');
    const s = await openSource('x.csv', { cwd: dir, stdin: Readable.from([]) });
    expect(s.size).toBe(4);
    const recs: CsvRecord[] = [];
    for await (const r of readCsv(s).records) recs.push(r);
    expect(recs.map((r) => r.cells[0])).toEqual(['a', '1']);
    const stdin = Readable.from([Buffer.from('q\n')]);
    expect((await openSource('-', { cwd: dir, stdin })).stream).toBe(stdin);
  });
});
