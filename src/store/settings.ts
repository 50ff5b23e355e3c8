/** Settings stored in the database (`ngo config`). */
import type { DB } from './db.js';

export async function getSetting(db: DB, key: string): Promise<string | undefined> {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export async function putSetting(db: DB, key: string, value: string): Promise<void> {
  db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export async function allSettings(db: DB): Promise<Record<string, string>> {
  const rows = db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** What holds money in the database's currency: expenses, personal rates, grants, funding amounts. */
export async function amountsRecorded(db: DB): Promise<{ total: number; detail: string }> {
  const r = db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM hours WHERE expenses > 0) AS expenses, (SELECT COUNT(*) FROM rate_history) AS rates,
              (SELECT COUNT(*) FROM grants) AS grants, (SELECT COUNT(*) FROM funding WHERE amount IS NOT NULL) AS funding`,
    )
    .get() as { expenses: number; rates: number; grants: number; funding: number };
  const parts = [
    [r.expenses, 'entries with expenses'],
    [r.rates, 'hourly rates'],
    [r.grants, 'grants'],
    [r.funding, 'funding agreements with an amount'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return { total: r.expenses + r.rates + r.grants + r.funding, detail: parts.join(', ') };
}
