import { describe, expect, it } from 'vitest';
import { pageItems } from './page-items';

function render(current: number, last: number): string {
  return pageItems(current, last)
    .map((item) => (item.kind === 'gap' ? '…' : item.page === current ? `[${item.page}]` : String(item.page)))
    .join(' ');
}

describe('pageItems', () => {
  it('shows one page for an empty or single-page table', () => {
    expect(render(1, 1)).toBe('[1]');
  });

  it('shows every page when there are few', () => {
    expect(render(2, 5)).toBe('1 [2] 3 4 5');
  });

  it('collapses long runs into gaps around the current page', () => {
    expect(render(1, 125)).toBe('[1] 2 … 125');
    expect(render(5, 125)).toBe('1 … 4 [5] 6 … 125');
    expect(render(125, 125)).toBe('1 … 124 [125]');
  });

  it('never hides a single page behind a gap', () => {
    expect(render(4, 125)).toBe('1 2 3 [4] 5 … 125');
    expect(render(3, 6)).toBe('1 2 [3] 4 5 6');
    expect(render(3, 7)).toBe('1 2 [3] 4 … 7');
  });

  it('gives gaps distinct keys', () => {
    const keys = pageItems(50, 125).flatMap((item) => (item.kind === 'gap' ? [item.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(2);
  });
});
