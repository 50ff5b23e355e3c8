/**
 * Streamed CSV reading for imports:
 *
 *   source bytes → Utf8Gate (SHA-256, UTF-16/32 refusal, strict streaming UTF-8 check, NUL refusal,
 *   UTF-8 BOM strip) → delimiter sniffing on the header line → csv-parse (array mode) → records
 *   carrying the 1-based file line where each record STARTS.
 *
 * Nothing is collected: memory stays flat however long the file is.
 *
 * Lines: a line break is LF, CRLF or a lone CR (what editors and Excel show). Blank lines count as
 * lines. A record whose quoted field spans lines starts at its first line. The line of each record is
 * computed from csv-parse's `raw` text of the record (which includes the blank lines skipped before
 * it), not from csv-parse's own `info.lines` (that one counts CRLF inside quoted fields twice).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable, pipeline } from 'node:stream';
import type { Options as ParseOptions } from 'csv-parse';
import { IoError, NgoError, UsageError, ValidationError } from '../errors.js';
import type { Context } from '../context.js';
import { whileBlocked } from './signals.js';
import { describeFsError } from './files.js';

export interface Source {
  stream: NodeJS.ReadableStream;
  /** The name to show in messages: the path as given, or `stdin` for `-`. */
  name: string;
  /** Size in bytes when known (files), for the progress display. */
  size?: number;
  /** True when the stream is ours to close (a file we opened; never stdin). */
  owned?: boolean;
}

/**
 * A path (relative to ctx.cwd) or `-` for stdin. A missing or unreadable file fails at once with
 * exit 6 before anything else happens. The open is asynchronous: a FIFO whose writer never comes
 * blocks only a worker thread, and Ctrl-C still ends the command (see signals.ts).
 */
export async function openSource(file: string, ctx: Pick<Context, 'cwd' | 'stdin'>): Promise<Source> {
  if (file === '-') return { stream: ctx.stdin, name: 'stdin' };
  const full = path.resolve(ctx.cwd, file);
  let fh: fs.promises.FileHandle | undefined;
  try {
    const st = fs.statSync(full);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fh = await (st.isFile() ? fs.promises.open(full, 'r') : await whileBlocked(fs.promises.open(full, 'r')));
    const fst = await fh.stat();
    return { stream: fh.createReadStream({ highWaterMark: 64 * 1024 }), name: file, size: fst.isFile() ? fst.size : undefined, owned: true };
  } catch (e) {
    await fh?.close().catch(() => undefined);
    throw new IoError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

// ---- the decode stage ------------------------------------------------------------------------

/**
 * Index of the first byte of `buf` that starts an invalid UTF-8 sequence, or -1. An incomplete
 * sequence at the very end is valid unless `final`. Same rules as the WHATWG decoder (no overlongs,
 * no surrogates, nothing above U+10FFFF).
 */
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

const LF = 0x0a;
const CR = 0x0d;

/** Line breaks (LF, CRLF, lone CR) in buf[0, end); a CR at end-1 counts only if buf[end] is known not to be LF. */
function breaksIn(buf: Uint8Array & { indexOf(v: number, from?: number): number }, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF); i !== -1 && i < end; i = buf.indexOf(LF, i + 1)) n++;
  for (let i = buf.indexOf(CR); i !== -1 && i < end; i = buf.indexOf(CR, i + 1)) {
    if (i + 1 < buf.length ? buf[i + 1] !== LF : false) n++;
  }
  return n;
}

const SAVE_AS = 'save it as UTF-8 (CSV UTF-8 in Excel)';
const LEGACY = 'if it was saved in a legacy encoding, say which: --encoding windows-1252 (or latin1); or save it as UTF-8 (CSV UTF-8 in Excel)';
/** The most cells a line may hold (a header has at most 1,000 columns; see importer.ts). */
export const MAX_CELLS = 100_000;

/**
 * The streaming decode stage: hashes every raw byte, refuses UTF-16/UTF-32 (by BOM) and NUL bytes,
 * checks UTF-8 strictly with a streaming fatal TextDecoder, strips a UTF-8 BOM, and knows the line
 * number of every byte so that its errors can name it. `write` returns the bytes to parse.
 */
export class Utf8Gate {
  private readonly hash = crypto.createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private head: Buffer | null = Buffer.alloc(0);
  /** Line number at the start of the next chunk. */
  private line = 1;
  /** The line the next byte written is on (for the errors of a decoding stage before this one). */
  get lineNow(): number {
    return this.line + (this.pendingCR ? 1 : 0);
  }
  /** The previous chunk ended with CR: a break unless this chunk starts with LF. */
  private pendingCR = false;
  /** The last bytes of the previous chunk that may start an incomplete UTF-8 sequence. */
  private tail: Buffer = Buffer.alloc(0);
  private digestHex: string | undefined;
  bytes = 0;

  constructor(private readonly name: string) {}

  write(chunk: Buffer): Buffer {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.head !== null) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (this.head.length < 4) return Buffer.alloc(0);
      chunk = this.sniffBom(this.head);
      this.head = null;
    }
    return this.check(chunk);
  }

  /** End of input: flushes what is held back and checks the last UTF-8 sequence is complete. */
  end(): Buffer {
    let out: Buffer = Buffer.alloc(0);
    if (this.head !== null) {
      out = this.check(this.sniffBom(this.head));
      this.head = null;
    }
    try {
      this.decoder.decode();
    } catch {
      throw new ValidationError(`${this.name}: line ${this.line}: invalid UTF-8 at the end of the file (an incomplete character)`, LEGACY);
    }
    return out;
  }

  /** Hex SHA-256 of all the bytes written (call after end()). */
  sha256(): string {
    return (this.digestHex ??= this.hash.digest('hex'));
  }

  private sniffBom(b: Buffer): Buffer {
    if ((b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) || (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)) {
      throw new ValidationError(`${this.name} looks like UTF-32; ${SAVE_AS}`);
    }
    if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
      // readCsv decodes a file with a UTF-16 byte order mark before it gets here.
      throw new ValidationError(`${this.name} looks like UTF-16; ${SAVE_AS}`);
    }
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.decoder.decode(b.subarray(0, 3), { stream: true });
      return b.subarray(3);
    }
    return b;
  }

  /** Separators (, ; tab |) since the last line feed: a row of empty cells has no length to limit. */
  private separators = 0;

  /**
   * A line of more than MAX_CELLS separators is refused before csv-parse holds millions of empty cells
   * in memory (a file of commas, or a stream of them that never ends). A line feed inside a quoted cell
   * restarts the count, which can only let a row through, never refuse a good one.
   */
  private countSeparators(chunk: Buffer): void {
    let n = this.separators;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF) n = 0;
      else if (b === 0x2c || b === 0x3b || b === 0x09 || b === 0x7c) {
        if (++n > MAX_CELLS) {
          throw new ValidationError(
            `${this.name}: line ${this.lineAt(chunk, i)}: a row of more than ${MAX_CELLS.toLocaleString('en-US')} cells (is this a CSV file?)`,
            'a CSV row holds one cell per column of the header',
          );
        }
      }
    }
    this.separators = n;
  }

  private lineAt(chunk: Buffer, pos: number): number {
    let line = this.line;
    if (this.pendingCR && chunk[0] !== LF) line++;
    return line + breaksIn(chunk.subarray(0, pos + 1), pos);
  }

  private check(chunk: Buffer): Buffer {
    if (chunk.length === 0) return chunk;
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      throw new ValidationError(
        `${this.name}: line ${this.lineAt(chunk, nul)}: NUL byte in the file (a binary file, or UTF-16 without a BOM?)`,
        'if it is UTF-16, say so: --encoding utf-16le; or save it as UTF-8 (CSV UTF-8 in Excel)',
      );
    }
    this.countSeparators(chunk);
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      const joined = Buffer.concat([this.tail, chunk]);
      const bad = firstInvalidUtf8(joined, false);
      const at = Math.max(0, bad - this.tail.length);
      const byte = bad >= 0 ? joined[bad]! : chunk[0]!;
      throw new ValidationError(
        `${this.name}: line ${this.lineAt(chunk, at)}: invalid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}; the file is probably in a legacy encoding such as Windows-1252)`,
        LEGACY,
      );
    }
    // Advance the line count past this chunk.
    let line = this.line;
    if (this.pendingCR && chunk[0] !== LF) line++;
    const last = chunk[chunk.length - 1];
    line += breaksIn(chunk, last === CR ? chunk.length - 1 : chunk.length);
    this.pendingCR = last === CR;
    this.line = line;
    // Keep the possibly incomplete trailing sequence (no leading continuation bytes) for error positions.
    let t = chunk.subarray(Math.max(0, chunk.length - 3));
    if (chunk.length < 3 && this.tail.length > 0) t = Buffer.concat([this.tail, chunk]).subarray(-3);
    let s = 0;
    while (s < t.length && (t[s]! & 0xc0) === 0x80) s++;
    this.tail = Buffer.from(t.subarray(s));
    return chunk;
  }
}

// ---- delimiters ---------------------------------------------------------------------------------

const DELIMITERS: Record<string, string> = {
  ',': ',',
  ';': ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  comma: ',',
  semicolon: ';',
  pipe: '|',
};

/** --delimiter C: `,` `;` `|`, or tab as `\t`, `tab` or a real tab character. */
export function parseDelimiterOption(d: string): string {
  const v = DELIMITERS[d] ?? DELIMITERS[d.trim().toLowerCase()];
  if (!v) throw new UsageError(`invalid --delimiter "${d}" (expected , ; | or tab)`);
  return v;
}

/**
 * The most frequent of `,` `;` tab outside double quotes in the first lines (the header, and title
 * lines above it, and the first rows below); ties → comma. Several lines, not the header alone: a title
 * line above a `;` header ("Roster, March 2026") must not decide it.
 */
export function detectDelimiter(lines: string | string[]): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  for (const line of typeof lines === 'string' ? [lines] : lines) {
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (!q && ch in counts) counts[ch]!++;
    }
  }
  let best = ',';
  for (const d of [';', '\t']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

/** Lines the delimiter is detected from (a header may sit below title lines: see importer.ts). */
export const SNIFF_LINES = 12;

/**
 * The first `n` non-blank lines of `text` (a quoted line break stays inside its line), and whether they
 * are all complete (false: more text is needed to know the last one, unless the text is all there is).
 */
export function firstLines(text: string, n: number): { lines: string[]; complete: boolean } {
  const lines: string[] = [];
  let start = 0;
  let q = false;
  for (let i = 0; i < text.length && lines.length < n; i++) {
    const ch = text[i];
    if (ch === '"') q = !q;
    else if (!q && (ch === '\r' || ch === '\n')) {
      if (i > start) lines.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (lines.length >= n) return { lines, complete: true };
  if (start < text.length) lines.push(text.slice(start));
  return { lines, complete: false };
}

// ---- records ------------------------------------------------------------------------------------

export interface CsvRecord {
  /** 1-based file line where the record starts. */
  line: number;
  cells: string[];
}

/** The encodings --encoding names, by their canonical name: iconv-lite's name for each. */
export const ENCODINGS: Readonly<Record<string, string>> = {
  'utf-8': 'utf8',
  'windows-1252': 'win1252',
  latin1: 'latin1',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
};
/** Other names of the same encodings. */
const ENCODING_ALIASES: Readonly<Record<string, string>> = { utf8: 'utf-8', cp1252: 'windows-1252', 'iso-8859-1': 'latin1' };

/** --encoding NAME → the canonical name, or exit 2 naming the known ones. */
export function parseEncodingOption(e: string): string {
  const v = e.trim().toLowerCase();
  const name = ENCODING_ALIASES[v] ?? v;
  if (!(name in ENCODINGS)) throw new UsageError(`invalid --encoding "${e}" (expected utf-8, windows-1252, latin1 or utf-16le)`);
  return name;
}

export interface ReadOptions {
  /** Forced delimiter (the --delimiter value); detected from the first lines otherwise. */
  delimiter?: string;
  /**
   * The file's encoding (the --encoding value, see ENCODINGS): its bytes are decoded to UTF-8 before
   * anything else reads them. Default: UTF-8, or UTF-16 when the file starts with its byte order mark.
   */
  encoding?: string;
  /**
   * Keep blank lines and rows whose cells are all empty as records (RFC 4180 reading, used by the
   * conformance tests). Imports skip them (the default).
   */
  keepBlankRows?: boolean;
}

export interface CsvReader {
  /** All records, the header line first. Iterate once. */
  records: AsyncGenerator<CsvRecord>;
  /** The delimiter in use (known once the first record has been read). */
  delimiter(): string;
  /** SHA-256 of the raw bytes (complete once `records` is exhausted). */
  sha256(): string;
  /** Raw bytes read so far (for progress). */
  bytesRead(): number;
}

/** Line breaks in a csv-parse raw record: before its first content character, and in all. */
export function rawBreaks(raw: string): { lead: number; total: number } {
  // Outside quotes csv-parse keeps only the CR of a CRLF record delimiter, so every CR or LF there
  // is one line; inside quotes the text is verbatim and CRLF is one line.
  let q = false;
  let total = 0;
  let lead = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 13 || c === 10) {
      if (q && c === 13 && raw.charCodeAt(i + 1) === 10) i++;
      total++;
    } else {
      if (lead < 0) lead = total;
      if (c === 34) q = !q;
    }
  }
  return { lead: lead < 0 ? 0 : lead, total };
}

function isBlankRecord(cells: string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * The longest record read (in characters): far above any real row (a text value holds at most 2,000
 * characters), and what keeps a file with a quote that is never closed, or one gigantic field, from
 * filling the memory: it is exit 3 naming the line where the record starts.
 */
export const MAX_RECORD_CHARS = 10_000_000;

const REASONS: Record<string, string> = {
  CSV_MAX_RECORD_SIZE: `a row longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (a field too large, or a quote that is never closed)`,
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (unterminated quote)',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other text (a quote inside a quoted field must be doubled: "")',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field (quote the whole field and double the quote: "")',
};

interface CsvParseError {
  code: string;
  message: string;
  raw?: string;
}

/**
 * Read CSV records from a source. Blank lines (and, unless keepBlankRows, rows whose cells are all
 * empty or spaces) are skipped. Encoding problems and parse errors (e.g. an unterminated quote) are
 * a ValidationError `NAME: line N: reason`; the file is not CSV, so they end the read.
 */
export function readCsv(src: Source, opts: ReadOptions = {}): CsvReader {
  const gate = new Utf8Gate(src.name);
  const keep = opts.keepBlankRows === true;
  let delimiter = opts.delimiter ? parseDelimiterOption(opts.delimiter) : '';
  const given = opts.encoding ? parseEncodingOption(opts.encoding) : 'utf-8';
  /** With a decoding stage: the SHA-256 of the file's own bytes (the gate sees the decoded ones). */
  let rawHash: crypto.Hash | null = null;
  let rawDigest: string | undefined;
  let rawBytes = 0;

  /** The file's bytes in UTF-8: as they are, or decoded (--encoding, or a UTF-16 byte order mark). */
  type Decoder = { write(b: Buffer): string; end(): string | undefined };
  let encoding = given;
  const decode = (text: string): Buffer => {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) {
      const line = gate.lineNow + (text.slice(0, bad).match(/\r\n|\r|\n/g)?.length ?? 0);
      throw new ValidationError(
        `${src.name}: line ${line}: a byte that is no character in ${encoding} (is the file in another encoding?)`,
        'say the encoding the file was saved in: --encoding utf-8|windows-1252|latin1|utf-16le',
      );
    }
    return Buffer.from(text, 'utf8');
  };
  /** The decoder the first bytes call for, or null (UTF-8: the gate reads the bytes as they are). */
  const decoderFor = async (b: Buffer): Promise<Decoder | null> => {
    if (encoding === 'utf-8') {
      if (b[0] === 0xff && b[1] === 0xfe && !(b[2] === 0 && b[3] === 0)) encoding = 'utf-16le';
      else if (b[0] === 0xfe && b[1] === 0xff) encoding = 'utf-16be';
      else return null;
    }
    const iconv = (await import('iconv-lite')).default;
    rawHash = crypto.createHash('sha256');
    return iconv.getDecoder(ENCODINGS[encoding]! as Parameters<typeof iconv.getDecoder>[0], { stripBOM: true }) as unknown as Decoder;
  };
  async function* utf8(): AsyncGenerator<Buffer> {
    let decoder: Decoder | null = null;
    let head: Buffer | null = Buffer.alloc(0);
    const pass = (chunk: Buffer): Buffer => {
      if (decoder === null) return chunk;
      rawHash!.update(chunk);
      rawBytes += chunk.length;
      return decode(decoder.write(chunk));
    };
    try {
      for await (const raw of src.stream as AsyncIterable<Buffer | string>) {
        let chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
        if (head !== null) {
          head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
          if (head.length < 4) continue;
          chunk = head;
          head = null;
          decoder = await decoderFor(chunk);
        }
        const out = pass(chunk);
        if (out.length > 0) yield out;
      }
      if (head !== null && head.length > 0) {
        decoder = await decoderFor(head);
        const out = pass(head);
        if (out.length > 0) yield out;
      }
      if (decoder !== null) {
        const rest = decode((decoder as Decoder).end() ?? '');
        if (rest.length > 0) yield rest;
      }
    } catch (e) {
      if (e instanceof NgoError) throw e;
      throw new IoError(`cannot read ${src.name}: ${describeFsError(e)}`);
    }
  }

  async function* bytes(): AsyncGenerator<Buffer> {
    for await (const chunk of utf8()) {
      const out = gate.write(chunk);
      if (out.length > 0) yield out;
    }
    const last = gate.end();
    if (last.length > 0) yield last;
  }

  async function* records(): AsyncGenerator<CsvRecord> {
    // Imported here, not up front: only imports read CSV, and loading csv-parse costs start-up time.
    const { parse } = await import('csv-parse');
    const chunks = bytes();
    try {
      // Hold back the beginning until its first lines are complete, to choose the delimiter.
      const head: Buffer[] = [];
      let headLen = 0;
      let done = false;
      if (!delimiter) {
        for (;;) {
          const r = await chunks.next();
          if (r.done) {
            done = true;
            break;
          }
          head.push(r.value);
          headLen += r.value.length;
          if (firstLines(Buffer.concat(head).toString('utf8'), SNIFF_LINES).complete || headLen > 1024 * 1024) break;
        }
        delimiter = detectDelimiter(firstLines(Buffer.concat(head).toString('utf8'), SNIFF_LINES).lines);
      }
      async function* all(): AsyncGenerator<Buffer> {
        yield* head;
        head.length = 0;
        if (!done) yield* chunks;
      }

      let linesBefore = 0;
      const onRecord = (rec: { record: string[]; raw: string }): CsvRecord | null => {
        const { lead, total } = rawBreaks(rec.raw);
        const line = linesBefore + 1 + (keep ? 0 : lead);
        linesBefore += total;
        if (!keep && isBlankRecord(rec.record)) return null;
        return { line, cells: rec.record };
      };
      const parser = parse({
        delimiter,
        record_delimiter: ['\r\n', '\n', '\r'],
        relax_column_count: true,
        skip_empty_lines: !keep,
        raw: true,
        bom: false,
        max_record_size: MAX_RECORD_CHARS,
      } as ParseOptions);
      // Each record is numbered as the parser pushes it, synchronously and in order, so that an error
      // later in the same chunk still knows the lines before it (records buffered in the stream are
      // dropped when it fails). Not csv-parse's on_record: with it, csv-parse builds an info object
      // for every record, which cost 40% of the parse (1.5 s per million rows).
      const push = parser.push.bind(parser);
      parser.push = (rec: unknown) => {
        if (rec === null) return push(null);
        const out = onRecord(rec as { record: string[]; raw: string });
        return out === null ? true : push(out);
      };
      let feedError: unknown;
      pipeline(Readable.from(all()), parser, (e) => {
        if (e) feedError ??= e;
      });
      try {
        for await (const rec of parser as AsyncIterable<CsvRecord>) yield rec;
        if (feedError) throw feedError;
      } catch (e) {
        const err = (feedError instanceof NgoError ? feedError : e) as CsvParseError;
        if (err instanceof NgoError) throw err;
        if (typeof err.code === 'string' && (err.code.startsWith('CSV_') || err.code === 'INVALID_OPENING_QUOTE')) {
          const b = rawBreaks(err.raw ?? '');
          // An unterminated quote swallows the rest of the file: name the line where its record starts.
          const line = linesBefore + 1 + (err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_MAX_RECORD_SIZE' ? b.lead : b.total);
          const reason = REASONS[err.code] ?? err.message.replace(/ (at|on) line \d+/, '');
          throw new ValidationError(
            `${src.name}: line ${line}: ${reason}`,
            'the file is not valid CSV; fix it in a spreadsheet or text editor and save it as CSV UTF-8',
          );
        }
        throw e;
      }
    } finally {
      if (src.owned) (src.stream as Readable).destroy?.();
    }
  }

  return {
    records: records(),
    delimiter: () => delimiter,
    sha256: () => (rawHash !== null ? (rawDigest ??= (rawHash as crypto.Hash).digest('hex')) : gate.sha256()),
    bytesRead: () => (rawHash !== null ? rawBytes : gate.bytes),
  };
}
