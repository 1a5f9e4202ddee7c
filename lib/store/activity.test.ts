import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ActivityEntry, appendActivity, deleteActivityOlderThan, queryActivity } from './activity';
import { runSql } from './client';
import { activityLog } from './schema';
import { setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

const ORG = 'org-activity';

function entry(overrides: Partial<ActivityEntry> = {}): ActivityEntry {
  return {
    organizationId: ORG,
    actorUserId: 'alice',
    actorEmail: 'alice@acme.example',
    action: 'member.role_change',
    targetType: 'member',
    targetId: 'carol',
    targetLabel: 'carol@acme.example',
    before: { roles: ['member'] },
    after: { roles: ['manager'] },
    outcome: 'done',
    ...overrides,
  };
}

describe.each(backends)('the activity log on $name', (backend) => {
  beforeAll(async () => {
    const { store } = backend;
    // 25 entries in ORG: alice changes roles (0–9), bob invites (10–19), the operator removes (20–24).
    for (let index = 0; index < 25; index += 1) {
      const fields: Partial<ActivityEntry> =
        index < 10
          ? { targetId: `user-${index}`, targetLabel: `user${index}@acme.example` }
          : index < 20
            ? {
                actorUserId: 'bob',
                actorEmail: 'bob@acme.example',
                action: 'invitation.create',
                targetType: 'invitation',
                targetId: `invitation-${index}`,
                targetLabel: `Invitee${index}@Example.com`,
                before: null,
                after: { roles: ['member'] },
              }
            : {
                actorUserId: 'operator',
                actorIsOperator: true,
                action: 'member.remove',
                targetId: `user-${index}`,
                targetLabel: `user${index}@acme.example`,
                outcome: index === 24 ? 'refused' : 'done',
                reason: index === 24 ? 'last_role_manager' : null,
              };
      await appendActivity(entry(fields), store);
    }
    await appendActivity(entry({ organizationId: 'org-elsewhere' }), store);
  });

  it('records an entry with its defaults and returns it', async () => {
    const row = await appendActivity(
      entry({
        organizationId: 'org-recorded',
        actorEmail: undefined,
        before: undefined,
        after: { roles: ['a', 'b'] },
      }),
      backend.store,
    );
    expect(row).toMatchObject({
      organizationId: 'org-recorded',
      actorEmail: null,
      actorIsOperator: false,
      before: null,
      after: { roles: ['a', 'b'] },
      outcome: 'done',
      reason: null,
      jobId: null,
    });
    expect(row.id).toBeGreaterThan(0);
    expect(Math.abs(Date.now() - row.occurredAt.getTime())).toBeLessThan(60_000);
  });

  it('pages newest first with a stable total, and page 2 of 10 is rows 11–20 of 20', async () => {
    const { store } = backend;
    const first = await queryActivity({ organizationId: ORG, page: 1, pageSize: 10 }, store);
    expect(first.total).toBe(25);
    expect(first.rows).toHaveLength(10);
    expect(first.rows[0]).toMatchObject({ actorUserId: 'operator', targetId: 'user-24', outcome: 'refused' });
    const ids = first.rows.map((row) => row.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const second = await queryActivity({ organizationId: ORG, page: 2, pageSize: 10 }, store);
    const twenty = await queryActivity({ organizationId: ORG, page: 1, pageSize: 20 }, store);
    expect(second.rows).toEqual(twenty.rows.slice(10, 20));
    const last = await queryActivity({ organizationId: ORG, page: 3, pageSize: 10 }, store);
    expect(last.rows.map((row) => row.targetId)).toEqual(['user-4', 'user-3', 'user-2', 'user-1', 'user-0']);
    const beyond = await queryActivity({ organizationId: ORG, page: 9, pageSize: 10 }, store);
    expect(beyond).toEqual({ rows: [], total: 25 });
  });

  it('clamps out-of-range paging instead of failing', async () => {
    const result = await queryActivity({ organizationId: ORG, page: 0, pageSize: 100_000 }, backend.store);
    expect(result.rows).toHaveLength(25);
    const one = await queryActivity({ organizationId: ORG, page: Number.NaN, pageSize: 0 }, backend.store);
    expect(one.rows).toHaveLength(1);
  });

  it('filters by actor, action and target, each with a matching total', async () => {
    const { store } = backend;
    const byBob = await queryActivity(
      { organizationId: ORG, actorUserId: 'bob', page: 1, pageSize: 50 },
      store,
    );
    expect(byBob.total).toBe(10);
    expect(byBob.rows.every((row) => row.actorUserId === 'bob')).toBe(true);

    const removals = await queryActivity(
      { organizationId: ORG, action: 'member.remove', page: 1, pageSize: 2 },
      store,
    );
    expect(removals.total).toBe(5);
    expect(removals.rows).toHaveLength(2);

    // Part of the label, case-insensitively; or the exact target id.
    const invitee = await queryActivity(
      { organizationId: ORG, targetQuery: 'invitee15@example', page: 1, pageSize: 50 },
      store,
    );
    expect(invitee.rows.map((row) => row.targetId)).toEqual(['invitation-15']);
    const byId = await queryActivity(
      { organizationId: ORG, targetQuery: 'user-3', page: 1, pageSize: 50 },
      store,
    );
    expect(byId.rows.map((row) => row.targetId)).toEqual(['user-3']);
    // LIKE wildcards in the query are literal characters.
    const wildcard = await queryActivity(
      { organizationId: ORG, targetQuery: '%', page: 1, pageSize: 50 },
      store,
    );
    expect(wildcard.total).toBe(0);

    const combined = await queryActivity(
      { organizationId: ORG, actorUserId: 'alice', action: 'invitation.create', page: 1, pageSize: 50 },
      store,
    );
    expect(combined).toEqual({ rows: [], total: 0 });
  });

  it('finds what one person did and what was done to them, but not invitations sharing their id', async () => {
    const { store } = backend;
    // bob acted 10 times; user-3 was the target of one role change.
    const bob = await queryActivity(
      { organizationId: ORG, involvingUserId: 'bob', page: 1, pageSize: 50 },
      store,
    );
    expect(bob.total).toBe(10);
    const target = await queryActivity(
      { organizationId: ORG, involvingUserId: 'user-3', page: 1, pageSize: 50 },
      store,
    );
    expect(target.rows.map((row) => [row.actorUserId, row.targetId])).toEqual([['alice', 'user-3']]);
    const invitationId = await queryActivity(
      { organizationId: ORG, involvingUserId: 'invitation-12', page: 1, pageSize: 50 },
      store,
    );
    expect(invitationId.total).toBe(0);
  });

  it('filters by date range: from inclusive, to exclusive', async () => {
    const { store } = backend;
    const all = await queryActivity({ organizationId: ORG, page: 1, pageSize: 50 }, store);
    const pivot = all.rows[10]!.occurredAt;
    const from = await queryActivity({ organizationId: ORG, from: pivot, page: 1, pageSize: 50 }, store);
    const to = await queryActivity({ organizationId: ORG, to: pivot, page: 1, pageSize: 50 }, store);
    expect(from.total + to.total).toBe(25);
    expect(from.rows.every((row) => row.occurredAt >= pivot)).toBe(true);
    expect(to.rows.every((row) => row.occurredAt < pivot)).toBe(true);
    const future = await queryActivity(
      { organizationId: ORG, from: new Date(Date.now() + 60_000), page: 1, pageSize: 50 },
      store,
    );
    expect(future.total).toBe(0);
  });

  it('keeps organizations apart', async () => {
    const elsewhere = await queryActivity(
      { organizationId: 'org-elsewhere', page: 1, pageSize: 50 },
      backend.store,
    );
    expect(elsewhere.total).toBe(1);
    expect(elsewhere.rows[0]?.organizationId).toBe('org-elsewhere');
  });

  it('refuses an unknown outcome', async () => {
    await expect(
      appendActivity(entry({ outcome: 'maybe' as ActivityEntry['outcome'] }), backend.store),
    ).rejects.toThrow();
  });

  it('deletes only entries older than the retention, in every organization', async () => {
    const { store } = backend;
    const day = 86_400_000;
    await store.db.insert(activityLog).values([
      { ...entry({ organizationId: 'org-retention' }), occurredAt: new Date(Date.now() - 40 * day) },
      { ...entry({ organizationId: 'org-retention' }), occurredAt: new Date(Date.now() - 31 * day) },
      { ...entry({ organizationId: 'org-deleted' }), occurredAt: new Date(Date.now() - 400 * day) },
      { ...entry({ organizationId: 'org-retention' }), occurredAt: new Date(Date.now() - 29 * day) },
    ]);
    expect(await deleteActivityOlderThan(30, store)).toBe(3);
    const kept = await queryActivity({ organizationId: 'org-retention', page: 1, pageSize: 50 }, store);
    expect(kept.total).toBe(1);
    expect((await queryActivity({ organizationId: ORG, page: 1, pageSize: 1 }, store)).total).toBe(25);
    expect(await deleteActivityOlderThan(30, store)).toBe(0);
    await expect(deleteActivityOlderThan(0, store)).rejects.toThrow(RangeError);
  });

  it('refuses to change recorded entries', async () => {
    const failure: unknown = await runSql(
      sql`update activity_log set outcome = 'failed' where organization_id = ${ORG}`,
      backend.store.db,
    ).catch((error: unknown) => error);
    // Drizzle wraps the driver's error.
    expect(String((failure as Error).cause)).toMatch(/append-only/);
  });
});
