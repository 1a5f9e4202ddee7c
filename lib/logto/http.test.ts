import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { timeLogtoCalls } from './call-timing';
import { createManagementClient, type ManagementClientOptions } from './client';
import { LogtoApiError, LogtoNetworkError } from './errors';
import { parseRetryAfter } from './http';
import { replaceMemberRoles } from './members';
import { createOrganization, deleteOrganization, getOrganization, updateOrganization } from './organizations';
import { fakeOrganization, startTestServer, testClientOptions, type TestServer } from './test-server';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});

afterEach(async () => {
  await server.close();
});

function clientFor(overrides: Partial<ManagementClientOptions> = {}) {
  // Short backoff keeps retry tests fast; the policy itself is what is under test.
  return createManagementClient({ ...testClientOptions(server), retryBaseDelayMs: 20, ...overrides });
}

const okOrganization = { json: fakeOrganization('org1') };
const countOf = (method: string) => server.apiRequests.filter((request) => request.method === method).length;

describe('401 handling', () => {
  it('refreshes the token once and retries once', async () => {
    let calls = 0;
    server.handle(() => {
      calls += 1;
      return calls === 1
        ? { status: 401, json: { code: 'auth.unauthorized', message: 'Unauthorized.' } }
        : okOrganization;
    });
    const client = clientFor();
    await expect(getOrganization('org1', client)).resolves.toMatchObject({ id: 'org1' });
    expect(server.tokenRequests).toBe(2);
    expect(server.apiRequests).toHaveLength(2);
    expect(client.stats).toEqual({ requests: 2, tokenRequests: 2, retries: 1 });
  });

  it('retries a write after 401 too, since Logto refused it before running it', async () => {
    let calls = 0;
    server.handle(() => {
      calls += 1;
      return calls === 1
        ? { status: 401, json: { code: 'auth.unauthorized', message: 'Unauthorized.' } }
        : { status: 201, json: fakeOrganization('new') };
    });
    await expect(createOrganization({ name: 'New' }, clientFor())).resolves.toMatchObject({ id: 'new' });
    expect(countOf('POST')).toBe(2);
  });

  it('does not loop when Logto keeps answering 401', async () => {
    server.handle(() => ({ status: 401, json: { code: 'auth.unauthorized', message: 'Unauthorized.' } }));
    const error = await getOrganization('org1', clientFor()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogtoApiError);
    expect(error).toMatchObject({ status: 401, code: 'auth.unauthorized' });
    expect(server.apiRequests).toHaveLength(2);
    expect(server.tokenRequests).toBe(2);
  });
});

describe('retries', () => {
  it('waits for Retry-After (seconds) on 429 before retrying a GET', async () => {
    let calls = 0;
    server.handle(() => {
      calls += 1;
      return calls === 1
        ? {
            status: 429,
            headers: { 'Retry-After': '1' },
            json: { code: 'request.rate_limited', message: 'Slow down.' },
          }
        : okOrganization;
    });
    const client = clientFor();
    await expect(getOrganization('org1', client)).resolves.toMatchObject({ id: 'org1' });
    const [first, second] = server.apiRequests;
    // A lower bound only: a busy machine can make the wait longer, never shorter.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1_000);
    expect(client.stats.retries).toBe(1);
  });

  it('gives up at once when Retry-After is longer than the client accepts', async () => {
    server.handle(() => ({
      status: 429,
      headers: { 'Retry-After': '30' },
      json: { code: 'too_many', message: 'Later.' },
    }));
    const client = clientFor();
    await expect(getOrganization('org1', client)).rejects.toMatchObject({
      status: 429,
      code: 'too_many',
    });
    // Given up at once: one request, no retry, so no 30-second wait.
    expect(server.apiRequests).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });

  it('retries 503 on GET up to 3 times, then reports the error', async () => {
    server.handle(() => ({ status: 503, json: { code: 'unavailable', message: 'Down.' } }));
    const client = clientFor();
    await expect(getOrganization('org1', client)).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    expect(server.apiRequests).toHaveLength(4);
    expect(client.stats.retries).toBe(3);
  });

  it('recovers when a GET hits 502 and 504 before succeeding', async () => {
    const answers = [
      { status: 502, text: 'Bad Gateway' },
      { status: 504, text: 'Gateway Timeout' },
      okOrganization,
    ];
    server.handle(() => answers.shift()!);
    await expect(getOrganization('org1', clientFor())).resolves.toMatchObject({ id: 'org1' });
    expect(server.apiRequests).toHaveLength(3);
  });

  it('never retries 503 on POST, PATCH, PUT or DELETE', async () => {
    server.handle(() => ({ status: 503, json: { code: 'unavailable', message: 'Down.' } }));
    const client = clientFor();
    await expect(createOrganization({ name: 'x' }, client)).rejects.toMatchObject({ status: 503 });
    await expect(updateOrganization('org1', { name: 'y' }, client)).rejects.toMatchObject({ status: 503 });
    await expect(replaceMemberRoles('org1', 'user1', [], client)).rejects.toMatchObject({ status: 503 });
    await expect(deleteOrganization('org1', client)).rejects.toMatchObject({ status: 503 });
    expect([countOf('POST'), countOf('PATCH'), countOf('PUT'), countOf('DELETE')]).toEqual([1, 1, 1, 1]);
    expect(client.stats.retries).toBe(0);
  });

  it('retries a GET whose connection dropped, but not a POST', async () => {
    let calls = 0;
    server.handle(() => {
      calls += 1;
      return calls === 1 ? { destroy: true } : okOrganization;
    });
    await expect(getOrganization('org1', clientFor())).resolves.toMatchObject({ id: 'org1' });
    expect(countOf('GET')).toBe(2);

    server.handle(() => ({ destroy: true }));
    const error = await createOrganization({ name: 'x' }, clientFor()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogtoNetworkError);
    expect(error).toMatchObject({ code: 'network.unreachable' });
    expect(countOf('POST')).toBe(1);
  });
});

describe('time bound', () => {
  it('fails with network.timeout within the bound when Logto hangs', async () => {
    server.handle(() => ({ ...okOrganization, delayMs: 5_000 }));
    const client = clientFor({ requestTimeoutMs: 300 });
    await getOrganization('warm-up-token', client).catch(() => undefined);
    const started = performance.now();
    const error = await getOrganization('org1', client).catch((caught: unknown) => caught);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(LogtoNetworkError);
    expect(error).toMatchObject({ code: 'network.timeout' });
    // The bound was waited out (a lower bound: load can only lengthen it), and the hanging call
    // was not sent again.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(server.apiRequests.filter((request) => request.path.endsWith('/org1'))).toHaveLength(1);
  });

  it('reports an unreachable Logto as network.unreachable', async () => {
    const { url } = server;
    await server.close();
    const client = createManagementClient({ ...testClientOptions(server), managementEndpoint: url });
    await expect(getOrganization('org1', client)).rejects.toMatchObject({ code: 'network.unreachable' });
    server = await startTestServer();
  });
});

describe('error bodies', () => {
  it('maps a Logto error body to LogtoApiError with status, code, message and details', async () => {
    server.handle(() => ({
      status: 400,
      json: {
        code: 'guard.invalid_input',
        message: 'The request body is invalid.',
        details: 'Error in key path "name": (too_small) String must contain at least 1 character(s)',
        data: { issues: [] },
      },
    }));
    await expect(createOrganization({ name: '' }, clientFor())).rejects.toMatchObject({
      name: 'LogtoApiError',
      status: 400,
      code: 'guard.invalid_input',
      message: 'The request body is invalid.',
      details: expect.stringContaining('key path "name"'),
    });
  });

  it('uses code "unknown" for error bodies without a code, JSON or not', async () => {
    server.handle(() => ({ status: 400, json: { message: 'Unexpected token } in JSON at position 9' } }));
    await expect(createOrganization({ name: 'x' }, clientFor())).rejects.toMatchObject({
      status: 400,
      code: 'unknown',
      message: 'Unexpected token } in JSON at position 9',
    });

    server.handle(() => ({ status: 404, text: 'Not Found' }));
    await expect(getOrganization('org1', clientFor())).rejects.toMatchObject({
      status: 404,
      code: 'unknown',
      message: 'Not Found',
    });

    server.handle(() => ({ status: 500, text: '{"code": broken' }));
    await expect(createOrganization({ name: 'x' }, clientFor())).rejects.toMatchObject({
      status: 500,
      code: 'unknown',
    });
  });
});

describe('request budget', () => {
  it('keeps 40 calls under 20 per second, waiting instead of failing', async () => {
    server.handle(() => okOrganization);
    // Everyone waits here, however long: this is about pacing, not about refusing long waits.
    const client = clientFor({
      requestBudget: { maxRequests: 20, windowMs: 1_000, maxWaitMs: { interactive: Infinity } },
    });
    await getOrganization('warm-up-token', client);
    server.apiRequests.length = 0;

    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 40 }, () => getOrganization('org1', client)));
    const elapsed = performance.now() - started;

    expect(results).toHaveLength(40);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    // The warm-up call is still inside the window, so at most 19 more fit in the first second.
    const arrivals = server.apiRequests.map((request) => request.receivedAt);
    for (const start of arrivals) {
      const inWindow = arrivals.filter((time) => time >= start && time < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(20);
    }
  });

  it('never has more than maxInFlight requests in flight', async () => {
    server.handle(() => ({ ...okOrganization, delayMs: 50 }));
    const client = clientFor({ maxInFlight: 4 });
    await Promise.all(Array.from({ length: 20 }, () => getOrganization('org1', client)));
    expect(server.maxConcurrentApiRequests).toBe(4);
    expect(server.apiRequests).toHaveLength(20);
  });
});

describe('call timing', () => {
  it('counts every call a task sends, retries included, with the time of their answers', async () => {
    let calls = 0;
    server.handle(() => {
      calls += 1;
      return calls === 1
        ? { status: 503, json: { code: 'unavailable', message: 'Busy.' } }
        : { ...okOrganization, delayMs: 20 };
    });
    const client = clientFor();
    const { value, timing, totalMs } = await timeLogtoCalls(() => getOrganization('org1', client));
    expect(value).toMatchObject({ id: 'org1' });
    expect(timing.calls).toBe(2);
    // The second answer alone was held 20 ms by the server.
    expect(timing.answerMs).toBeGreaterThanOrEqual(20);
    expect(totalMs).toBeGreaterThanOrEqual(timing.answerMs + timing.waitMs);
  });

  it('keeps concurrent tasks apart, and ignores calls made outside any task', async () => {
    server.handle(() => okOrganization);
    const client = clientFor();
    await getOrganization('outside', client);
    const [one, three] = await Promise.all([
      timeLogtoCalls(() => getOrganization('org1', client)),
      timeLogtoCalls(async () => {
        await getOrganization('org1', client);
        await Promise.all([getOrganization('org2', client), getOrganization('org3', client)]);
      }),
    ]);
    expect(one.timing.calls).toBe(1);
    expect(three.timing.calls).toBe(3);
    expect(server.apiRequests).toHaveLength(5);
  });

  it('counts the wait for the request budget apart from the answers', async () => {
    server.handle(() => okOrganization);
    const client = clientFor({
      requestBudget: { maxRequests: 1, windowMs: 300, maxWaitMs: { interactive: Infinity } },
    });
    await getOrganization('spends-the-window', client);
    const { timing } = await timeLogtoCalls(() => getOrganization('org1', client));
    expect(timing.calls).toBe(1);
    // The one permit of the window is spent, so this call waited for the next window.
    expect(timing.waitMs).toBeGreaterThan(0);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
