// Who is an operator and who is suspended, asked of the real local Logto (emulator/) in batches:
// the answers, and what they cost in Management API calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_OPERATOR_ROLE } from '@/emulator/db/seed';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { createUser, type ManagementClient, runWithBudgetContext } from '@/lib/logto';
import { expectBody } from '@/lib/logto/client';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import { openStore, settleSharedAnswers, type Store } from '@/lib/store';
import { StandingReader, type StandingReaderOptions, standingsInStore } from './standing';

const OPERATOR_ROLE = PORTAL_OPERATOR_ROLE;
const TTL_MS = 10_000;

let emulator: EmulatorHandle;
let client: ManagementClient;
const people: { plain: string[]; operator: string; suspended: string } = {
  plain: [],
  operator: '',
  suspended: '',
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 20 });
  client = localLogtoClient(emulator.url);
  const stamp = Date.now();
  const make = async (label: string) =>
    (await createUser({ primaryEmail: `standing-${label}-${stamp}@example.com` }, client)).id;
  people.plain = [await make('a'), await make('b'), await make('c')];
  people.operator = await make('operator');
  people.suspended = await make('suspended');
  const roles = expectBody(await client.api.GET('/api/roles', { params: { query: {} } }));
  const operatorRole = roles.find((role) => role.name === OPERATOR_ROLE)!;
  expectBody(
    await client.api.POST('/api/users/{userId}/roles', {
      params: { path: { userId: people.operator } },
      body: { roleIds: [operatorRole.id] },
    }),
  );
  expectBody(
    await client.api.PATCH('/api/users/{userId}/is-suspended', {
      params: { path: { userId: people.suspended } },
      body: { isSuspended: true },
    }),
  );
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

/** A reader of the local Logto with the tests' time to live; on `clock` when given, else real time. */
function newReader({ clock, ...options }: { clock?: { now: number } } & Partial<StandingReaderOptions> = {}) {
  return new StandingReader({
    ttlMs: TTL_MS,
    operatorRoleName: () => OPERATOR_ROLE,
    client,
    ...(clock ? { now: () => clock.now } : {}),
    ...options,
  });
}

/** A client of the local Logto allowed 10 requests per 2 s: `burst` at once, then one every 200 ms. */
function pacedClient(burst: number) {
  return localLogtoClient(emulator.url, { requestBudget: { maxRequests: 10, windowMs: 2_000, burst } });
}

describe('standing read in batches', () => {
  it('answers everyone who asks in the same turn with the same few calls', async () => {
    const reader = newReader({ clock: { now: 0 } });
    const before = client.stats.requests;
    const [a, b, c, operator, suspended, unknown] = await Promise.all(
      [...people.plain, people.operator, people.suspended, 'no-such-user'].map((userId) =>
        reader.read(userId, 'recent'),
      ),
    );
    expect([a, b, c]).toEqual(Array(3).fill({ isOperator: false, isSuspended: false }));
    expect(operator).toEqual({ isOperator: true, isSuspended: false });
    expect(suspended).toEqual({ isOperator: false, isSuspended: true });
    expect(unknown, 'a deleted user stands for no one').toEqual({ isOperator: false, isSuspended: true });
    expect(
      client.stats.requests - before,
      'the operator role once, the search without operators, then one for the people it left out',
    ).toBe(3);

    const again = client.stats.requests;
    await Promise.all(people.plain.map((userId) => reader.read(userId, 'recent')));
    expect(client.stats.requests - again, 'answers younger than the time to live are reused').toBe(0);
  });

  it('renews answers past half their life along with a newcomer, so busy people never wait on their own', async () => {
    const clock = { now: 0 };
    const reader = newReader({ clock });
    const [a, b, c] = people.plain;
    await Promise.all([reader.read(a!, 'recent'), reader.read(b!, 'recent')]);

    clock.now = TTL_MS * 0.6;
    const renewal = client.stats.requests;
    await reader.read(c!, 'recent');
    expect(client.stats.requests - renewal, 'one search for c, a and b (role id still known)').toBe(1);

    // Past the first answers' life, within the renewed ones'.
    clock.now = TTL_MS * 1.2;
    const later = client.stats.requests;
    await Promise.all([reader.read(a!, 'recent'), reader.read(b!, 'recent'), reader.read(c!, 'recent')]);
    expect(client.stats.requests - later).toBe(0);

    clock.now = TTL_MS * 1.7;
    const expired = client.stats.requests;
    await reader.read(a!, 'recent');
    expect(client.stats.requests - expired, 'no answer is ever older than the time to live').toBe(1);
  });

  it('renews people still browsing along with a newcomer, even past their answer’s life, and lets idle people go', async () => {
    const clock = { now: 0 };
    const reader = newReader({ clock, activeMs: TTL_MS * 3 });
    const [a, b, c] = people.plain;
    await Promise.all([reader.read(a!, 'recent'), reader.read(b!, 'recent')]);

    clock.now = TTL_MS * 1.5;
    const newcomer = client.stats.requests;
    await reader.read(c!, 'recent');
    expect(client.stats.requests - newcomer, 'one search for c, a and b').toBe(1);
    const back = client.stats.requests;
    await Promise.all([reader.read(a!, 'recent'), reader.read(b!, 'recent')]);
    expect(client.stats.requests - back, 'a and b come back to answers renewed for them').toBe(0);

    // b browses on; a has been away longer than activeMs when c's answer runs out.
    clock.now = TTL_MS * 2.2;
    await reader.read(b!, 'recent');
    clock.now = TTL_MS * 4.6;
    await reader.read(c!, 'recent');
    const afterAway = client.stats.requests;
    await reader.read(b!, 'recent');
    expect(client.stats.requests - afterAway, 'b was renewed with c').toBe(0);
    await reader.read(a!, 'recent');
    expect(client.stats.requests - afterAway, 'a, idle, was not: asked again now').toBe(1);
  });

  it('keeps one batch in flight: people who ask meanwhile share the next one', async () => {
    // One permit at once, then one every 200 ms: the first batch's search waits its turn.
    const paced = pacedClient(1);
    const reader = newReader({ clock: { now: 0 }, client: paced });
    const [a, b, c] = people.plain;
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const first = reader.read(a!, 'recent');
    await nextTurn();
    await nextTurn();
    const second = reader.read(b!, 'recent');
    await nextTurn();
    const third = reader.read(c!, 'recent');
    const answers = await Promise.all([first, second, third]);
    expect(answers).toEqual(Array(3).fill({ isOperator: false, isSuspended: false }));
    expect(paced.stats.requests, 'the role, a search for a, then one for b and c together').toBe(3);
  });

  it('asks about one person at once for an action, and that answer serves later page views', async () => {
    const reader = newReader({ clock: { now: 0 } });
    const [a] = people.plain;
    expect(await reader.read(a!, 'recent')).toEqual({ isOperator: false, isSuspended: false });
    expectBody(
      await client.api.PATCH('/api/users/{userId}/is-suspended', {
        params: { path: { userId: a! } },
        body: { isSuspended: true },
      }),
    );
    try {
      expect(await reader.read(a!, 'recent'), 'a page view may lag').toEqual({
        isOperator: false,
        isSuspended: false,
      });
      const before = client.stats.requests;
      expect(await reader.read(a!, 'now')).toEqual({ isOperator: false, isSuspended: true });
      expect(client.stats.requests - before, 'the user and their tenant roles').toBe(2);
      expect(await reader.read(a!, 'recent')).toEqual({ isOperator: false, isSuspended: true });
      expect(client.stats.requests - before).toBe(2);
    } finally {
      await client.api.PATCH('/api/users/{userId}/is-suspended', {
        params: { path: { userId: a! } },
        body: { isSuspended: false },
      });
    }
  });

  it('splits more people than one page holds into several batches', async () => {
    const reader = newReader({ clock: { now: 0 } });
    const before = client.stats.requests;
    const ids = Array.from({ length: 130 }, (_, index) => `missing-${index}`);
    const answers = await Promise.all(ids.map((userId) => reader.read(userId, 'recent')));
    expect(answers.every((answer) => answer.isSuspended && !answer.isOperator)).toBe(true);
    expect(client.stats.requests - before, 'role id, then two searches for 100 and two for 30').toBe(5);
  });

  it('answers a batch a prefetch started as people’s own work, not as a prefetch that may be declined', async () => {
    // Two permits at once, then one every 200 ms: a prefetch may only take one while another stays free.
    const paced = pacedClient(2);
    const reader = newReader({ clock: { now: 0 }, client: paced });
    const answer = await runWithBudgetContext({ lane: 'interactive', isPrefetch: true }, () =>
      reader.read(people.operator, 'recent'),
    );
    expect(answer).toEqual({ isOperator: true, isSuspended: false });
    expect(paced.stats.requests, 'the role, then both searches, waiting their turn').toBe(3);
  });
});

describe('standing shared between instances through the store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: 'pglite', dataDir: undefined });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  it("one instance's answers serve the other's page views, and an action's fresh answer serves both", async () => {
    const [a, b] = [
      newReader({ shared: standingsInStore(store) }),
      newReader({ shared: standingsInStore(store) }),
    ];

    const before = client.stats.requests;
    const readBoth = (reader: StandingReader) =>
      Promise.all([reader.read(people.operator, 'recent'), reader.read(people.suspended, 'recent')]);
    const expected = [
      { isOperator: true, isSuspended: false },
      { isOperator: false, isSuspended: true },
    ];
    expect(await readBoth(a)).toEqual(expected);
    expect(client.stats.requests - before, 'a: the operator role, then the two searches').toBe(3);
    await settleSharedAnswers();
    expect(await readBoth(b)).toEqual(expected);
    expect(client.stats.requests - before, 'b asked Logto nothing').toBe(3);

    const [plain] = people.plain;
    expect(await b.read(plain!, 'now')).toEqual({ isOperator: false, isSuspended: false });
    expect(client.stats.requests - before, 'an action asks Logto itself').toBe(5);
    await settleSharedAnswers();
    expect(await a.read(plain!, 'recent')).toEqual({ isOperator: false, isSuspended: false });
    expect(client.stats.requests - before, "a's page view used b's fresh answer").toBe(5);
  });
});
