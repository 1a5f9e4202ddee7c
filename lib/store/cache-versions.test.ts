import { describe, expect, it } from 'vitest';
import { bumpCacheVersion, bumpCacheVersions, readCacheVersions } from './cache-versions';
import { setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

describe.each(backends)('cache versions on $name', (backend) => {
  it('starts every scope at 0 and counts bumps', async () => {
    const { store } = backend;
    expect(await readCacheVersions(['org:counted', 'user:never'], store)).toEqual({
      'org:counted': 0,
      'user:never': 0,
    });
    expect(await bumpCacheVersion('org:counted', store)).toBe(1);
    expect(await bumpCacheVersion('org:counted', store)).toBe(2);
    expect(await readCacheVersions(['org:counted', 'user:never'], store)).toEqual({
      'org:counted': 2,
      'user:never': 0,
    });
    expect(await readCacheVersions([], store)).toEqual({});
  });

  it('bumps several scopes at once, each once', async () => {
    const { store } = backend;
    await bumpCacheVersion('org:many', store);
    expect(await bumpCacheVersions(['org:many', 'user:many', 'org:many'], store)).toEqual({
      'org:many': 2,
      'user:many': 1,
    });
    expect(await bumpCacheVersions([], store)).toEqual({});
  });

  it('shows a bump to every instance at once', async () => {
    const other = await backend.openInstance();
    const before = await readCacheVersions(['org:shared'], other);
    await bumpCacheVersion('org:shared', backend.store);
    const after = await readCacheVersions(['org:shared'], other);
    expect(after['org:shared']).toBe(before['org:shared']! + 1);
  });
});
