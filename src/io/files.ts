/**
 * Writing output files so that they appear whole: into a temporary file beside the target, renamed
 * over it at the end. A target that is a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is
 * written in place instead — renaming over it would replace the device with a regular file.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where to write `target`: a temp file beside it, or the target itself when it is not a regular file. */
export function stagingPath(target: string): string {
  try {
    const st = fs.statSync(target);
    if (!st.isFile() && !st.isDirectory()) return target;
  } catch {
    /* does not exist yet */
  }
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
}

/** Move the finished staging file into place. */
export function publish(staging: string, target: string): void {
  if (staging !== target) fs.renameSync(staging, target);
}

/** Throw away an unfinished staging file. */
export function discard(staging: string, target: string): void {
  if (staging === target) return;
  try {
    fs.rmSync(staging, { force: true });
  } catch {
    /* nothing to clean */
  }
}

/** Write `text` to `target` whole (see above); creates the folder. */
export function writeFileWhole(target: string, text: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = stagingPath(target);
  try {
    fs.writeFileSync(staging, text);
    publish(staging, target);
  } catch (e) {
    discard(staging, target);
    throw e;
  }
}
