/** `ngo status`: what needs attention now (Contract v2 / New commands), from the sources of src/reports/status.ts. */
import type { App } from '../app.js';
import { examples, withFormat, type Register } from './common.js';
import { collectStatus, STATUS_COLUMNS } from '../reports/status.js';
import type { Column, Row } from '../io/output.js';

const COLUMNS: Column[] = STATUS_COLUMNS.map((key) => (key === 'due_date' ? { key, kind: 'date' as const } : { key }));

async function status(app: App, opts: { format?: string; json?: boolean; bom?: boolean }): Promise<void> {
  const conn = await app.db();
  const items = await app.snapshot(() => collectStatus(conn, { today: app.today() }));
  await app.printRows(items as unknown as Row[], COLUMNS, opts);
  const overdue = items.filter((i) => i.severity === 'overdue').length;
  if (items.length === 0) app.success('Nothing needs attention');
  else app.info(`${items.length} item${items.length === 1 ? '' : 's'} need${items.length === 1 ? 's' : ''} attention${overdue ? ` (${overdue} overdue)` : ''}`);
}

export const registerStatus: Register = (program, env) => {
  examples(
    withFormat(
      program
        .command('status')
        .description(
          'what needs attention now: hours pending approval, disbursements due, quiet pairings, expiring licences, awards over their agreement, failing db checks; each with the command that deals with it (exit 0 whatever it lists)',
        ),
    ),
    'ngo status',
    'ngo status --format csv | tail -n +2 | grep -q . && ngo status --format csv | mail -s "ngo: things to do" admin@example.org',
  ).action((opts, cmd) => status(env.app(cmd), opts));
};
