/**
 * The header a table's prefetch of its next page carries (`Purpose: prefetch`, as browsers once
 * sent for prefetches), so the server can let people's own views go first.
 */
export const PREFETCH_HEADER = { name: 'Purpose', value: 'prefetch' } as const;

/** Whether a request is a table's prefetch. */
export function isPrefetchRequest(headers: Headers): boolean {
  return headers.get(PREFETCH_HEADER.name)?.trim().toLowerCase() === PREFETCH_HEADER.value;
}
