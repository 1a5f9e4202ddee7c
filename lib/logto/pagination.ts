import { LogtoApiError } from './errors';

/** One page of a list, with the total from Logto's `Total-Number` header. */
export type Page<T> = { rows: T[]; total: number; page: number; pageSize: number };

/** Page request of list functions; 1-based `page`, `pageSize` ≤ 100 (Logto's maximum). */
export type PageQuery = { page?: number; pageSize?: number };

/** Logto's default page size. */
export const DEFAULT_PAGE_SIZE = 20;
/** Logto's largest page size; used when walking every page. */
export const MAX_PAGE_SIZE = 100;

/**
 * Wraps the rows of a paginated call. Throws when `Total-Number` is missing or unreadable: a list
 * without its total is an upstream fault, never shown as an empty or partial table.
 */
export function toPage<T>(rows: T[], response: Response, page: number, pageSize: number): Page<T> {
  const header = response.headers.get('Total-Number');
  const total = header === null ? Number.NaN : Number(header);
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new LogtoApiError({
      status: response.status,
      code: 'client.total_number_missing',
      message: `Logto answered a paginated list without a valid Total-Number header (got ${header ?? 'none'}).`,
    });
  }
  return { rows, total, page, pageSize };
}

/** Fetches one page of a list. */
export type PageFetcher<T> = (page: number, pageSize: number) => Promise<Page<T>>;

/**
 * Yields the rows of every page in order, one page at a time (for streaming, e.g. CSV export).
 * Stops at the reported total or at the first short page, whichever comes first, so a list that
 * shrinks or grows while it is walked cannot loop forever.
 */
export async function* iteratePages<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number = MAX_PAGE_SIZE,
): AsyncGenerator<T[], void, undefined> {
  let seen = 0;
  for (let page = 1; ; page += 1) {
    const { rows, total } = await fetchPage(page, pageSize);
    if (rows.length > 0) yield rows;
    seen += rows.length;
    if (rows.length < pageSize || seen >= total) return;
  }
}

/** Every row of a paginated list, walking pages of `pageSize` (default 100). */
export async function fetchAllPages<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number = MAX_PAGE_SIZE,
): Promise<T[]> {
  const all: T[] = [];
  for await (const rows of iteratePages(fetchPage, pageSize)) all.push(...rows);
  return all;
}
