import { describe, expect, it } from 'vitest';
import type { InviteSummary } from '@/lib/portal/invitations';
import type { MemberRead } from '@/lib/portal/members';
import {
  bulkRemovalPlan,
  removalPlan,
  roleChangePlan,
  settleBulk,
  settleInvitations,
  settleRoleChange,
} from './plans';
import { type ActivityItem, type ActivityPlan, createActivityRecorder } from './record';

const member = (id: string, roles?: string[]): ActivityItem => ({
  target: { type: 'member', id, label: `${id}@acme.example` },
  before: roles ? { roles } : null,
  after: roles ? { roles: [...roles, 'manager'].sort() } : null,
});

describe('settleRoleChange', () => {
  it('records the roles Logto now holds', () => {
    expect(
      settleRoleChange({ roles: [{ name: 'member' }, { name: 'manager' }] }, [member('carol', ['member'])]),
    ).toEqual([
      {
        target: { type: 'member', id: 'carol', label: 'carol@acme.example' },
        before: { roles: ['member'] },
        after: { roles: ['manager', 'member'] },
        action: 'member.role_change',
        outcome: 'done',
      },
    ]);
  });

  it('records nothing when the member already held exactly those roles', () => {
    expect(settleRoleChange({ roles: [{ name: 'member' }] }, [member('carol', ['member'])])).toEqual([]);
  });

  it('still records the change when the roles before are unknown', () => {
    expect(settleRoleChange({ roles: [{ name: 'member' }] }, [member('carol')])).toHaveLength(1);
  });
});

describe('settleBulk', () => {
  it('makes one entry per member: done, refused by a rule, or failed upstream', () => {
    const items = [member('a', ['member']), member('b', ['admin']), member('c', ['member'])];
    const events = settleBulk(
      'member.remove',
      items,
      {
        succeeded: ['a'],
        failed: [
          { userId: 'b', reason: 'last_role_assigner' },
          { userId: 'c', reason: 'upstream_unavailable' },
          { userId: 'd', reason: 'not_a_member' },
        ],
      },
      () => null,
    );
    expect(
      events.map((event) => [event.target.id, event.outcome, event.reason ?? null, event.after]),
    ).toEqual([
      ['a', 'done', null, null],
      ['b', 'refused', 'last_role_assigner', { roles: ['admin', 'manager'] }],
      ['c', 'failed', 'upstream_unavailable', { roles: ['manager', 'member'] }],
      ['d', 'refused', 'not_a_member', undefined],
    ]);
    expect(events[0]?.before).toEqual({ roles: ['member'] });
  });
});

describe('settleInvitations', () => {
  it('records invitations made (with or without email) and addresses that failed, not the ones left alone', () => {
    const items = ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example', 'e@x.example'].map(
      (email): ActivityItem => ({
        target: { type: 'invitation', label: email },
        after: { roles: ['member'] },
      }),
    );
    const summary: InviteSummary = {
      emailSent: true,
      results: [
        { email: 'a@x.example', outcome: 'sent', invitationId: 'i1', link: 'l1' },
        { email: 'b@x.example', outcome: 'created', invitationId: 'i2', link: 'l2', reason: 'rate_limited' },
        { email: 'c@x.example', outcome: 'already_member' },
        { email: 'd@x.example', outcome: 'already_invited' },
        { email: 'e@x.example', outcome: 'failed', reason: 'upstream_unavailable' },
      ],
    };
    expect(
      settleInvitations(summary, items).map((event) => [
        event.target.label,
        event.target.id ?? null,
        event.outcome,
        event.reason ?? null,
      ]),
    ).toEqual([
      ['a@x.example', 'i1', 'done', null],
      ['b@x.example', 'i2', 'done', 'rate_limited'],
      ['e@x.example', null, 'failed', 'upstream_unavailable'],
    ]);
  });
});

// What a change reads, as `lib/portal/members` reports it.
const read = (email: string | null, ...roles: string[]): MemberRead => ({
  email,
  roles: roles.map((name) => ({ id: `r-${name}`, name })),
});

function recording() {
  const entries: unknown[] = [];
  const recorder = createActivityRecorder({ append: async (entry) => entries.push(entry) });
  const scope = { actor: { userId: 'alice', email: 'alice@acme.example', isOperator: false }, orgId: 'acme' };
  return {
    entries,
    run: <T>(plan: ActivityPlan<T>, change: () => Promise<T>) => recorder.withActivity(scope, plan, change),
  };
}

describe('plans of changes that report what they read', () => {
  it('describe a role change from the member the change read', async () => {
    const { entries, run } = recording();
    const plan = roleChangePlan('carol', []);
    await run(plan, async () => {
      plan.reads.set('carol', read('carol@acme.example', 'member'));
      return { roles: [{ name: 'member' }, { name: 'manager' }] };
    });
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: 'carol',
        targetLabel: 'carol@acme.example',
        before: { roles: ['member'] },
        after: { roles: ['manager', 'member'] },
        outcome: 'done',
      }),
    ]);
  });

  it('describe a refusal by what was read before it, and by id alone when nothing was', async () => {
    const { entries, run } = recording();
    const refusal = Object.assign(new Error('no'), { name: 'Refused' });
    const readFirst = roleChangePlan('alice', []);
    await expect(
      run(readFirst, async () => {
        readFirst.reads.set('alice', read('alice@acme.example', 'admin'));
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    await expect(
      run(removalPlan('zed'), async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'member.role_change',
        targetLabel: 'alice@acme.example',
        before: { roles: ['admin'] },
        after: { roles: [] },
      }),
      expect.objectContaining({ action: 'member.remove', targetId: 'zed', targetLabel: null, before: null }),
    ]);
  });

  it('describe a removal with the roles held, one or a batch', async () => {
    const { entries, run } = recording();
    const one = removalPlan('carol');
    await run(one, async () => {
      one.reads.set('carol', read('carol@acme.example', 'member', 'manager'));
      return { userId: 'carol' };
    });
    const batch = bulkRemovalPlan(['a', 'b', 'stranger']);
    await run(batch, async () => {
      batch.reads.set('a', read('a@acme.example', 'member'));
      batch.reads.set('b', read('b@acme.example', 'admin'));
      return {
        succeeded: ['a'],
        failed: [
          { userId: 'b', reason: 'last_role_assigner' as const },
          { userId: 'stranger', reason: 'not_a_member' as const },
        ],
      };
    });
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: 'carol',
        targetLabel: 'carol@acme.example',
        before: { roles: ['manager', 'member'] },
        after: null,
        outcome: 'done',
      }),
      expect.objectContaining({ targetId: 'a', targetLabel: 'a@acme.example', outcome: 'done', after: null }),
      expect.objectContaining({
        targetId: 'b',
        before: { roles: ['admin'] },
        outcome: 'refused',
        reason: 'last_role_assigner',
      }),
      expect.objectContaining({ targetId: 'stranger', targetLabel: null, reason: 'not_a_member' }),
    ]);
  });
});
