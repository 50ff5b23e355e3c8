/**
 * `ngo report tax --year YYYY --letters DIR`: the acknowledgment letters (one PDF per volunteer) and
 * their mail-merge file, written all or none, each letter recorded (tax_letters) and audited.
 *
 * Order: the org settings (exit 2 naming each missing one), DIR (exit 2 when it is the database or a
 * file), the plan from one snapshot, every letter checked for glyphs (exit 3) and rendered, then one
 * write transaction under the lock that plans again (exit 5 when the figures or the letters issued
 * changed meanwhile), records each letter with its audit entry and writes the files (all or none);
 * should writing fail, the transaction rolls back: no record without its file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { ConflictError, UsageError } from '../errors.js';
import { LETTER_SETTINGS } from '../domain/settings.js';
import { addressLines, letterContent, letterFileName, letterName, lettersCsvName, type LetterFigures, type LetterOrg } from '../domain/tax-letter.js';
import { LETTERS_CSV_COLUMNS, changedFigures, planLetters, type LetterPlan } from '../reports/tax-letters.js';
import { getSetting } from '../store/settings.js';
import { insertTaxLetter, type TaxLetter, type TaxLetterValues } from '../store/tax-letters.js';
import { diff } from '../store/audit.js';
import { writeOutputSet } from '../io/files.js';
import type { Row } from '../io/output.js';
import { resolvePerson } from './refs.js';
import { RateBook } from './rate-book.js';

export interface LettersRequest {
  year: number;
  /** DIR as the user gave it. */
  dir: string;
  all: boolean;
  person?: string;
  reissue: boolean;
  bom?: boolean;
}

export interface LettersResult {
  dir: string;
  /** The files written (the letters, then the CSV), absolute. */
  files: string[];
  /** The letters written: the tax_letters ids. */
  letterIds: number[];
  /** Letters already issued and not written again (no --reissue). */
  alreadyIssued: { row: Row; letter: TaxLetter; changed: string }[];
  /** Volunteers erased by people forget (no letter). */
  erased: Row[];
  /** Whether anyone was selected at all. */
  selected: number;
  /** Letters written for volunteers with no postal address on file (the letter shows the name only). */
  noAddress: Row[];
}

/** The org settings a letter states; exit 2 naming every one that is not set. */
export async function letterOrg(app: App): Promise<LetterOrg> {
  const db = await app.db();
  const v: Record<string, string> = {};
  for (const k of LETTER_SETTINGS) v[k] = ((await getSetting(db, k)) ?? '').trim();
  const missing = LETTER_SETTINGS.filter((k) => v[k] === '');
  if (missing.length > 0) {
    throw new UsageError(
      `the acknowledgment letters need ${missing.length === 1 ? 'a setting that is' : 'settings that are'} not set: ${missing.join(', ')}; nothing was written`,
      `set ${missing.length === 1 ? 'it' : 'each'} with: ngo config set KEY VALUE (e.g. ngo config set org.ein 12-3456789; org.address takes lines separated by \\n)`,
    );
  }
  return {
    legal_name: v['org.legal_name']!,
    ein: v['org.ein']!,
    address: v['org.address']!.split('\n'),
    signer_name: v['org.signer_name']!,
    signer_title: v['org.signer_title']!,
  };
}

const num = (r: Row, k: string) => r[k] as number;
const exact = (r: Row, k: string) => r[k] as number | bigint;
const text = (r: Row, k: string) => (r[k] ?? null) as string | null;

function figuresOf(r: Row): LetterFigures {
  return {
    tax_year: num(r, 'tax_year'),
    person_id: num(r, 'person_id'),
    first_name: text(r, 'first_name') ?? '',
    last_name: text(r, 'last_name'),
    address_line1: text(r, 'address_line1'),
    address_line2: text(r, 'address_line2'),
    city: text(r, 'city'),
    region: text(r, 'region'),
    postal_code: text(r, 'postal_code'),
    country: text(r, 'country'),
    service_days: num(r, 'service_days'),
    hours_served: num(r, 'hours_served'),
    miles: exact(r, 'miles'),
    mileage_rate: num(r, 'mileage_rate'),
    mileage_amount: exact(r, 'mileage_amount'),
    expenses: exact(r, 'expenses'),
    total_deductible: exact(r, 'total_deductible'),
    services_description: text(r, 'services_description') ?? '',
  };
}

export const describeVolunteer = (r: Row) => `#${num(r, 'person_id')} ${letterName(text(r, 'first_name') ?? '', text(r, 'last_name'))}`;

/** What must not change between the plan the letters were made from and the transaction that records them. */
function planKey(plan: LetterPlan, toWrite: Row[]): string {
  const ids = new Set(toWrite.map((r) => num(r, 'person_id')));
  return JSON.stringify({
    rows: toWrite.map((r) => LETTERS_CSV_COLUMNS.filter((c) => c.key !== 'letter_file').map((c) => String(r[c.key] ?? ''))),
    issued: [...plan.issued.values()].filter((l) => ids.has(l.person_id)).map((l) => l.id),
  });
}

function assertDir(app: App, dir: string): string {
  if (dir.trim() === '') throw new UsageError('--letters needs a folder (DIR)');
  const full = path.resolve(app.ctx.cwd, dir);
  app.files.check(full, '--letters', dir);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(full);
  } catch {
    st = undefined; // made when the files are written
  }
  if (st && !st.isDirectory())
    throw new UsageError(`--letters ${dir} is not a folder; nothing was written`, 'give a folder for the letters (it is created when missing)');
  return full;
}

export async function issueLetters(app: App, req: LettersRequest): Promise<LettersResult> {
  const org = await letterOrg(app);
  const dir = assertDir(app, req.dir);
  const db = await app.db();
  const personId = req.person !== undefined ? (await resolvePerson(db, req.person)).id : undefined;
  const mileageRate = await new RateBook(db, (m) => app.warn(m)).rate('mileage', req.year);
  const currency = await app.setting('currency');
  const opts = { mileageRate, all: req.all, personId };
  const plan = await app.snapshot(() => planLetters(db, req.year, opts));
  const pick = (p: LetterPlan) => {
    const toWrite: Row[] = [];
    const already: LettersResult['alreadyIssued'] = [];
    for (const r of p.rows) {
      const letter = p.issued.get(num(r, 'person_id'));
      if (letter && !req.reissue) already.push({ row: r, letter, changed: changedFigures(letter, r) });
      else toWrite.push(r);
    }
    return { toWrite, already };
  };
  const { toWrite, already } = pick(plan);
  const result: LettersResult = { dir, files: [], letterIds: [], alreadyIssued: already, erased: plan.erased, selected: plan.rows.length, noAddress: [] };
  if (toWrite.length === 0) return result;

  // Every letter is made (and every character checked) before anything is written.
  const { LetterPrinter } = await import('../io/pdf-letter.js');
  const printer = await LetterPrinter.load();
  const issuedOn = app.today();
  const now = app.ctx.now();
  const made: { row: Row; file: string; bytes: Buffer; sha256: string; replaces: TaxLetter | undefined }[] = [];
  const contents = toWrite.map((row) => {
    const replaces = plan.issued.get(num(row, 'person_id'));
    const content = letterContent({ org, figures: figuresOf(row), issuedOn, currency, replacesIssuedOn: replaces?.issued_on });
    const who = `the letter for ${describeVolunteer(row)}`;
    printer.check(content, who);
    if (addressLines(figuresOf(row)).length === 0) result.noAddress.push(row);
    return { row, content, who, replaces };
  });
  for (const c of contents) {
    const bytes = await printer.render(c.content, { who: c.who, author: org.legal_name, now });
    const file = path.join(dir, letterFileName(req.year, num(c.row, 'person_id')));
    made.push({ row: c.row, file, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), replaces: c.replaces });
  }
  const csvFile = path.join(dir, lettersCsvName(req.year));
  const csvRows = made.map((m) => ({ ...m.row, letter_file: path.basename(m.file) }));
  const csv = await app.reportText(csvRows, LETTERS_CSV_COLUMNS, { format: 'csv', bom: req.bom, out: csvFile });
  const key = planKey(plan, toWrite);

  await app.tx(async () => {
    const again = await planLetters(await app.db(), req.year, opts);
    if (planKey(again, pick(again).toWrite) !== key) {
      throw new ConflictError(
        `the ${req.year} figures or the letters issued changed while the letters were being made; nothing was written`,
        'run the command again',
      );
    }
    const createdAt = now.toISOString();
    for (const m of made) {
      const v: TaxLetterValues = {
        person_id: num(m.row, 'person_id'),
        tax_year: req.year,
        issued_on: issuedOn,
        service_days: num(m.row, 'service_days'),
        hours_served: num(m.row, 'hours_served'),
        miles: exact(m.row, 'miles'),
        mileage_rate: num(m.row, 'mileage_rate'),
        mileage_amount: exact(m.row, 'mileage_amount'),
        expenses: exact(m.row, 'expenses'),
        total_deductible: exact(m.row, 'total_deductible'),
        largest_single_contribution: exact(m.row, 'largest_single_contribution'),
        file_name: path.basename(m.file),
        sha256: m.sha256,
        replaces: m.replaces?.id ?? null,
        created_at: createdAt,
      };
      const id = await insertTaxLetter(await app.db(), v);
      await app.audit(m.replaces ? 'reissue' : 'issue', 'tax_letter', id, diff(null, { ...v, created_at: null }));
      result.letterIds.push(id);
    }
    // Last: a failure here rolls the records back; the files are all written or none.
    await writeOutputSet(app.files, [
      ...made.map((m) => ({ target: app.target(m.file, '--letters'), data: m.bytes })),
      { target: app.target(csvFile, '--letters'), data: csv },
    ]);
  });
  result.files = [...made.map((m) => m.file), csvFile];
  return result;
}
