#!/usr/bin/env node
// `ngo --version` (or -V) alone is answered here, without loading the program (commander, the
// database driver, the command modules): the same line commander prints, from the same package.json.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`ngo: error: cannot write standard output: ${e.code === 'ENOSPC' ? 'no space left on the device' : e.message}\n`);
    process.exit(6);
  });
  process.stdout.write(`${version}\n`);
} else {
  // dist/ngo.js is dist/main.js and every module it imports in one file (`npm run build` makes both):
  // one file loads several milliseconds faster than thirty ES modules, on every command.
  await import('../dist/ngo.js');
}
