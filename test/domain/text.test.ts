import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { closestMatches, isPlausibleEmail, normalizeEmail, normalizeHeader, parseBool } from '../../src/domain/text.js';

describe('normalizeEmail', () => {
  it('trims and lowercases', () => {
    expect(normalizeEmail('  Sam.Lee@Example.ORG ')).toBe('sam.lee@example.org');
    expect(normalizeEmail('a@b.co')).toBe('a@b.co');
  });
});

describe('isPlausibleEmail', () => {
  it.each(['a@b.co', 'sam.lee+ngo@example.org', 'x@mail.example.co.uk', "o'neil@example.ie", 'ADA@EXAMPLE.ORG'])('accepts %j', (s) => {
    expect(isPlausibleEmail(s)).toBe(true);
  });
  it.each([
    '',
    'sam',
    'sam@',
    '@example.org',
    'sam@example',
    'sam@@example.org',
    'sam@exa@mple.org',
    'sam lee@example.org',
    'sam@example .org',
    ' sam@example.org',
    'sam@example.org ',
    'sam@.org',
    'sam@example.',
    'sam@example..org',
    'sam@\texample.org',
  ])('rejects %j', (s) => {
    expect(isPlausibleEmail(s)).toBe(false);
  });
  it('rejects absurdly long addresses', () => {
    expect(isPlausibleEmail(`${'a'.repeat(250)}@b.co`)).toBe(false);
  });
});

describe('normalizeHeader', () => {
  it.each([
    ['\ufeffE-mail Address', 'emailaddress'],
    ['first_name', 'firstname'],
    ['First Name', 'firstname'],
    ['  Date  ', 'date'],
    ['Hourly.Rate', 'hourlyrate'],
    ['EXTERNAL-ID', 'externalid'],
    ['program__code', 'programcode'],
    ['km', 'km'],
    ['', ''],
  ])('%j → %j', (s, want) => {
    expect(normalizeHeader(s)).toBe(want);
  });
});

describe('parseBool', () => {
  it.each(['yes', 'YES', ' Yes ', 'y', 'Y', 'true', 'TRUE', 'True', '1'])('%j → true', (s) => {
    expect(parseBool(s, 'x')).toBe(true);
  });
  it.each(['no', 'NO', ' No ', 'n', 'N', 'false', 'False', '0'])('%j → false', (s) => {
    expect(parseBool(s, 'x')).toBe(false);
  });
  it.each(['maybe', '', ' ', '2', 'yes please', 'on', 'off', 't', 'f', '01'])('rejects %j', (s) => {
    expect(() => parseBool(s, 'reimbursed')).toThrow(ValidationError);
  });
  it('message names the column and value', () => {
    expect(() => parseBool('maybe', 'reimbursed')).toThrow(new ValidationError('invalid reimbursed "maybe" (expected yes/no, true/false or 1/0)'));
  });
});

describe('closestMatches', () => {
  it('finds near misses, case-insensitively, best first', () => {
    expect(closestMatches('TELEE', ['TELE', 'PEER', 'SCHOOL'])).toEqual(['TELE']);
    expect(closestMatches('peer', ['PEER', 'PEERS', 'TELE'])).toEqual(['PEER', 'PEERS']);
    expect(closestMatches('emial', ['email', 'date', 'hours'])).toEqual(['email']);
  });
  it('uses a limit of max(2, length/3)', () => {
    // length 12 → limit 4
    expect(closestMatches('superviseeid', ['supervisee', 'supervisor', 'program'])).toEqual(['supervisee', 'supervisor']);
    // short needle → limit 2
    expect(closestMatches('ab', ['abc', 'xyz', 'a', 'b'])).toEqual(['abc', 'a', 'b']);
    expect(closestMatches('abc', ['xyz'])).toEqual([]);
  });
  it('caps the number of results and keeps input order on ties', () => {
    expect(closestMatches('cat', ['bat', 'hat', 'mat', 'rat'])).toEqual(['bat', 'hat', 'mat']);
    expect(closestMatches('cat', ['bat', 'hat', 'mat', 'rat'], 1)).toEqual(['bat']);
    expect(closestMatches('cat', ['rat', 'cat', 'bat'], 2)).toEqual(['cat', 'rat']);
  });
  it('drops duplicate candidates and handles empty input', () => {
    expect(closestMatches('tele', ['TELE', 'TELE'])).toEqual(['TELE']);
    expect(closestMatches('tele', [])).toEqual([]);
    expect(closestMatches('', ['a', 'abc'])).toEqual(['a']);
  });
});
