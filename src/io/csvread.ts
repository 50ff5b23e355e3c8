/**
 * Streamed CSV reading for imports: bytes → (SHA-256, encoding checks, UTF-8 decode) → delimiter
 * detection → csv-parse in array mode → records with the file line number where each record starts.
 * Nothing is collected: memory stays flat however long the file is.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import { IoError, UsageError, ValidationError } from '../errors.js';
import type { Context } from '../context.js';

export interface Source {
  stream: NodeJS.ReadableStream;
  /** The name to show: the path as given, or `-`. */
  name: string;
  /** Size in bytes when known (files), for progress. */
  size?: number;
}

export function openSource(file: string, ctx: Pick<Context, 'cwd' | 'stdin'>): Source {
  if (file === '-') return { stream: ctx.stdin, name: '-' };
  const full = path.resolve(ctx.cwd, file);
  let size: number;
  try {
    const st = fs.statSync(full);
    if (st.isDirectory()) throw new Error('is a directory');
    size = st.size;
    fs.accessSync(full, fs.constants.R_OK);
  } catch (e) {
    throw new IoError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  return { stream: fs.createReadStream(full), name: file, size };
}

/** Index of the first byte that is not valid UTF-8 in `buf` (an incomplete tail is valid unless `final`), or -1. */
export function firstInvalidUtf8(buf: Uint8Array, final: boolean): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= buf.length) return final ? i : -1;
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return i;
    }
    i += n + 1;
  }
  return -1;
}

function countNewlines(buf: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (buf[i] === 0x0a) n++;
  return n;
}

export interface DecodeState {
  sha256(): string;
  bytesRead(): number;
}

/** Bytes → text, hashing, refusing UTF-16/32, invalid UTF-8 and NUL bytes with a line number. */
async function* decode(stream: NodeJS.ReadableStream, name: string, state: { hash: crypto.Hash; bytes: number }): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let lines = 0;
  let first = true;
  for await (const raw of stream as AsyncIterable<Buffer | string>) {
    const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
    state.hash.update(chunk);
    state.bytes += chunk.length;
    if (first) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
        throw new ValidationError(`${name} looks like UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)`);
      }
      if (chunk[0] === 0x00 && chunk[1] === 0x00 && chunk[2] === 0xfe && chunk[3] === 0xff) {
        throw new ValidationError(`${name} looks like UTF-32; save it as UTF-8 (CSV UTF-8 in Excel)`);
      }
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new ValidationError(`${name}: line ${lines + countNewlines(chunk, nul) + 1}: NUL byte in the file (is it a binary or UTF-16 file? save it as CSV UTF-8)`);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const bad = firstInvalidUtf8(chunk, false);
      const at = bad < 0 ? 0 : bad;
      throw new ValidationError(`${name}: line ${lines + countNewlines(chunk, at) + 1}: invalid UTF-8 (save the file as CSV UTF-8)`);
    }
    lines += countNewlines(chunk, chunk.length);
    if (text) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new ValidationError(`${name}: line ${lines + 1}: invalid UTF-8 at the end of the file (save the file as CSV UTF-8)`);
  }
  if (tail) yield tail;
}

const DELIMITERS: Record<string, string> = { ',': ',', ';': ';', '\t': '\t', '\\t': '\t', tab: '\t', '|': '|', comma: ',', semicolon: ';', pipe: '|' };

export function parseDelimiterOption(d: string): string {
  const v = DELIMITERS[d] ?? DELIMITERS[d.toLowerCase()];
  if (!v) throw new UsageError(`invalid --delimiter "${d}" (expected , ; tab or |)`);
  return v;
}

/** The most frequent of , ; tab outside quotes in the header line (ties → comma). */
export function detectDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let q = false;
  for (const ch of headerLine) {
    if (ch === '"') q = !q;
    else if (!q && ch in counts) counts[ch]!++;
  }
  let best = ',';
  for (const d of [';', '\t']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  cells: string[];
}

export interface CsvReader extends DecodeState {
  records: AsyncGenerator<CsvRecord>;
  delimiter(): string;
}

function physicalBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}
function crlfChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || c === 13) n++;
  }
  return n;
}

/**
 * Read CSV records. Blank lines (and rows whose cells are all empty) are skipped. A parse error
 * (e.g. an unterminated quote) is a ValidationError naming the line.
 */
export function readCsv(src: Source, opts: { delimiter?: string } = {}): CsvReader {
  const state = { hash: crypto.createHash('sha256'), bytes: 0 };
  let digest: string | undefined;
  let delimiter = opts.delimiter ? parseDelimiterOption(opts.delimiter) : '';
  async function* records(): AsyncGenerator<CsvRecord> {
    const chunks = decode(src.stream, src.name, state)[Symbol.asyncIterator]();
    let head = '';
    let done = false;
    while (!/[\r\n]/.test(head)) {
      const r = await chunks.next();
      if (r.done) {
        done = true;
        break;
      }
      head += r.value;
    }
    head = head.replace(/^\ufeff/, '');
    if (!delimiter) delimiter = detectDelimiter(head.split(/\r\n|\r|\n/, 1)[0] ?? '');
    async function* all(): AsyncGenerator<string> {
      if (head) yield head;
      if (done) return;
      for (;;) {
        const r = await chunks.next();
        if (r.done) return;
        yield r.value;
      }
    }
    const parser = parse({ delimiter, relax_column_count: true, skip_empty_lines: true, info: true, bom: true });
    const input = Readable.from(all());
    input.on('error', (e) => parser.destroy(e));
    input.pipe(parser);
    // csv-parse counts every CR and LF inside a quoted field as a line; correct it to physical lines.
    let excess = 0;
    let lastEnd = 0;
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        let inside = 0;
        let insideChars = 0;
        for (const c of item.record) {
          if (c.length > 0 && (c.includes('\n') || c.includes('\r'))) {
            inside += physicalBreaks(c);
            insideChars += crlfChars(c);
          }
        }
        excess += insideChars - inside;
        const endLine = item.info.lines - excess;
        lastEnd = endLine;
        const cells = item.record;
        if (cells.every((c) => c.trim() === '')) continue;
        yield { line: endLine - inside, cells };
      }
    } catch (e) {
      if (e instanceof ValidationError || e instanceof IoError) throw e;
      const err = e as { code?: string; message: string; lines?: number };
      if (err.code && err.code.startsWith('CSV_')) {
        // An unterminated quote swallows the rest of the file: name the line where its record starts.
        const line = err.code === 'CSV_QUOTE_NOT_CLOSED' ? lastEnd + 1 : err.lines !== undefined ? err.lines - excess : undefined;
        const reason = err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (unterminated quote)' : err.message.replace(/^Invalid[^:]*: /, '').replace(/ at line \d+.*$/, '');
        throw new ValidationError(`${src.name}: ${line !== undefined ? `line ${line}: ` : ''}${reason}`);
      }
      throw e;
    }
  }
  return {
    records: records(),
    delimiter: () => delimiter,
    sha256: () => (digest ??= state.hash.digest('hex')),
    bytesRead: () => state.bytes,
  };
}
