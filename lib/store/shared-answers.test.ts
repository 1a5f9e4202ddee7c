import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { runSql } from './client';
import {
  readSharedAnswer,
  readSharedAnswers,
  settleSharedAnswers,
  shareAnswer,
  shareAnswers,
} from './shared-answers';
import { setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

describe.each(backends)('answers shared between instances on $name', (backend) => {
  beforeEach(async () => {
    await runSql(sql`delete from shared_answers`, backend.store.db);
  });

  it('serves an answer to another instance at its version, with its age, and not at another', async () => {
    const other = await backend.openInstance();
    await shareAnswer(
      'org-access:o1\nu1',
      { version: 3, value: ['read:members'], ageMs: 1_500 },
      backend.store,
    );

    const found = await readSharedAnswer<string[]>(
      'org-access:o1\nu1',
      { version: 3, maxAgeMs: 10_000 },
      other,
    );
    expect(found?.value).toEqual(['read:members']);
    expect(found?.ageMs, 'counted from when Logto was asked').toBeGreaterThanOrEqual(1_500);
    expect(found?.ageMs).toBeLessThan(10_000);

    expect(
      await readSharedAnswer('org-access:o1\nu1', { version: 4, maxAgeMs: 10_000 }, other),
    ).toBeUndefined();
    expect(
      await readSharedAnswer('org-access:o1\nu2', { version: 3, maxAgeMs: 10_000 }, other),
    ).toBeUndefined();
  });

  it('does not serve an answer older than the reader allows', async () => {
    await shareAnswer('k', { version: 1, value: { rows: [] }, ageMs: 4_000 }, backend.store);
    expect(await readSharedAnswer('k', { version: 1, maxAgeMs: 3_000 }, backend.store)).toBeUndefined();
    expect((await readSharedAnswer('k', { version: 1, maxAgeMs: 5_000 }, backend.store))?.value).toEqual({
      rows: [],
    });
  });

  it('keeps the newer answer: a later version, or the same version read later', async () => {
    const { store } = backend;
    await shareAnswer('k', { version: 2, value: 'second', ageMs: 0 }, store);
    await shareAnswer('k', { version: 1, value: 'first, late', ageMs: 0 }, store);
    expect((await readSharedAnswer('k', { version: 2, maxAgeMs: 10_000 }, store))?.value).toBe('second');
    expect(await readSharedAnswer('k', { version: 1, maxAgeMs: 10_000 }, store)).toBeUndefined();

    await shareAnswer('k', { version: 2, value: 'older read', ageMs: 5_000 }, store);
    expect((await readSharedAnswer('k', { version: 2, maxAgeMs: 10_000 }, store))?.value).toBe('second');
    await shareAnswer('k', { version: 2, value: 'newer read', ageMs: 0 }, store);
    expect((await readSharedAnswer('k', { version: 2, maxAgeMs: 10_000 }, store))?.value).toBe('newer read');
  });

  it('reads and shares several answers at once, each at its own version', async () => {
    const { store } = backend;
    await shareAnswers(
      [
        { key: 'standing:a', version: 0, value: { isOperator: false }, ageMs: 0 },
        { key: 'standing:b', version: 1, value: { isOperator: true }, ageMs: 0 },
        { key: 'standing:c', version: 0, value: 'first', ageMs: 0 },
        { key: 'standing:c', version: 0, value: 'last given wins', ageMs: 0 },
      ],
      store,
    );
    const found = await readSharedAnswers(
      [
        { key: 'standing:a', version: 0 },
        { key: 'standing:b', version: 0 },
        { key: 'standing:c', version: 0 },
        { key: 'standing:d', version: 0 },
      ],
      { maxAgeMs: 10_000 },
      store,
    );
    expect(Object.fromEntries([...found].map(([key, answer]) => [key, answer.value]))).toEqual({
      'standing:a': { isOperator: false },
      'standing:c': 'last given wins',
    });
    expect((await readSharedAnswers([], { maxAgeMs: 10_000 }, store)).size).toBe(0);
  });

  it('keeps JSON as it was given', async () => {
    const value = {
      total: 2,
      rows: [{ id: 'a', name: null, roles: [{ id: 'r', name: 'Admin' }] }],
      text: 'ünïcødé "quoted"',
    };
    void shareAnswer('json', { version: 0, value, ageMs: 0 }, backend.store);
    await settleSharedAnswers();
    expect((await readSharedAnswer('json', { version: 0, maxAgeMs: 10_000 }, backend.store))?.value).toEqual(
      value,
    );
  });
});
