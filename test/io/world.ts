/** A small world for import tests: a temp dir, a database with a tiny `kv` table, an App over fake streams. */
import { sqliteOf } from '../../src/store/sqlite-conn.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { App } from '../../src/app.js';
import type { Context } from '../../src/context.js';
import { openDatabase } from '../../src/store/db.js';
import { Capture, NOW } from '../helpers.js';

export interface World {
  dir: string;
  dbFile: string;
  app: App;
  stdout: Capture;
  stderr: Capture;
  write(name: string, data: string | Buffer): string;
  count(sql: string): Promise<number>;
}

export async function world(o: { stdin?: string | Buffer | Readable; tty?: boolean; quiet?: boolean } = {}): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-import-'));
  const dbFile = path.join(dir, 'ngo.db');
  const db = await openDatabase(dbFile, { now: () => NOW, create: true });
  db.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, first TEXT, last TEXT) STRICT');
  db.close();
  const stdout = new Capture(false);
  const stderr = new Capture(o.tty ?? false);
  const stdin = (o.stdin instanceof Readable ? o.stdin : Readable.from(o.stdin === undefined ? [] : [Buffer.from(o.stdin)])) as Readable & { isTTY?: boolean };
  const ctx: Context = {
    stdin,
    stdout,
    stderr,
    env: {},
    now: () => NOW,
    cwd: dir,
    osUser: () => 'tester',
    dataDir: () => path.join(dir, 'data'),
  };
  const app = new App(ctx, { db: dbFile, input: false, color: false, quiet: o.quiet });
  return {
    dir,
    dbFile,
    app,
    stdout,
    stderr,
    write(name, data) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), data);
      return name;
    },
    async count(sql) {
      return (
        (sqliteOf(await app.db())
          .prepare(sql)
          .pluck()
          .get() as number) ?? 0
      );
    },
  };
}
