/**
 * The write of a setting (`ngo config set`): one transaction under the single-writer lock, audited when
 * the value changed; the currency is refused (exit 5) once amounts are recorded in the old one.
 * Commands parse (normalizeSetting) and render; they call this.
 */
import type { App } from '../app.js';
import { ConflictError } from '../errors.js';
import { SETTING_DEFAULTS } from '../domain/settings.js';
import { amountsRecorded, getSetting, putSetting } from '../store/settings.js';

/**
 * Every amount is in the database's one currency, and reports print it: changing it once amounts are
 * recorded would relabel them all (1,500.00 USD would read as 1,500.00 EUR in every past report).
 */
async function assertCurrencyChange(app: App, from: string, to: string): Promise<void> {
  if (from === to) return;
  const n = await amountsRecorded(await app.db());
  if (n.total > 0) {
    throw new ConflictError(
      `the database already holds amounts in ${from} (${n.detail}); changing the currency to ${to} would relabel every one of them in every report`,
      'keep one currency per database; a network in another currency keeps its own database',
    );
  }
}

/** Store a setting's (normalised) value. */
export async function setSetting(app: App, key: string, value: string): Promise<void> {
  await app.tx(async () => {
    const before = (await getSetting(await app.db(), key)) ?? null;
    if (key === 'currency') await assertCurrencyChange(app, before ?? SETTING_DEFAULTS.currency, value);
    await putSetting(await app.db(), key, value);
    if (before !== value) await app.audit('update', 'setting', null, { [key]: [before, value] });
  });
}
