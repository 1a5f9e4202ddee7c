// The retention sweep the server starts, on the process's store (in-memory PGlite in tests).
import { afterAll, describe, expect, it } from 'vitest';
import { appendActivity, closeStore, getStore, queryActivity } from '@/lib/store';
import { activityLog } from '@/lib/store/schema';
import { startActivityRetention } from './retention';

afterAll(async () => {
  await closeStore();
});

describe('startActivityRetention', () => {
  it('deletes what is past the configured retention at start-up and keeps the rest', async () => {
    const organizationId = 'org-retention-sweep';
    const base = {
      organizationId,
      actorUserId: 'alice',
      action: 'member.remove',
      targetType: 'member',
      outcome: 'done',
    } as const;
    const { db } = await getStore();
    await db
      .insert(activityLog)
      .values({ ...base, targetId: 'old', occurredAt: new Date(Date.now() - 400 * 86_400_000) });
    await appendActivity({ ...base, targetId: 'recent' });

    startActivityRetention();

    await expect
      .poll(async () =>
        (await queryActivity({ organizationId, page: 1, pageSize: 10 })).rows.map((row) => row.targetId),
      )
      .toEqual(['recent']);
  });
});
