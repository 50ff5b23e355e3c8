/** `ngo report funder|tax|hours`. */
import path from 'node:path';
import { Command, Option } from '../commander.js';
import type { App } from '../app.js';
import { UsageError, ValidationError } from '../errors.js';
import { examples, withPeriod, withReportOutput, type CommandEnv } from './common.js';
import { resolvePeriod, parsePeriod, type Period } from '../domain/period.js';
import { resolveFunder, resolvePerson } from '../services/refs.js';
import { RateBook } from '../services/rate-book.js';
import { listFunders, listFunding } from '../store/orgs.js';
import { intersect } from '../domain/period.js';
import { FUNDER_DETAIL_COLUMNS, FUNDER_REPORT_COLUMNS, funderDetail, funderReport } from '../reports/funder.js';
import { TAX_DETAIL_COLUMNS, TAX_REPORT_COLUMNS, taxDetail, taxReport } from '../reports/tax.js';
import { hoursReport, hoursReportColumns, hoursReportTotal } from '../reports/hours.js';
import type { HoursBy } from '../store/reports.js';
import { pickFunder } from '../io/pickers.js';
import { describeVolunteer, issueLetters, type LettersRequest } from '../services/tax-letters.js';

/** The period of a report: required; asked for on a TTY (default last month). */
async function requirePeriod(app: App, opts: { period?: string; from?: string; to?: string }): Promise<Period> {
  const ctx = { today: app.today(), fiscalYearStart: await app.fiscalYearStart() };
  const p = resolvePeriod(opts, ctx);
  if (p) return p;
  const { period } = await app.need({
    period: {
      flag: '--period (or --from and --to)',
      value: undefined as string | undefined,
      ask: (pr) =>
        pr.input({
          message: 'Period (2026, 2026-Q3, 2026-10, FY2026, last-month, ytd…)',
          default: 'last-month',
          validate: (s) => {
            try {
              parsePeriod(s, ctx);
              return true;
            } catch (e) {
              return (e as Error).message;
            }
          },
        }),
    },
  });
  return parsePeriod(period, ctx);
}

export function addFunderReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      withPeriod(
        report
          .command('funder')
          .description('what a funder paid for: volunteer hours and in-kind value, supervision, mentorship and grants, per funded program, then TOTAL')
          .option('--funder <code>', 'the funder')
          .option('--all', 'every funder with funding in the period, one file each (with --out-dir)')
          .option('--out-dir <dir>', 'with --all: the folder for funder-<CODE>-<start>_<end>.csv files')
          .option('--detail', 'the line items (hours entries, sessions, meetings, awards, disbursements) instead of the summary'),
      ),
    ),
    'ngo report funder --funder HOPE --period 2026-Q3 --out hope-2026-Q3.csv',
    'ngo report funder --all --out-dir reports/2026-10 --period last-month',
    'ngo report funder --funder CITY --period FY2026 --detail --format json',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    if (opts.all && opts.funder) throw new UsageError('give either --funder CODE or --all, not both');
    if (opts.all && !opts.outDir) throw new UsageError('--all needs --out-dir DIR');
    if (opts.outDir && !opts.all) throw new UsageError('--out-dir goes with --all');
    if (opts.all && opts.out) throw new UsageError('--out does not go with --all (use --out-dir)');
    const base = { currency: await app.setting('currency'), rates: new RateBook(await app.db(), (m) => app.warn(m)) };
    if (opts.all) {
      const period = await requirePeriod(app, opts);
      const dir = path.resolve(app.ctx.cwd, opts.outDir);
      // Compute every report first (from one snapshot of the database), then write them all or none.
      const outputs = await app.snapshot(async () => {
        const funders = [];
        for (const f of await listFunders(await app.db(), 'all')) {
          if ((await listFunding(await app.db(), f.id)).some((g) => intersect(period, { start: g.start_date, end: g.end_date }))) funders.push(f);
        }
        const texts = [];
        for (const f of funders) {
          const rows = opts.detail ? await funderDetail(await app.db(), f, period, base) : await funderReport(await app.db(), f, period, base);
          // A code is letters, digits, - and _ (programs add refuses others); one from a file edited by
          // hand still makes a name inside DIR.
          const file = path.join(dir, `funder-${f.code.replace(/[^A-Za-z0-9_-]/g, '_')}-${period.start}_${period.end}.csv`);
          texts.push({ file, text: await app.reportText(rows, opts.detail ? FUNDER_DETAIL_COLUMNS : FUNDER_REPORT_COLUMNS, { ...opts, out: file }) });
        }
        return texts;
      });
      await app.writeReports(outputs, '--out-dir');
      for (const o of outputs) app.outData(o.file + '\n');
      app.success(`Wrote ${outputs.length} funder report(s) for ${period.start}..${period.end} to ${dir}`);
      return;
    }
    const v = await app.need({ funder: { flag: '--funder (or --all --out-dir DIR)', value: opts.funder as string | undefined, ask: () => pickFunder(app) } });
    const funder = await resolveFunder(await app.db(), v.funder);
    const period = await requirePeriod(app, opts);
    const rows = await app.snapshot(async () =>
      opts.detail ? await funderDetail(await app.db(), funder, period, base) : await funderReport(await app.db(), funder, period, base),
    );
    await app.writeReport(await app.reportText(rows, opts.detail ? FUNDER_DETAIL_COLUMNS : FUNDER_REPORT_COLUMNS, opts), opts.out);
    if (opts.out && opts.out !== '-') app.success(`Wrote the ${funder.code} report for ${period.start}..${period.end} to ${opts.out}`);
  });
}

export function addTaxReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      report
        .command('tax')
        .description(
          "volunteers' deductible out-of-pocket costs for a year (US, IRS Pub. 526): unreimbursed expenses and mileage at the charitable rate; time is never deductible",
        )
        .option('--year <yyyy>', 'the tax year')
        .option('--person <ref>', 'one person (id, email or external id)')
        .option('--detail', "one row per entry: the volunteer's substantiation record")
        .option('--deductible-only', 'only people (or entries, with --detail) with something deductible')
        .option(
          '--letters <dir>',
          'write the acknowledgment letters into DIR: tax-letter-<year>-<id>.pdf for each volunteer whose acknowledgment_required is yes, and letters-<year>.csv for a mail merge (needs the org.legal_name, org.ein, org.address, org.signer_name and org.signer_title settings)',
        )
        .option('--all', 'with --letters: a letter for every volunteer with a deductible amount')
        .option('--reissue', 'with --letters: write letters already issued for the year again (each recorded as replacing the earlier one)'),
    ),
    'ngo report tax --year 2026 --out tax-2026.csv',
    'ngo report tax --year 2026 --person ana@example.org --detail',
    'ngo report tax --year 2026 --letters letters-2026',
    'ngo report tax --year 2026 --letters letters-2026 --person "#12" --reissue',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    if (opts.letters === undefined) {
      if (opts.all) throw new UsageError('--all goes with --letters DIR');
      if (opts.reissue) throw new UsageError('--reissue goes with --letters DIR');
    } else {
      for (const [flag, given] of [
        ['--detail', opts.detail],
        ['--deductible-only', opts.deductibleOnly],
        ['--out', opts.out !== undefined],
        ['--format', opts.format !== undefined],
        ['--json', opts.json],
      ] as const) {
        if (given) throw new UsageError(`${flag} does not go with --letters (the letters come with their mail-merge CSV, letters-YYYY.csv)`);
      }
    }
    const { year } = await app.need({
      year: {
        flag: '--year',
        value: opts.year as string | undefined,
        ask: (p) =>
          p.input({
            message: 'Tax year',
            default: String(Number(app.today().slice(0, 4)) - 1),
            validate: (s) => (/^\d{4}$/.test(s.trim()) ? true : 'a year, e.g. 2026'),
          }),
      },
    });
    if (!/^\d{4}$/.test(year.trim())) throw new ValidationError(`invalid --year "${year}" (expected YYYY)`);
    const y = Number(year);
    if (opts.letters !== undefined) {
      await writeLetters(app, {
        year: y,
        dir: opts.letters as string,
        all: Boolean(opts.all),
        person: opts.person as string | undefined,
        reissue: Boolean(opts.reissue),
        bom: opts.bom as boolean | undefined,
      });
      return;
    }
    const personId = opts.person ? (await resolvePerson(await app.db(), opts.person)).id : undefined;
    const mileageRate = await new RateBook(await app.db(), (m) => app.warn(m)).rate('mileage', y);
    const o = { mileageRate, personId, deductibleOnly: Boolean(opts.deductibleOnly) };
    const rows = await app.snapshot(async () => (opts.detail ? await taxDetail(await app.db(), y, o) : await taxReport(await app.db(), y, o)));
    await app.writeReport(await app.reportText(rows, opts.detail ? TAX_DETAIL_COLUMNS : TAX_REPORT_COLUMNS, opts), opts.out);
    if (opts.out && opts.out !== '-') app.success(`Wrote the ${y} tax report (${rows.length} rows) to ${opts.out}`);
  });
}

/** `report tax --letters DIR`: the letters, what was written (paths on stdout) and what was not (stderr). */
async function writeLetters(app: App, req: LettersRequest): Promise<void> {
  const thisYear = Number(app.today().slice(0, 4));
  if (req.year === thisYear) app.warn(`${req.year} is not over yet: the letters state the entries approved up to today (${app.today()})`);
  else if (req.year > thisYear) app.warn(`${req.year} has not begun yet (today is ${app.today()})`);
  const r = await issueLetters(app, req);
  for (const e of r.erased) app.info(`no letter for ${describeVolunteer(e)}: the person was erased (people forget)`);
  for (const a of r.alreadyIssued) {
    app.info(`already issued: ${describeVolunteer(a.row)} on ${a.letter.issued_on} (${a.letter.file_name})`);
    if (a.changed)
      app.warn(`the ${req.year} figures of ${describeVolunteer(a.row)} changed since that letter (${a.changed}): --reissue writes a corrected one`);
  }
  for (const n of r.noAddress)
    app.warn(`no postal address on file for ${describeVolunteer(n)}: the letter shows the name only (add one with ngo people edit, then --reissue)`);
  for (const f of r.files) app.outData(f + '\n');
  if (r.letterIds.length > 0) {
    app.success(`Wrote ${r.letterIds.length} acknowledgment letter(s) for ${req.year} and ${path.basename(r.files[r.files.length - 1]!)} to ${r.dir}`);
  } else if (r.alreadyIssued.length > 0) {
    app.info(`nothing written: every letter for ${req.year} was already issued (--reissue writes them again)`);
  } else {
    app.info(
      `nothing written: no volunteer ${req.all ? 'has a deductible amount' : 'needs an acknowledgment letter (no single contribution of 250.00 or more; --all writes one for every volunteer with a deductible amount)'} for ${req.year}${req.person ? ` (--person ${req.person})` : ''}`,
    );
  }
}

export function addHoursReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      withPeriod(
        report
          .command('hours')
          .description('approved hours summarised by person, program, activity or month')
          .addOption(new Option('--by <key>', 'person, program, activity or month').choices(['person', 'program', 'activity', 'month']).default('program')),
      ),
    ),
    'ngo report hours --period 2026',
    'ngo report hours --period last-quarter --by month --format table',
  ).action(async (opts, cmd) => {
    const app = env.app(cmd);
    const by = opts.by as HoursBy;
    const period = await requirePeriod(app, opts);
    const { rows, total } = await app.snapshot(async () => {
      const rows = await hoursReport(await app.db(), by, period);
      return { rows, total: await hoursReportTotal(await app.db(), by, period, rows) };
    });
    // The TOTAL line is the table's only: the CSV and JSON stay the rows of the contract, which a
    // script may sum itself.
    await app.writeReport(await app.reportText(rows, hoursReportColumns(by), opts, [...rows, total]), opts.out);
  });
}
