/** Settings stored in the database (`ngo config`). */
import type { Conn } from './conn.js';

export async function getSetting(db: Conn, key: string): Promise<string | undefined> {
  const row = (await db.get('SELECT value FROM settings WHERE key = ?', key)) as { value: string } | undefined;
  return row?.value;
}

export async function putSetting(db: Conn, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', key, value);
}

export async function allSettings(db: Conn): Promise<Record<string, string>> {
  const rows = (await db.all('SELECT key, value FROM settings ORDER BY key')) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** What holds money in the database's currency: expenses, personal rates, grants, funding amounts. */
export async function amountsRecorded(db: Conn): Promise<{ total: number; detail: string }> {
  const r = (await db.get(`SELECT (SELECT COUNT(*) FROM hours WHERE expenses > 0) AS expenses, (SELECT COUNT(*) FROM rate_history) AS rates,
              (SELECT COUNT(*) FROM grants) AS grants, (SELECT COUNT(*) FROM funding WHERE amount IS NOT NULL) AS funding`)) as {
    expenses: number;
    rates: number;
    grants: number;
    funding: number;
  };
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
