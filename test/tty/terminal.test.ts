/**
 * The real binary in a real pseudo-terminal (tmux), answered as a person would: type, wait for the
 * screen, press Enter. Needs the compiled dist/ (npm test builds it first) and tmux; skipped without tmux.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, tmpDb, withDb } from '../helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'ngo.js');
const haveTmux = spawnSync('tmux', ['-V']).status === 0 && fs.existsSync(path.join(ROOT, 'dist', 'ngo.js'));
const SOCKET = `ngo-test-${process.pid}`;
let n = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

class Terminal {
  readonly name = `t${++n}`;
  constructor(args: string[], env: Record<string, string> = {}) {
    const envs = Object.entries({ NO_COLOR: '', TERM: 'xterm-256color', ...env })
      .map(([k, v]) => `${k}=${shq(v)}`)
      .join(' ');
    const cmd = `${envs} node ${shq(BIN)} ${args.map(shq).join(' ')}; echo "EXIT=$?"; sleep 120`;
    tmux('new-session', '-d', '-s', this.name, '-x', '120', '-y', '40', cmd);
  }
  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name, '-S', '-100');
  }
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof text === 'string' ? s.includes(text) : text.test(s)) return s;
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(text)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }
  key(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }
  async exitCode(): Promise<number> {
    const s = await this.waitFor(/EXIT=\d+/);
    return Number(/EXIT=(\d+)/.exec(s)![1]);
  }
  close(): void {
    try {
      tmux('kill-session', '-t', this.name);
    } catch {
      /* already gone */
    }
  }
}

describe.skipIf(!haveTmux)('in a terminal, by answering prompts alone', () => {
  let db: string;
  let run: ReturnType<typeof withDb>;
  const today = (() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  })();

  beforeAll(async () => {
    db = (await tmpDb()).db;
    run = withDb(db, { now: new Date() });
    await run(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana@example.org']);
    await run(['people', 'add', '--first', 'Sam', '--last', 'Lee', '--email', 'sam@example.org']);
    await run(['programs', 'add', 'TELE', '--name', 'Tele-therapy']);
    await run(['programs', 'add', 'PEER', '--name', 'Peer support']);
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      /* no server left */
    }
  });

  it('logs hours: person and program from searchable lists, duration, default date and activity, a summary to confirm', async () => {
    const t = new Terminal(['--db', db, 'hours', 'log']);
    try {
      await t.waitFor('Volunteer');
      t.type('okaf');
      await t.waitFor('Ana Okafor <ana@example.org>');
      t.key('Enter');
      await t.waitFor('Program');
      t.type('tele');
      await t.waitFor('TELE — Tele-therapy');
      t.key('Enter');
      await t.waitFor('Duration');
      t.type('1:30');
      t.key('Enter');
      await t.waitFor('Date of service');
      t.key('Enter');
      await t.waitFor('Activity');
      t.key('Enter');
      for (const label of ['Miles driven', 'Out-of-pocket expenses', 'Note']) {
        await t.waitFor(label);
        t.key('Enter');
      }
      await t.waitFor(`Log 1.50 h of direct-service for Ana Okafor (TELE) on ${today} — save?`);
      t.type('y');
      t.key('Enter');
      expect(await t.exitCode()).toBe(0);
      expect(t.screen()).toContain('✔ Logged 1.50 h for Ana Okafor (TELE) — entry #1');
    } finally {
      t.close();
    }
    expect(parseCsv((await run(['hours', 'list'])).stdout)).toEqual([
      expect.objectContaining({ id: '1', date: today, email: 'ana@example.org', program_code: 'TELE', hours: '1.50', status: 'approved' }),
    ]);
  });

  it('awards a grant: grantee, amount, purpose, funder, program, date and commitment asked for, then confirmed', async () => {
    const t = new Terminal(['--db', db, 'grants', 'award']);
    try {
      await t.waitFor('Grantee');
      t.type('sam');
      await t.waitFor('Sam Lee <sam@example.org>');
      t.key('Enter');
      await t.waitFor('Amount awarded');
      t.type('1500.00');
      t.key('Enter');
      await t.waitFor('Purpose');
      t.type('LPC exam fees');
      t.key('Enter');
      await t.waitFor('(no funder)');
      t.key('Enter');
      await t.waitFor('(no program)');
      t.key('Enter');
      await t.waitFor('Award date');
      t.key('Enter');
      await t.waitFor('Service commitment');
      t.key('Enter');
      await t.waitFor('save?');
      t.type('y');
      t.key('Enter');
      expect(await t.exitCode()).toBe(0);
    } finally {
      t.close();
    }
    expect(parseCsv((await run(['grants', 'list'])).stdout)[0]).toMatchObject({
      grantee: 'Sam Lee',
      amount: '1500.00',
      purpose: 'LPC exam fees',
      status: 'awarded',
    });
  });

  it('pairs a mentor: mentor and mentee from searchable lists, program from a list, default start date, goals, confirmed', async () => {
    const t = new Terminal(['--db', db, 'mentorship', 'pair']);
    try {
      await t.waitFor('Mentor');
      t.type('sam');
      await t.waitFor('Sam Lee <sam@example.org>');
      t.key('Enter');
      await t.waitFor('Mentee');
      t.type('ana');
      await t.waitFor('Ana Okafor <ana@example.org>');
      t.key('Enter');
      await t.waitFor('(no program)');
      t.key('Down');
      t.key('Down');
      await t.waitFor(/❯ TELE — Tele-therapy/);
      t.key('Enter');
      await t.waitFor('Start date');
      t.key('Enter');
      await t.waitFor('Goals');
      t.type('first year of practice');
      t.key('Enter');
      await t.waitFor(`Pair Sam Lee as mentor of Ana Okafor in TELE from ${today} — save?`);
      t.type('y');
      t.key('Enter');
      expect(await t.exitCode()).toBe(0);
      expect(t.screen()).toContain('✔ Paired Sam Lee (mentor) with Ana Okafor in TELE');
    } finally {
      t.close();
    }
    expect(parseCsv((await run(['mentorship', 'list'])).stdout)).toEqual([
      expect.objectContaining({
        mentor: 'Sam Lee',
        mentee: 'Ana Okafor',
        program_code: 'TELE',
        start_date: today,
        status: 'active',
        goals: 'first year of practice',
      }),
    ]);
  });

  it('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const before = (await run(['hours', 'list'])).stdout;
    const t = new Terminal(['--db', db, 'hours', 'log']);
    try {
      await t.waitFor('Volunteer');
      t.key('C-c');
      expect(await t.exitCode()).toBe(130);
    } finally {
      t.close();
    }
    expect((await run(['hours', 'list'])).stdout).toBe(before);
  });

  it('people add re-asks an invalid email with its reason, then asks every other field; Enter skips the optional ones', async () => {
    const t = new Terminal(['--db', db, 'people', 'add']);
    try {
      await t.waitFor('First name');
      t.type('Rosa');
      t.key('Enter');
      await t.waitFor('Last name (optional)');
      t.type('Diaz');
      t.key('Enter');
      await t.waitFor('Email (optional)');
      t.type('rosa@');
      t.key('Enter');
      await t.waitFor('--email: invalid email "rosa@"');
      // The prompt keeps the answer to mend: mend it.
      t.key('BSpace');
      t.type('@example.org');
      t.key('Enter');
      await t.waitFor('External id');
      t.key('Enter');
      await t.waitFor('Phone (optional)');
      t.key('Enter');
      await t.waitFor('Roles, comma-separated');
      t.type('volunteer');
      t.key('Enter');
      for (const label of [
        'Credential',
        'Licence number',
        'Licensing state',
        'Licence expires',
        'Hourly rate',
        'Address line 1',
        'Address line 2',
        'City',
        'State/region',
        'Postal code',
        'Country',
        'Date joined',
        'Notes',
      ]) {
        await t.waitFor(new RegExp(`\\? ${label}[^\\n]*\\(optional\\) *$`, 'm'));
        t.key('Enter');
      }
      await t.waitFor('Add Rosa Diaz <rosa@example.org> (volunteer) — save?');
      t.type('y');
      t.key('Enter');
      expect(await t.exitCode()).toBe(0);
    } finally {
      t.close();
    }
    const rosa = parseCsv((await run(['people', 'list', '--search', 'rosa'])).stdout);
    expect(rosa).toEqual([expect.objectContaining({ first_name: 'Rosa', last_name: 'Diaz', email: 'rosa@example.org', roles: 'volunteer' })]);
  });

  it('two people named Ana Okafor show apart in the pick list; the second one picked is the one recorded', async () => {
    await run(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--external-id', 'V-2', '--roles', 'mentee']);
    const t = new Terminal(['--db', db, 'mentorship', 'pair']);
    try {
      await t.waitFor('Mentor');
      t.type('sam');
      // The highlighted line, once the list is filtered (unfiltered, Rosa Diaz comes first).
      await t.waitFor(/❯ Sam Lee <sam@example.org>/);
      t.key('Enter');
      await t.waitFor('Mentee');
      t.type('okafor');
      const s = await t.waitFor(/❯ Ana Okafor <ana@example\.org> #1\n\s+Ana Okafor \[V-2\] \(mentee\) #\d+/);
      expect(s).not.toContain('Rosa Diaz');
      t.key('Down');
      await t.waitFor(/❯ Ana Okafor \[V-2\] \(mentee\) #\d+/);
      t.key('Enter');
      await t.waitFor('(no program)');
      t.key('Enter');
      await t.waitFor('Start date');
      t.key('Enter');
      await t.waitFor('Goals');
      t.key('Enter');
      await t.waitFor('save?');
      t.type('y');
      t.key('Enter');
      expect(await t.exitCode()).toBe(0);
    } finally {
      t.close();
    }
    const pairs = parseCsv((await run(['mentorship', 'list'])).stdout);
    const ids = parseCsv((await run(['people', 'list', '--search', 'V-2'])).stdout).map((p) => p['id']);
    expect(pairs.at(-1)).toMatchObject({ mentor: 'Sam Lee', mentee: 'Ana Okafor', mentee_id: ids[0] });
  });

  it('colour on a terminal, none with NO_COLOR', async () => {
    const colour = new Terminal(['--db', db, 'people', 'list'], { NO_COLOR: '' });
    const plain = new Terminal(['--db', db, 'people', 'list'], { NO_COLOR: '1' });
    try {
      await colour.exitCode();
      await plain.exitCode();
      const esc = (t: Terminal) => tmux('capture-pane', '-p', '-e', '-t', t.name);
      expect(esc(colour)).toMatch(/\u001b\[1m/);
      expect(esc(plain)).not.toMatch(/\u001b\[1m/);
      expect(plain.screen()).toMatch(/id\s+first_name\s+last_name/);
    } finally {
      colour.close();
      plain.close();
    }
  });
});
