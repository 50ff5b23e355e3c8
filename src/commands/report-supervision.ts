/** `ngo report supervision`: a supervisee's licensure log, with running totals. */
import type { Command } from '../commander.js';
import { examples, periodOf, withPeriod, withReportOutput, type CommandEnv } from './common.js';
import { resolvePerson } from '../services/refs.js';
import { pickPerson } from '../io/pickers.js';
import { SUPERVISION_LOG_COLUMNS, supervisionLog } from '../reports/supervision.js';
import { PLAN_PROGRESS_COLUMNS, planLogRows } from '../reports/plans.js';

export function addSupervisionReport(report: Command, env: CommandEnv): void {
  examples(
    withReportOutput(
      withPeriod(
        report
          .command('supervision')
          .description(
            'the supervision log for a licensing board: one row per session the supervisee attended, in date order, with the supervisor’s licence and running totals (individual and triadic count as individual). With a period, the running totals include every earlier session. Session topics are not in the log; they must never hold client-identifying details.',
          )
          .option('--supervisee <ref>', 'the supervisee (id, email or external id; asked for on a terminal)')
          .option(
            '--by-period',
            'one row per week or month of the supervisee’s licensure plan (`ngo supervision plan`) with its status and the reason, then TOTAL, instead of one row per session',
          ),
      ),
    ),
    'ngo report supervision --supervisee ana@example.org --out ana-supervision-log.csv',
    'ngo report supervision --supervisee V-01021 --period 2026-Q3',
    'ngo report supervision --supervisee ana@example.org --by-period --out ana-weekly-log.csv',
  ).action(
    async (
      opts: {
        supervisee?: string;
        byPeriod?: boolean;
        period?: string;
        from?: string;
        to?: string;
        out?: string;
        format?: string;
        json?: boolean;
        bom?: boolean;
      },
      cmd: Command,
    ) => {
      const app = env.app(cmd);
      const period = await periodOf(app, opts);
      const { supervisee } = await app.need({ supervisee: { flag: '--supervisee', value: opts.supervisee, ask: () => pickPerson(app, 'Supervisee') } });
      const person = await resolvePerson(await app.db(), supervisee);
      if (opts.byPeriod) {
        const rows = await app.snapshot(async () => planLogRows(await app.db(), person, app.today(), period));
        await app.writeReport(await app.reportText(rows, PLAN_PROGRESS_COLUMNS, opts), opts.out);
        return;
      }
      const rows = await app.snapshot(async () => supervisionLog(await app.db(), person, period));
      await app.writeReport(await app.reportText(rows, SUPERVISION_LOG_COLUMNS, opts), opts.out);
    },
  );
}
