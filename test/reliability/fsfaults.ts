/**
 * Real faults of the file system for the tests: a small tmpfs that can be filled (a full disk) or
 * remounted read-only, and a user without privileges for a read-only file (root ignores file modes).
 * They need root (mount, setpriv) on Linux, as the CI machine has; elsewhere the tests that use them
 * are skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function probe(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (mount, setpriv)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-mnt-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true'], { stdio: 'ignore' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs or drop privileges here: ${(e as Error).message}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Null when the fault tests can run; else why not. */
export const FAULTS_UNAVAILABLE = probe();

/** A fresh tmpfs of `kb` kilobytes; `done()` unmounts it. */
export function tmpfs(kb: number): { dir: string; fill: (leaveKb?: number) => void; readOnly: () => void; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-mnt-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=0777`, 'tmpfs', dir]);
  return {
    dir,
    /** Fill the filesystem so that at most `leaveKb` stays free. */
    fill(leaveKb = 0) {
      const filler = path.join(dir, '.filler');
      const fd = fs.openSync(filler, 'a');
      const block = Buffer.alloc(4096, 0x5a);
      try {
        for (;;) {
          const free = fs.statfsSync(dir);
          if (free.bavail * free.bsize <= leaveKb * 1024) break;
          fs.writeSync(fd, block);
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        fs.closeSync(fd);
      }
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir]);
    },
    done() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** argv prefix that runs a command as the unprivileged user nobody (uid 65534). */
export const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
