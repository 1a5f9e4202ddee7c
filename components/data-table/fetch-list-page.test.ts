// The table's list fetch against a real HTTP server on 127.0.0.1 that answers as the portal's
// route handlers do when the request budget is spent (503 with Retry-After).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchListPage, isListBusy, ListRequestError, subscribeListBusy } from './fetch-list-page';

type Answer = { status: number; retryAfter?: string; body: unknown };

let server: Server;
let url: string;
let answers: Answer[] = [];
let requests = 0;
let purposes: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    purposes.push(request.headers.purpose as string | undefined);
    const answer = answers.shift() ?? { status: 200, body: { rows: [], total: 0 } };
    response.writeHead(answer.status, {
      'Content-Type': 'application/json',
      ...(answer.retryAfter !== undefined ? { 'Retry-After': answer.retryAfter } : {}),
    });
    response.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/orgs/o/members`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  answers = [];
  requests = 0;
  purposes = [];
});

const busy: Answer = {
  status: 503,
  retryAfter: '0',
  body: { error: { code: 'rate_limited', message: 'Busy' } },
};

describe('fetchListPage', () => {
  it('asks again after a busy answer, saying it is busy meanwhile, and answers with the page', async () => {
    answers = [busy, busy, { status: 200, body: { rows: [1], total: 1 } }];
    const seen: boolean[] = [];
    const unsubscribe = subscribeListBusy(() => seen.push(isListBusy()));
    try {
      await expect(fetchListPage(url)).resolves.toEqual({ rows: [1], total: 1 });
    } finally {
      unsubscribe();
    }
    expect(requests).toBe(3);
    // Busy from the first busy answer until the page came.
    expect(seen).toEqual([true, false]);
    expect(isListBusy()).toBe(false);
  });

  it('reports other failures at once, with the server message', async () => {
    answers = [{ status: 503, body: { error: { code: 'upstream_unavailable', message: 'Logto is down' } } }];
    const failure = await fetchListPage(url).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ListRequestError);
    expect(failure).toMatchObject({ status: 503, code: 'upstream_unavailable', message: 'Logto is down' });
    expect((failure as ListRequestError).retryAfterMs).toBeUndefined();
    expect(requests).toBe(1);
  });

  it('gives up after 20 busy answers in a row and reports the last', async () => {
    answers = Array.from({ length: 21 }, () => busy);
    await expect(fetchListPage(url)).rejects.toMatchObject({ status: 503, code: 'rate_limited' });
    expect(requests).toBe(21);
    expect(isListBusy()).toBe(false);
  });

  it('stops waiting when the table moves on (abort)', async () => {
    answers = [{ ...busy, retryAfter: '30' }];
    const controller = new AbortController();
    const failure = fetchListPage(url, controller.signal).catch((error: unknown) => error);
    await new Promise<void>((resolve) => {
      const unsubscribe = subscribeListBusy(() => {
        unsubscribe();
        resolve();
      });
    });
    expect(isListBusy()).toBe(true);
    controller.abort();
    expect(await failure).toBeInstanceOf(DOMException);
    expect(requests).toBe(1);
    expect(isListBusy()).toBe(false);
  });

  it('marks a prefetch as one and gives up at its first busy answer, without saying busy', async () => {
    answers = [busy];
    const seen: boolean[] = [];
    const unsubscribe = subscribeListBusy(() => seen.push(isListBusy()));
    try {
      await expect(fetchListPage(url, undefined, { isPrefetch: true })).rejects.toMatchObject({
        status: 503,
      });
    } finally {
      unsubscribe();
    }
    expect(requests).toBe(1);
    expect(seen, 'the table has nothing to say about a prefetch').toEqual([]);
    await fetchListPage(url);
    expect(purposes).toEqual(['prefetch', undefined]);
  });
});
