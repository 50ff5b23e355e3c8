/** Shared set-up for the hours tests: three volunteers and three programs. */
import path from 'node:path';
import { mustSucceed, query as queryAny, testConn, tmpDb, withDb } from '../helpers.js';

export const FIX = path.resolve(__dirname, '../../fixtures');

export const HEADER = 'id,date,person_id,first_name,last_name,email,program_code,activity,hours,miles,expenses,reimbursed,status,note';

/** Ana (#1, V-1), Sam (#2, V-2), Mei (#3, V-3); programs TELE, PEER, SCHOOL. */
export async function seeded() {
  const { dir, db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  await ok(['people', 'import', '-'], {
    stdin: 'external_id,first_name,last_name,email\nV-1,Ana,Okafor,ana@example.org\nV-2,Sam,Lee,sam@example.org\nV-3,Mei,Zhang,mei@example.org\n',
  });
  for (const [code, name] of [
    ['TELE', 'Tele-therapy'],
    ['PEER', 'Peer support'],
    ['SCHOOL', 'School outreach'],
  ]) {
    await ok(['programs', 'add', code!, '--name', name!]);
  }
  return { dir, db, run };
}

/** Read the database directly for assertions on stored values (either store). */
export function query<T = Record<string, unknown>>(db: string, sql: string, ...args: unknown[]): Promise<T[]> {
  return queryAny<T>(db, sql, ...args);
}

/** Write to the database directly (to set up states no command makes yet, e.g. a supervision session). */
export async function exec(db: string, sql: string, ...args: unknown[]): Promise<void> {
  const c = await testConn(db);
  try {
    await c.run(sql, ...args);
  } finally {
    await c.close();
  }
}

/** The CSV body lines of a list, without the header. */
export function lines(csv: string): string[] {
  return csv.trim().split('\n').slice(1);
}
