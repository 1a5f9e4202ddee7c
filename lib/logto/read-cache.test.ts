import { describe, expect, it } from 'vitest';
import { OrgReadCache, organizationsWrittenBy } from './read-cache';

describe('organizationsWrittenBy', () => {
  it('names the organization in the path of a write', () => {
    expect(organizationsWrittenBy('/api/organizations/org-1')).toEqual(['org-1']);
    expect(organizationsWrittenBy('/api/organizations/org-1/users/u-1/roles')).toEqual(['org-1']);
    expect(organizationsWrittenBy('/api/organizations/a%20b/jit/roles')).toEqual(['a b']);
    expect(organizationsWrittenBy('/api/organizations')).toEqual([]);
    expect(organizationsWrittenBy('/api/organization-roles/r-1')).toEqual([]);
    expect(organizationsWrittenBy('/api/users/u-1')).toEqual([]);
  });

  it("names an invitation's organization from Logto's answer", () => {
    expect(
      organizationsWrittenBy('/api/organization-invitations/i-1/status', { organizationId: 'org-2' }),
    ).toEqual(['org-2']);
    expect(organizationsWrittenBy('/api/organization-invitations/i-1/status', undefined)).toEqual([]);
    expect(organizationsWrittenBy('/api/organization-invitations', { organizationId: 7 })).toEqual([]);
    expect(organizationsWrittenBy('/api/users/u-1', { organizationId: 'org-2' })).toEqual([]);
  });
});

describe('OrgReadCache without a reachable store', () => {
  it('trusts nothing kept and shares nothing: every read asks Logto', async () => {
    const cache = new OrgReadCache({
      ttlMs: 60_000,
      shared: {
        read: () => Promise.reject(new Error('store down')),
        bump: () => Promise.reject(new Error('store down')),
      },
    });
    let loads = 0;
    const load = async () => (loads += 1);
    await Promise.all([cache.read('org', 'k', load), cache.read('org', 'k', load)]);
    await cache.read('org', 'k', load);
    expect(loads).toBe(3);
    // A write still answers (the change is made; the failure is logged).
    await expect(cache.invalidate(['org'])).resolves.toBeUndefined();
  });
});

describe('OrgReadCache memory', () => {
  it('lets go of results no read can be served any more, keeping those that still can', async () => {
    let now = 0;
    const cache = new OrgReadCache({ ttlMs: 5_000, now: () => now });
    const load = async () => 'result';
    await cache.read('org-1', 'members', load);
    await cache.read('org-2', 'members', load);
    await cache.read('org-3', 'record', load, { ttlMs: 60_000 });
    expect(cache.size).toBe(3);

    // Past the members' lifetime but within the record's: a new result sweeps only the members.
    now = 10_000;
    await cache.read('org-4', 'members', load);
    expect(cache.size).toBe(2);
    await cache.read('org-3', 'record', load, { ttlMs: 60_000 });
    expect(cache.stats.hits).toBe(1);

    now = 70_001;
    await cache.read('org-5', 'members', load);
    expect(cache.size).toBe(1);
    expect(cache.stats.loads).toBe(5);
  });
});
