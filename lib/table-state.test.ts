import { describe, expect, it } from 'vitest';
import {
  buildTableHref,
  clampPage,
  DEFAULT_TABLE_STATE,
  isFiltered,
  MAX_PAGE,
  pageCount,
  parseTableState,
  updateTableState,
} from './table-state';

describe('parseTableState', () => {
  it('gives the defaults for an empty URL', () => {
    expect(parseTableState({})).toEqual(DEFAULT_TABLE_STATE);
    expect(parseTableState(new URLSearchParams())).toEqual(DEFAULT_TABLE_STATE);
    expect(parseTableState(undefined)).toEqual(DEFAULT_TABLE_STATE);
  });

  it('reads every key from Next searchParams and from URLSearchParams alike', () => {
    const expected = { page: 3, pageSize: 50, q: 'smith', role: 'abc', status: 'Pending' };
    expect(
      parseTableState({ page: '3', page_size: '50', q: 'smith', role: 'abc', status: 'Pending' }),
    ).toEqual(expected);
    expect(
      parseTableState(new URLSearchParams('page=3&page_size=50&q=smith&role=abc&status=Pending')),
    ).toEqual(expected);
  });

  it.each([
    ['abc', 1],
    ['0', 1],
    ['-4', 1],
    ['', 1],
    ['2.7', 2],
    ['Infinity', 1],
    ['1e1', 10],
  ])('turns page=%s into %i', (raw, page) => {
    expect(parseTableState({ page: raw }).page).toBe(page);
  });

  it.each([
    ['10', 10],
    ['100', 100],
    ['30', 20],
    ['15', 10],
    ['75', 50],
    ['80', 100],
    ['1000', 100],
    ['1', 10],
    ['0', 20],
    ['-10', 20],
    ['x', 20],
  ])('turns page_size=%s into %i', (raw, pageSize) => {
    expect(parseTableState({ page_size: raw }).pageSize).toBe(pageSize);
  });

  it('takes the first value of a repeated key', () => {
    expect(parseTableState(new URLSearchParams('page=4&page=9&q=a&q=b'))).toMatchObject({ page: 4, q: 'a' });
    expect(parseTableState({ page: ['5', '6'] }).page).toBe(5);
  });

  it('trims q and caps it at 200 characters', () => {
    expect(parseTableState({ q: '  smith  ' }).q).toBe('smith');
    expect(parseTableState({ q: 'x'.repeat(500) }).q).toHaveLength(200);
  });

  it('drops empty or oversized filters', () => {
    const state = parseTableState({ role: '   ', status: 'y'.repeat(300) });
    expect(state).not.toHaveProperty('role');
    expect(state).not.toHaveProperty('status');
  });
});

describe('pageCount and clampPage', () => {
  it('computes ceil(total / pageSize), never below 1', () => {
    expect(pageCount(2500, 20)).toBe(125);
    expect(pageCount(2500, 100)).toBe(25);
    expect(pageCount(43, 10)).toBe(5);
    expect(pageCount(0, 20)).toBe(1);
  });

  it('clamps a page past the end to the last page', () => {
    expect(clampPage({ ...DEFAULT_TABLE_STATE, page: 999 }, 2500).page).toBe(125);
    expect(clampPage({ ...DEFAULT_TABLE_STATE, page: 4 }, 0).page).toBe(1);
    const inRange = { ...DEFAULT_TABLE_STATE, page: 7 };
    expect(clampPage(inRange, 2500)).toBe(inRange);
  });
});

describe('updateTableState', () => {
  const onPage5 = { ...DEFAULT_TABLE_STATE, page: 5, q: 'ann' };

  it('drops the page when q, page size or a filter changes', () => {
    expect(updateTableState(onPage5, { q: 'bob' }).page).toBe(1);
    expect(updateTableState(onPage5, { pageSize: 50 }).page).toBe(1);
    expect(updateTableState(onPage5, { role: 'admin-id' }).page).toBe(1);
  });

  it('keeps the page when nothing that changes the result set changed', () => {
    expect(updateTableState(onPage5, { q: 'ann' }).page).toBe(5);
    expect(updateTableState(onPage5, { page: 6 }).page).toBe(6);
  });

  it('removes a cleared filter', () => {
    const filtered = { ...DEFAULT_TABLE_STATE, role: 'r1' };
    expect(updateTableState(filtered, { role: undefined })).not.toHaveProperty('role');
  });
});

describe('buildTableHref', () => {
  it('leaves defaults out of the URL', () => {
    expect(buildTableHref('/orgs', DEFAULT_TABLE_STATE)).toBe('/orgs');
    expect(buildTableHref('/orgs', { ...DEFAULT_TABLE_STATE, page: 1, pageSize: 20, q: '' })).toBe('/orgs');
  });

  it('writes non-defaults with the URL key names', () => {
    expect(buildTableHref('/m', { page: 2, pageSize: 50, q: 'a b', role: 'r', status: 'Pending' })).toBe(
      '/m?page=2&page_size=50&q=a+b&role=r&status=Pending',
    );
  });

  it('round-trips through parseTableState', () => {
    const state = { page: 7, pageSize: 10 as const, q: 'smith & sons' };
    const href = buildTableHref('/x', state);
    expect(parseTableState(new URL(href, 'http://h').searchParams)).toEqual(state);
  });
});

describe('isFiltered', () => {
  it('tells a search or filter from the plain list', () => {
    expect(isFiltered(DEFAULT_TABLE_STATE)).toBe(false);
    expect(isFiltered({ ...DEFAULT_TABLE_STATE, q: 'x' })).toBe(true);
    expect(isFiltered({ ...DEFAULT_TABLE_STATE, status: 'Pending' })).toBe(true);
    expect(isFiltered({ ...DEFAULT_TABLE_STATE, page: 3 })).toBe(false);
  });
});

describe('values that would make Logto fail', () => {
  it('caps an enormous page number', () => {
    expect(parseTableState({ page: '99999999999999999999' }).page).toBe(MAX_PAGE);
  });

  it('drops control characters from the search', () => {
    expect(parseTableState({ q: 'smi\u0000th\u001f' }).q).toBe('smith');
  });
});
