/** `ngo init`, `ngo config`, `ngo db`, `ngo audit`, `ngo completion`. */
import { sqliteOf } from '../store/sqlite-conn.js';
import { PgConn } from '../store/pg-conn.js';
import { pgToSqliteFile } from '../store/transfer.js';
import { setSavedNote } from '../io/signals.js';
import { changesInUnits, describeChanges, type AuditNames } from '../domain/audit-units.js';
import { listPeople } from '../store/people.js';
import { listFunders, listPrograms } from '../store/orgs.js';
import { displayName } from '../domain/people.js';
import type { App } from '../app.js';
import fs from 'node:fs';
import path from 'node:path';
import { IoError, NgoError, ExitCode, UsageError, ValidationError } from '../errors.js';
import { examples, fileArgument, withFormat, type Register } from './common.js';
import { allSettings, getSetting } from '../store/settings.js';
import { setSetting } from '../services/settings.js';
import { SETTING_DEFAULTS, isSettingKey, normalizeSetting } from '../domain/settings.js';
import { listAudit } from '../store/audit.js';
import { quickCheck, runChecks, standAlone, type CheckResult } from '../store/maintenance.js';
import { ioFromSqlite } from '../store/db.js';
import { fileStamp, writeFileVia, type Collision } from '../io/files.js';
import { restoreDatabase } from '../services/restore.js';
import { parseDate } from '../domain/dates.js';
import type { Column, Row } from '../io/output.js';

const AUDIT_COLUMNS: Column[] = [
  { key: 'id', kind: 'int' },
  { key: 'at' },
  { key: 'actor' },
  { key: 'action' },
  { key: 'entity' },
  { key: 'entity_id', kind: 'int' },
  { key: 'changes' },
];
const CONFIG_COLUMNS: Column[] = [{ key: 'key' }, { key: 'value' }, { key: 'source' }];
const CHECK_COLUMNS: Column[] = [{ key: 'check' }, { key: 'status' }, { key: 'detail' }];

/** Every person's name and every program's and funder's code, by id, for `ngo audit` on a terminal. */
async function auditNames(app: App): Promise<AuditNames> {
  const db = await app.db();
  const people = new Map((await listPeople(db, { status: 'all' })).map((p) => [p.id, displayName(p)]));
  const programs = new Map((await listPrograms(db, 'all')).map((p) => [p.id, p.code]));
  const funders = new Map((await listFunders(db, 'all')).map((f) => [f.id, f.code]));
  return { person: (id) => people.get(id), program: (id) => programs.get(id), funder: (id) => funders.get(id) };
}

export const registerAdmin: Register = (program, env) => {
  examples(program.command('init').description('create or migrate the database; print its path'), 'ngo init', 'ngo --db ./ngo.db init').action(
    async (opts, cmd) => {
      const app = env.app(cmd);
      app.createAllowed = true;
      void (await app.db());
      app.outData(app.dbPath + '\n');
      app.success(`Database ready (schema ${await (await app.db()).schemaVersion()})`);
    },
  );

  // ---- config ----------------------------------------------------------------------------
  const config = program
    .command('config')
    .description(
      'settings kept in the database: org.name, currency, fiscal_year_start, csv.bom; for the tax letters org.legal_name, org.ein, org.address, org.signer_name, org.signer_title',
    );
  examples(config.command('get').argument('<key>', 'setting name').description('print a setting'), 'ngo config get currency').action(
    async (key: string, _o, cmd) => {
      const app = env.app(cmd);
      if (!isSettingKey(key)) normalizeSetting(key, '');
      app.outData(((await getSetting(await app.db(), key)) ?? SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS]) + '\n');
    },
  );
  examples(
    config.command('set').argument('<key>', 'setting name').argument('<value>', 'new value').description('change a setting'),
    'ngo config set org.name "Harbor Mental Health Collective"',
    'ngo config set fiscal_year_start 7',
    'ngo config set csv.bom true',
  ).action(async (key: string, value: string, _o, cmd) => {
    const app = env.app(cmd);
    const v = normalizeSetting(key, value);
    await setSetting(app, key, v);
    app.outData(v + '\n');
    app.success(`${key} = ${v}`);
  });
  examples(withFormat(config.command('list').description('list all settings with their values')), 'ngo config list').action(async (opts, cmd) => {
    const app = env.app(cmd);
    const stored = await allSettings(await app.db());
    const rows: Row[] = Object.entries(SETTING_DEFAULTS).map(([key, def]) => ({
      key,
      value: stored[key] ?? def,
      source: stored[key] !== undefined ? 'set' : 'default',
    }));
    await app.printRows(rows, CONFIG_COLUMNS, opts);
  });

  // ---- db ----------------------------------------------------------------------------------
  const db = program.command('db').description('the database file: path, check, backup, restore');
  examples(db.command('path').description('print the database path (does not create it)'), 'ngo db path').action((_o, cmd) => {
    const app = env.app(cmd);
    app.outData(app.dbPath + '\n');
  });
  examples(
    withFormat(
      db
        .command('check')
        .description(
          'integrity, foreign keys, schema version and data rules; exit 6 (integrity) or 5 (rules) when any fails (a day over 24 h is listed as warn, for review, exit 0)',
        ),
    ),
    'ngo db check',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    let results: CheckResult[];
    let opened = true;
    try {
      results = await runChecks(await app.db());
    } catch (e) {
      // A file too damaged to open still gets its report: one failing integrity row, exit 6.
      const err = ioFromSqlite(e, app.dbPath);
      if (!(err instanceof IoError) || !/damaged|I\/O error/.test(err.message)) throw err;
      results = [{ check: 'integrity', status: 'fail', detail: err.message, severity: 'integrity' }];
      opened = false;
    }
    await app.printRows(results as unknown as Row[], CHECK_COLUMNS, opened ? opts : { ...opts, bom: opts.bom === true });
    const failed = results.filter((r) => r.status === 'fail');
    if (failed.length > 0) {
      const code = failed.some((r) => r.severity === 'integrity') ? ExitCode.IO : ExitCode.CONFLICT;
      throw new NgoError(code, `${failed.length} check(s) failed: ${failed.map((r) => r.check).join(', ')}`);
    }
    // A warning check (more than 24 h in a day: `hours log` only warns too) is for review, never a failure.
    const review = results.filter((r) => r.status === 'warn');
    for (const r of review) app.warn(`review ${r.check}: ${r.detail}`);
    app.success(`all checks passed${review.length ? ` (${review.length} to review)` : ''}`);
  });
  examples(
    fileArgument(
      db
        .command('backup')
        .argument('<file>', 'backup file to write (a folder: a dated file in it)')
        .description("copy the live database with SQLite's online backup (safe while others use it); never overwrites a file"),
      0,
      'output',
      'the backup file',
    ),
    'ngo db backup ~/backups/ngo-$(date +%F).db',
    'ngo db backup ~/backups/',
  ).action(async (file: string, _o, cmd) => {
    const app = env.app(cmd);
    let target = app.target(file, 'the backup file');
    let collision: Collision = 'refuse';
    if (file.endsWith('/') || file.endsWith(path.sep) || isDirectory(target.path)) {
      const name = `ngo-backup-${fileStamp(app.ctx.now())}.db`;
      target = app.target(path.join(file, name), 'the backup file');
      collision = 'unique';
    }
    const db = await app.db();
    if (db instanceof PgConn) {
      // From a server: an ngo SQLite file holding one consistent snapshot of it (restore loads it into either engine).
      const written = await writeFileVia(app.files, target, collision, (temp) => pgToSqliteFile(db, temp, app.ctx.now));
      setSavedNote(`the backup itself was written to ${written}`);
      app.outData(written + '\n');
      app.success(`Backed up ${app.dbPath} to ${written}`);
      return;
    }
    // A backup copies pages as they are: of a damaged database it would be a damaged copy that looks fine.
    const health = await quickCheck(db);
    if (health !== null)
      throw new IoError(
        `the database ${app.dbPath} is damaged (${health}); a backup of it would hold the damage`,
        'run `ngo db check`, and restore an earlier backup with `ngo db restore FILE`',
      );
    let written: string;
    try {
      written = await writeFileVia(app.files, target, collision, async (temp) => {
        await sqliteOf(db).backup(temp);
        standAlone(temp);
      });
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '');
      // The backup's own file is the one being written: name it, not the database.
      if (code === 'SQLITE_FULL') throw new IoError(`cannot write the backup ${file}: no space left on the device`);
      if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY'))
        throw new IoError(`cannot write the backup ${file}: ${(e as Error).message}`);
      throw ioFromSqlite(e, app.dbPath);
    }
    setSavedNote(`the backup itself was written to ${written}`);
    app.outData(written + '\n');
    app.success(`Backed up ${app.dbPath} to ${written}`);
  });
  examples(
    fileArgument(
      db
        .command('restore')
        .argument('<file>', 'a backup made by ngo db backup')
        .description(
          'verify a backup (integrity, schema version) and load it in place of the live database, keeping the old one; waits for other writers like every write',
        )
        .option('--yes', 'do not ask for confirmation'),
      0,
      'input',
      'the backup',
    ),
    'ngo db restore ~/backups/ngo-2026-11-01.db --yes',
  ).action(async (file: string, opts, cmd) => {
    const app = env.app(cmd);
    app.createAllowed = true;
    await restoreDatabase(app, file, opts.yes === true);
  });

  // ---- audit -------------------------------------------------------------------------------
  examples(
    withFormat(
      program
        .command('audit')
        .description('the audit log: every change, who made it and when, with fields before/after')
        .option('--entity <entity>', 'person, program, funder, funding, hours, supervision, mentorship, grant, disbursement, setting, import, tax_letter')
        .option('--id <n>', 'only this record id')
        .option('--since <date>', 'only changes on or after this date (YYYY-MM-DD)'),
    ),
    'ngo audit --entity person --id 12',
    'ngo audit --since 2026-11-01 --format json',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    let id: number | undefined;
    if (opts.id !== undefined) {
      if (!/^\d+$/.test(opts.id)) throw new ValidationError(`invalid --id "${opts.id}" (expected a number)`);
      id = Number(opts.id);
    }
    const since = opts.since ? parseDate(opts.since, 'iso', '--since date') : undefined;
    const stored = await listAudit(await app.db(), { entity: opts.entity, id, since });
    if (app.format(opts) === 'table') {
      // On a terminal, as a person reads it: amounts in units, people by name, programs by code (ids kept).
      const names = await auditNames(app);
      const rows = stored.map((r) => ({ ...r, changes: describeChanges(r.changes, names) }));
      await app.printRows(rows as unknown as Row[], AUDIT_COLUMNS, opts);
      return;
    }
    const rows = stored.map((r) => ({ ...r, changes: changesInUnits(r.changes) }));
    await app.printRows(rows as unknown as Row[], AUDIT_COLUMNS, opts);
  });

  // ---- completion --------------------------------------------------------------------------
  examples(
    program.command('completion').argument('<shell>', 'bash or zsh').description('print a shell completion script'),
    'ngo completion bash > ~/.local/share/bash-completion/completions/ngo',
    'ngo completion zsh > "${fpath[1]}/_ngo"',
  ).action(async (shell: string, _o, cmd) => {
    const app = env.app(cmd);
    if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`unsupported shell "${shell}" (expected bash or zsh)`);
    app.out((await import('./completion.js')).completionScript(program, shell));
  });

  // What the completion script asks at TAB time: values from the database, one a line, or nothing.
  program
    .command('__complete', { hidden: true })
    .argument('<source>', 'people, programs or funders')
    .argument('[prefix]', 'what has been typed of the value', '')
    .action(async (source: string, prefix: string, _o, cmd) => {
      const app = env.app(cmd);
      app.out(await (await import('./completion.js')).completeValues(app, source, prefix));
    });
};

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
