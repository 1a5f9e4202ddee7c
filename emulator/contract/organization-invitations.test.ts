import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { listOutboxMessages } from '../db';
import {
  createOrganizationTemplate,
  createOrganizationWithMembers,
  createTestOrganization,
  createTestUser,
  type OrganizationTemplate,
  type TestUser,
} from './fixtures';
import { LOCAL_ONLY, localOnly, setUpContractHarness, uniqueName } from './harness';

const h = setUpContractHarness();

type Invitation = {
  id: string;
  invitee: string;
  status: string;
  organizationId: string;
  inviterId: string | null;
  acceptedUserId: string | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  organizationRoles: Array<{ id: string; name: string }>;
};

const DAY = 86_400_000;
let template: OrganizationTemplate;
/** Invites people; named "Alice Admin" so invitation emails can show an inviter. */
let inviter: TestUser;
/** An organization whose one member is carol. */
let home: { organizationId: string; carol: TestUser };

beforeAll(async () => {
  template = await createOrganizationTemplate(h);
  inviter = await createTestUser(h, { name: 'Alice Admin' });
  const { organizationId, users } = await createOrganizationWithMembers(h, [
    { label: 'carol', name: 'Carol Member' },
  ]);
  home = { organizationId, carol: users[0] as TestUser };
});

const uniqueEmail = () => `${uniqueName('invitee')}@contract.example`;

async function invite(body: Record<string, unknown>) {
  const response = await h.api<Invitation & { code?: string; message?: string; details?: string }>(
    'POST',
    '/organization-invitations',
    { expiresAt: Date.now() + 7 * DAY, ...body },
  );
  if (response.status === 201) h.deleteLater(`/organization-invitations/${response.json.id}`);
  return response;
}

async function setStatus(id: string, body: Record<string, unknown>) {
  return h.api<Invitation>('PUT', `/organization-invitations/${id}/status`, body);
}

describe('GET /organization-invitations', () => {
  it('lists an organization’s invitations newest first, with statuses derived at read time, unpaginated', async () => {
    const organizationId = await createTestOrganization(h);
    const invitations: Invitation[] = [];
    const expiring = await invite({
      organizationId,
      invitee: uniqueEmail(),
      inviterId: inviter.id,
      expiresAt: Date.now() + 300,
    });
    invitations.push(expiring.json);
    for (let index = 0; index < 3; index += 1) {
      invitations.push(
        (await invite({ organizationId, invitee: uniqueEmail(), inviterId: inviter.id })).json,
      );
    }
    const revoked = await invite({ organizationId, invitee: uniqueEmail(), inviterId: inviter.id });
    expect((await setStatus(revoked.json.id, { status: 'Revoked' })).status).toBe(200);
    const acceptingUser = await createTestUser(h);
    const accepted = await invite({
      organizationId,
      invitee: acceptingUser.primaryEmail,
      inviterId: inviter.id,
    });
    expect(
      (await setStatus(accepted.json.id, { status: 'Accepted', acceptedUserId: acceptingUser.id })).status,
    ).toBe(200);
    await sleep(Math.max(0, expiring.json.expiresAt - Date.now() + 50));

    const response = await h.api<Invitation[]>(
      'GET',
      `/organization-invitations?organizationId=${organizationId}&page=1&page_size=2`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBeNull();
    expect(response.json).toHaveLength(6);
    const createdAt = response.json.map((invitation) => invitation.createdAt);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    expect(response.json.map((invitation) => invitation.status).sort()).toEqual([
      'Accepted',
      'Expired',
      'Pending',
      'Pending',
      'Pending',
      'Revoked',
    ]);
    const expired = response.json.find((invitation) => invitation.status === 'Expired');
    expect(expired?.id).toBe(expiring.json.id);
    expect(expired?.expiresAt).toBeLessThan(Date.now());
    expect(response.json.every((invitation) => invitation.inviterId === inviter.id)).toBe(true);
  });

  it('filters by inviterId and by invitee case-insensitively', async () => {
    const first = await invite({
      organizationId: home.organizationId,
      invitee: uniqueEmail(),
      inviterId: inviter.id,
    });
    const invitee = `${uniqueName('new.hire')}@example.com`;
    const second = await invite({ organizationId: home.organizationId, invitee, inviterId: inviter.id });
    const byInviter = await h.api<Invitation[]>('GET', `/organization-invitations?inviterId=${inviter.id}`);
    expect(byInviter.json.map((invitation) => invitation.id)).toEqual(
      expect.arrayContaining([first.json.id, second.json.id]),
    );
    expect(byInviter.json.every((invitation) => invitation.inviterId === inviter.id)).toBe(true);
    const byInvitee = await h.api<Invitation[]>(
      'GET',
      `/organization-invitations?invitee=${encodeURIComponent(invitee.toUpperCase())}`,
    );
    expect(byInvitee.json.map((invitation) => invitation.invitee)).toEqual([invitee]);
    expect((await h.api('GET', '/organization-invitations?organizationId=unknown-org')).json).toEqual([]);
  });
});

describe('POST /organization-invitations', () => {
  it('creates a pending invitation with its roles sorted by name', async () => {
    const organizationId = await createTestOrganization(h);
    const invitee = uniqueEmail();
    const expiresAt = Date.now() + DAY;
    const response = await invite({
      organizationId,
      invitee,
      inviterId: inviter.id,
      expiresAt,
      organizationRoleIds: [template.roles.member.id, template.roles.admin.id],
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      tenantId: h.tenantId,
      id: expect.stringMatching(/^[0-9a-z]{21}$/),
      inviterId: inviter.id,
      invitee,
      acceptedUserId: null,
      organizationId,
      status: 'Pending',
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      expiresAt,
      organizationRoles: [
        { id: template.roles.admin.id, name: template.roles.admin.name },
        { id: template.roles.member.id, name: template.roles.member.name },
      ],
    });
  });

  it('validates the body and the expiry', async () => {
    const organizationId = home.organizationId;
    const badEmail = await invite({ organizationId, invitee: 'not-an-email' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json).toMatchObject({
      code: 'guard.invalid_input',
      details: 'Error in key path "invitee": (invalid_string) Invalid email',
    });
    const past = await invite({ organizationId, invitee: uniqueEmail(), expiresAt: Date.now() - 1000 });
    expect(past.status).toBe(400);
    expect(past.json).toEqual({
      code: 'request.invalid_input',
      message: 'Input is invalid. The value of `expiresAt` must be in the future.',
    });
    expect((await invite({ organizationId, invitee: uniqueEmail(), messagePayload: true })).status).toBe(400);
    expect((await invite({ organizationId, invitee: uniqueEmail(), expiresAt: 'soon' })).status).toBe(400);
    expect((await invite({ invitee: uniqueEmail() })).status).toBe(400);
  });

  it('refuses an invitee who is already a member (exact email) with 422 request.invalid_input', async () => {
    const email = home.carol.primaryEmail as string;
    const member = await invite({ organizationId: home.organizationId, invitee: email });
    expect(member.status).toBe(422);
    expect(member.json).toEqual({
      code: 'request.invalid_input',
      message: 'Input is invalid. The invitee is already a member of the organization.',
    });
    // The membership check is case-sensitive, as in Logto.
    const capitalized = email.charAt(0).toUpperCase() + email.slice(1);
    expect((await invite({ organizationId: home.organizationId, invitee: capitalized })).status).toBe(201);
  });

  it('allows one pending invitation per invitee and organization, case-sensitively', async () => {
    const organizationId = await createTestOrganization(h);
    const otherOrganizationId = await createTestOrganization(h);
    const invitee = uniqueEmail();
    expect((await invite({ organizationId, invitee })).status).toBe(201);
    const duplicate = await invite({ organizationId, invitee });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json.code).toBe('entity.unique_integrity_violation');
    expect((await invite({ organizationId, invitee: invitee.toUpperCase() })).status).toBe(201);
    expect((await invite({ organizationId: otherOrganizationId, invitee })).status).toBe(201);
  });

  it('refuses unknown organizations, inviters and roles with 422 FK', async () => {
    const invitee = uniqueEmail();
    for (const body of [
      { organizationId: 'unknown-org', invitee },
      { organizationId: home.organizationId, invitee, inviterId: 'unknown-user' },
      { organizationId: home.organizationId, invitee, organizationRoleIds: ['unknown-role'] },
    ]) {
      const response = await invite(body);
      expect(response.status).toBe(422);
      expect(response.json.code).toBe('entity.relation_foreign_key_not_found');
    }
    expect((await h.api<Invitation[]>('GET', `/organization-invitations?invitee=${invitee}`)).json).toEqual(
      [],
    );
  });

  it('reads as Expired once expiresAt passes, and then a new invitation may be created', async () => {
    const organizationId = await createTestOrganization(h);
    const invitee = uniqueEmail();
    const first = await invite({ organizationId, invitee, expiresAt: Date.now() + 300 });
    expect(first.json.status).toBe('Pending');
    await sleep(450);
    expect((await h.api<Invitation>('GET', `/organization-invitations/${first.json.id}`)).json.status).toBe(
      'Expired',
    );
    const second = await invite({ organizationId, invitee });
    expect(second.status).toBe(201);
    const listed = await h.api<Invitation[]>(
      'GET',
      `/organization-invitations?organizationId=${organizationId}`,
    );
    expect(listed.json.map((invitation) => [invitation.id, invitation.status])).toEqual([
      [second.json.id, 'Pending'],
      [first.json.id, 'Expired'],
    ]);
  });

  localOnly(LOCAL_ONLY.outbox)(
    'sends the invitation email to the outbox when messagePayload is an object',
    async () => {
      const name = uniqueName('Mailers');
      const organizationId = await createTestOrganization(h, name);
      const invitee = uniqueEmail();
      const link = `http://localhost:3000/invitations/${uniqueName('link')}`;
      const response = await invite({
        organizationId,
        invitee,
        inviterId: inviter.id,
        messagePayload: { link, locale: 'en', extra: 'kept' },
      });
      expect(response.status).toBe(201);
      const [message] = await listOutboxMessages(h.emulator.db, { to: invitee.toUpperCase() });
      expect(message).toMatchObject({ to: invitee, link });
      expect(message?.subject).toContain(name);
      expect(message?.text).toContain('Alice Admin');
      expect(message?.text).toContain(link);
      expect(message?.html).toContain(`href="${link}"`);
      expect(message?.payload).toMatchObject({
        link,
        extra: 'kept',
        organization: { id: organizationId, name },
        inviter: { id: inviter.id, name: 'Alice Admin', primaryEmail: inviter.primaryEmail },
      });
      const silent = uniqueEmail();
      await invite({ organizationId, invitee: silent, messagePayload: false });
      expect(await listOutboxMessages(h.emulator.db, { to: silent })).toEqual([]);
    },
  );

  localOnly(LOCAL_ONLY.outbox)(
    'caps sends at 10 per recipient per 10 minutes: 429, and the invitation is rolled back',
    async () => {
      const invitee = uniqueEmail();
      const first = await invite({
        organizationId: await createTestOrganization(h),
        invitee,
        messagePayload: { link: 'x' },
      });
      expect(first.status).toBe(201);
      for (let send = 2; send <= 10; send += 1) {
        const resend = await h.api('POST', `/organization-invitations/${first.json.id}/message`, {
          link: `x${send}`,
        });
        expect(resend.status).toBe(204);
      }
      const limited = await h.api('POST', `/organization-invitations/${first.json.id}/message`, {});
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual({
        code: 'request.message_rate_limited',
        message: 'Too many messages sent to this recipient. Please try again later.',
      });
      const organizationId = await createTestOrganization(h);
      const rolledBack = await invite({ organizationId, invitee: invitee.toUpperCase(), messagePayload: {} });
      expect(rolledBack.status).toBe(429);
      expect((await h.api('GET', `/organization-invitations?organizationId=${organizationId}`)).json).toEqual(
        [],
      );
      expect(await listOutboxMessages(h.emulator.db, { to: invitee })).toHaveLength(10);
    },
  );
});

describe('GET and DELETE /organization-invitations/:id', () => {
  it('reads one invitation; unknown is 404 entity.not_found', async () => {
    const created = await invite({ organizationId: home.organizationId, invitee: uniqueEmail() });
    const response = await h.api<Invitation>('GET', `/organization-invitations/${created.json.id}`);
    expect(response.json).toEqual(created.json);
    const unknown = await h.api('GET', '/organization-invitations/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });

  it('deletes any invitation; unknown is 404', async () => {
    const created = await invite({ organizationId: home.organizationId, invitee: uniqueEmail() });
    await setStatus(created.json.id, { status: 'Revoked' });
    expect((await h.api('DELETE', `/organization-invitations/${created.json.id}`)).status).toBe(204);
    expect((await h.api('DELETE', `/organization-invitations/${created.json.id}`)).json.code).toBe(
      'entity.not_found',
    );
  });
});

describe('PUT /organization-invitations/:id/status', () => {
  it('accepts: adds the user with the invitation’s roles and answers the updated invitation', async () => {
    const organizationId = await createTestOrganization(h);
    const invitee = uniqueEmail();
    const user = await createTestUser(h, { primaryEmail: invitee.toUpperCase() });
    const created = await invite({
      organizationId,
      invitee,
      organizationRoleIds: [template.roles.manager.id, template.roles.member.id],
    });
    const before = Date.now();
    const response = await setStatus(created.json.id, { status: 'Accepted', acceptedUserId: user.id });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      ...created.json,
      status: 'Accepted',
      acceptedUserId: user.id,
      updatedAt: expect.any(Number),
    });
    expect(response.json.updatedAt).toBeGreaterThanOrEqual(before - 1000);
    const roles = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${organizationId}/users/${user.id}/roles`,
    );
    expect(roles.json.map((role) => role.name).sort()).toEqual([
      template.roles.manager.name,
      template.roles.member.name,
    ]);
    const stored = await h.api<Invitation>('GET', `/organization-invitations/${created.json.id}`);
    expect(stored.json).toMatchObject({ status: 'Accepted', acceptedUserId: user.id });

    const again = await setStatus(created.json.id, { status: 'Accepted', acceptedUserId: user.id });
    expect(again.status).toBe(422);
    expect(again.json).toEqual({
      code: 'request.invalid_input',
      message: 'Input is invalid. The status of the invitation cannot be changed anymore.',
    });
    expect((await setStatus(created.json.id, { status: 'Revoked' })).status).toBe(422);
  });

  it('accepts for a user who is already a member without error', async () => {
    const organizationId = await createTestOrganization(h);
    const user = await createTestUser(h);
    await h.api('POST', `/organizations/${organizationId}/users`, { userIds: [user.id] });
    const created = await invite({
      organizationId,
      invitee: (user.primaryEmail as string).toUpperCase(),
      organizationRoleIds: [template.roles.admin.id],
    });
    expect(created.status).toBe(201);
    const response = await setStatus(created.json.id, { status: 'Accepted', acceptedUserId: user.id });
    expect(response.status).toBe(200);
    const roles = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${organizationId}/users/${user.id}/roles`,
    );
    expect(roles.json.map((r) => r.name)).toEqual([template.roles.admin.name]);
  });

  it('checks in Logto’s order: body, acceptedUserId, existence, status, user, email', async () => {
    const created = await invite({ organizationId: home.organizationId, invitee: uniqueEmail() });
    const id = created.json.id;
    const badStatus = await setStatus(id, { status: 'Expired' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.json).toMatchObject({ code: 'guard.invalid_input' });
    const missingUser = await setStatus('unknown', { status: 'Accepted' });
    expect(missingUser.status).toBe(422);
    expect(missingUser.json).toMatchObject({
      message: 'Input is invalid. The `acceptedUserId` is required when accepting an invitation.',
    });
    const unknown = await setStatus('unknown', { status: 'Revoked' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'entity.not_found' });
    const unknownUser = await setStatus(id, { status: 'Accepted', acceptedUserId: 'unknown-user' });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.json).toMatchObject({ code: 'entity.not_found' });
    const wrongEmail = await setStatus(id, { status: 'Accepted', acceptedUserId: inviter.id });
    expect(wrongEmail.status).toBe(422);
    expect(wrongEmail.json).toMatchObject({
      message: 'Input is invalid. The accepted user must have the same email as the invitee.',
    });
    const noEmail = await createTestUser(h, {
      primaryEmail: undefined,
      username: uniqueName('nomail').replace(/-/g, '_'),
    });
    expect((await setStatus(id, { status: 'Accepted', acceptedUserId: noEmail.id })).status).toBe(422);
    expect((await h.api<Invitation>('GET', `/organization-invitations/${id}`)).json.status).toBe('Pending');
  });

  it('revokes a pending invitation; a revoked or expired one cannot be accepted', async () => {
    const invitee = uniqueEmail();
    const user = await createTestUser(h, { primaryEmail: invitee });
    const created = await invite({ organizationId: home.organizationId, invitee });
    const revoked = await setStatus(created.json.id, { status: 'Revoked', acceptedUserId: user.id });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ status: 'Revoked', acceptedUserId: null });
    const afterRevoke = await setStatus(created.json.id, { status: 'Accepted', acceptedUserId: user.id });
    expect(afterRevoke.status).toBe(422);

    const expiring = await invite({
      organizationId: home.organizationId,
      invitee,
      expiresAt: Date.now() + 200,
    });
    await sleep(300);
    const expired = await setStatus(expiring.json.id, { status: 'Accepted', acceptedUserId: user.id });
    expect(expired.status).toBe(422);
    expect(expired.json).toMatchObject({
      message: 'Input is invalid. The status of the invitation cannot be changed anymore.',
    });
  });
});

describe('POST /organization-invitations/:id/message', () => {
  it('answers an unknown invitation with 404 and a bad payload with 400, before sending anything', async () => {
    const created = await invite({ organizationId: home.organizationId, invitee: uniqueEmail() });
    const unknown = await h.api('POST', '/organization-invitations/unknown/message', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
    const badPayload = await h.api('POST', `/organization-invitations/${created.json.id}/message`, {
      link: 5,
    });
    expect(badPayload.status).toBe(400);
    expect(badPayload.json.code).toBe('guard.invalid_input');
  });

  localOnly(LOCAL_ONLY.outbox)('re-sends with the new payload whatever the status', async () => {
    const invitee = uniqueEmail();
    const name = uniqueName('Resend');
    const organizationId = await createTestOrganization(h, name);
    const created = await invite({ organizationId, invitee, inviterId: inviter.id });
    await setStatus(created.json.id, { status: 'Revoked' });
    const response = await h.api('POST', `/organization-invitations/${created.json.id}/message`, {
      link: 'https://example.com/join',
    });
    expect(response.status).toBe(204);
    const [message] = await listOutboxMessages(h.emulator.db, { to: invitee });
    expect(message?.link).toBe('https://example.com/join');
    expect(message?.subject).toContain(name);
  });
});

describe('without an email connector', () => {
  localOnly(LOCAL_ONLY.connector)(
    'answers 501 connector.not_found and creates nothing; invitations without email still work',
    async () => {
      const connectors = await h.api<Array<{ id: string; type: string }>>('GET', '/connectors');
      const email = connectors.json.find((connector) => connector.type === 'Email');
      expect(email).toBeDefined();
      const stored = await h.emulator.db.pg.query(`select * from connectors where id = $1`, [email?.id]);
      try {
        expect((await h.api('DELETE', `/connectors/${email?.id ?? ''}`)).status).toBe(204);
        const organizationId = await createTestOrganization(h);
        const invitee = uniqueEmail();
        const response = await invite({ organizationId, invitee, messagePayload: { link: 'x' } });
        expect(response.status).toBe(501);
        expect(response.json).toEqual({
          code: 'connector.not_found',
          message: 'Cannot find any available connector for type: Email.',
        });
        expect(
          (await h.api('GET', `/organization-invitations?organizationId=${organizationId}`)).json,
        ).toEqual([]);
        expect((await invite({ organizationId, invitee })).status).toBe(201);
      } finally {
        // There is no connector-creation route; put the seeded row back directly.
        const row = stored.rows[0] as Record<string, unknown>;
        await h.emulator.db.pg.query(
          `insert into connectors (id, connector_id, config, metadata) values ($1, $2, $3, $4) on conflict do nothing`,
          [row.id, row.connector_id, JSON.stringify(row.config), JSON.stringify(row.metadata)],
        );
      }
    },
  );
});
