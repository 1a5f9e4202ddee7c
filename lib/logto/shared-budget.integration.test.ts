// Several portal instances on one Postgres store and one local Logto share one request budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { countLiveInstances, heartbeat, openStore, type Store, tryLeasePermits } from '@/lib/store';
import { startTestPostgres, type TestPostgres } from '@/test/postgres';

import { type ManagementClient } from './client';
import { localLogtoClient } from './local-logto-client';
import { listOrganizationMembers } from './members';
import { listOrganizations } from './organizations';
import { SharedPermits } from './shared-permits';

const BUDGET = 30;
const WINDOW_MS = 2_000;
const INSTANCES = 3;

let emulator: EmulatorHandle;
let postgres: TestPostgres;
const stores: Store[] = [];

function instanceClient(store: Store | undefined, name: string): ManagementClient {
  const sharedPermits = store
    ? new SharedPermits({
        budget: BUDGET,
        windowMs: WINDOW_MS,
        store: {
          lease: (wanted, leaseTtlMs) =>
            tryLeasePermits(
              { instanceId: name, wanted, budget: BUDGET, windowMs: WINDOW_MS, leaseTtlMs },
              store,
            ),
          heartbeat: async () => {
            await heartbeat(name, store);
            return countLiveInstances(15_000, store);
          },
        },
      })
    : undefined;
  return localLogtoClient(emulator.url, {
    // Everyone waits for the budget, however long: this is about the shared count, not about busy refusals.
    requestBudget: { maxRequests: BUDGET, windowMs: WINDOW_MS, maxWaitMs: { interactive: Infinity } },
    requestTimeoutMs: 60_000,
    sharedPermits,
  });
}

/** Sends `count` member-list reads spread round-robin over the clients, all at once. */
async function burst(clients: ManagementClient[], orgId: string, count: number) {
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      listOrganizationMembers(orgId, { page: 1, pageSize: 5 }, clients[index % clients.length]),
    ),
  );
  return clients.reduce((sum, client) => sum + client.stats.retries, 0);
}

beforeAll(async () => {
  [emulator, postgres] = await Promise.all([startEmulator({ port: 0, quiet: true }), startTestPostgres()]);
  for (let index = 0; index < INSTANCES; index += 1) {
    stores.push(await openStore({ kind: 'postgres', databaseUrl: postgres.url }));
  }
}, 120_000);

afterAll(async () => {
  for (const store of stores) await store.close();
  await postgres?.stop();
  await emulator?.close();
});

describe('one request budget for every instance', () => {
  it('three instances on one store never send Logto more than the budget in any window', async () => {
    const warmUp = instanceClient(undefined, 'warm-up');
    const acme = (await listOrganizations({ q: 'Acme' }, warmUp)).rows.find((org) => org.name === 'Acme');
    if (!acme) throw new Error('Acme is not seeded');
    const clients = stores.map((store, index) => instanceClient(store, `instance-${index}`));
    // Tokens first, so the burst below is Management API calls only.
    await burst(clients, acme.id, INSTANCES);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 600));

    // The local Logto refuses (429) whatever goes beyond the budget in its own sliding window.
    emulator.faults.set({ rateLimit: { limit: BUDGET, windowMs: WINDOW_MS } });
    emulator.faults.resetStats();
    try {
      const refused = await burst(clients, acme.id, 4 * BUDGET);
      expect(refused).toBe(0);
      expect(emulator.faults.stats().apiRequests).toBe(4 * BUDGET);
    } finally {
      emulator.faults.clear();
    }
  });

  it('without the shared store the same instances overrun it (the check above can fail)', async () => {
    const acme = (await listOrganizations({ q: 'Acme' }, instanceClient(undefined, 'probe'))).rows.find(
      (org) => org.name === 'Acme',
    );
    if (!acme) throw new Error('Acme is not seeded');
    const clients = Array.from({ length: INSTANCES }, (_, index) =>
      instanceClient(undefined, `alone-${index}`),
    );
    await burst(clients, acme.id, INSTANCES);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 600));
    emulator.faults.set({ rateLimit: { limit: BUDGET, windowMs: WINDOW_MS } });
    try {
      expect(await burst(clients, acme.id, 2 * BUDGET)).toBeGreaterThan(0);
    } finally {
      emulator.faults.clear();
    }
  });
});
