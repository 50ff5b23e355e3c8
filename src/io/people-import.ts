/**
 * `ngo people import`: roster rows matched by id (our own export's), external_id, then email; present non-empty cells update,
 * empty cells leave stored values alone; a row whose external_id and email point at two different
 * people is a conflict (an invalid row).
 */
import type { App } from '../app.js';
import { ValidationError } from '../errors.js';
import { ROSTER_FIELDS, emptyPerson, fullNameKey, parseField, type Person, type PersonValues, type RosterField } from '../domain/people.js';
import type { DateFormat } from '../domain/dates.js';
import { normalizeEmail } from '../domain/text.js';
import { diff } from '../store/audit.js';
import { getPerson, insertPerson, personByEmail, personByExternalId, updatePerson } from '../store/people.js';
import { decimalText } from '../domain/duration.js';
import { DateReading } from './date-reading.js';
import { changeRate } from '../services/rates.js';
import { RowError, rowErrors, runImport, type ImportRow, type RowOutcome } from './importer.js';
import { splitFullName, type FieldSpec } from './headers.js';

export const ROSTER_SYNONYMS: Record<RosterField, string[]> = {
  external_id: ['externalid', 'extid', 'volunteerid', 'memberid', 'personid', 'staffid', 'volunteernumber'],
  first_name: ['first', 'firstname', 'givenname', 'forename'],
  last_name: ['last', 'lastname', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail', 'emailid'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'cell', 'cellphone', 'mobilephone'],
  roles: ['role', 'roles'],
  credential: ['credential', 'credentials', 'licensetype', 'licencetype'],
  license_number: ['licensenumber', 'licenseno', 'licencenumber', 'licenceno', 'license', 'licence'],
  license_region: ['licenseregion', 'licensestate', 'licenceregion', 'licencestate'],
  license_expires: ['licenseexpires', 'licenseexpiration', 'licenseexpiry', 'licenceexpires', 'licenceexpiry', 'licenseexpirationdate'],
  hourly_rate: ['hourlyrate', 'rate', 'hourly'],
  address_line1: ['address', 'address1', 'addressline1', 'street', 'streetaddress'],
  address_line2: ['address2', 'addressline2', 'apt', 'suite', 'unit'],
  city: ['city', 'town'],
  region: ['region', 'state', 'province', 'stateprovince'],
  postal_code: ['postalcode', 'zip', 'zipcode', 'postcode', 'postal'],
  country: ['country'],
  joined_on: ['joined', 'joinedon', 'joindate', 'datejoined', 'startdate'],
  status: ['status'],
  notes: ['note', 'notes', 'comment', 'comments'],
};

/**
 * The roster fields, and `id`: the numeric id of our own `people export` (Contract v2: the export
 * re-imports as unchanged). Recognised, not a key (see the handler).
 */
export const ROSTER_FIELD_SPECS: FieldSpec[] = [
  ...ROSTER_FIELDS.map((f) => ({ field: f, synonyms: ROSTER_SYNONYMS[f] })),
  { field: 'id', synonyms: ['id', 'ngoid'] },
];

export interface PeopleImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  map?: string[];
  dateFormat?: DateFormat;
  delimiter?: string;
  encoding?: string;
  decimalComma?: boolean;
  strict?: boolean;
  json?: boolean;
}

/** Parse the present, non-empty cells of a row into field values; each bad cell is one error in `errs`. */
function rowValues(row: ImportRow, dates: DateReading, decimalComma: boolean, errs: RowError[]): Partial<PersonValues> {
  const out: Record<string, unknown> = {};
  for (const f of ROSTER_FIELDS) {
    const raw = row.get(f);
    if (raw === undefined || raw === '') continue;
    try {
      if (f === 'license_expires' || f === 'joined_on') out[f] = dates.parse(raw, f);
      else if (f === 'hourly_rate') out[f] = parseField(f, decimalText(raw, f, decimalComma));
      else out[f] = parseField(f, raw);
    } catch (e) {
      if (e instanceof ValidationError) errs.push(new RowError(row.columnOf(f), e.message));
      else throw e;
    }
  }
  if (out['first_name'] === undefined && out['last_name'] === undefined) {
    const full = row.get('name');
    if (full) {
      const { first, last } = splitFullName(full);
      if (first) out['first_name'] = first;
      if (last) out['last_name'] = last;
    }
  }
  return out as Partial<PersonValues>;
}

export async function importPeople(app: App, file: string, o: PeopleImportOptions): Promise<void> {
  const dates = new DateReading(o.dateFormat, ['license_expires', 'joined_on']);
  let decimalComma = o.decimalComma === true;
  // Which file line first touched each person: a second row for the same person is an error, not a silent overwrite.
  const seenAt = new Map<number, number>();
  /** `field NUL value` → the first line that named it (valid or invalid). */
  const claimed = new Map<string, number>();
  /** The lines of the file first imported that the rows of this rejects file stood at. */
  const linesHere = new Set<number>();
  const today = app.today();
  let revalued = 0;
  await runImport(app, {
    kind: 'people',
    file,
    fields: ROSTER_FIELD_SPECS,
    map: o.map,
    strict: o.strict,
    delimiter: o.delimiter,
    nameField: true,
    encoding: o.encoding,
    dates,
    begin: (_importId, read) => {
      decimalComma = o.decimalComma ?? read.delimiter === ';';
    },
    dryRun: o.dryRun,
    skipInvalid: o.skipInvalid,
    rejects: o.rejects,
    json: o.json,
    // Every check of a row (values, the conflict, an erased person, the same person twice) comes before
    // its writes (one insert or update, and its audit entry), so a bad row has written nothing: no savepoint.
    savepointPerRow: false,
    handle: async (row, _importId, from): Promise<RowOutcome> => {
      // A row rejected as the same person as another row, which was imported: it comes back from the
      // rejects file as it was, and applied now it would overwrite what that row set. One corrected
      // import of the original file rejects it again; so does the loop (sixth attack, finding 2).
      // (When the other row is in this rejects file too, it was rejected as well: the claims below decide.)
      if (from) linesHere.add(from.line);
      const twin = from && /^the same person as line (\d+)/.exec(from.error);
      // Its own message from an earlier round says the other row was imported; then it is refused again.
      // Only for a rejects file of an import of this database (its tag names one): else no row was imported.
      // And only while its keys name someone: a row edited to name nobody yet overwrites nothing.
      const rawEmail = row.get('email');
      const rawExt = row.get('external_id');
      const email = rawEmail ? normalizeEmail(rawEmail) : undefined;
      const byExt = rawExt ? await personByExternalId(await app.db(), rawExt) : undefined;
      const byEmail = email ? await personByEmail(await app.db(), email) : undefined;
      // And only when they name the other row's person: a fixed row whose keys now name someone else (its
      // own person, applied by an earlier round) overwrites nothing of the other row's, and comes back
      // unchanged when the same fixed file is imported again (attack on the PostgreSQL store, F7).
      const key = twin ? /^the same person as line \d+ \((email|external_id) (.*?)\); a roster may hold/.exec(from!.error) : null;
      const namesTwin = (p: Person | undefined): boolean => {
        if (!p) return false;
        if (!key) return true;
        const person = /^of person #(\d+)$/.exec(key[2]!);
        if (person) return p.id === Number(person[1]);
        return key[1] === 'email' ? p.email === normalizeEmail(key[2]!) : p.external_id === key[2]!.trim();
      };
      if (
        twin &&
        from.importId !== undefined &&
        (from.error.includes('whose row was imported') || !linesHere.has(Number(twin[1]))) &&
        (namesTwin(byExt) || namesTwin(byEmail))
      ) {
        throw new RowError(
          null,
          `the same person as line ${twin[1]} of the file first imported, whose row was imported: merge the two by hand (ngo people edit), or clear this row's error cell to apply it as it is`,
        );
      }
      // Every row claims, for the rest of the file, its email and external id AND the people they name
      // now, valid or not: a later row with one of them is the same person, an error, even when this row
      // is rejected. Otherwise fixing a rejected row and importing it again could update whoever a later
      // row of the original file created, or renamed, with those keys.
      const claimKeys: [string, string][] = [];
      if (email) claimKeys.push(['email', email]);
      if (rawExt) claimKeys.push(['external_id', rawExt]);
      let earlier: [string, string, number] | undefined;
      for (const [field, value] of claimKeys) {
        const key = `${field}\u0000${value}`;
        const line = claimed.get(key);
        if (line !== undefined && earlier === undefined) earlier = [field, value, line];
        if (line === undefined) claimed.set(key, row.line);
      }
      for (const [field, p] of [
        ['external_id', byExt],
        ['email', byEmail],
      ] as const) {
        if (!p) continue;
        const line = seenAt.get(p.id);
        if (line !== undefined && line !== row.line && earlier === undefined) earlier = [field, `of person #${p.id}`, line];
        if (line === undefined) seenAt.set(p.id, row.line);
      }
      if (earlier) {
        const [field, value, line] = earlier;
        throw new RowError(row.columnOf(field), `the same person as line ${line} (${field} ${value}); a roster may hold each person once: merge the two rows`);
      }
      // Every problem of the row is listed (Contract v2), not only the first.
      const errs: RowError[] = [];
      const v = rowValues(row, dates, decimalComma, errs);
      if (!rawEmail && !rawExt) {
        errs.push(new RowError(row.columnOf('email') ?? row.columnOf('external_id'), 'a row needs an email or an external_id'));
      }
      if (byExt && byEmail && byExt.id !== byEmail.id) {
        errs.push(
          new RowError(row.columnOf('email'), `conflict: external_id ${v.external_id} is person #${byExt.id} but email ${v.email} is person #${byEmail.id}`),
        );
      }
      const existing = byExt ?? byEmail;
      // The id of our own export is not a key: the export may come from another database, whose ids name
      // other people here. But a row that names nobody by its keys while its id is a person of the same
      // name here is most likely that person with a changed email: say so rather than add them twice.
      const rawId = row.get('id');
      if (!existing && rawId && /^\d{1,15}$/.test(rawId) && (rawEmail || rawExt)) {
        const same = await getPerson(await app.db(), Number(rawId));
        if (
          same &&
          !same.erased_at &&
          v.first_name !== undefined &&
          fullNameKey(same.first_name, same.last_name) === fullNameKey(v.first_name, v.last_name ?? '')
        ) {
          errs.push(
            new RowError(
              row.columnOf(rawEmail ? 'email' : 'external_id'),
              `no person has this ${rawEmail ? 'email' : 'external id'}, but id ${rawId} is person #${same.id} of the same name: a changed ${rawEmail ? 'email' : 'external id'}? change it with ngo people edit #${same.id}, or clear the id cell to add a new person`,
            ),
          );
        }
      }
      if (!existing && !v.first_name && !errs.some((e) => e.column === row.columnOf('first_name')))
        errs.push(new RowError(row.columnOf('first_name'), 'first_name is required for a new person'));
      if (errs.length > 0) throw rowErrors(errs);
      const now = app.ctx.now().toISOString();
      if (!existing) {
        const values: PersonValues = { ...emptyPerson(), ...v } as PersonValues;
        const id = await insertPerson(await app.db(), values, now);
        seenAt.set(id, row.line);
        await app.audit('create', 'person', id, diff(null, values as unknown as Record<string, unknown>));
        return 'inserted';
      }
      if (existing.erased_at) throw new RowError(null, `person #${existing.id} was erased; their record cannot be updated by import`);
      const d = diff(existing as unknown as Record<string, unknown>, { ...existing, ...v }, Object.keys(v));
      if (Object.keys(d).length === 0) return 'unchanged';
      const set: Record<string, unknown> = Object.fromEntries(Object.entries(d).map(([k, [, a]]) => [k, a]));
      if (set['status'] === 'active') set['archived_reason'] = null;
      // A changed rate applies from the import date: every entry before it keeps the rate it had.
      let rate = null;
      if ('hourly_rate' in set) {
        rate = await changeRate(await app.db(), existing.id, set['hourly_rate'] as number, today, now, { fromIsDefault: true });
        if (rate) revalued += rate.revalued;
        delete set['hourly_rate'];
        delete d['hourly_rate'];
      }
      await updatePerson(await app.db(), existing.id, set, now);
      await app.audit('update', 'person', existing.id, { ...d, ...(rate?.changes ?? {}) });
      return 'updated';
    },
    finish: () => {
      if (revalued > 0)
        app.warn(`the rates this file changes value ${revalued} entr${revalued === 1 ? 'y' : 'ies'} already dated from ${today} on at the new rates`);
    },
  });
}
