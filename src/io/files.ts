/**
 * Every file ngo writes goes through this module (SPEC "Files ngo writes"): reports (`--out`), the
 * files of `--out-dir`, `--rejects`, `db backup`, and the copies kept by migrations and restores.
 *
 * - A regular target is written to a fresh temporary file beside it (an unpredictable name, created
 *   exclusively with O_NOFOLLOW, mode 0600), flushed to disk, and renamed over the target only when
 *   complete: a failure (disk full, I/O error, Ctrl-C) leaves no partial or empty target, and an
 *   existing target unchanged. Temporary files of an interrupted run are removed on the way out.
 * - A character device, FIFO or socket (a terminal, a pipe) is written in place, and so is a name of
 *   an open descriptor (`/dev/stdout`, `/dev/fd/N`): renaming over it would replace the device node.
 * - Before anything is written, the target is compared (real path and device/inode) with the
 *   protected files of the command: the database, its -wal, -shm and -journal, and the command's
 *   inputs. A target that is one of them is refused with exit 2 (FileGuard).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import tty from 'node:tty';
import { IoError, UsageError } from '../errors.js';
import { whileBlocked, withDefaultSignals } from './signals.js';
import { terminalSafe } from '../domain/text.js';

const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND } = fs.constants;
/** O_NOFOLLOW is POSIX; where it is missing (Windows) O_EXCL alone already refuses an existing link. */
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const CASE_INSENSITIVE_FS = process.platform === 'darwin' || process.platform === 'win32';

// ---- temporary files ------------------------------------------------------------------------------

/** Temporary files of this process not yet renamed or removed: removed on exit and on Ctrl-C. */
const liveTemps = new Set<string>();
let exitHookInstalled = false;

/** Have removeTempFiles run when the process exits (once). */
function removeOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', removeTempFiles);
}

/** Private temporary folders of this process (a restore's staging copy of a backup: personal data). */
const liveTempDirs = new Set<string>();

/** Remove every temporary file and folder this process still holds (and SQLite's side files of them). Synchronous. */
export function removeTempFiles(): void {
  for (const t of liveTemps) removeQuietly(t);
  liveTemps.clear();
  for (const d of liveTempDirs) fs.rmSync(d, { recursive: true, force: true });
  liveTempDirs.clear();
}

/**
 * A private temporary folder (mkdtemp under `parent`) that goes with the process: removed by `done`,
 * and on exit or on any ending signal like the temporary files (second attack on the PG store, N2: a
 * signal during a restore onto a server left the staged copy of the backup in /tmp).
 */
export function tempDir(parent: string, prefix: string): { dir: string; done: () => void } {
  removeOnExit();
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  liveTempDirs.add(dir);
  return {
    dir,
    done: () => {
      fs.rmSync(dir, { recursive: true, force: true });
      liveTempDirs.delete(dir);
    },
  };
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* nothing to clean, or nothing we can do */
    }
  }
}

/**
 * `DIR/.NAME.<random>.tmp`: hidden, beside the target (same filesystem, so rename is atomic),
 * unguessable. A long NAME is shortened in it, so that the temporary name fits where the target fits.
 */
/**
 * Whether a file name is one of tempNameFor's (`.NAME.<16 hex>.tmp`); with `sideFiles`, also SQLite's
 * `-journal`, `-wal` or `-shm` of one. What a killed command leaves behind (db check, people forget).
 */
export function isTempName(name: string, o: { sideFiles?: boolean } = {}): boolean {
  return (o.sideFiles ? /^\..+\.[0-9a-f]{16}\.tmp(-journal|-wal|-shm)?$/ : /^\..+\.[0-9a-f]{16}\.tmp$/).test(name);
}

export function tempNameFor(target: string): string {
  let base = path.basename(target);
  while (Buffer.byteLength(base) > 200) base = base.slice(0, -1);
  return path.join(path.dirname(target), `.${base}.${crypto.randomBytes(8).toString('hex')}.tmp`);
}

/** Create a fresh temporary file for `target`, exclusively, never through a symlink, mode 0600. */
function createTemp(target: string): { file: string; fd: number } {
  removeOnExit();
  for (let attempt = 0; ; attempt++) {
    const file = tempNameFor(target);
    try {
      const fd = fs.openSync(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
      liveTemps.add(file);
      try {
        fs.fchmodSync(fd, 0o600); // whatever the umask
      } catch {
        /* a filesystem without modes */
      }
      return { file, fd };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw e;
    }
  }
}

function forgetTemp(file: string): void {
  liveTemps.delete(file);
}

function discardTemp(file: string): void {
  removeQuietly(file);
  liveTemps.delete(file);
}

/** fsync a folder so that a rename in it survives a power cut (best effort: not every system allows it). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* not supported here */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Create `dir` (and its parents, 0700); returns the first folder created, if any. */
export function ensureDir(dir: string): string | undefined {
  // Not fs.mkdirSync(dir, { recursive: true }): where a folder cannot be made although its parent
  // exists (under /proc or /sys, which answer ENOENT), Node's recursive mkdir retries for ever, and a
  // restore that keeps its copy there spun holding the write lock (attack on the PostgreSQL store).
  // Each missing folder is made once, from the top; the first that cannot be made is the error.
  const missing: string[] = [];
  for (let d = path.resolve(dir); ;) {
    try {
      fs.statSync(d);
      break; // there (a folder; or not, and making the next one says so: ENOTDIR)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return missing[0];
}

// ---- what a target is -----------------------------------------------------------------------------

type TargetKind = { kind: 'new' } | { kind: 'file' } | { kind: 'in-place' };

/**
 * A name for one of this process's open files (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`): always
 * written in place, appending, since what it names was opened by the shell (a terminal, a pipe, or a
 * file `> out.csv` made) and renaming over the name would replace the device node.
 */
function isDescriptorPath(abs: string): boolean {
  return process.platform !== 'win32' && /^(\/dev\/(stdout|stderr|fd\/\d+)|\/proc\/(self|\d+)\/fd\/\d+)$/.test(abs);
}

function classify(target: string): TargetKind {
  if (isDescriptorPath(target)) return { kind: 'in-place' };
  let l: fs.Stats;
  try {
    l = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw e;
  }
  let st = l;
  if (l.isSymbolicLink()) {
    try {
      st = fs.statSync(target);
    } catch {
      // A dangling link: the link itself is replaced, nothing is written where it points.
      return { kind: 'file' };
    }
  }
  if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (st.isCharacterDevice() || st.isFIFO() || st.isSocket()) return { kind: 'in-place' };
  if (st.isBlockDevice()) throw Object.assign(new Error('is a block device'), { code: 'EINVAL' });
  // A symlink to a regular file is replaced by the new file (rename does not follow it); the file it
  // pointed at is left as it was.
  if (!l.isSymbolicLink()) {
    // A file nobody may write (chmod a-w) was made read-only on purpose: root, for whom access()
    // says yes, does not replace it either (fourth attack, finding 5).
    let writable = (st.mode & 0o222) !== 0;
    if (writable) {
      try {
        fs.accessSync(target, fs.constants.W_OK);
      } catch {
        writable = false;
      }
    }
    if (!writable) throw Object.assign(new Error('the file is read-only'), { code: 'EACCES' });
  }
  return { kind: 'file' };
}

/** A file system error as a few words for `cannot read/write FILE: …` (the one wording of every file error). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EACCES':
    case 'EPERM':
      return err.message === 'the file is read-only' ? err.message : 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EIO':
      return 'input/output error';
    case 'EPIPE':
      return 'its reader closed it before everything was written (broken pipe)';
    default:
      return err.message ?? String(e);
  }
}

const openFd = promisify(fs.open);

/**
 * Open a device or FIFO for writing in place: appending, never creating or truncating. Asynchronous
 * (a FIFO blocks until someone reads it), with the callback API, which gives a plain descriptor that
 * is closed exactly once, by us.
 */
async function openInPlace(target: string): Promise<number> {
  return whileBlocked(openFd(target, O_WRONLY | O_APPEND));
}

function writeFully(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/**
 * A chunk of a file written between two turns of the event loop. Writes to a file are synchronous,
 * and a signal's handler runs only when the event loop turns: a large report written in one call
 * finished, was put in place and exited 0 after the user had pressed Ctrl-C (third attack, F5).
 */
const CHUNK = 4 << 20;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** writeFully for a regular (temporary) file, letting Ctrl-C in between chunks and once at the end. */
async function writeFileChunked(fd: number, data: string | Uint8Array): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let off = 0; off < buf.length;) {
    const end = Math.min(buf.length, off + CHUNK);
    while (off < end) off += fs.writeSync(fd, buf, off, end - off);
    await turn();
  }
  await turn();
}

const writeFd = (fd: number, buf: Uint8Array, off: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, buf, off, buf.length - off, null, (e, n) => (e ? reject(e) : resolve(n))));

/**
 * writeFully for a FIFO or a device, asynchronously: a write to a pipe whose reader does not read
 * blocks, and done synchronously it kept Ctrl-C and SIGTERM from being handled until the reader went
 * away (F5). Pending in one of libuv's threads, it leaves the event loop free, and as for the open of
 * a FIFO (whileBlocked) a signal then ends the process with its default action.
 */
async function writeInPlace(fd: number, data: string | Uint8Array): Promise<void> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let off = 0; off < buf.length;) off += await whileBlocked(writeFd(fd, buf, off));
}

// ---- the guard --------------------------------------------------------------------------------------

/** A path that is not a symbolic link (and exists). */
function isLinkFree(p: string): boolean {
  try {
    return !fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A regular file that starts with SQLite's header. */
export function isSqliteFile(p: string): boolean {
  let fd: number | undefined;
  try {
    if (!fs.statSync(p).isFile()) return false;
    fd = fs.openSync(p, 'r');
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === 'SQLite format 3\u0000';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface Protected {
  /** How the refusal names it: "the database", "the database's -wal file", "the input file". */
  what: string;
  /** Real path (resolved through symlinks as far as the path exists). */
  real: string;
  dev?: number;
  ino?: number;
}

/** The real path of `p`, resolving the longest existing prefix through symlinks. */
function realish(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    const parent = path.dirname(abs);
    if (parent === abs) return abs;
    return path.join(realish(parent), path.basename(abs));
  }
}

const norm = (p: string) => (CASE_INSENSITIVE_FS ? p.toLowerCase() : p);

/**
 * The files a command must never write over: its database (and side files) and its inputs.
 * Every writer below asks it before creating anything.
 */
export class FileGuard {
  private readonly entries: Protected[] = [];

  /** The database file and its -wal, -shm and -journal (which exist only while it is open). */
  protectDatabase(file: string): void {
    this.add(file, 'the database');
    for (const suffix of ['-wal', '-shm', '-journal']) this.add(file + suffix, `the database's ${suffix} file`);
  }

  /** An input of the command (a file it reads). */
  protectInput(file: string): void {
    this.add(file, 'an input file of this command');
  }

  /** An input read through a descriptor (`- < in.csv`): the file behind it, when it is one. */
  protectInputFd(fd: number): void {
    try {
      const st = fs.fstatSync(fd);
      if (st.isFile()) this.entries.push({ what: 'an input file of this command (standard input)', real: '\u0000', dev: st.dev, ino: st.ino });
    } catch {
      /* no such descriptor */
    }
  }

  private add(file: string, what: string): void {
    const e: Protected = { what, real: norm(realish(file)) };
    try {
      const st = fs.statSync(file);
      e.dev = st.dev;
      e.ino = st.ino;
    } catch {
      /* does not exist (yet): the path is compared */
    }
    this.entries.push(e);
  }

  /** A guard for writing the database file itself (a restore), still protecting the inputs. */
  withoutDatabase(): FileGuard {
    const g = new FileGuard();
    g.entries.push(...this.entries.filter((e) => e.what.startsWith('an input file')));
    return g;
  }

  /** The protected file an open descriptor writes to (stdout redirected with `>>`), if any. */
  clashFd(fd: number): Protected | undefined {
    let st: fs.Stats;
    try {
      st = fs.fstatSync(fd);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.entries.find((e) => e.ino !== undefined && e.dev === st.dev && e.ino === st.ino && st.ino !== 0);
    if (hit) return hit;
    // `2>>backup.db`: any SQLite database (read through the descriptor's name, where the system has one).
    if (process.platform === 'linux') {
      if (isSqliteFile(`/proc/self/fd/${fd}`)) return { what: 'an SQLite database', real: `/proc/self/fd/${fd}` };
      // `>> other.db-wal`: the journal of another database, as `--out other.db-wal` is refused.
      let name: string | undefined;
      try {
        name = fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        /* no name */
      }
      const side = name === undefined ? null : /^(.*)-(wal|shm|journal)$/.exec(name);
      if (side && isSqliteFile(side[1]!)) return { what: `the -${side[2]} file of the SQLite database ${side[1]}`, real: name! };
    }
    return undefined;
  }

  /** The protected file `target` would write over, if any. */
  clash(target: string): Protected | undefined {
    const real = norm(realish(target));
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(target);
    } catch {
      /* new file */
    }
    const hit = this.entries.find((e) => e.real === real || (st !== undefined && e.ino !== undefined && e.dev === st.dev && e.ino === st.ino && st.ino !== 0));
    if (hit) return hit;
    // `X-wal` beside an SQLite database X (this database under another name, a hard link, or any other
    // database): SQLite would read what is written there as that database's journal.
    const side = /^(.*)-(wal|shm|journal)$/.exec(target);
    if (side && isSqliteFile(side[1]!)) return { what: `the -${side[2]} file of the SQLite database ${side[1]}`, real };
    return undefined;
  }

  /** What an output must not replace: a protected file, or any SQLite database (see check). */
  private outputClash(target: string): Protected | undefined {
    const c = this.clash(target);
    if (c) return c;
    // A backup, a kept copy, another database: replaced by a report, it would be lost. (A symlink of
    // that name is replaced, not followed, so only a regular file counts.)
    if (isLinkFree(target) && isSqliteFile(target)) return { what: 'an SQLite database, such as a backup', real: norm(realish(target)) };
    return undefined;
  }

  /** Refuse (exit 2) a target that is a protected file. `label` names the option, e.g. `--out`; `shown`, the path as given. */
  check(target: string, label: string, shown = target, replaces = true): void {
    const c = replaces ? this.outputClash(target) : this.clash(target);
    if (c)
      throw new UsageError(`${label} ${shown} is ${c.what}${shown === target ? '' : ` (${target})`}; refusing to write over it`, 'choose another file name');
  }
}

// ---- writers ---------------------------------------------------------------------------------------

export interface WriteTarget {
  /** Absolute path. */
  path: string;
  /** As the user gave it, for messages. */
  shown: string;
  /** The option that named it, for refusals (`--out`). */
  label: string;
}

function ioError(t: WriteTarget, e: unknown): IoError {
  return new IoError(`cannot write ${t.shown}: ${describeFsError(e)}`);
}

/** Write `data` to one target whole (see the module comment). */
export async function writeOutput(guard: FileGuard, t: WriteTarget, data: string | Uint8Array): Promise<void> {
  guard.check(t.path, t.label, t.shown);
  await writeOutputSet(guard, [{ target: t, data }]);
}

/**
 * Write several files, all or none: every file is staged and flushed first; then each is renamed into
 * place, and should a rename fail, those already renamed are put back as they were.
 */
export async function writeOutputSet(guard: FileGuard, files: { target: WriteTarget; data: string | Uint8Array }[]): Promise<void> {
  for (const f of files) guard.check(f.target.path, f.target.label, f.target.shown);
  const staged: { target: WriteTarget; temp?: string; fd?: number; data: string | Uint8Array }[] = [];
  const madeDirs: { top: string; dir: string }[] = [];
  let published = false;
  try {
    for (const f of files) {
      let kind: TargetKind;
      try {
        const made = ensureDir(path.dirname(f.target.path));
        if (made) madeDirs.push({ top: made, dir: path.dirname(f.target.path) });
        kind = classify(f.target.path);
      } catch (e) {
        throw ioError(f.target, e);
      }
      if (kind.kind === 'in-place') {
        // Opened now (a FIFO waits here for its reader), before any file is put in place: Ctrl-C during
        // the wait leaves every target as it was.
        try {
          staged.push({ target: f.target, fd: await openInPlace(f.target.path), data: f.data });
        } catch (e) {
          throw ioError(f.target, e);
        }
        continue;
      }
      let temp: { file: string; fd: number } | undefined;
      try {
        temp = createTemp(f.target.path);
        await writeFileChunked(temp.fd, f.data);
        fs.fsyncSync(temp.fd);
        fs.closeSync(temp.fd);
        staged.push({ target: f.target, temp: temp.file, data: '' });
      } catch (e) {
        if (temp) {
          try {
            fs.closeSync(temp.fd);
          } catch {
            /* already closed */
          }
          discardTemp(temp.file);
        }
        throw ioError(f.target, e);
      }
    }
    publishAll(staged.filter((s) => s.temp !== undefined) as { target: WriteTarget; temp: string }[]);
    published = true;
  } catch (e) {
    for (const s of staged) {
      if (s.temp) discardTemp(s.temp);
      if (s.fd !== undefined) fs.closeSync(s.fd);
    }
    if (!published) removeEmptyDirs(madeDirs);
    throw e;
  }
  // Devices and pipes last: nothing can be taken back from them.
  for (const s of staged) {
    if (s.fd === undefined) continue;
    try {
      await writeInPlace(s.fd, forDevice(s.fd, s.data));
    } catch (e) {
      throw ioError(s.target, e);
    } finally {
      fs.closeSync(s.fd);
    }
  }
}

/** Text for a terminal device (`--out /dev/tty`) is escaped like everything ngo shows on one. */
function forDevice(fd: number, data: string | Uint8Array): string | Uint8Array {
  return typeof data === 'string' && tty.isatty(fd) ? terminalSafe(data, { keepLines: true }) : data;
}

/** Folders this command created for files it then did not write: removed again, deepest first, when empty. */
function removeEmptyDirs(made: { top: string; dir: string }[]): void {
  for (const { top, dir } of made) {
    for (let d = dir; ; d = path.dirname(d)) {
      try {
        fs.rmdirSync(d); // only when empty
      } catch {
        break;
      }
      if (d === top || path.dirname(d) === d) break;
    }
  }
}

/** Rename staged files over their targets; on a failure, put back what was already replaced. */
function publishAll(staged: { target: WriteTarget; temp: string }[]): void {
  // Existing targets are kept under a temporary hard link until every rename has succeeded.
  const saved: { target: WriteTarget; keep: string | null }[] = [];
  try {
    for (const s of staged) {
      let keep: string | null = null;
      if (staged.length > 1 && fs.existsSync(s.target.path)) {
        keep = tempNameFor(s.target.path);
        liveTemps.add(keep);
        fs.linkSync(s.target.path, keep);
      }
      fs.renameSync(s.temp, s.target.path);
      forgetTemp(s.temp);
      saved.push({ target: s.target, keep });
    }
  } catch (e) {
    for (const done of saved.reverse()) {
      try {
        if (done.keep) fs.renameSync(done.keep, done.target.path);
        else fs.rmSync(done.target.path, { force: true });
      } catch {
        /* best effort: the error below names the file */
      }
    }
    const failed = staged[saved.length]?.target ?? staged[0]!.target;
    throw ioError(failed, e);
  } finally {
    for (const s of saved) if (s.keep) discardTemp(s.keep);
  }
  const dirs = new Set(staged.map((s) => path.dirname(s.target.path)));
  for (const d of dirs) syncDir(d);
}

/** A file written piece by piece (the rejects of an import): staged, then committed whole, or aborted. */
export interface OutputStream {
  write(text: string): void;
  commit(): void;
  abort(): void;
}

export async function openOutputStream(guard: FileGuard, t: WriteTarget): Promise<OutputStream> {
  guard.check(t.path, t.label, t.shown);
  let kind: TargetKind;
  try {
    ensureDir(path.dirname(t.path));
    kind = classify(t.path);
  } catch (e) {
    throw ioError(t, e);
  }
  if (kind.kind === 'in-place') {
    let fd: number | null;
    try {
      fd = await openInPlace(t.path);
    } catch (e) {
      throw ioError(t, e);
    }
    const close = () => {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    };
    return {
      write: (text) => {
        try {
          // Synchronous (the import writes its rejects as it goes): a reader that does not read
          // would hold Ctrl-C back, so the signals keep their default action during the write.
          withDefaultSignals(() => writeFully(fd!, forDevice(fd!, text)));
        } catch (e) {
          throw ioError(t, e);
        }
      },
      commit: close,
      abort: close,
    };
  }
  let temp: { file: string; fd: number };
  try {
    temp = createTemp(t.path);
  } catch (e) {
    throw ioError(t, e);
  }
  let open = true;
  const closeFd = () => {
    if (open) {
      open = false;
      fs.closeSync(temp.fd);
    }
  };
  return {
    write: (text) => {
      try {
        writeFully(temp.fd, text);
      } catch (e) {
        throw ioError(t, e);
      }
    },
    commit: () => {
      try {
        fs.fsyncSync(temp.fd);
        closeFd();
        publishAll([{ target: t, temp: temp.file }]);
      } catch (e) {
        try {
          closeFd();
        } catch {
          /* already closed */
        }
        discardTemp(temp.file);
        throw e instanceof IoError ? e : ioError(t, e);
      }
    },
    abort: () => {
      try {
        closeFd();
      } catch {
        /* already closed */
      }
      discardTemp(temp.file);
    },
  };
}

export type Collision = 'replace' | 'refuse' | 'unique';

/**
 * A file that something else writes by path (SQLite's backup API, VACUUM INTO): `make` is given an
 * empty temporary file (exclusive, 0600) to fill; then it is flushed and put in place. `collision`:
 * `replace` an existing target, `refuse` one (exit 6), or choose a `unique` name (`NAME`, `NAME-2`, …)
 * that never overwrites anything. Returns the path written.
 */
export async function writeFileVia(guard: FileGuard, t: WriteTarget, collision: Collision, make: (temp: string) => Promise<void> | void): Promise<string> {
  const temp = stageVia(guard, t, collision);
  try {
    await make(temp);
    return finishVia(temp, t, collision);
  } catch (e) {
    throw abortVia(temp, t, e);
  }
}

/** writeFileVia for a synchronous `make` (the copy a migration keeps, made while the database opens). */
export function writeFileViaSync(guard: FileGuard, t: WriteTarget, collision: Collision, make: (temp: string) => void): string {
  const temp = stageVia(guard, t, collision);
  try {
    make(temp);
    return finishVia(temp, t, collision);
  } catch (e) {
    throw abortVia(temp, t, e);
  }
}

function stageVia(guard: FileGuard, t: WriteTarget, collision: Collision): string {
  guard.check(t.path, t.label, t.shown, collision === 'replace');
  try {
    ensureDir(path.dirname(t.path));
    if (collision === 'replace') classify(t.path);
    else if (collision === 'refuse' && fs.existsSync(t.path)) throw Object.assign(new Error('the file already exists; choose a new name'), { code: 'EEXIST' });
    const temp = createTemp(t.path);
    fs.closeSync(temp.fd);
    return temp.file;
  } catch (e) {
    throw ioError(t, e);
  }
}

function finishVia(temp: string, t: WriteTarget, collision: Collision): string {
  const fd = fs.openSync(temp, 'r+');
  try {
    fs.fchmodSync(fd, 0o600);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of ['-journal', '-wal', '-shm']) fs.rmSync(temp + side, { force: true });
  if (collision === 'replace') {
    publishAll([{ target: t, temp }]);
    return t.path;
  }
  const final = linkNoClobber(temp, t, collision);
  syncDir(path.dirname(final));
  return final;
}

/**
 * A scratch file beside `near` (same folder, so it can be linked or renamed into place): empty,
 * exclusive, 0600, removed on exit unless placed with placeScratch. For work files such as the staged
 * copy of a restore.
 */
export function scratchFile(near: string): string {
  ensureDir(path.dirname(near));
  const t = createTemp(near);
  fs.closeSync(t.fd);
  return t.file;
}

/** Remove a scratch file (and SQLite's side files of it). */
export function discardScratch(file: string): void {
  discardTemp(file);
}

/** Put a finished scratch file in place as `t` (flushed, 0600), with the given collision rule. */
export function placeScratch(guard: FileGuard, file: string, t: WriteTarget, collision: Collision): string {
  guard.check(t.path, t.label, t.shown, collision === 'replace');
  try {
    return finishVia(file, t, collision);
  } catch (e) {
    throw abortVia(file, t, e);
  }
}

/** Keep an existing file under a new name that collides with nothing (a hard link; the original stays). */
export function keepCopyName(file: string, name: string): string {
  for (let n = 1; n < 1000; n++) {
    const candidate = numbered(name, n);
    try {
      fs.linkSync(file, candidate);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
  }
  throw new Error(`no free name like ${name}-N`);
}

function abortVia(temp: string, t: WriteTarget, e: unknown): Error {
  discardTemp(temp);
  if (e instanceof IoError || e instanceof UsageError) return e;
  const code = (e as { code?: unknown }).code;
  // SQLite's own errors (the backup failed: disk full…) are mapped by the caller.
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return e as Error;
  return ioError(t, e);
}

/**
 * The time in the names of the files ngo keeps (backups, pre-migration and pre-restore copies): local
 * time to the second, `2026-12-01-111905`, so that names sort by time and two in one minute differ.
 */
export function fileStamp(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

/** The n-th candidate for a file name: `NAME`, then `NAME-2`…, the number before a `.db` extension (`x-2.db`). */
function numbered(name: string, n: number): string {
  if (n === 1) return name;
  return name.endsWith('.db') ? `${name.slice(0, -3)}-${n}.db` : `${name}-${n}`;
}

/** Give `temp` the name `t.path` (or, for `unique`, the first free `NAME-N`, see numbered()) without ever replacing a file. */
function linkNoClobber(temp: string, t: WriteTarget, collision: 'refuse' | 'unique'): string {
  for (let n = 1; n < 1000; n++) {
    const name = numbered(t.path, n);
    try {
      fs.linkSync(temp, name);
      discardTemp(temp);
      return name;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        if (collision === 'refuse') throw Object.assign(new Error('the file already exists; choose a new name'), { code: 'EEXIST' });
        continue;
      }
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'EOPNOTSUPP') {
        // No hard links here (some network filesystems): claim the name exclusively, then rename onto it.
        try {
          fs.closeSync(fs.openSync(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600));
        } catch (e2) {
          if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') {
            if (collision === 'refuse') throw Object.assign(new Error('the file already exists; choose a new name'), { code: 'EEXIST' });
            continue;
          }
          throw e2;
        }
        fs.renameSync(temp, name);
        forgetTemp(temp);
        return name;
      }
      throw e;
    }
  }
  throw new Error(`no free name like ${t.path}-N`);
}
