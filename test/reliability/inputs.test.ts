/**
 * Inputs that never end or never begin (issue 15): Ctrl-C works while an import waits on a FIFO that
 * no writer opens, and a field too large for memory is exit 3 naming its line, not an exhausted heap.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { dbHash, ngo, tmpDb } from '../helpers.js';
import { spawnNgo, sleep } from './proc.js';
import { MAX_RECORD_CHARS } from '../../src/io/csvread.js';

describe('a FIFO nobody writes to', () => {
  for (const kind of ['people', 'hours'] as const) {
    it(`${kind} import: Ctrl-C ends it at once (130), nothing written`, { timeout: 20_000 }, async () => {
      const { dir, db } = await tmpDb();
      const fifo = path.join(dir, 'never.csv');
      execFileSync('mkfifo', [fifo]);
      const before = await dbHash(db);
      const p = spawnNgo(['--db', db, kind, 'import', fifo]);
      await sleep(700);
      const sent = Date.now();
      p.child.kill('SIGINT');
      const r = await p.done;
      expect(Date.now() - sent, 'ended within 2 s of Ctrl-C').toBeLessThan(2000);
      expect(r.code === 130 || r.signal === 'SIGINT', `code ${r.code} signal ${r.signal}`).toBe(true);
      expect(r.stderr).toContain('interrupted; nothing from the unfinished command was saved');
      expect(await dbHash(db)).toBe(before);
    });
  }

  it('--out to a FIFO nobody reads: Ctrl-C ends it', { timeout: 20_000 }, async () => {
    const { dir, db } = await tmpDb();
    const fifo = path.join(dir, 'nobody-reads');
    execFileSync('mkfifo', [fifo]);
    const p = spawnNgo(['--db', db, 'report', 'tax', '--year', '2026', '--out', fifo]);
    await sleep(700);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code === 130 || r.signal === 'SIGINT', `code ${r.code} signal ${r.signal}`).toBe(true);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it('a FIFO that does get a writer is imported as usual', { timeout: 20_000 }, async () => {
    const { dir, db } = await tmpDb();
    const fifo = path.join(dir, 'later.csv');
    execFileSync('mkfifo', [fifo]);
    const p = spawnNgo(['--db', db, 'people', 'import', fifo]);
    await sleep(300);
    const w = spawn('sh', ['-c', `printf 'first_name,email\\nAna,ana@example.org\\n' > "${fifo}"`]);
    await new Promise((r) => w.on('close', r));
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('inserted 1,');
  });
});

describe('a field too large for memory', () => {
  /** A CSV whose line 3 holds one field of `n` characters, streamed (never built as one string). */
  function huge(n: number, quoted: boolean): Readable {
    const head = 'first_name,email,notes\nAna,ana@example.org,fine\nBen,ben@example.org,' + (quoted ? '"' : '');
    const chunk = 'x'.repeat(1 << 20);
    let left = n;
    return Readable.from(
      (function* () {
        yield Buffer.from(head);
        while (left > 0) {
          const k = Math.min(left, chunk.length);
          left -= k;
          yield Buffer.from(chunk.slice(0, k));
        }
        yield Buffer.from((quoted ? '"' : '') + '\n');
      })(),
    );
  }

  for (const quoted of [false, true]) {
    it(`exit 3 naming its line (${quoted ? 'quoted' : 'unquoted'}), the database unchanged`, { timeout: 30_000 }, async () => {
      const { db } = await tmpDb();
      const before = await dbHash(db);
      const r = await ngo(['--db', db, 'people', 'import', '-'], { stdin: huge(MAX_RECORD_CHARS + 5, quoted) });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^ngo: error: stdin: line 3: a row longer than 10,000,000 characters \(a field too large, or a quote that is never closed\)$/m);
      expect(await dbHash(db)).toBe(before);
    });
  }

  it('rows of empty cells (a file of commas, or an endless stream of them) are exit 3 naming the line, memory bounded', { timeout: 30_000 }, async () => {
    const { db } = await tmpDb();
    const commas = Readable.from(
      (function* () {
        yield Buffer.from('email,first_name\nana@example.org,Ana\n');
        for (;;) yield Buffer.alloc(1 << 16, 0x2c); // never ends
      })(),
    );
    const r = await ngo(['--db', db, 'people', 'import', '-'], { stdin: commas });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^ngo: error: stdin: line 3: a row of more than 100,000 cells/m);
  });

  it('a gigantic file without a single line break (a binary dump, a log): exit 3 on its first line', { timeout: 30_000 }, async () => {
    const { db } = await tmpDb();
    const chunk = Buffer.from('abc,'.repeat(1 << 18));
    let n = 0;
    const stream = Readable.from(
      (function* () {
        while (n++ < 60) yield chunk; // 60 MB
      })(),
    );
    const r = await ngo(['--db', db, 'hours', 'import', '-'], { stdin: stream });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^ngo: error: stdin: line 1: a row of more than 100,000 cells/m);
  });
});
