import { describe, expect, it } from 'vitest';
import { BrowsingPerson, CLIENT_STALE_MS, seededRandom } from './people-load';

describe('a person browsing the members table', () => {
  it('waits for the first server render, then finds the next page already prefetched', () => {
    const person = new BrowsingPerson('org1', 100, ['Anna']);
    const opened = person.apply({ kind: 'open' }, 0);
    expect(opened).toEqual([
      { path: '/orgs/org1/members', accept: 'text/html', waited: true, view: { q: '', page: 1 } },
    ]);
    person.answered(opened[0]!, 10, undefined);
    const prefetch = person.prefetch(10);
    expect(prefetch).toMatchObject({ path: '/api/orgs/org1/members?page=2', waited: false });
    person.answered(prefetch!, 20, 100);

    expect(person.apply({ kind: 'next' }, 3_000), 'page 2 is in the browser cache').toEqual([]);
    expect(person.page).toBe(2);
    expect(person.prefetch(3_000)?.path).toBe('/api/orgs/org1/members?page=3');
  });

  it('fetches a search and stops prefetching at the last page of its results', () => {
    const person = new BrowsingPerson('org1', 10_000, ['Anna']);
    const [search] = person.apply({ kind: 'search', q: 'Anna Lee' }, 0);
    expect(search).toMatchObject({ path: '/api/orgs/org1/members?page=1&q=Anna+Lee', waited: true });
    person.answered(search!, 5, 7);
    expect(person.lastPage).toBe(1);
    expect(person.prefetch(5), 'one page of results: nothing to prefetch').toBeNull();
    const random = seededRandom(1);
    for (let index = 0; index < 50; index += 1) {
      expect(person.chooseAction(random).kind).not.toBe('next');
    }
  });

  it('asks again for a page once the browser cache has let it go stale', () => {
    const person = new BrowsingPerson('org1', 100, []);
    const [first] = person.apply({ kind: 'next' }, 0);
    person.answered(first!, 0, 100);
    person.apply({ kind: 'next' }, 1);
    expect(person.apply({ kind: 'previous' }, 2), 'still fresh').toEqual([]);
    person.apply({ kind: 'next' }, 3);
    const again = person.apply({ kind: 'previous' }, CLIENT_STALE_MS + 1);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ path: '/api/orgs/org1/members?page=2', waited: true });
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds, always in [0, 1)', () => {
    const first = Array.from({ length: 5 }, seededRandom(42));
    expect(Array.from({ length: 5 }, seededRandom(42))).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first);
    const many = Array.from({ length: 1_000 }, seededRandom(7));
    expect(many.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
