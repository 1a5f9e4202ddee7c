import { describe, expect, it } from 'vitest';
import { contentDisposition, csvCell, csvRow, fileSlug } from './csv';

describe('csvCell', () => {
  it('leaves plain text alone and writes null as empty', () => {
    expect(csvCell('Carol Member')).toBe('Carol Member');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('Doe, Jane')).toBe('"Doe, Jane"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it.each(['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'defuses %j so a spreadsheet shows it as text',
    (value) => {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('keeps non-ASCII text as it is', () => {
    expect(csvCell('김철수')).toBe('김철수');
    expect(csvCell('山田 太郎')).toBe('山田 太郎');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', null, 'b,c', '=1'])).toBe('a,,"b,c",\'=1\r\n');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('acme-members.csv')).toBe(
      `attachment; filename="acme-members.csv"; filename*=UTF-8''acme-members.csv`,
    );
    expect(contentDisposition('株式会社.csv')).toBe(
      `attachment; filename="____.csv"; filename*=UTF-8''%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE.csv`,
    );
  });
});

describe('fileSlug', () => {
  it('makes names safe for file names', () => {
    expect(fileSlug('Acme Inc.')).toBe('acme-inc');
    expect(fileSlug('  Org 01 ')).toBe('org-01');
    expect(fileSlug('株式会社 山田')).toBe('株式会社-山田');
    expect(fileSlug('!!!')).toBe('organization');
  });
});
