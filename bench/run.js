#!/usr/bin/env node
// Benchmark harness for the ngo CLI (issue 7).
//
//   npm run bench                  # compiles, then: node bench/run.js
//   node bench/run.js --rows N     # hours file of N rows (default 1,000,000)
//   node bench/run.js --quick      # smoke check: 100k hours / 10k people, 1 run each
//   node bench/run.js --keep       # keep the temp dir (data files, last db) for inspection
//
// Generates deterministic CSV data (seeded PRNG) in a temp dir, times the CLI
// with spawnSync + process.hrtime.bigint, prints a markdown table of medians on
// stdout and, for a full-size run only, writes it with a machine description to bench/RESULTS.md.
// Progress goes to stderr. Exits non-zero if any ngo command fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NGO = path.join(ROOT, 'bin', 'ngo.js');
const SQLITE = '/usr/bin/sqlite3';
const TIME = '/usr/bin/time';
const wallStart = process.hrtime.bigint();

// ---------- options ----------
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const rowsArg = argv.indexOf('--rows');
const ROWS = rowsArg >= 0 ? Number(argv[rowsArg + 1]) : quick ? 100_000 : 1_000_000;
const PEOPLE = quick ? 10_000 : 100_000;
const SMALL_ROWS = Math.round(ROWS / 4); // for the RSS flatness check
if (!Number.isInteger(ROWS) || ROWS < 100) throw new Error('--rows needs an integer ≥ 100');
let IMPORT_RUNS = quick ? 1 : 3; // hours imports (reduced to 1 if the first one is slow)
const STARTUP_RUNS = quick ? 3 : 20; // start-up ratios move by ±0.1× between runs of 10 on a busy machine
const REPORT_RUNS = quick ? 3 : 5;

const fmtInt = (n) => n.toLocaleString('en-US');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------- deterministic data ----------
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const PROGRAMS = [
  ['TELE', 'Tele-therapy'], ['PEER', 'Peer support'], ['SCHOOL', 'School outreach'],
  ['CRISIS', 'Crisis line'], ['TRAIN', 'Training'],
];
const FUNDED = ['TELE', 'PEER', 'CRISIS'];
const ACTIVITIES = ['direct-service', 'supervision', 'training', 'peer-support', 'outreach', 'admin', 'other'];
const FIRST = ['Ana', 'Ben', 'Chloe', 'David', 'Eva', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jon', 'Kemi', 'Liam', 'Maya', 'Noor', 'Omar', 'Priya'];
const LAST = ['Smith', 'Garcia', 'Nguyen', 'Okafor', 'Muller', 'Rossi', 'Kowalski', 'Silva', 'Haddad', 'Tanaka', 'Brown', 'Dubois'];
const PLACES = [['Portland', 'OR', '97201'], ['Austin', 'TX', '73301'], ['Boston', 'MA', '02108'], ['Denver', 'CO', '80202'], ['Chicago', 'IL', '60601']];
const CREDS = ['LCSW', 'LPC', 'MFT', 'PsyD'];
const NOTES = ['group session', 'follow-up call', 'covered a shift', 'school visit'];
const DATES = [];
for (let t = Date.UTC(2021, 0, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
  DATES.push(new Date(t).toISOString().slice(0, 10));
}
const pick = (rnd, arr) => arr[Math.floor(rnd() * arr.length)];
const vid = (i) => 'V' + String(i).padStart(6, '0');

// Writes lines produced by rowFn(i) for i in [1, n], buffered in ~1 MB chunks.
function writeCsv(file, header, n, rowFn) {
  const fd = fs.openSync(file, 'w');
  let buf = header + '\n';
  for (let i = 1; i <= n; i++) {
    buf += rowFn(i) + '\n';
    if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

function writeRoster(file, n) {
  const rnd = mulberry32(42);
  writeCsv(file, 'external_id,first_name,last_name,email,roles,credential,hourly_rate,city,region,postal_code', n, (i) => {
    const paid = rnd() < 0.3;
    const [city, region, zip] = pick(rnd, PLACES);
    const rate = paid ? (40 + Math.floor(rnd() * 80)).toFixed(2) : '';
    const cred = paid ? pick(rnd, CREDS) : '';
    return `${vid(i)},${pick(rnd, FIRST)},${pick(rnd, LAST)},${vid(i).toLowerCase()}@example.org,volunteer,${cred},${rate},${city},${region},${zip}`;
  });
}

function writeHours(file, n, people, seed) {
  const rnd = mulberry32(seed);
  writeCsv(file, 'external_id,date,hours,program,activity,miles,expenses,reimbursed,note', n, () => {
    const person = vid(1 + Math.floor(rnd() * people));
    const hours = ((1 + Math.floor(rnd() * 32)) * 0.25).toFixed(2);
    const miles = rnd() < 0.3 ? (rnd() * 60).toFixed(2) : '0';
    const expenses = rnd() < 0.2 ? (rnd() * 40).toFixed(2) : '0.00';
    const reimbursed = rnd() < 0.15 ? 'yes' : 'no';
    const note = rnd() < 0.1 ? pick(rnd, NOTES) : '';
    return `${person},${pick(rnd, DATES)},${hours},${pick(rnd, PROGRAMS)[0]},${pick(rnd, ACTIVITIES)},${miles},${expenses},${reimbursed},${note}`;
  });
}

// ---------- running commands ----------
const hasTime = fs.existsSync(TIME);
const hasSqlite = fs.existsSync(SQLITE);

// Runs a command, returns { ms, stderr, stdout, rssMB }. Throws on non-zero exit.
// With rss: true the command runs under /usr/bin/time -f to get its peak RSS.
function run(cmd, args, { stdout = 'pipe', input, rss = false } = {}) {
  if (rss && hasTime) { args = ['-f', 'BENCH_MAXRSS_KB=%M', cmd, ...args]; cmd = TIME; }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: [input === undefined ? 'ignore' : 'pipe', stdout, 'pipe'],
    input, encoding: 'utf8', maxBuffer: 256 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status !== 0) {
    const err = new Error(`command failed (exit ${r.status ?? r.error}): ${cmd} ${args.join(' ')}\n${r.stderr ?? ''}`);
    err.benchFailure = true;
    throw err;
  }
  let stderr = r.stderr ?? '';
  let rssMB = null;
  const m = /BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
  if (m) { rssMB = Number(m[1]) / 1024; stderr = stderr.replace(m[0], ''); }
  return { ms, stderr, stdout: r.stdout ?? '', rssMB };
}
const ngo = (db, args, opts) => run(process.execPath, [NGO, '--db', db, ...args], opts);

function expectInserted(res, n, what) {
  const m = /inserted (\d+)/.exec(res.stderr);
  if (!m || Number(m[1]) !== n) {
    const err = new Error(`${what}: expected "inserted ${n}" in the summary, got:\n${res.stderr}`);
    err.benchFailure = true;
    throw err;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const runs = (n) => (n === 1 ? '1 run' : `median of ${n}`);

// A fresh database with programs, a funder with agreements, and the roster (timed).
function setupDb(dir, name, roster) {
  return setupAt(path.join(dir, name), roster);
}

function setupAt(db, roster) {
  ngo(db, ['init']); // only init, demo and db restore create a database
  for (const [code, label] of PROGRAMS) ngo(db, ['programs', 'add', code, '--name', label]);
  ngo(db, ['funders', 'add', 'HOPE', '--name', 'Hope Foundation', '--type', 'foundation']);
  for (const code of FUNDED) ngo(db, ['funders', 'fund', 'HOPE', '--program', code, '--from', '2020-01-01', '--amount', '50000.00']);
  const res = ngo(db, ['people', 'import', roster], { rss: true });
  expectInserted(res, PEOPLE, 'people import');
  return { db, peopleMs: res.ms };
}

// ---------- the benchmark ----------
function main(dir) {
  const roster = path.join(dir, 'roster.csv');
  const hours = path.join(dir, 'hours.csv');
  const hoursSmall = path.join(dir, 'hours-small.csv');
  log(`generating ${fmtInt(PEOPLE)} roster rows…`);
  writeRoster(roster, PEOPLE);
  log(`generating ${fmtInt(ROWS)} hours rows…`);
  writeHours(hours, ROWS, PEOPLE, 7);
  log(`generating ${fmtInt(SMALL_ROWS)} hours rows (RSS check)…`);
  writeHours(hoursSmall, SMALL_ROWS, PEOPLE, 11);

  const peopleMs = [], importMs = [], reimportMs = [], importRss = [];
  let db;
  for (let i = 1; i <= IMPORT_RUNS; i++) {
    log(`setup db + people import run ${i}…`);
    const s = setupDb(dir, `ngo-${i}.db`, roster);
    peopleMs.push(s.peopleMs);
    log(`hours import run ${i}…`);
    const first = ngo(s.db, ['hours', 'import', hours], { rss: true });
    expectInserted(first, ROWS, 'hours import');
    importMs.push(first.ms);
    importRss.push(first.rssMB);
    log(`  ${fmtMs(first.ms)}, peak RSS ${first.rssMB?.toFixed(0)} MB`);
    log(`hours re-import run ${i}…`);
    const again = ngo(s.db, ['hours', 'import', hours]);
    expectInserted(again, 0, 'hours re-import');
    reimportMs.push(again.ms);
    log(`  ${fmtMs(again.ms)}`);
    if (db) fs.rmSync(db, { force: true }); // keep only the latest big db
    db = s.db;
    // Stay within the 10-minute budget: project the remaining runs plus ~2 min for the rest.
    const elapsedS = Number(process.hrtime.bigint() - wallStart) / 1e9;
    const perRunS = (s.peopleMs + first.ms + again.ms) / 1000 + 5;
    if (i === 1 && IMPORT_RUNS > 1 && elapsedS + (IMPORT_RUNS - 1) * perRunS + 120 > 420) {
      log(`one import run takes ~${perRunS.toFixed(0)} s: 1 run only to stay within the time budget`);
      IMPORT_RUNS = 1;
    }
  }

  let baseMs = [];
  if (hasSqlite) {
    const cols = 'external_id,date,hours,program,activity,miles,expenses,reimbursed,note';
    for (let i = 1; i <= Math.max(IMPORT_RUNS, quick ? 1 : 3); i++) {
      log(`sqlite3 .import baseline run ${i}…`);
      const base = path.join(dir, 'base.db');
      fs.rmSync(base, { force: true });
      const script = `CREATE TABLE t(${cols});\n.mode csv\n.import --skip 1 ${hours} t\n`;
      baseMs.push(run(SQLITE, [base], { input: script }).ms);
      const count = Number(run(SQLITE, [base, 'SELECT count(*) FROM t']).stdout.trim());
      if (count !== ROWS) throw Object.assign(new Error(`sqlite3 baseline imported ${count} rows, expected ${ROWS}`), { benchFailure: true });
      fs.rmSync(base, { force: true });
    }
  }

  log(`hours import of ${fmtInt(SMALL_ROWS)} rows (RSS check)…`);
  const small = setupDb(dir, 'ngo-small.db', roster);
  const smallRes = ngo(small.db, ['hours', 'import', hoursSmall], { rss: true });
  expectInserted(smallRes, SMALL_ROWS, 'hours import (small)');
  fs.rmSync(small.db, { force: true });
  peopleMs.push(small.peopleMs);
  while (peopleMs.length < 3) { // people import is cheap enough for a median of 3
    log(`setup db + people import run ${peopleMs.length + 1}…`);
    const extra = setupDb(dir, 'ngo-extra.db', roster);
    peopleMs.push(extra.peopleMs);
    fs.rmSync(extra.db, { force: true });
  }

  const timeN = (label, n, fn) => {
    log(`${label} × ${n}…`);
    const xs = [];
    for (let i = 0; i < n; i++) xs.push(fn().ms);
    return median(xs);
  };
  const funderMs = timeN('report funder', REPORT_RUNS, () => ngo(db, ['report', 'funder', '--funder', 'HOPE', '--period', '2024', '--out', '/dev/null'], { stdout: 'ignore' }));
  const taxMs = timeN('report tax', REPORT_RUNS, () => ngo(db, ['report', 'tax', '--year', '2024', '--out', '/dev/null'], { stdout: 'ignore' }));

  // Startup figures: one warm-up each, then interleaved runs so drift hits both sides.
  log(`startup: ngo --version / hours log vs node -e 0, × ${STARTUP_RUNS}…`);
  const nodeRun = () => run(process.execPath, ['-e', '0']);
  const verRun = () => run(process.execPath, [NGO, '--version']);
  const logRun = () => ngo(db, ['hours', 'log', 'V000001', '--program', 'TELE', '--hours', '1.5', '--date', '2024-05-01', '--allow-duplicate']);
  nodeRun(); verRun(); logRun();
  const nodeMs = [], verMs = [], logMs = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    nodeMs.push(nodeRun().ms);
    verMs.push(verRun().ms);
    logMs.push(logRun().ms);
  }

  // ---------- PostgreSQL (the same data, the same machine) ----------
  const pg = pgServer();
  let pgFigures = null;
  if (pg) {
    try {
      const url = pgDatabase(pg, 'bench');
      log('PostgreSQL: db restore of the 1M-entry database into a server database…');
      const restore = ngo(url, ['db', 'restore', db, '--yes']);
      const pgFunder = timeN('PostgreSQL report funder', REPORT_RUNS, () => ngo(url, ['report', 'funder', '--funder', 'HOPE', '--period', '2024', '--out', '/dev/null'], { stdout: 'ignore' }));
      const pgTax = timeN('PostgreSQL report tax', REPORT_RUNS, () => ngo(url, ['report', 'tax', '--year', '2024', '--out', '/dev/null'], { stdout: 'ignore' }));
      const url2 = pgDatabase(pg, 'bench_import');
      setupAt(url2, roster);
      log(`PostgreSQL: hours import of ${fmtInt(ROWS)} rows…`);
      const pgImport = ngo(url2, ['hours', 'import', hours]);
      expectInserted(pgImport, ROWS, 'PostgreSQL hours import');
      log(`  ${fmtMs(pgImport.ms)}; re-import…`);
      const pgAgain = ngo(url2, ['hours', 'import', hours]);
      expectInserted(pgAgain, 0, 'PostgreSQL hours re-import');
      pgFigures = { restoreMs: restore.ms, funderMs: pgFunder, taxMs: pgTax, importMs: pgImport.ms, reimportMs: pgAgain.ms };
    } finally {
      pg.stop();
    }
  }

  // ---------- table ----------
  const rows = [];
  const add = (figure, measured, baseline, ratio, goal, met) =>
    rows.push([figure, measured, baseline, ratio, goal, met === null ? 'n/a' : met ? 'yes' : '**NO**']);
  const nImp = importMs.length;
  const imp = median(importMs), node0 = median(nodeMs);
  if (baseMs.length) {
    const base = median(baseMs);
    add(`1. hours import, ${fmtInt(ROWS)} rows (${runs(nImp)}; baseline ${runs(baseMs.length)})`, fmtMs(imp),
      `${fmtMs(base)} (sqlite3 .import)`, `${(imp / base).toFixed(2)}×`, '≤ 2.0×', imp / base <= 2.0);
  } else {
    add(`1. hours import, ${fmtInt(ROWS)} rows (${runs(nImp)})`, fmtMs(imp), 'skipped: sqlite3 not installed', '—', '≤ 2.0×', null);
  }
  const ppl = median(peopleMs);
  add(`2. people import, ${fmtInt(PEOPLE)} rows (${runs(peopleMs.length)})`, fmtMs(ppl), '—', '—', '≤ 2 s', ppl <= 2000);
  const re = median(reimportMs);
  add(`3. hours re-import, ${fmtInt(ROWS)} rows, 0 inserted (${runs(nImp)})`, fmtMs(re), `${fmtMs(imp)} (first import)`,
    `${(re / imp).toFixed(2)}×`, '≤ 1.0×', re / imp <= 1.0);
  add(`4. report funder over ${fmtInt(ROWS)} entries (${runs(REPORT_RUNS)})`, fmtMs(funderMs), '—', '—', '≤ 0.5 s', funderMs <= 500);
  add(`5. report tax over ${fmtInt(ROWS)} entries (${runs(REPORT_RUNS)})`, fmtMs(taxMs), '—', '—', '≤ 0.5 s', taxMs <= 500);
  const ver = median(verMs);
  add(`6. ngo --version (${runs(STARTUP_RUNS)})`, fmtMs(ver), `${fmtMs(node0)} (node -e 0)`, `${(ver / node0).toFixed(2)}×`, '≤ 1.3×', ver / node0 <= 1.3);
  const lg = median(logMs);
  add(`7. ngo hours log, one write (${runs(STARTUP_RUNS)})`, fmtMs(lg), `${fmtMs(node0)} (node -e 0)`, `${(lg / node0).toFixed(2)}×`, '≤ 1.8×', lg / node0 <= 1.8);
  const bigRss = Math.max(...importRss), smallRss = smallRes.rssMB;
  if (bigRss > 0 && smallRss > 0) {
    const flat = bigRss / smallRss;
    add(`8. peak RSS of hours import (max of ${nImp}; 1 run for ${fmtInt(SMALL_ROWS)})`,
      `${bigRss.toFixed(0)} MB (${fmtInt(ROWS)} rows)`, `${smallRss.toFixed(0)} MB (${fmtInt(SMALL_ROWS)} rows)`,
      `${flat.toFixed(2)}× for 4× rows`, '≤ 200 MB; flat (≤ 1.25×)', bigRss <= 200 && flat <= 1.25);
  } else {
    add('8. peak RSS of hours import', 'skipped: /usr/bin/time not installed', '—', '—', '≤ 200 MB; flat', null);
  }
  if (pgFigures) {
    add(`9. PostgreSQL: hours import, ${fmtInt(ROWS)} rows (1 run)`, fmtMs(pgFigures.importMs),
      `${fmtMs(imp)} (SQLite)`, `${(pgFigures.importMs / imp).toFixed(2)}×`, '≤ 2.0×', pgFigures.importMs / imp <= 2.0);
    add(`9b. PostgreSQL: hours re-import, ${fmtInt(ROWS)} rows, 0 inserted (1 run)`, fmtMs(pgFigures.reimportMs),
      `${fmtMs(re)} (SQLite)`, `${(pgFigures.reimportMs / re).toFixed(2)}×`, '—', null);
    add(`10. PostgreSQL: report funder over ${fmtInt(ROWS)} entries (${runs(REPORT_RUNS)})`, fmtMs(pgFigures.funderMs), `${fmtMs(funderMs)} (SQLite)`,
      `${(pgFigures.funderMs / funderMs).toFixed(2)}×`, '≤ 1.5×', pgFigures.funderMs / funderMs <= 1.5);
    add(`11. PostgreSQL: report tax over ${fmtInt(ROWS)} entries (${runs(REPORT_RUNS)})`, fmtMs(pgFigures.taxMs), `${fmtMs(taxMs)} (SQLite)`,
      `${(pgFigures.taxMs / taxMs).toFixed(2)}×`, '≤ 1.5×', pgFigures.taxMs / taxMs <= 1.5);
    add(`12. PostgreSQL: db restore of the ${fmtInt(ROWS)}-entry database (1 run)`, fmtMs(pgFigures.restoreMs), '—', '—', '—', null);
  } else {
    add('9-12. PostgreSQL figures', 'skipped: no PostgreSQL (set NGO_BENCH_PG_URL, or install postgresql for .ci/pg-cluster)', '—', '—', '—', null);
  }
  return rows;
}

function markdown(rows) {
  const head = ['figure', 'measured', 'baseline', 'ratio', 'goal', 'met?'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
}

function machine() {
  const cpus = os.cpus();
  let sqliteVersion = 'not installed';
  if (hasSqlite) sqliteVersion = spawnSync(SQLITE, ['--version'], { encoding: 'utf8' }).stdout.split(' ')[0];
  return [
    `- date: ${new Date().toISOString()}`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- CPU: ${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node: ${process.version}`,
    `- sqlite3: ${sqliteVersion}`,
  ].join('\n');
}

/**
 * A PostgreSQL server for the PostgreSQL figures: NGO_BENCH_PG_URL, else a throwaway cluster started
 * with .ci/pg-cluster (stopped at the end), else none.
 */
function pgServer() {
  const given = process.env['NGO_BENCH_PG_URL'];
  if (given) return { url: given, stop() {} };
  const script = path.join(ROOT, '.ci', 'pg-cluster');
  const hasInitdb = spawnSync('bash', ['-c', 'ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null'], { stdio: 'ignore' }).status === 0;
  if (!fs.existsSync(script) || !hasInitdb) return null;
  // Its own folder right under the temp folder: the cluster runs as the postgres user, who cannot enter ours (0700).
  const cdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-bench-pg-'));
  const r = spawnSync(script, ['start', cdir], { encoding: 'utf8' });
  if (r.status !== 0) { log(`PostgreSQL cluster did not start: ${r.stderr}`); return null; }
  return { url: r.stdout.trim(), stop: () => spawnSync(script, ['stop', cdir], { stdio: 'ignore' }) };
}

/** A new database on the server: its URL. */
function pgDatabase(pg, name) {
  const u = new URL(pg.url);
  const r = spawnSync('psql', [pg.url, '-qc', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw Object.assign(new Error(`cannot create the database ${name}: ${r.stderr}`), { benchFailure: true });
  u.pathname = `/${name}`;
  return u.toString();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-bench-'));
let exitCode = 0;
try {
  const rows = main(dir);
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const table = markdown(rows);
  process.stdout.write('\n' + table);
  log(`total wall time ${wall.toFixed(0)} s`);
  // Only a full-size run updates bench/RESULTS.md; smoke and scaled runs print their table only.
  if (!quick && ROWS === 1_000_000) fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'),
    `# ngo benchmark results\n\nProduced by \`npm run bench\` (bench/run.js). ` +
    `Times are wall-clock medians of the whole CLI process; "met?" compares against the goals of issue 7.\n\n` +
    `${table}\nTotal wall time of the benchmark run: ${wall.toFixed(0)} s.\n\n## Machine\n\n${machine()}\n`);
} catch (err) {
  process.stderr.write(`\n[bench] FAILED: ${err.benchFailure ? err.message : err.stack}\n`);
  exitCode = 1;
} finally {
  if (argv.includes('--keep')) log(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
process.exitCode = exitCode;
