/** `ngo report grants`: grants with what was disbursed to date and in the period, and service hours. */
import type { Command } from '../commander.js';
import { examples, periodOf, withPeriod, withReportOutput, type CommandEnv } from './common.js';
import { resolveFunder } from '../services/refs.js';
import { GRANTS_REPORT_COLUMNS, grantsReport } from '../reports/grants.js';

export function addGrantsReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      withPeriod(
        report
          .command('grants')
          .description(
            'grants awarded up to the period end: disbursed to date and in the period, remaining, status at the period end, service hours logged since the award (all grants and all payments without a period)',
          ),
      ).option('--funder <code>', 'only grants of this funder'),
    ),
    'ngo report grants --period 2026-Q3 --out grants-2026Q3.csv',
    'ngo report grants --from 2026-01-01 --to 2026-06-30 --funder HOPE',
  ).action(
    async (
      opts: { period?: string; from?: string; to?: string; funder?: string; out?: string; format?: string; json?: boolean; bom?: boolean },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const period = await periodOf(app, opts);
      const funderId = opts.funder !== undefined ? (await resolveFunder(await app.db(), opts.funder)).id : undefined;
      const rows = await app.snapshot(async () => grantsReport(await app.db(), period, { funderId }));
      await app.writeReport(await app.reportText(rows, GRANTS_REPORT_COLUMNS, opts), opts.out);
    },
  );
}
