// Client-safe: what a pasted list or an uploaded CSV file says, for the bulk invitation page's
// preview. The server validates again; this is so people see what was understood before sending.
import { isValidEmail, splitAddresses } from '@/lib/portal/invitation-input';

/**
 * Rows of a CSV file (RFC 4180: quoted fields may hold separators, quotes doubled, CRLF or LF).
 * The separator is the first of `,` `;` or tab found outside quotes in the first line, as
 * spreadsheets in different locales write them.
 */
export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, '');
  const separator = detectSeparator(source);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let isQuoted = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (isQuoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') isQuoted = false;
      else field += char;
      continue;
    }
    if (char === '"' && field === '') isQuoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

function detectSeparator(text: string): string {
  let isQuoted = false;
  for (const char of text) {
    if (char === '"') isQuoted = !isQuoted;
    else if (!isQuoted && (char === ',' || char === ';' || char === '\t')) return char;
    else if (!isQuoted && char === '\n') break;
  }
  return ',';
}

/** The column holding the most valid addresses, and whether the first row names the columns. */
export function guessEmailColumn(rows: readonly string[][]): { column: number; hasHeader: boolean } {
  const width = Math.max(0, ...rows.map((row) => row.length));
  let column = 0;
  let best = -1;
  for (let index = 0; index < width; index += 1) {
    const valid = rows.filter((row) => isValidEmail((row[index] ?? '').trim())).length;
    if (valid > best) {
      best = valid;
      column = index;
    }
  }
  const first = rows[0]?.[column]?.trim() ?? '';
  return { column, hasHeader: rows.length > 1 && !isValidEmail(first) };
}

/** Column names for the picker: the header's cells, or "1", "2"… */
export function columnNames(rows: readonly string[][], hasHeader: boolean): string[] {
  const width = Math.max(0, ...rows.map((row) => row.length));
  return Array.from({ length: width }, (_, index) =>
    hasHeader && rows[0]?.[index]?.trim() ? rows[0][index]!.trim() : String(index + 1),
  );
}

/** What a list of addresses comes to: valid ones (lower-cased, first seen kept), the rest, duplicates merged. */
export type UnderstoodAddresses = {
  valid: string[];
  /** Not valid, with the line (CSV: row) they came from, from 1. */
  invalid: Array<{ line: number; value: string }>;
  duplicates: number;
};

export function understandAddresses(
  values: ReadonlyArray<{ line: number; value: string }>,
): UnderstoodAddresses {
  const seen = new Set<string>();
  const result: UnderstoodAddresses = { valid: [], invalid: [], duplicates: 0 };
  for (const { line, value } of values) {
    const address = value.trim().replace(/^mailto:/i, '');
    if (address === '') continue;
    if (!isValidEmail(address)) {
      result.invalid.push({ line, value: address });
      continue;
    }
    const email = address.toLowerCase();
    if (seen.has(email)) result.duplicates += 1;
    else {
      seen.add(email);
      result.valid.push(email);
    }
  }
  return result;
}

/** Addresses in pasted text (commas, semicolons, spaces, new lines; "Name <address>" too). */
export function addressesFromText(text: string): UnderstoodAddresses {
  const values: Array<{ line: number; value: string }> = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    for (const value of splitAddresses(lineText)) values.push({ line: index + 1, value });
  });
  return understandAddresses(values);
}

/** Addresses in one column of CSV rows (the header row left out when there is one). */
export function addressesFromColumn(
  rows: readonly string[][],
  column: number,
  hasHeader: boolean,
): UnderstoodAddresses {
  return understandAddresses(
    rows
      .slice(hasHeader ? 1 : 0)
      .map((row, index) => ({ line: index + (hasHeader ? 2 : 1), value: row[column] ?? '' })),
  );
}
