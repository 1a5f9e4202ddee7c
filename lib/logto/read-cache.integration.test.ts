// Organization reads shared through the read cache, counted at the real local Logto (emulator/),
// over HTTP; two clients on one Postgres store stand for two portal instances.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { openStore, settleSharedAnswers, type Store } from '@/lib/store';
import { startTestPostgres, type TestPostgres } from '@/test/postgres';

import {
  keepOrganizationDataFrom,
  type ManagementClient,
  readOrganizationData,
  storeGenerations,
} from './client';
import { localLogtoClient } from './local-logto-client';
import { listOrganizationMembers, replaceMemberRoles } from './members';
import { getOrganization, listOrganizations, updateOrganization } from './organizations';
import type { Organization } from './types';
import { listOrganizationRoles } from './roles';

const MEMBERS_ROUTE = 'GET /organizations/:id/users';
const ORGANIZATION_ROUTE = 'GET /organizations/:id';
const TTL_MS = 60_000;

let emulator: EmulatorHandle;
let postgres: TestPostgres;
const stores: Store[] = [];
let acmeId: string;
let globexId: string;

function client(options: { ttlMs?: number; store?: Store } = {}): ManagementClient {
  return localLogtoClient(emulator.url, {
    readCache: {
      ttlMs: options.ttlMs ?? TTL_MS,
      shared: options.store ? storeGenerations(options.store) : undefined,
    },
  });
}

type Query = { page?: number; pageSize?: number; q?: string; roleId?: string };

/** A members page through the read cache, keyed like the portal's members page. */
function members(orgId: string, query: Query, via: ManagementClient) {
  return readOrganizationData(
    orgId,
    JSON.stringify(['members', query.page ?? 1, query.pageSize ?? 20, query.q ?? '', query.roleId ?? '']),
    () => listOrganizationMembers(orgId, query, via),
    { client: via },
  );
}

const answered = (route: string) => emulator.faults.stats().byRoute[route] ?? 0;

beforeAll(async () => {
  [emulator, postgres] = await Promise.all([startEmulator({ port: 0, quiet: true }), startTestPostgres()]);
  for (let index = 0; index < 2; index += 1) {
    stores.push(await openStore({ kind: 'postgres', databaseUrl: postgres.url }));
  }
  const organizations = (await listOrganizations({ pageSize: 100 }, client())).rows;
  acmeId = organizations.find((org) => org.name === 'Acme')!.id;
  globexId = organizations.find((org) => org.name === 'Globex')!.id;
}, 120_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await postgres?.stop();
  await emulator?.close();
});

beforeEach(() => {
  emulator.faults.clear();
  emulator.faults.resetStats();
});

describe('one instance', () => {
  it('ten concurrent identical reads cost one call, and a read within the window none', async () => {
    const portal = client();
    await listOrganizationRoles(portal); // the token, outside the count
    emulator.faults.resetStats();

    const pages = await Promise.all(
      Array.from({ length: 10 }, () => members(acmeId, { page: 2, pageSize: 5 }, portal)),
    );
    expect(answered(MEMBERS_ROUTE)).toBe(1);
    expect(new Set(pages.map((page) => JSON.stringify(page))).size).toBe(1);
    expect(pages[0]).toMatchObject({ page: 2, pageSize: 5 });
    expect(pages[0]!.rows).toHaveLength(5);
    expect(portal.reads.stats).toMatchObject({ loads: 1, joins: 9 });

    const again = await members(acmeId, { page: 2, pageSize: 5 }, portal);
    expect(answered(MEMBERS_ROUTE)).toBe(1);
    expect(again).toEqual(pages[0]);
  });

  it('never shares between organizations or queries', async () => {
    const portal = client();
    const queries: [string, Query][] = [
      [acmeId, { page: 1, pageSize: 5 }],
      [acmeId, { page: 2, pageSize: 5 }],
      [acmeId, { page: 1, pageSize: 10 }],
      [acmeId, { page: 1, pageSize: 5, q: 'alice' }],
      [globexId, { page: 1, pageSize: 5 }],
    ];
    const shared = await Promise.all(queries.map(([orgId, query]) => members(orgId, query, portal)));
    expect(answered(MEMBERS_ROUTE)).toBe(queries.length);

    const direct = client({ ttlMs: 0 });
    for (const [index, [orgId, query]] of queries.entries()) {
      expect(shared[index]).toEqual(await listOrganizationMembers(orgId, query, direct));
    }
    expect(shared[3]!.rows.map((row) => row.primaryEmail)).toContain('alice@acme.example');
    expect(shared[4]!.rows.map((row) => row.id)).not.toEqual(shared[0]!.rows.map((row) => row.id));
  });

  it('a write to the organization makes the next read ask Logto again; other organizations keep theirs', async () => {
    const portal = client();
    const acme = () => members(acmeId, { q: 'carol@acme.example' }, portal);
    const globex = () => members(globexId, { page: 1, pageSize: 5 }, portal);
    const before = await acme();
    await globex();
    const carol = before.rows[0]!;
    const roles = await listOrganizationRoles(portal);
    const manager = roles.find((role) => role.name === 'manager')!;
    emulator.faults.resetStats();

    await replaceMemberRoles(acmeId, carol.id, [manager.id], portal);
    try {
      const after = await acme();
      expect(answered(MEMBERS_ROUTE)).toBe(1);
      expect(after.rows[0]!.organizationRoles.map((role) => role.name)).toEqual(['manager']);
      await globex();
      expect(answered(MEMBERS_ROUTE)).toBe(1);
    } finally {
      await replaceMemberRoles(
        acmeId,
        carol.id,
        carol.organizationRoles.map((role) => role.id),
        portal,
      );
    }
  });

  it('keeps no failure: the read after a failed one asks Logto again', async () => {
    const portal = client();
    await listOrganizationRoles(portal); // the token, outside the count
    emulator.faults.resetStats();
    emulator.faults.set({ failNext: { count: 1, status: 500 } });
    await expect(members(acmeId, { page: 3, pageSize: 5 }, portal)).rejects.toMatchObject({ status: 500 });
    const page = await members(acmeId, { page: 3, pageSize: 5 }, portal);
    expect(page.rows).toHaveLength(5);
    expect(emulator.faults.stats().apiRequests).toBe(2);
  });

  it('with the cache off (0) shares only reads in flight', async () => {
    const portal = client({ ttlMs: 0 });
    await Promise.all(Array.from({ length: 5 }, () => members(acmeId, { page: 4, pageSize: 5 }, portal)));
    expect(answered(MEMBERS_ROUTE)).toBe(1);
    await members(acmeId, { page: 4, pageSize: 5 }, portal);
    expect(answered(MEMBERS_ROUTE)).toBe(2);
    expect(portal.reads.size).toBe(0);
  });
});

describe('two instances on one Postgres store', () => {
  it('what one reads serves the other; a write through one makes both read again at once', async () => {
    const [a, b] = [client({ store: stores[0] }), client({ store: stores[1] })];
    const read = (via: ManagementClient) =>
      readOrganizationData(acmeId, 'organization', () => getOrganization(acmeId, via), { client: via });
    const original = await read(a);
    await settleSharedAnswers();
    await read(b);
    await read(b);
    expect(answered(ORGANIZATION_ROUTE), 'b served what a read').toBe(1);
    expect(b.reads.stats).toMatchObject({ sharedHits: 1, hits: 1, loads: 0 });

    const description = `read-cache test ${Date.now()}`;
    await updateOrganization(acmeId, { description }, a);
    try {
      expect((await read(b)).description, 'b no longer serves what was read before the write').toBe(
        description,
      );
      expect(answered(ORGANIZATION_ROUTE)).toBe(2);
      await settleSharedAnswers();
      expect((await read(a)).description, 'a serves what b read after it').toBe(description);
      expect(answered(ORGANIZATION_ROUTE)).toBe(2);
      // Settled again: both serve what they hold.
      await Promise.all([read(a), read(b)]);
      expect(answered(ORGANIZATION_ROUTE)).toBe(2);
    } finally {
      await updateOrganization(acmeId, { description: original.description ?? null }, a);
    }
  });

  it('keeps what another call read along, for both instances; nothing read before a write', async () => {
    const [a, b] = [client({ store: stores[0] }), client({ store: stores[1] })];
    const read = (via: ManagementClient) =>
      readOrganizationData(globexId, 'organization', () => getOrganization(globexId, via), { client: via });
    /** Reads Globex's record the way a call for another purpose would, and offers it to `via`'s cache. */
    const readAlong = async (via: ManagementClient, between?: () => Promise<unknown>) => {
      const keep = await keepOrganizationDataFrom<Organization>(globexId, 'organization', { client: via });
      const readAt = performance.now();
      const record = await getOrganization(globexId, via);
      await between?.();
      keep(record, readAt);
      await settleSharedAnswers();
      return record;
    };

    const record = await readAlong(a);
    expect(await read(a)).toEqual(record);
    expect(await read(b)).toEqual(record);
    expect(answered(ORGANIZATION_ROUTE), 'only the call that read it along').toBe(1);

    const description = `kept ${Date.now()}`;
    try {
      // Written through the same instance between the call and its keeping: nothing is kept.
      await readAlong(a, () => updateOrganization(globexId, { description }, a));
      expect((await read(a)).description).toBe(description);
      // Written through the other one: what was kept is never served, here or there.
      await readAlong(b, () => updateOrganization(globexId, { description: `${description}!` }, a));
      expect((await read(b)).description).toBe(`${description}!`);
      expect(answered(ORGANIZATION_ROUTE), 'two calls read along, two reads asked again').toBe(5);
    } finally {
      await updateOrganization(globexId, { description: record.description ?? null }, a);
    }
  });

  it('serves another instance’s result only while it is younger than the window', async () => {
    const [a, b] = [client({ store: stores[0], ttlMs: 300 }), client({ store: stores[1], ttlMs: 300 })];
    const query = { page: 2, pageSize: 7 };
    await members(globexId, query, a);
    await settleSharedAnswers();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await members(globexId, query, b);
    expect(answered(MEMBERS_ROUTE), 'too old to serve: b asked Logto').toBe(2);
    expect(b.reads.stats.sharedHits).toBe(0);
  });

  it('concurrent writes share store statements; reads in one turn share one store read', async () => {
    const portal = client({ store: stores[0] });
    const roles = await listOrganizationRoles(portal);
    const carol = (await listOrganizationMembers(acmeId, { q: 'carol@acme.example' }, portal)).rows[0]!;
    const held = carol.organizationRoles.map((role) => role.id);
    const before = portal.reads.stats.sharedBumps;
    await Promise.all(Array.from({ length: 8 }, () => replaceMemberRoles(acmeId, carol.id, held, portal)));
    const bumps = portal.reads.stats.sharedBumps - before;
    expect(bumps).toBeGreaterThanOrEqual(1);
    expect(bumps).toBeLessThan(8);
    expect(roles.length).toBeGreaterThan(0);

    const readsBefore = portal.reads.stats.sharedReads;
    await Promise.all([
      members(acmeId, { page: 1, pageSize: 5 }, portal),
      members(globexId, { page: 1, pageSize: 5 }, portal),
      readOrganizationData(acmeId, 'organization', () => getOrganization(acmeId, portal), { client: portal }),
    ]);
    expect(portal.reads.stats.sharedReads - readsBefore).toBe(1);
  });
});
