/** `ngo demo`: a believable NGO in a database, and a short tour. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../commander.js';
import { ConflictError } from '../errors.js';
import { examples, type Register } from './common.js';
import { seedDemo } from '../demo/index.js';
import { demoShowcase } from '../demo/showcase.js';
import { isEmptyDatabase } from '../store/maintenance.js';

/**
 * The demo's year: its activity runs from 1 January up to today (nothing is dated after today but
 * scheduled payments), so that the sample sits near today — this year once half of it has passed,
 * else last year (whose supervision and mentorship go on up to today).
 */
export function defaultDemoYear(today: string): number {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 7 ? year : year - 1;
}

export const registerDemo: Register = (program, env) => {
  examples(
    program
      .command('demo')
      .description(
        'fill a database with realistic sample data and print a sample funder report (default database: demo.db in the data directory, recreated each time)',
      )
      .option('--year <yyyy>', 'the year of sample activity, up to today (default: this year from July on, else last year)'),
    'ngo demo',
    'ngo --db /tmp/demo.db demo',
  ).action(async (opts, cmd: Command) => {
    const g = cmd.optsWithGlobals() as { db?: string };
    const app0 = env.app(cmd);
    app0.createAllowed = true;
    // Never fill the real default database with sample data: use demo.db beside it, fresh every time.
    // A --db or NGO_DB that names that same demo.db (the README's `export NGO_DB=…` of a first run)
    // is the demo's own file too: recreated, so the README's lines work run twice in one shell.
    const demoPath = path.join(app0.ctx.dataDir(), 'demo.db');
    const named = g.db || app0.ctx.env['NGO_DB'];
    const explicit = Boolean(named) && path.resolve(app0.ctx.cwd, named!) !== demoPath;
    if (!explicit) {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(demoPath + suffix, { force: true });
      app0.globals.db = demoPath;
    }
    const app = app0;
    // Only an empty database: nothing ever changed in it (an empty audit log), no people, programs or funders.
    if (!(await isEmptyDatabase(await app.db()))) {
      throw new ConflictError(`${app.dbPath} already holds data; the demo fills only an empty database`, 'use a new file: ngo --db /tmp/demo.db demo');
    }
    const year = opts.year ? Number(opts.year) : defaultDemoYear(app.today());
    const ids = await seedDemo(app, year);
    app.info(
      `Filled ${app.dbPath} with a sample NGO: ${ids.all.length} people, ${Object.keys(ids.programs).length} programs, ${Object.keys(ids.funders).length} funders (activity in ${year}).`,
    );
    app.outData(await demoShowcase(app, ids, app.ctx.stdout.isTTY === true));
    for (const line of [
      '',
      'Try next (the demo database is used by every command below):',
      // A URL whose password is hidden would not work pasted: say where it goes instead.
      app.dbPath.includes(':***@')
        ? `  export NGO_DB='${app.dbPath.replace(':***@', '@')}'   # the password in ~/.pgpass or PGPASSWORD`
        : `  export NGO_DB=${app.dbPath}`,
      '  ngo people list --role supervisor',
      '  ngo funders funding',
      `  ngo report funder --funder CITY --period ${year} --format table`,
      `  ngo report tax --year ${year} --deductible-only`,
      `  ngo report hours --period ${year} --by month`,
      '  ngo grants list',
      '  ngo supervision progress --all',
      `  ngo report supervision --supervisee ${ids.supervisees[0]} --period ${year}`,
      '  ngo mentorship list --stale 30',
      `  ngo audit --entity person --id ${ids.all[0]}`,
      '  ngo people export --out roster.csv',
    ])
      app.info(line);
  });
};
