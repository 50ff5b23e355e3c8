/** `ngo report grants`: grants with what was disbursed to date and in the period, and service hours. */
import type { Command } from 'commander';
import { examples, withReportOutput, type CommandEnv } from './common.js';
import { resolvePeriod } from '../domain/period.js';
import { resolveFunder } from '../domain/refs.js';
import { GRANTS_REPORT_COLUMNS, grantsReport } from '../reports/grants.js';

export function addGrantsReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      report
        .command('grants')
        .description(
          'grants awarded up to the period end: disbursed to date and in the period, remaining, status at the period end, service hours logged since the award (all grants and all payments without a period)',
        )
        .option('--period <period>', 'e.g. 2026, 2026-Q3, 2026-10, FY2026, last-quarter, ytd')
        .option('--from <date>', 'first day of the period (with --to)')
        .option('--to <date>', 'last day of the period (with --from)')
        .option('--funder <code>', 'only grants of this funder'),
    ),
    'ngo report grants --period 2026-Q3 --out grants-2026Q3.csv',
    'ngo report grants --from 2026-01-01 --to 2026-06-30 --funder HOPE',
  ).action((opts: { period?: string; from?: string; to?: string; funder?: string; out?: string; format?: string; json?: boolean; bom?: boolean }, cmd: Command) => {
    const app = env.app(cmd);
    const period = resolvePeriod(opts, { today: app.today(), fiscalYearStart: app.fiscalYearStart() });
    const funderId = opts.funder !== undefined ? resolveFunder(app.db, opts.funder).id : undefined;
    const rows = grantsReport(app.db, period, { funderId });
    app.writeReport(app.reportText(rows, GRANTS_REPORT_COLUMNS, opts), opts.out);
  });
}
