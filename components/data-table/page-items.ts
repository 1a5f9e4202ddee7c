/** A page number to link, or a gap between two runs of numbers. */
export type PageItem = { kind: 'page'; page: number } | { kind: 'gap'; key: string };

/**
 * The page links a pager shows: always the first and last page, `siblings` pages either side of
 * the current one, and gaps where numbers are skipped (1 … 4 5 6 … 125). A gap that would hide a
 * single page shows that page instead.
 */
export function pageItems(current: number, last: number, siblings = 1): PageItem[] {
  const pages = new Set<number>([1, last]);
  for (let page = current - siblings; page <= current + siblings; page += 1) {
    if (page >= 1 && page <= last) pages.add(page);
  }
  const sorted = [...pages].sort((a, b) => a - b);
  const items: PageItem[] = [];
  let previous = 0;
  for (const page of sorted) {
    if (page - previous === 2) items.push({ kind: 'page', page: page - 1 });
    else if (page - previous > 2) items.push({ kind: 'gap', key: `gap-${previous}` });
    items.push({ kind: 'page', page });
    previous = page;
  }
  return items;
}
