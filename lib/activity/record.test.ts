import { describe, expect, it, vi } from 'vitest';
import { ActionFailure } from '@/lib/actions/result';
import { LogtoApiError, LogtoNetworkError } from '@/lib/logto';
import { ForbiddenError, NotFoundError } from '@/lib/permissions';
import { ActingAboveOwnRoleError, InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import { InvitationEmailMismatchError, InvitationNotPendingError } from '@/lib/portal/invitations';
import type { ActivityEntry } from '@/lib/store';
import { resolveCode, resolveError } from './outcome';
import { type ActivityScope, createActivityRecorder } from './record';

const scope: ActivityScope = {
  actor: { userId: 'alice-id', email: 'alice@acme.example', isOperator: false },
  orgId: 'acme',
};
const carol = { target: { type: 'member' as const, id: 'carol-id', label: 'carol@acme.example' } };

function recorder(
  append: (entry: ActivityEntry) => Promise<unknown> = async () => undefined,
  waitMs?: number,
) {
  const entries: ActivityEntry[] = [];
  const reports: string[] = [];
  const instance = createActivityRecorder({
    append: async (entry) => {
      await append(entry);
      entries.push(entry);
    },
    waitMs,
    report: (message) => reports.push(message),
  });
  return { ...instance, entries, reports };
}

describe('withActivity', () => {
  it('records a change that went through, with who, what, where, before and after', async () => {
    const { withActivity, entries } = recorder();
    const result = await withActivity(
      scope,
      {
        action: 'member.role_change',
        items: [{ ...carol, before: { roles: ['member'] }, after: { roles: ['manager'] } }],
      },
      async () => ({ ok: 1 }),
    );
    expect(result).toEqual({ ok: 1 });
    expect(entries).toEqual([
      {
        organizationId: 'acme',
        actorUserId: 'alice-id',
        actorEmail: 'alice@acme.example',
        actorIsOperator: false,
        action: 'member.role_change',
        targetType: 'member',
        targetId: 'carol-id',
        targetLabel: 'carol@acme.example',
        before: { roles: ['member'] },
        after: { roles: ['manager'] },
        outcome: 'done',
        reason: null,
        jobId: null,
      },
    ]);
  });

  it('records a refusal with the rule that refused it, then rethrows the same error', async () => {
    const { withActivity, entries } = recorder();
    const refusal = new LastRoleAssignerError(['carol-id']);
    await expect(
      withActivity(scope, { action: 'member.remove', items: [carol] }, async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(entries).toMatchObject([
      { action: 'member.remove', outcome: 'refused', reason: 'last_role_assigner' },
    ]);
  });

  it('records an upstream error as failed, one entry per item of the batch', async () => {
    const { withActivity, entries } = recorder();
    const items = ['a', 'b', 'c'].map((id) => ({ target: { type: 'member' as const, id } }));
    await expect(
      withActivity(scope, { action: 'member.remove', items }, async () => {
        throw new LogtoApiError({ status: 503, code: 'unknown', message: 'down' });
      }),
    ).rejects.toThrow('down');
    expect(entries.map((entry) => [entry.targetId, entry.outcome, entry.reason])).toEqual([
      ['a', 'failed', 'upstream_unavailable'],
      ['b', 'failed', 'upstream_unavailable'],
      ['c', 'failed', 'upstream_unavailable'],
    ]);
  });

  it('lets the result decide the entries, and records nothing when nothing changed', async () => {
    const { withActivity, entries } = recorder();
    await withActivity(
      scope,
      { action: 'member.role_change', items: [carol], settle: () => [] },
      async () => 'unchanged',
    );
    expect(entries).toEqual([]);
  });

  it('adds what it can find out about a target when the change threw', async () => {
    const { withActivity, entries } = recorder();
    await expect(
      withActivity(
        scope,
        {
          action: 'invitation.revoke',
          items: [{ target: { type: 'invitation', id: 'i1' } }],
          describeFailure: async () => [{ target: { type: 'invitation', id: 'i1', label: 'dan@x.example' } }],
        },
        async () => {
          throw new InvitationNotPendingError('Accepted');
        },
      ),
    ).rejects.toThrow();
    expect(entries).toMatchObject([
      { targetLabel: 'dan@x.example', outcome: 'refused', reason: 'not_pending' },
    ]);
  });

  it('never turns a change that went through into an error when the log cannot be written', async () => {
    const { withActivity, entries, reports } = recorder(async () => {
      throw new Error('store is down');
    });
    await expect(
      withActivity(scope, { action: 'member.remove', items: [carol] }, async () => 'removed'),
    ).resolves.toBe('removed');
    expect(entries).toEqual([]);
    // The whole entry goes to the server console, so whoever runs the portal still has it.
    expect(reports).toHaveLength(1);
    expect(reports[0]).toContain('could not record member.remove (done)');
    expect(reports[0]).toContain('carol@acme.example');
  });

  it('keeps the original error when the log cannot be written for a refusal either', async () => {
    const { withActivity } = recorder(async () => {
      throw new Error('store is down');
    });
    const refusal = new ForbiddenError(['operator']);
    await expect(
      withActivity(scope, { action: 'member.add', items: [carol] }, async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
  });

  it('answers without waiting longer than its bound for a slow store; the write carries on', async () => {
    vi.useFakeTimers();
    try {
      let finish: () => void = () => undefined;
      const { withActivity, entries, reports } = recorder(
        () => new Promise<void>((resolve) => (finish = resolve)),
        100,
      );
      const answer = withActivity(scope, { action: 'member.remove', items: [carol] }, async () => 'removed');
      await vi.advanceTimersByTimeAsync(150);
      await expect(answer).resolves.toBe('removed');
      expect(reports[0]).toContain('still writing 1 member.remove entries');
      finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(entries).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('records the change as planned when reading its result fails', async () => {
    const { withActivity, entries, reports } = recorder();
    await withActivity(
      scope,
      {
        action: 'member.role_change',
        items: [carol],
        settle: () => {
          throw new TypeError('unexpected shape');
        },
      },
      async () => ({}),
    );
    expect(entries).toMatchObject([{ outcome: 'done', targetId: 'carol-id' }]);
    expect(reports[0]).toContain('recording it as planned');
  });
});

describe('outcomes', () => {
  it('name the permission rule that refused', () => {
    expect(resolveError(new LastRoleAssignerError(['x']))).toEqual({
      outcome: 'refused',
      reason: 'last_role_assigner',
    });
    expect(resolveError(new RoleEscalationError(['admin'], ['assign:roles']))).toEqual({
      outcome: 'refused',
      reason: 'role_not_grantable',
    });
    expect(resolveError(new ActingAboveOwnRoleError(['admin'], ['assign:roles']))).toEqual({
      outcome: 'refused',
      reason: 'member_above_actor',
    });
    expect(resolveError(new ForbiddenError(['operator']))).toEqual({
      outcome: 'refused',
      reason: 'forbidden',
    });
    expect(resolveError(new InvitationEmailMismatchError())).toEqual({
      outcome: 'refused',
      reason: 'email_mismatch',
    });
  });

  it('call bad input and vanished targets refusals, upstream trouble failures', () => {
    expect(resolveError(new InvalidRoleIdsError(['r9']))).toEqual({
      outcome: 'refused',
      reason: 'invalid_input',
    });
    expect(resolveError(new NotFoundError())).toEqual({ outcome: 'refused', reason: 'not_found' });
    expect(resolveError(new ActionFailure('not_a_member'))).toEqual({
      outcome: 'refused',
      reason: 'not_a_member',
    });
    expect(resolveError(new LogtoNetworkError('network.timeout', 'slow'))).toEqual({
      outcome: 'failed',
      reason: 'upstream_unavailable',
    });
    expect(resolveError(new LogtoApiError({ status: 429, code: 'x', message: 'x' }))).toEqual({
      outcome: 'failed',
      reason: 'rate_limited',
    });
    expect(resolveError(new Error('bug'))).toEqual({ outcome: 'failed', reason: 'internal' });
  });

  it('sort bulk reason codes the same way', () => {
    expect(resolveCode('last_role_assigner')).toEqual({ outcome: 'refused', reason: 'last_role_assigner' });
    expect(resolveCode('email_unavailable')).toEqual({ outcome: 'failed', reason: 'email_unavailable' });
  });
});
