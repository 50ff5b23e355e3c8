/**
 * What `ngo demo` prints on stdout once the data is in: a sample funder report. Piped or redirected,
 * the report's CSV (as `ngo report funder` writes it); on a terminal, a short table of its main
 * figures (through the one table renderer) and the command that shows the whole report.
 */
import type { App } from '../app.js';
import type { DemoIds } from './core.js';
import { funderByCode } from '../store/orgs.js';
import { renderCsv, type Column } from '../io/output.js';
import { FUNDER_REPORT_COLUMNS, funderReport } from '../reports/funder.js';
import { RateBook } from '../services/rate-book.js';

/** The figures of the terminal summary; a narrow terminal leaves out the last ones first. */
const SUMMARY_KEYS: [string, number?][] = [
  ['program_code'],
  ['program_name', 1],
  ['volunteer_hours'],
  ['volunteers', 2],
  ['inkind_total'],
  ['supervision_hours', 4],
  ['mentorship_hours', 3],
  ['grants_awarded_amount', 5],
];

export async function demoShowcase(app: App, ids: DemoIds, terminal = false): Promise<string> {
  const hope = (await funderByCode(await app.db(), 'HOPE'))!;
  const period = { start: `${ids.year}-01-01`, end: `${ids.year}-12-31`, label: String(ids.year) };
  const rows = await funderReport(await app.db(), hope, period, {
    currency: await app.setting('currency'),
    rates: new RateBook(await app.db(), (m) => app.warn(m)),
  });
  if (!terminal) return renderCsv(rows, FUNDER_REPORT_COLUMNS);
  const whole = `ngo report funder --funder HOPE --period ${ids.year} --format table`;
  const columns = SUMMARY_KEYS.map(([key, drop]): Column => ({ ...FUNDER_REPORT_COLUMNS.find((c) => c.key === key)!, ...(drop ? { drop } : {}) }));
  return (
    `Sample funder report: ${hope.name} (HOPE)\n${period.start} to ${period.end}, amounts in ${rows.at(-1)?.['currency'] ?? 'USD'}\n\n` +
    app.tableText(rows, columns, { hiddenHint: 'the whole report: the command below' }) +
    `\nThe whole report, every column:\n  ${whole}\n`
  );
}
