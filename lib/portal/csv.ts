/** Line ending of RFC 4180 records. */
const CSV_LINE_END = '\r\n';

// Spreadsheet apps run a cell starting with one of these as a formula (CSV injection); tab and
// carriage return count too, because some apps strip them before looking.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell: `null` is empty, text that a spreadsheet would read as a formula is prefixed with
 * `'` (OWASP's advice), and cells with quotes, commas or line breaks are quoted (RFC 4180).
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, with its CRLF line ending. */
export function csvRow(values: ReadonlyArray<string | number | null | undefined>): string {
  return values.map(csvCell).join(',') + CSV_LINE_END;
}

/**
 * A download file name for `Content-Disposition`: an ASCII fallback plus the UTF-8 name
 * (RFC 6266 / 5987), so "株式会社" survives in browsers that read `filename*`.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file-name-safe slug of an organization name ("Acme Inc." → "acme-inc"), never empty. */
export function fileSlug(name: string): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'organization';
}
