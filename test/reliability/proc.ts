/**
 * Helpers for the reliability tests that spawn the real binary (`node bin/ngo.js`).
 * Build first: `npm run build` (tsc, then the one-file bundle dist/ngo.js that bin/ngo.js loads).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'ngo.js');
export const HAVE_BUILD = fs.existsSync(path.join(ROOT, 'dist', 'ngo.js'));

export interface Proc {
  child: ChildProcess;
  started: number;
  /** Resolves when the process has exited. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

/** Spawn `node bin/ngo.js ARGS` with no TTY (pipes), env NO_COLOR set. */
export function spawnNgo(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Proc {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, started, done };
}

/** Run the binary to completion. */
export async function runNgo(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawnNgo(args, o).done;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fileSize(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** Wait until `pred()` holds (polling every `every` ms) or `timeout` ms pass; returns whether it held. */
export async function waitFor(pred: () => boolean, timeout: number, every = 10): Promise<boolean> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(every);
  }
  return pred();
}

/** Open the database read-write with a plain connection (runs WAL recovery), run fn, close. */
export function withRaw<T>(db: string, fn: (d: Database.Database) => T): T {
  const d = new Database(db, { timeout: 5000 });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}

/** `external_id,date,hours,program` rows for V1..V50 in 2025; `salt` makes the content distinct per file. */
export function hoursCsv(rows: number, salt = 0): string {
  const out: string[] = ['external_id,date,hours,program'];
  const day0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < rows; i++) {
    // ≤ 1.5 h per row and ~11 rows per person-day at most for 200k rows: never over 24 h in a day.
    const date = new Date(day0 + ((i + salt * 7) % 365) * 86_400_000).toISOString().slice(0, 10);
    const hours = (0.25 + ((i + salt) % 5) * 0.25).toFixed(2);
    out.push(`V${(i % 50) + 1},${date},${hours},TELE`);
  }
  return out.join('\n') + '\n';
}

export function rosterCsv(n = 50): string {
  const out = ['external_id,first_name,last_name,email'];
  for (let i = 1; i <= n; i++) out.push(`V${i},First${i},Last${i},v${i}@example.org`);
  return out.join('\n') + '\n';
}

/** Run the binary with a descriptor of our choosing as its standard output (1) or error (2). */
export function binWithFd(args: string[], fd: number, which: 1 | 2 = 1, cwd?: string) {
  const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'pipe', 'pipe'];
  stdio[which] = fd;
  return spawnSync(process.execPath, [BIN, ...args], { stdio, encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
}
