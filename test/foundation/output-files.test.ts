/**
 * --out and --rejects write a regular file whole (temp file then rename), but a device or a pipe
 * (/dev/null, /dev/stdout, a FIFO) in place: renaming over /dev/null once replaced the machine's
 * /dev/null with a regular file. The tests use a FIFO of their own, never the real /dev/null.
 */
import { describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDb, withDb } from '../helpers.js';
import { tempNameFor } from '../../src/io/files.js';

/** A FIFO with a `cat` reading it; resolves to what was written once the writer closes it. */
function fifo(dir: string): { file: string; read: Promise<string> } {
  const file = path.join(dir, 'pipe');
  execFileSync('mkfifo', [file]);
  const cat = spawn('cat', [file]);
  let out = '';
  cat.stdout.on('data', (d) => (out += d));
  return { file, read: new Promise((resolve) => cat.on('close', () => resolve(out))) };
}

describe('output files', () => {
  it('a regular file is staged beside the target, under a hidden name nobody can guess', async () => {
    const { dir } = await tmpDb();
    const target = path.join(dir, 'report.csv');
    const a = tempNameFor(target);
    expect(path.dirname(a)).toBe(dir);
    expect(path.basename(a)).toMatch(/^\.report\.csv\.[0-9a-f]{16}\.tmp$/);
    expect(tempNameFor(target)).not.toBe(a);
  });

  it('a folder that cannot be made (under /proc) is exit 6 at once, for every file ngo writes, never a hang', { timeout: 20_000 }, async () => {
    const { db, dir } = await tmpDb();
    const run = withDb(db, { cwd: dir });
    for (const args of [
      ['report', 'tax', '--year', '2025', '--out', '/proc/ngo-test/t.csv'],
      ['db', 'backup', '/proc/ngo-test/b.db'],
      ['--db', '/proc/ngo-test/x.db', 'init'],
    ]) {
      const started = Date.now();
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(6);
      expect(r.stderr).toMatch(/^ngo: error: cannot (write|create the database) \/proc\/ngo-test\//);
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });

  it('report --out FIFO writes through the pipe and leaves it a FIFO', async () => {
    const { db, dir } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana', '--email', 'ana@example.org']);
    const expected = (await run(['report', 'tax', '--year', '2026'])).stdout;
    const p = fifo(dir);
    const r = await run(['report', 'tax', '--year', '2026', '--out', p.file]);
    expect(r.code, r.stderr).toBe(0);
    expect(await p.read).toBe(expected);
    expect(fs.statSync(p.file).isFIFO()).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('import --rejects FIFO receives the bad rows and leaves it a FIFO', async () => {
    const { db, dir } = await tmpDb();
    const run = withDb(db);
    const p = fifo(dir);
    const r = await run(['people', 'import', '-', '--skip-invalid', '--rejects', p.file], {
      stdin: 'first_name,email\nAna,ana@example.org\nBen,not-an-email\n',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(await p.read).toMatch(/^first_name,email,line,error\nBen,not-an-email,3,/);
    expect(fs.statSync(p.file).isFIFO()).toBe(true);
  });
});
