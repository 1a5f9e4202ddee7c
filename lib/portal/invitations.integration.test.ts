// lib/portal/invitations against the real local Logto (emulator/), over HTTP, with a small Acme.
import { createServer, request as forwardRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listOutboxMessages } from '@/emulator/db';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import {
  addOrganizationMembers,
  createInvitation,
  createUser,
  getMemberRoles,
  listInvitations,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  LogtoApiError,
  type ManagementClient,
  type OrganizationRoleWithScopes,
  updateInvitationStatus,
} from '@/lib/logto';
import { type ManagementClientOptions } from '@/lib/logto';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import { ForbiddenError, type OrgAccess } from '@/lib/permissions';
import {
  acceptInvitationAs,
  checkInvitees,
  expiryFromDays,
  findOrganizationInvitation,
  InvitationEmailMismatchError,
  InvitationNotFoundError,
  InvitationNotPendingError,
  inviteToOrganization,
  type InviteOptions,
  type InviteResult,
  organizationInvitations,
  resendOrganizationInvitation,
  revokeOrganizationInvitation,
} from './invitations';

const PORTAL_URL = 'http://portal.test';

let emulator: EmulatorHandle;
let client: ManagementClient;
let acmeId: string;
let globexId: string;
let aliceId: string;
let roles: OrganizationRoleWithScopes[];

function roleId(name: string): string {
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`role ${name} is not seeded`);
  return role.id;
}

function clientFor(endpoint: { url: string }, extra: Partial<ManagementClientOptions> = {}) {
  return localLogtoClient(endpoint.url, extra);
}

async function organizationId(name: string): Promise<string> {
  const found = (await listOrganizations({ q: name }, client)).rows.find((org) => org.name === name);
  if (!found) throw new Error(`${name} is not seeded`);
  return found.id;
}

function invite(emails: string[], extra: Partial<InviteOptions> = {}) {
  return inviteToOrganization({
    orgId: acmeId,
    inviterId: aliceId,
    emails,
    roleIds: [roleId('member')],
    expiresAt: expiryFromDays(7),
    portalUrl: PORTAL_URL,
    locale: 'en',
    client,
    ...extra,
  });
}

async function pendingFor(email: string, orgId = acmeId) {
  const invitations = await listInvitations({ organizationId: orgId, invitee: email }, client);
  return invitations.filter((invitation) => invitation.status === 'Pending');
}

// What the seeded admin role holds.
const ADMIN_SCOPES = [
  'read:members',
  'invite:members',
  'remove:members',
  'assign:roles',
  'manage:organization',
];
const MANAGER_SCOPES = ['read:members', 'invite:members'];

function access(scopeNames: string[], orgId = acmeId): OrgAccess {
  return { orgId, isOperator: false, scopes: [], scopeNames };
}

/** The organization's admins act on its invitations unless a test says otherwise. */
const acmeAdmin = () => access(ADMIN_SCOPES);

type CountingProxy = {
  url: string;
  /** Most Management API requests the local Logto was answering at the same time. */
  maxInFlight: number;
  close(): Promise<void>;
};

/**
 * A pass-through in front of the local Logto that counts the `/api` requests it is answering at
 * once (from arrival until the answer is sent), so a test can say how many calls overlapped
 * without timing anything.
 */
async function startCountingProxy(target: EmulatorHandle): Promise<CountingProxy> {
  const upstream = new URL(target.url);
  let inFlight = 0;
  const proxy: CountingProxy = { url: '', maxInFlight: 0, close: async () => undefined };
  const server = createServer((incoming, outgoing) => {
    const isApi = incoming.url?.startsWith('/api/') ?? false;
    if (isApi) {
      inFlight += 1;
      proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
      outgoing.once('close', () => {
        inFlight -= 1;
      });
    }
    const forwarded = forwardRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return proxy;
}

let counter = 0;
/** A fresh address per test, so tests do not depend on each other's invitations. */
function freshEmail(label: string): string {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@newcomers.example`;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 60 });
  client = clientFor(emulator);
  [acmeId, globexId, roles] = await Promise.all([
    organizationId('Acme'),
    organizationId('Globex'),
    listOrganizationRoles(client),
  ]);
  const alice = (await listOrganizationMembers(acmeId, { q: 'alice@acme.example' }, client)).rows[0];
  if (!alice) throw new Error('alice is not seeded');
  aliceId = alice.id;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.faults.clear();
});

describe('inviteToOrganization', () => {
  it('emails new addresses a link to their invitation and skips members and pending invitees', async () => {
    const [seededPending] = await listInvitations({ organizationId: acmeId }, client).then((all) =>
      all.filter((invitation) => invitation.status === 'Pending'),
    );
    const newcomers = [freshEmail('ann'), freshEmail('ben')];
    const summary = await invite([...newcomers, 'carol@acme.example', seededPending!.invitee.toLowerCase()]);

    expect(summary.emailSent).toBe(true);
    expect(summary.results.map(({ email, outcome }) => [email, outcome])).toEqual([
      [newcomers[0], 'sent'],
      [newcomers[1], 'sent'],
      ['carol@acme.example', 'already_member'],
      [seededPending!.invitee.toLowerCase(), 'already_invited'],
    ]);
    for (const email of newcomers) {
      const [pending] = await pendingFor(email);
      expect(pending).toMatchObject({
        invitee: email,
        inviterId: aliceId,
        organizationRoles: [{ name: 'member' }],
      });
      const [message] = await listOutboxMessages(emulator.db, { to: email });
      expect(message?.link).toBe(
        `${PORTAL_URL}/invitations/${pending!.id}#email=${encodeURIComponent(email)}`,
      );
      expect(message?.payload).toMatchObject({ organization: { name: 'Acme' }, locale: 'en' });
    }
  });

  it('finds members whatever the letter case of their address (Logto itself compares exactly)', async () => {
    const email = freshEmail('Mixed.Case');
    const member = await createUser({ primaryEmail: email, password: 'long-enough-1' }, client);
    await addOrganizationMembers(acmeId, [member.id], client);
    const summary = await invite([email.toLowerCase(), 'alice@acme.example']);
    expect(summary.results.map(({ outcome }) => outcome)).toEqual(['already_member', 'already_member']);
    expect(await pendingFor(email)).toHaveLength(0);
    expect(await checkInvitees(acmeId, ['alice@acme.example', freshEmail('nobody')], client)).toMatchObject([
      { status: 'member' },
      { status: 'new' },
    ]);
  });

  it('works on several addresses at once, but never on more than four', async () => {
    // Each Logto call takes a while, so calls made side by side overlap at the local Logto and
    // the proxy sees them; the limit shows as the most calls answered at once.
    const proxy = await startCountingProxy(emulator);
    try {
      emulator.faults.set({ latencyMs: 150 });
      const summary = await invite(
        Array.from({ length: 8 }, () => freshEmail('paced')),
        { client: clientFor(proxy) },
      );
      expect(summary.results.every(({ outcome }) => outcome === 'sent')).toBe(true);
      expect(proxy.maxInFlight).toBeGreaterThan(1);
      expect(proxy.maxInFlight).toBeLessThanOrEqual(4);
    } finally {
      await proxy.close();
    }
  });

  it('never creates a second pending invitation: not on a second submission, not on a concurrent one', async () => {
    const emails = [freshEmail('twice'), freshEmail('twice')];
    const [first, second, third] = await Promise.all([invite(emails), invite(emails), invite(emails)]);
    const outcomes = [first, second, third].flatMap((summary) =>
      summary.results.map(({ outcome }) => outcome),
    );
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome === 'already_invited')).toHaveLength(4);
    for (const email of emails) expect(await pendingFor(email)).toHaveLength(1);

    const retry = await invite(emails);
    expect(retry.results.map(({ outcome }) => outcome)).toEqual(['already_invited', 'already_invited']);
    expect(await checkInvitees(acmeId, emails, client)).toEqual(
      emails.map((email) => ({ email, status: 'invited' })),
    );
  });

  it('sends 200 invitations at once within a request budget', async () => {
    // A client budget of 150 calls per 2 s against a Logto that refuses more than 160 per 2 s:
    // a client that did not pace itself would be refused, and a refused write is not retried.
    const budgeted = clientFor(emulator, { requestBudget: { maxRequests: 150, windowMs: 2_000 } });
    emulator.faults.set({ rateLimit: { limit: 160, windowMs: 2_000 } });
    emulator.faults.resetStats();
    const emails = Array.from({ length: 200 }, () => freshEmail('bulk'));

    const summary = await invite(emails, { client: budgeted, deadlineMs: 60_000 });

    expect(summary.results.filter(({ outcome }) => outcome === 'sent')).toHaveLength(200);
    const stats = emulator.faults.stats();
    // One invitation list, then per address: a member search, the create and the email.
    expect(stats.byRoute['GET /organization-invitations']).toBe(1);
    expect(stats.byRoute['POST /organization-invitations']).toBe(200);
    expect(stats.byRoute['POST /organization-invitations/:id/message']).toBe(200);
    expect(budgeted.stats.requests).toBe(601);
    // Every request the local Logto received reached its route: none was refused with 429.
    const routed = Object.values(stats.byRoute).reduce((sum, count) => sum + count, 0);
    expect(stats.apiRequests).toBe(routed);
    expect(budgeted.stats.retries).toBe(0);
  }, 90_000);

  it('reports addresses it had no time for as failed, creating nothing for them', async () => {
    const emails = [freshEmail('late'), freshEmail('late')];
    const summary = await invite(emails, { deadlineMs: 0 });
    expect(summary.results).toEqual(
      emails.map((email) => ({ email, outcome: 'failed', reason: 'upstream_unavailable' })),
    );
    for (const email of emails) expect(await pendingFor(email)).toHaveLength(0);
  });

  it('keeps an invitation whose email hit the per-recipient cap, with its link to share', async () => {
    const email = freshEmail('capped');
    const [first] = (await invite([email])).results;
    expect(first?.outcome).toBe('sent');
    const invitationId = first && 'invitationId' in first ? first.invitationId : '';
    // Logto allows 10 emails per recipient per 10 minutes; 9 more reach the cap.
    for (let sent = 1; sent < 10; sent += 1) {
      await resendOrganizationInvitation(
        { access: acmeAdmin(), invitationId, portalUrl: PORTAL_URL, locale: 'en' },
        client,
      );
    }
    await expect(
      resendOrganizationInvitation(
        { access: acmeAdmin(), invitationId, portalUrl: PORTAL_URL, locale: 'en' },
        client,
      ),
    ).rejects.toMatchObject({ status: 429, code: 'request.message_rate_limited' });

    await revokeOrganizationInvitation({ access: acmeAdmin(), invitationId }, client);
    const again = await invite([email]);
    expect(again.results[0]).toMatchObject({
      outcome: 'created',
      reason: 'rate_limited',
      link: expect.stringContaining('/invitations/'),
    });
    expect(await pendingFor(email)).toHaveLength(1);
  });
});

describe('the invitations table’s list', () => {
  const listCalls = () => emulator.faults.stats().byRoute['GET /organization-invitations'] ?? 0;
  /** `read`'s answer, and how many list calls the local Logto answered meanwhile. */
  async function counted<T>(read: () => Promise<T>): Promise<{ value: T; calls: number }> {
    const before = listCalls();
    const value = await read();
    return { value, calls: listCalls() - before };
  }

  it('asks Logto once while kept, and again at once after the portal invites or revokes', async () => {
    const cached = clientFor(emulator, { readCache: { ttlMs: 60_000 } });

    const first = await counted(() =>
      Promise.all([organizationInvitations(acmeId, cached), organizationInvitations(acmeId, cached)]),
    );
    const [listed, joined] = first.value;
    expect(joined).toEqual(listed);
    expect(first.calls).toBe(1);
    expect(await counted(() => organizationInvitations(acmeId, cached))).toEqual({ value: listed, calls: 0 });
    // Only what the table shows is kept.
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      [
        'createdAt',
        'expiresAt',
        'id',
        'invitee',
        'inviterId',
        'organizationRoles',
        'status',
        'updatedAt',
      ].sort(),
    );

    const email = freshEmail('listed');
    const [result] = (await invite([email], { client: cached })).results;
    const invitationId = result && 'invitationId' in result ? result.invitationId : '';
    const afterInvite = await counted(() => organizationInvitations(acmeId, cached));
    expect(afterInvite.calls).toBe(1);
    expect(afterInvite.value).toHaveLength(listed.length + 1);
    expect(afterInvite.value.find((invitation) => invitation.id === invitationId)).toMatchObject({
      invitee: email,
      status: 'Pending',
      organizationRoles: [{ name: 'member' }],
    });

    await revokeOrganizationInvitation({ access: acmeAdmin(), invitationId }, cached);
    const afterRevoke = await counted(() => organizationInvitations(acmeId, cached));
    expect(afterRevoke.calls).toBe(1);
    expect(afterRevoke.value.find((invitation) => invitation.id === invitationId)?.status).toBe('Revoked');
    expect(await counted(() => organizationInvitations(acmeId, cached))).toMatchObject({ calls: 0 });

    // Another organization's list is its own.
    const globex = await counted(() => organizationInvitations(globexId, cached));
    expect(globex.calls).toBe(1);
    expect(globex.value.some((invitation) => invitation.id === invitationId)).toBe(false);
  });

  it('is asked for again after an invitation Logto did not confirm: it may have been made', async () => {
    const cached = clientFor(emulator, { readCache: { ttlMs: 60_000 } });
    const kept = await counted(() => organizationInvitations(acmeId, cached));
    expect(kept.calls).toBe(1);
    expect(await counted(() => organizationInvitations(acmeId, cached))).toMatchObject({ calls: 0 });
    expect(await counted(() => organizationInvitations(globexId, cached))).toMatchObject({ calls: 1 });

    // Logto refuses the create with an answer that names no organization, as a lost answer would.
    emulator.faults.set({ failNext: { count: 1, status: 500 } });
    await expect(
      createInvitation(
        {
          invitee: freshEmail('unconfirmed'),
          organizationId: acmeId,
          expiresAt: Date.now() + 86_400_000,
          organizationRoleIds: [],
          messagePayload: false,
        },
        cached,
      ),
    ).rejects.toBeInstanceOf(LogtoApiError);
    expect(emulator.faults.get().failNext, 'the fault met the write').toBeUndefined();

    const after = await counted(() => organizationInvitations(acmeId, cached));
    expect(after.calls).toBe(1);
    expect(after.value).toEqual(kept.value);
    // Another organization's kept list stays.
    expect(await counted(() => organizationInvitations(globexId, cached))).toMatchObject({ calls: 0 });
  });
});

describe('the invitation-id actions', () => {
  it('treat another organization’s invitation as not found', async () => {
    const [globexInvitation] = await Promise.all([
      createInvitation(
        {
          invitee: freshEmail('globex'),
          organizationId: globexId,
          expiresAt: expiryFromDays(1),
          messagePayload: false,
        },
        client,
      ),
    ]);
    await expect(findOrganizationInvitation(acmeId, globexInvitation!.id, client)).rejects.toBeInstanceOf(
      InvitationNotFoundError,
    );
    await expect(
      revokeOrganizationInvitation({ access: acmeAdmin(), invitationId: globexInvitation!.id }, client),
    ).rejects.toBeInstanceOf(InvitationNotFoundError);
    await expect(
      resendOrganizationInvitation(
        { access: acmeAdmin(), invitationId: 'no-such-invitation', portalUrl: PORTAL_URL, locale: 'en' },
        client,
      ),
    ).rejects.toBeInstanceOf(InvitationNotFoundError);
    await expect(findOrganizationInvitation(acmeId, '../../organizations', client)).rejects.toBeInstanceOf(
      InvitationNotFoundError,
    );
    // Untouched.
    expect((await findOrganizationInvitation(globexId, globexInvitation!.id, client)).status).toBe('Pending');
  });

  it('revoke a pending invitation once; a second revoke or a resend is refused', async () => {
    const email = freshEmail('revoke');
    const [result] = (await invite([email])).results;
    const invitationId = result && 'invitationId' in result ? result.invitationId : '';
    await revokeOrganizationInvitation({ access: acmeAdmin(), invitationId }, client);
    await expect(
      revokeOrganizationInvitation({ access: acmeAdmin(), invitationId }, client),
    ).rejects.toMatchObject({
      name: 'InvitationNotPendingError',
      status: 'Revoked',
    });
    await expect(
      resendOrganizationInvitation(
        { access: acmeAdmin(), invitationId, portalUrl: PORTAL_URL, locale: 'en' },
        client,
      ),
    ).rejects.toBeInstanceOf(InvitationNotPendingError);
  });

  it('refuse to act on an invitation carrying a role the actor could not grant (rule 3)', async () => {
    const manager = access(MANAGER_SCOPES);
    const idOf = (result: InviteResult | undefined) =>
      result && 'invitationId' in result ? result.invitationId : '';
    const aboveEmail = freshEmail('above');
    const above = idOf((await invite([aboveEmail], { roleIds: [roleId('admin')] })).results[0]);
    const within = idOf((await invite([freshEmail('within')], { roleIds: [roleId('manager')] })).results[0]);
    const emailsBefore = (await listOutboxMessages(emulator.db, { to: aboveEmail })).length;

    await expect(
      resendOrganizationInvitation(
        { access: manager, invitationId: above, portalUrl: PORTAL_URL, locale: 'en' },
        client,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      revokeOrganizationInvitation({ access: manager, invitationId: above }, client),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await findOrganizationInvitation(acmeId, above, client)).status).toBe('Pending');
    expect(await listOutboxMessages(emulator.db, { to: aboveEmail })).toHaveLength(emailsBefore);

    // Roles within the manager's own scopes: both allowed.
    await resendOrganizationInvitation(
      { access: manager, invitationId: within, portalUrl: PORTAL_URL, locale: 'en' },
      client,
    );
    await revokeOrganizationInvitation({ access: manager, invitationId: within }, client);
    expect((await findOrganizationInvitation(acmeId, within, client)).status).toBe('Revoked');
  });
});

describe('acceptInvitationAs', () => {
  it('makes the invitee a member with the invitation’s roles, and only them', async () => {
    const email = freshEmail('joiner');
    const [result] = (await invite([email], { roleIds: [roleId('manager')] })).results;
    const invitationId = result && 'invitationId' in result ? result.invitationId : '';
    const invitee = await createUser(
      { primaryEmail: email.toUpperCase(), password: 'long-enough-1', name: 'Joiner' },
      client,
    );
    const stranger = await createUser(
      { primaryEmail: freshEmail('stranger'), password: 'long-enough-1' },
      client,
    );

    await expect(acceptInvitationAs(stranger.id, invitationId, client)).rejects.toBeInstanceOf(
      InvitationEmailMismatchError,
    );
    expect(await acceptInvitationAs(invitee.id, invitationId, client)).toEqual({ organizationId: acmeId });
    // A double click accepts once and succeeds twice.
    expect(await acceptInvitationAs(invitee.id, invitationId, client)).toEqual({ organizationId: acmeId });
    expect((await getMemberRoles(acmeId, invitee.id, client)).map(({ name }) => name)).toEqual(['manager']);
    await expect(acceptInvitationAs(stranger.id, invitationId, client)).rejects.toMatchObject({
      status: 'Accepted',
    });
    expect((await findOrganizationInvitation(acmeId, invitationId, client)).acceptedUserId).toBe(invitee.id);
  });

  it('refuses revoked, expired and unknown invitations', async () => {
    const email = freshEmail('late-joiner');
    const user = await createUser({ primaryEmail: email, password: 'long-enough-1' }, client);
    const revoked = await createInvitation(
      { invitee: email, organizationId: acmeId, expiresAt: expiryFromDays(1), messagePayload: false },
      client,
    );
    await updateInvitationStatus(revoked.id, 'Revoked', undefined, client);
    await expect(acceptInvitationAs(user.id, revoked.id, client)).rejects.toMatchObject({
      status: 'Revoked',
    });

    const expiring = await createInvitation(
      { invitee: email, organizationId: acmeId, expiresAt: expiryFromDays(1), messagePayload: false },
      client,
    );
    // Logto derives `Expired` from `expiresAt`; moving it into the past stands in for waiting.
    await emulator.db.pg.query(
      `update organization_invitations set expires_at = clock_timestamp() - interval '1 minute' where id = $1`,
      [expiring.id],
    );
    await expect(acceptInvitationAs(user.id, expiring.id, client)).rejects.toMatchObject({
      status: 'Expired',
    });
    await expect(acceptInvitationAs(user.id, 'unknown-invitation-id', client)).rejects.toBeInstanceOf(
      InvitationNotFoundError,
    );
    expect((await listOrganizationMembers(acmeId, { q: email }, client)).total).toBe(0);
  });
});

// Last: the tenant loses its email connector for good.
describe('without an email connector', () => {
  it('still creates the invitations and hands back their links', async () => {
    const connectors = await client.api.GET('/api/connectors');
    for (const connector of connectors.data ?? []) {
      await client.api.DELETE('/api/connectors/{id}', { params: { path: { id: connector.id } } });
    }
    const emails = [freshEmail('offline'), freshEmail('offline'), freshEmail('offline')];
    const summary = await invite(emails);

    expect(summary.emailSent).toBe(false);
    for (const [index, email] of emails.entries()) {
      const [pending] = await pendingFor(email);
      expect(summary.results[index]).toEqual({
        email,
        outcome: 'created',
        reason: 'email_unavailable',
        invitationId: pending!.id,
        link: `${PORTAL_URL}/invitations/${pending!.id}#email=${encodeURIComponent(email)}`,
      });
      expect(await listOutboxMessages(emulator.db, { to: email })).toEqual([]);
    }
    await expect(
      resendOrganizationInvitation(
        {
          access: acmeAdmin(),
          invitationId:
            summary.results[0] && 'invitationId' in summary.results[0] ? summary.results[0].invitationId : '',
          portalUrl: PORTAL_URL,
          locale: 'en',
        },
        client,
      ),
    ).rejects.toSatisfy((error) => error instanceof LogtoApiError && error.status === 501);
  });
});
