/**
 * Start-up shortcuts must not change behaviour. `ngo --version` is answered by bin/ngo.js alone.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ngo } from '../helpers.js';

describe('ngo --version fast path', () => {
  it('prints what commander prints, exit 0', async () => {
    const bin = fileURLToPath(new URL('../../bin/ngo.js', import.meta.url));
    const expected = await ngo(['--version']);
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
      expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(expected);
    }
  });
});
