/**
 * Run the CLI in-process with fake streams and a fixed clock, like the GitHub CLI's IOStreams tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { run } from '../src/cli.js';
import type { Context, OutStream } from '../src/context.js';
import type { Choice, Prompter } from '../src/io/prompt.js';
import { openDatabase } from '../src/store/db.js';

export class Capture implements OutStream {
  chunks: string[] = [];
  isTTY: boolean;
  columns?: number;
  constructor(tty = false, columns?: number) {
    this.isTTY = tty;
    this.columns = columns;
  }
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export interface RunOptions {
  stdin?: string | Buffer | Readable;
  /** stdin and stdout are terminals (prompts allowed). */
  tty?: boolean;
  /** stderr is a terminal (colour, progress). Defaults to `tty`. */
  stderrTty?: boolean;
  env?: Record<string, string | undefined>;
  now?: Date;
  prompter?: Prompter;
  cwd?: string;
  columns?: number;
  /** The per-user data directory (default: an unused temporary path). */
  dataDir?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** 2026-11-23 10:00 local time: the fixed "now" of the tests. */
export const NOW = new Date(2026, 10, 23, 10, 0, 0);

export async function ngo(args: string[], o: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(o.tty ?? false, o.columns ?? 120);
  const stderr = new Capture(o.stderrTty ?? o.tty ?? false);
  const stdin = (
    o.stdin instanceof Readable ? o.stdin : Readable.from(o.stdin === undefined ? [] : [typeof o.stdin === 'string' ? Buffer.from(o.stdin) : o.stdin])
  ) as Readable & { isTTY?: boolean };
  stdin.isTTY = o.tty ?? false;
  const ctx: Context = {
    stdin,
    stdout,
    stderr,
    env: { ...o.env },
    now: () => o.now ?? NOW,
    cwd: o.cwd ?? process.cwd(),
    osUser: () => 'tester',
    dataDir: () => o.dataDir ?? path.join(os.tmpdir(), 'ngo-test-data-dir-unused'),
    prompter: o.prompter,
  };
  const code = await run(args, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * A fresh temporary directory and an empty, initialised database in it (only `ngo init`, `ngo demo`
 * and `ngo db restore` create one). `{ create: false }`: the path only, no file.
 */
export async function tmpDb(o: { create?: boolean } = {}): Promise<{ dir: string; db: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-test-'));
  const db = path.join(dir, 'ngo.db');
  if (o.create !== false) (await openDatabase(db, { now: () => NOW, create: true })).close();
  return { dir, db };
}

/** A runner bound to one database file. */
export function withDb(db: string, base: RunOptions = {}) {
  return (args: string[], o: RunOptions = {}) => ngo(['--db', db, ...args], { ...base, ...o, env: { ...base.env, ...o.env } });
}

/** A runner that must succeed: for setting up a test's world, where a failure is the test's own bug. */
export function mustSucceed(run: ReturnType<typeof withDb>) {
  return async (args: string[], o: RunOptions = {}) => {
    const r = await run(args, o);
    if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
    return r;
  };
}

/** SHA-256 of the database file and its WAL, to prove a failure changed nothing. */
export function dbHash(db: string): string {
  const h = crypto.createHash('sha256');
  for (const f of [db, `${db}-wal`]) {
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  return h.digest('hex');
}

/** Scripted answers for prompts, in order. Each answer is matched against the prompt kind. */
export function scriptedPrompter(answers: (string | boolean)[], seen: string[] = []): Prompter {
  const next = (kind: string, message: string) => {
    seen.push(`${kind}: ${message}`);
    if (answers.length === 0) throw new Error(`unexpected prompt (${kind}): ${message}`);
    return answers.shift()!;
  };
  return {
    async input(o) {
      const a = next('input', o.message);
      const v = a === '' && o.default !== undefined ? o.default : String(a);
      const ok = o.validate ? o.validate(v) : true;
      if (ok !== true) throw new Error(`answer "${v}" rejected by prompt "${o.message}": ${ok}`);
      return v;
    },
    async select<T>(o: { message: string; choices: Choice<T>[] }) {
      const a = String(next('select', o.message));
      const c = o.choices.find((x) => String(x.value) === a || x.name === a);
      if (!c) throw new Error(`no choice "${a}" in ${o.choices.map((x) => x.name).join(', ')}`);
      return c.value;
    },
    async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }) {
      const a = String(next('search', o.message));
      const c = o.source(a)[0];
      if (!c) throw new Error(`search "${a}" found nothing`);
      return c.value;
    },
    async confirm(o) {
      return Boolean(next('confirm', o.message));
    },
  };
}

export function parseCsv(text: string): Record<string, string>[] {
  // Minimal RFC 4180 reader for assertions on our own output.
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  const t = text.replace(/^\ufeff/, '');
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (q) {
      if (ch === '"' && t[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}
