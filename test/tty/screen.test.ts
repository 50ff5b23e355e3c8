/**
 * Tables read off a real terminal screen (tmux at 80 and 140 columns, `tmux capture-pane -p`): every
 * figure of the funder report's TOTAL row and every date of `hours list` whole, no line wider than
 * the terminal, a CJK name and a decomposed accent keeping their rows aligned, `people show` as a
 * field list; and the README's demo lines run twice in one bash. Needs the compiled dist/ and tmux
 * (skipped, saying so, without them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'ngo.js');
const haveTmux = spawnSync('tmux', ['-V']).status === 0;
const haveDist = fs.existsSync(path.join(ROOT, 'dist', 'ngo.js'));
const why = !haveTmux ? 'tmux is not installed' : !haveDist ? 'dist/ is not built (npm run build)' : '';
if (why) console.warn(`test/tty/screen.test.ts skipped: ${why}`);

const SOCKET = `ngo-screen-${process.pid}`;
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
let n = 0;
const open: string[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

/** Run `args` (ngo's) on a terminal `width` columns wide; the screen once it has finished. */
async function screen(width: number, args: string[], env: Record<string, string> = {}): Promise<{ text: string; lines: string[] }> {
  const name = `s${process.pid}-${++n}`;
  open.push(name);
  const envs = Object.entries({ NO_COLOR: '1', TERM: 'xterm-256color', ...env })
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join(' ');
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', '50', `${envs} node ${shq(BIN)} ${args.map(shq).join(' ')}; echo "EXIT=$?"; sleep 300`);
  tmux('set-option', '-t', name, 'history-limit', '20000');
  const until = Date.now() + 30_000;
  for (;;) {
    const text = tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-20000');
    if (/EXIT=\d+/.test(text)) {
      // -J would join wrapped lines: a line the terminal had to wrap shows wider than the terminal.
      const lines = text.replace(/\n+$/, '').split('\n');
      expect(lines.at(-1)).toBe('EXIT=0');
      return { text, lines: lines.slice(0, -1) };
    }
    if (Date.now() > until) throw new Error(`timed out; screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// One idle session keeps this file's tmux server up between tests: a server that exits as the last
// session is killed can refuse the next test's new session.
beforeAll(() => {
  if (!why) tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
});
afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    /* no server left */
  }
});

afterEach(() => {
  for (const name of open.splice(0)) {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      /* gone already */
    }
  }
});

describe.skipIf(Boolean(why))('on a terminal at 80 and 140 columns', () => {
  let db: string;
  let run: ReturnType<typeof withDb>;
  beforeAll(async () => {
    db = (await tmpDb({ create: false })).db;
    run = withDb(db, { env: { NO_COLOR: '1' } });
    await mustSucceed(run)(['demo', '--year', '2025']);
    // A Chinese name and a decomposed (NFD) accent, with hours in the demo's December.
    const ok = mustSucceed(run);
    const cjk = (await ok(['people', 'add', '--first', '太郎', '--last', '山田', '--email', 'taro@example.org'])).stdout.trim();
    const nfd = (await ok(['people', 'add', '--first', 'Noe\u0308l', '--last', 'Bjo\u0308rk', '--email', 'noel@example.org'])).stdout.trim();
    await ok(['hours', 'log', cjk, '--program', 'TELE', '--hours', '1.5', '--date', '2025-12-30', '--note', '面談と記録の整理']);
    await ok(['hours', 'log', nfd, '--program', 'TELE', '--hours', '2', '--date', '2025-12-30']);
  }, 60_000);

  for (const width of [80, 140]) {
    it(`funder report: every figure of TOTAL whole, no line wider than ${width}`, async () => {
      const csv = parseCsv((await run(['report', 'funder', '--funder', 'HOPE', '--period', '2025'])).stdout);
      const total = csv.at(-1)!;
      expect(total['program_code']).toBe('TOTAL');
      const s = await screen(width, ['--db', db, 'report', 'funder', '--funder', 'HOPE', '--period', '2025', '--format', 'table']);
      for (const line of s.lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
      // The TOTAL record: from its program_code line to the next record.
      const start = s.lines.findIndex((l) => /^program_code\s+TOTAL$/.test(l));
      expect(start).toBeGreaterThan(0);
      const from = s.lines.map((l, i) => (i < start && l.startsWith('-[ RECORD') ? i : -1)).reduce((a, b) => Math.max(a, b));
      const next = s.lines.findIndex((l, i) => i > start && l.startsWith('-[ RECORD'));
      const block = s.lines.slice(from + 1, next < 0 ? undefined : next).join('\n');
      expect(block.split('\n')).toHaveLength(28);
      for (const [k, v] of Object.entries(total)) {
        if (v === '') continue;
        expect(block, `${k} ${v}`).toMatch(new RegExp(`^${k} +${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      }
    });

    it(`hours list: every date whole, names aligned (CJK, NFD), no line wider than ${width}`, async () => {
      const csv = parseCsv((await run(['hours', 'list', '--period', '2025-12'])).stdout);
      const s = await screen(width, ['--db', db, 'hours', 'list', '--period', '2025-12']);
      for (const line of s.lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
      const header = s.lines[0]!;
      expect(header).toMatch(/^ +id {2}date {8}/);
      const rows = s.lines.slice(1).filter((l) => /^ *\d+ {2}\d{4}-/.test(l));
      expect(rows).toHaveLength(csv.length);
      rows.forEach((line, i) => expect(line.includes(` ${csv[i]!['date']} `), line).toBe(true));
      // Every row's program code starts in the header's program_code column, whatever the name before it.
      const at = stringWidth(header.slice(0, header.indexOf('program_code')));
      for (const line of rows) {
        const code = /\s(TELE|PEER|SCHOOL|TRAIN)\s/.exec(line)!;
        expect(stringWidth(line.slice(0, code.index + 1)), line).toBe(at);
      }
      expect(rows.some((l) => l.includes('山田'))).toBe(true);
      expect(rows.some((l) => l.includes('Noe\u0308l') || l.includes('Noël'))).toBe(true);
      if (width === 80) expect(s.text).toContain('(not shown, for want of width:');
    });

    it(`people show prints a field list at ${width}`, async () => {
      const s = await screen(width, ['--db', db, 'people', 'show', 'taro@example.org']);
      expect(s.lines.slice(0, 5)).toEqual([
        expect.stringMatching(/^id {15}\d+$/),
        'external_id',
        'first_name       太郎',
        'last_name        山田',
        'email            taro@example.org',
      ]);
      expect(s.text).toContain('Hourly rates');
      expect(s.text).toMatch(/Recent hours \(all 1; every one: ngo hours list --person \d+\)/);
      expect(s.text).toMatch(/2025-12-30 +TELE +direct-service +1\.50 +approved/);
      for (const line of s.lines) expect(stringWidth(line), line).toBeLessThanOrEqual(width);
    });
  }
});

describe.skipIf(Boolean(why))("the README's demo lines", () => {
  it('work when run twice in one bash', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /`npx ngo demo` never touches[\s\S]*?```sh\n([\s\S]*?)```\n\n([\s\S]*?)\n\n/.exec(readme)!;
    const lines = block[1]!.trim().split('\n');
    const alt = /`([^`]*mktemp[^`]*)`/.exec(block[2]!)![1]!;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-readme-'));
    const real = path.join(home, 'real.db');
    spawnSync('node', [BIN, '--db', real, 'init'], { encoding: 'utf8' });
    spawnSync('node', [BIN, '--db', real, 'people', 'add', '--first', 'Real'], { encoding: 'utf8' });
    const realBefore = fs.readFileSync(real);
    // `npx ngo` is this checkout's binary (npx itself may go to the network): an `npx` first on PATH.
    const shim = path.join(home, 'bin');
    fs.mkdirSync(shim);
    fs.writeFileSync(path.join(shim, 'npx'), `#!/bin/sh\n[ "$1" = ngo ] || exit 127\nshift\nexec node ${shq(BIN)} "$@"\n`, { mode: 0o755 });
    const script = [
      'set -u',
      // An NGO_DB naming a real database holding data stays out of the demo.
      `export NGO_DB=${shq(real)}`,
      ...[1, 2].flatMap((k) => [`echo "== run ${k}"`, ...lines.map((l) => `${l} > /dev/null || { echo "FAILED: $?"; exit 9; }`), 'echo "NGO_DB=$NGO_DB"']),
      'unset NGO_DB',
      ...[1, 2].flatMap((k) => [
        `echo "== alt ${k}"`,
        `${alt} > /dev/null || { echo "FAILED: $?"; exit 9; }`,
        'npx ngo people list --role supervisor > /dev/null || exit 8',
        'echo "NGO_DB=$NGO_DB"',
      ]),
    ].join('\n');
    const r = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      cwd: home,
      env: { PATH: `${shim}:${process.env['PATH']!}`, HOME: home, XDG_DATA_HOME: path.join(home, 'data'), NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const dbs = [...r.stdout.matchAll(/^NGO_DB=(.*)$/gm)].map((m) => m[1]);
    expect(dbs).toHaveLength(4);
    expect(dbs[0]).toBe(path.join(home, 'data', 'ngo', 'demo.db'));
    expect(dbs[1]).toBe(dbs[0]);
    expect(dbs[2]).not.toBe(dbs[3]);
    // The real database was never touched, and the demo's own file was recreated, not refilled.
    expect(fs.readFileSync(real).equals(realBefore)).toBe(true);
    expect(r.stderr).not.toContain('already holds data');
  }, 120_000);
});
