import { describe, expect, it } from 'vitest';
import { UsageError, ValidationError } from '../../src/errors.js';
import { mapHeaders, splitFullName, type FieldSpec } from '../../src/io/headers.js';

const fields: FieldSpec[] = [
  { field: 'external_id', synonyms: ['volunteerid', 'Member ID'] },
  { field: 'first_name', synonyms: ['givenname', 'first'] },
  { field: 'last_name', synonyms: ['surname'] },
  { field: 'email', synonyms: ['e-mail', 'emailaddress'] },
  { field: 'postal_code', synonyms: ['zip', 'zipcode'] },
  { field: 'region', synonyms: ['state'] },
];

describe('mapHeaders', () => {
  it('matches field names and synonyms ignoring case, spaces, _, -, . and a BOM', () => {
    const m = mapHeaders(['\ufeffVolunteer ID', 'Given Name', 'SURNAME', 'E-Mail Address', 'Zip.Code', 'State', 'Shoe Size'], fields, [], {});
    expect(m.columns).toEqual(['external_id', 'first_name', 'last_name', 'email', 'postal_code', 'region', null]);
    expect(m.unknown).toEqual(['Shoe Size']);
    expect(mapHeaders(['FIRST_NAME', 'Last-Name'], fields, [], {}).columns).toEqual(['first_name', 'last_name']);
    expect(mapHeaders(['member_id', 'e.mail'], fields, [], {}).columns).toEqual(['external_id', 'email']);
  });

  it('--map wins over names and synonyms, compares the header normalised, and takes the field normalised', () => {
    const m = mapHeaders(['Contact', 'ZIP', 'Mail Code'], fields, ['contact=email', 'MAIL-CODE=Postal Code', 'ZIP=-'], {});
    expect(m.columns).toEqual(['email', null, 'postal_code']);
    expect(m.unknown).toEqual([]);
    expect(m.unusedMaps).toEqual([]);
    // A header containing "=" splits at the last one.
    expect(mapHeaders(['a=b'], fields, ['a=b=email'], {}).columns).toEqual(['email']);
  });

  it('reports --map entries for columns the file does not have', () => {
    expect(mapHeaders(['email'], fields, ['Phone Number=region'], {}).unusedMaps).toEqual(['Phone Number=region']);
  });

  it('a --map to an unknown field, or a malformed --map, is a usage error (exit 2)', () => {
    const bad = (map: string[]) => {
      try {
        mapHeaders(['a'], fields, map, {});
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('no error');
    };
    const e = bad(['a=emial']);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--map: unknown field "emial" (known: external_id, first_name, last_name, email, postal_code, region)');
    expect(e.hint).toBe('did you mean "email"?');
    for (const m of ['nope', '=email', 'a=', ' =email']) expect(bad([m])).toBeInstanceOf(UsageError);
    expect(bad(['a=nope']).message).toContain('--map: unknown field "nope"');
  });

  it('two columns for one field is a validation error naming both', () => {
    expect(() => mapHeaders(['Email', 'E-mail'], fields, [], {})).toThrow(ValidationError);
    expect(() => mapHeaders(['Email', 'E-mail'], fields, [], {})).toThrow('columns "Email" and "E-mail" both map to field email');
    expect(() => mapHeaders(['Contact', 'email'], fields, ['Contact=email'], {})).toThrow('columns "Contact" and "email" both map to field email');
  });

  it('unknown columns are returned; with strict they are an error; unnamed columns are named by position', () => {
    const m = mapHeaders(['email', 'Shoe size', '', 'Notes'], fields, [], {});
    expect(m.unknown).toEqual(['Shoe size', '(unnamed column 3)', 'Notes']);
    expect(() => mapHeaders(['email', 'Shoe size', 'Notes'], fields, [], { strict: true })).toThrow(ValidationError);
    expect(() => mapHeaders(['email', 'Shoe size', 'Notes'], fields, [], { strict: true })).toThrow(
      /^unknown column\(s\): Shoe size, Notes \(use --map "Header=field" or drop them\)$/,
    );
    expect(mapHeaders(['email', 'Notes'], fields, ['notes=-'], { strict: true }).unknown).toEqual([]);
  });

  it('a name / full name column becomes splitName only when first and last names are absent', () => {
    for (const h of ['Name', 'Full Name', 'full_name', 'Volunteer Name', 'person-name']) {
      const m = mapHeaders(['Email', h], fields, [], { nameField: true });
      expect(m.splitName, h).toBe(1);
      expect(m.unknown).toEqual([]);
    }
    expect(mapHeaders(['Email', 'Name'], fields, [], {}).splitName).toBeNull();
    const both = mapHeaders(['First', 'Name'], fields, [], { nameField: true });
    expect(both.splitName).toBeNull();
    expect(both.unknown).toEqual(['Name']);
    expect(mapHeaders(['Email', 'Who'], fields, ['Who=name'], { nameField: true }).splitName).toBe(1);
    expect(() => mapHeaders(['Who'], fields, ['Who=name'], {})).toThrow(UsageError);
  });
});

describe('splitFullName', () => {
  it('splits "First Middle Last", "Last, First" and single words', () => {
    expect(splitFullName('Ana María Okafor')).toEqual({ first: 'Ana María', last: 'Okafor' });
    expect(splitFullName('Okafor, Ana')).toEqual({ first: 'Ana', last: 'Okafor' });
    expect(splitFullName('  Okafor ,  Ana María ')).toEqual({ first: 'Ana María', last: 'Okafor' });
    expect(splitFullName('Ana')).toEqual({ first: 'Ana', last: '' });
    expect(splitFullName('   ')).toEqual({ first: '', last: '' });
    expect(splitFullName('Ana  Okafor')).toEqual({ first: 'Ana', last: 'Okafor' });
  });

  it('keeps particles and suffixes with the last name', () => {
    expect(splitFullName('Ana de la Cruz')).toEqual({ first: 'Ana', last: 'de la Cruz' });
    expect(splitFullName('Ludwig van Beethoven')).toEqual({ first: 'Ludwig', last: 'van Beethoven' });
    expect(splitFullName('Martin Luther King Jr.')).toEqual({ first: 'Martin Luther', last: 'King Jr.' });
    expect(splitFullName('Martin King, Jr.')).toEqual({ first: 'Martin', last: 'King Jr.' });
    expect(splitFullName('De Niro')).toEqual({ first: 'De', last: 'Niro' });
  });
});
