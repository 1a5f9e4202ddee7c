import { redirect } from 'next/navigation';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { createTranslator, getCatalog } from '@/lib/i18n/messages';
import { LogtoApiError, LogtoNetworkError } from '@/lib/logto';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@/lib/permissions/errors';
import type { Locale } from '@/lib/i18n/config';
import { ActionFailure } from './result';
import { type ActionServices, buildAction, buildOrgAction, normalizeInput } from './run-action';

const ALICE: Actor = {
  userId: 'u-alice',
  email: 'alice@acme.example',
  name: 'Alice Admin',
  isOperator: false,
};

function fakeServices(options: { locale?: Locale; actor?: Actor | null; access?: Error | null } = {}) {
  const calls: string[] = [];
  const logged: unknown[] = [];
  const locale = options.locale ?? 'en';
  const services: ActionServices = {
    getActor: async () => {
      calls.push('session');
      if (options.actor === null) throw new UnauthenticatedError();
      return options.actor ?? ALICE;
    },
    requireOrgScopes: async (actor, orgId, needed) => {
      calls.push(`permission:${orgId}:${needed.join(',')}`);
      if (options.access) throw options.access;
      return { orgId, isOperator: actor.isOperator, scopes: ['readMembers', ...needed], scopeNames: [] };
    },
    getTranslator: async () => ({ locale, t: createTranslator(locale, getCatalog(locale)) }),
    revalidatePath: (path) => calls.push(`revalidate:${path}`),
    logError: (_name, error) => logged.push(error),
  };
  return { services, calls, logged };
}

const schema = z.object({ userId: z.string().min(1), email: z.email() });

function removeAction(services: ActionServices, run: () => Promise<string> = async () => 'done') {
  return buildOrgAction(services, {
    name: 'testAction',
    schema,
    scopes: ['removeMembers'],
    run: async ({ input }) => {
      expect(input.userId).toBe('u-bob');
      return run();
    },
    revalidate: ({ orgId }) => [`/orgs/${orgId}/members`],
  });
}

const GOOD_INPUT = { userId: 'u-bob', email: 'bob@acme.example' };

describe('buildOrgAction', () => {
  it('runs session → zod → permission → Logto → revalidate → result', async () => {
    const { services, calls } = fakeServices();
    const result = await removeAction(services, async () => {
      calls.push('logto');
      return 'removed';
    })('org1', GOOD_INPUT);
    expect(result).toEqual({ ok: true, data: 'removed' });
    expect(calls).toEqual([
      'session',
      'permission:org1:removeMembers',
      'logto',
      'revalidate:/orgs/org1/members',
    ]);
  });

  it.each([
    ['an array', ['org1']],
    ['an object', { toString: () => 'org1' }],
    ['a number', 1],
    ['nothing', undefined],
  ])('refuses an organization id that is %s before any permission check', async (_kind, orgId) => {
    const { services, calls } = fakeServices();
    const result = await removeAction(services)(orgId as unknown as string, GOOD_INPUT);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', fieldErrors: { orgId: [expect.any(String)] } },
    });
    expect(calls).toEqual(['session']);
  });

  it('reports input field errors under the field names, not under the wrapper', async () => {
    const { services } = fakeServices();
    const result = await removeAction(services)('org1', { userId: '', email: 'nope' });
    expect(result.ok).toBe(false);
    expect(Object.keys(!result.ok ? (result.error.fieldErrors ?? {}) : {}).sort()).toEqual([
      'email',
      'userId',
    ]);
  });

  it('stops at the session when nobody is signed in', async () => {
    const { services, calls } = fakeServices({ actor: null });
    const result = await removeAction(services)('org1', GOOD_INPUT);
    expect(result).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'Your session has ended. Please sign in again.' },
    });
    expect(calls).toEqual(['session']);
  });

  it('returns every field error and never reaches the permission check on bad input', async () => {
    const { services, calls } = fakeServices();
    const result = await removeAction(services)('org1', { userId: '', email: 'nope' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual(['email', 'userId']);
    expect(calls).toEqual(['session']);
  });

  it('words field errors in the request language', async () => {
    const { services } = fakeServices({ locale: 'ko' });
    const result = await removeAction(services)('org1', { userId: 'u-bob', email: 'nope' });
    expect(result.ok ? null : result.error.fieldErrors?.email).toEqual(['잘못된 이메일 주소']);
    expect(result.ok ? null : result.error.message).toBe(
      '올바르지 않은 항목이 있습니다. 표시된 항목을 확인해 주세요.',
    );
  });

  it('answers not_found when the organization is hidden, without calling Logto', async () => {
    const { services, calls } = fakeServices({ access: new NotFoundError() });
    const result = await removeAction(services, async () => {
      calls.push('logto');
      return 'x';
    })('org1', GOOD_INPUT);
    expect(result.ok ? null : result.error.code).toBe('not_found');
    expect(calls).not.toContain('logto');
  });

  it('answers forbidden when a scope is missing', async () => {
    const { services } = fakeServices({ access: new ForbiddenError(['removeMembers']) });
    const result = await removeAction(services)('org1', GOOD_INPUT);
    expect(result.ok ? null : result.error).toEqual({
      code: 'forbidden',
      message: 'You do not have permission to do that in this organization.',
    });
  });

  it('maps Logto error codes to our messages, never passing Logto text through', async () => {
    const { services, logged } = fakeServices();
    const upstream = new LogtoApiError({
      status: 422,
      code: 'organization.require_membership',
      message: 'The user must be a member of the organization to proceed.',
    });
    const result = await removeAction(services, () => Promise.reject(upstream))('org1', GOOD_INPUT);
    expect(result.ok ? null : result.error).toEqual({
      code: 'not_a_member',
      message: 'That person is not a member of this organization.',
    });
    expect(logged).toEqual([]);
  });

  it('reports outages and unknown failures as such, and logs them', async () => {
    const { services, logged } = fakeServices();
    const outage = await removeAction(services, () =>
      Promise.reject(new LogtoNetworkError('network.unreachable', 'ECONNREFUSED')),
    )('org1', GOOD_INPUT);
    expect(outage.ok ? null : outage.error.code).toBe('upstream_unavailable');
    const crash = await removeAction(services, () => Promise.reject(new TypeError('boom')))(
      'org1',
      GOOD_INPUT,
    );
    expect(crash.ok ? null : crash.error).toEqual({
      code: 'internal',
      message: 'Something went wrong on our side. Please try again.',
    });
    expect(logged).toHaveLength(2);
  });

  it('passes a domain refusal through with its code and field errors', async () => {
    const { services } = fakeServices();
    const result = await removeAction(services, () =>
      Promise.reject(new ActionFailure('forbidden', { userId: ['Cannot remove the last admin'] })),
    )('org1', GOOD_INPUT);
    expect(result.ok ? null : result.error.fieldErrors).toEqual({ userId: ['Cannot remove the last admin'] });
  });

  it('lets redirect() through to Next instead of swallowing it', async () => {
    const { services } = fakeServices();
    const action = buildOrgAction(services, {
      name: 'redirecting',
      schema: z.object({}),
      scopes: [],
      run: async () => redirect('/orgs'),
    });
    await expect(action('org1', {})).rejects.toMatchObject({
      digest: expect.stringContaining('NEXT_REDIRECT'),
    });
  });

  it('accepts FormData with repeated keys', async () => {
    const { services } = fakeServices();
    const action = buildOrgAction(services, {
      name: 'invite',
      schema: z.object({ emails: z.array(z.email()), days: z.coerce.number().int() }),
      scopes: ['inviteMembers'],
      run: async ({ input }) => input,
    });
    const form = new FormData();
    form.append('emails', 'a@x.example');
    form.append('emails', 'b@x.example');
    form.append('days', '7');
    form.append('$ACTION_ID_abc', '');
    expect(await action('org1', form)).toEqual({
      ok: true,
      data: { emails: ['a@x.example', 'b@x.example'], days: 7 },
    });
  });
});

describe('buildAction', () => {
  it('runs its own authorization after validation', async () => {
    const { services, calls } = fakeServices();
    const action = buildAction(services, {
      name: 'createOrganizationAction',
      schema: z.object({ name: z.string().min(1) }),
      authorize: (actor) => {
        calls.push('authorize');
        if (!actor.isOperator) throw new ForbiddenError(['operator']);
      },
      run: async () => 'created',
    });
    expect(await action({ name: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(calls).toEqual(['session']);
    expect(await action({ name: 'New org' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual(['session', 'session', 'authorize']);
  });
});

describe('normalizeInput', () => {
  it('leaves plain objects alone', () => {
    const input = { a: 1 };
    expect(normalizeInput(input)).toBe(input);
  });
});
