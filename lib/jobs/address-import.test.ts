import { describe, expect, it } from 'vitest';
import {
  addressesFromColumn,
  addressesFromText,
  columnNames,
  guessEmailColumn,
  parseCsv,
} from './address-import';

describe('parseCsv', () => {
  it('reads quoted fields with separators, doubled quotes and both line endings', () => {
    const rows = parseCsv('name,email\r\n"Lovelace, Ada",ada@example.com\n"Say ""hi""",bob@example.com\n');
    expect(rows).toEqual([
      ['name', 'email'],
      ['Lovelace, Ada', 'ada@example.com'],
      ['Say "hi"', 'bob@example.com'],
    ]);
  });

  it('takes semicolons and tabs as separators when the first line uses them, and drops blank rows', () => {
    expect(parseCsv('\uFEFFemail;team\n\na@x.example;sales\n')).toEqual([
      ['email', 'team'],
      ['a@x.example', 'sales'],
    ]);
    expect(parseCsv('a@x.example\tone\nb@x.example\ttwo')).toEqual([
      ['a@x.example', 'one'],
      ['b@x.example', 'two'],
    ]);
  });
});

describe('guessing the column', () => {
  it('picks the column with the most addresses and notices a header row', () => {
    const rows = parseCsv('Name,Work email,Team\nAda,ada@acme.example,eng\nBob,bob@acme.example,sales\n');
    expect(guessEmailColumn(rows)).toEqual({ column: 1, hasHeader: true });
    expect(columnNames(rows, true)).toEqual(['Name', 'Work email', 'Team']);
    expect(columnNames(rows, false)).toEqual(['1', '2', '3']);
  });

  it('sees no header when the first row is an address', () => {
    expect(guessEmailColumn([['a@x.example'], ['b@x.example']])).toEqual({ column: 0, hasHeader: false });
  });
});

describe('understanding addresses', () => {
  it('lower-cases, merges duplicates in any case and lists the invalid ones with their row', () => {
    const rows = parseCsv('email\nAda@Acme.example\nnot-an-address\nada@acme.example\n\nbob@acme.example');
    expect(addressesFromColumn(rows, 0, true)).toEqual({
      valid: ['ada@acme.example', 'bob@acme.example'],
      invalid: [{ line: 3, value: 'not-an-address' }],
      duplicates: 1,
    });
  });

  it('reads pasted text in the invite dialog’s separators, with line numbers', () => {
    const understood = addressesFromText(
      'Ada <ada@acme.example>, bob@acme.example\nbroken@\nmailto:carol@acme.example',
    );
    expect(understood.valid).toEqual(['ada@acme.example', 'bob@acme.example', 'carol@acme.example']);
    expect(understood.invalid).toEqual([{ line: 2, value: 'broken@' }]);
  });
});
