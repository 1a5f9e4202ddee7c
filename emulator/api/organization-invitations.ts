import { z } from 'zod';
import type { Queryable } from '../db';
import { generateId } from '../db/ids';
import { EmailConnectorMissingError, MessageRateLimitedError, sendOutboxEmail } from '../db/outbox';
import { invalidInput, notFound, organizationErrorHandler, RequestError } from './errors';
import { type ApiContext, guard, type RouteRegistration, SqlParams, whereClause } from './http';
import { insertMemberRoles, insertMembers } from './organization-users';

type InvitationStatus = 'Pending' | 'Accepted' | 'Expired' | 'Revoked';

/** Logto's `organizationInvitationEntityGuard`: the invitation plus its roles. */
export type InvitationEntity = {
  tenantId: string;
  id: string;
  inviterId: string | null;
  invitee: string;
  acceptedUserId: string | null;
  organizationId: string;
  status: InvitationStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  organizationRoles: Array<{ id: string; name: string }>;
};

/**
 * `Expired` is derived when reading, as Logto does: the stored row keeps `Pending` until a new
 * invitation for the same invitee and organization rewrites it.
 */
const INVITATION_SELECT = /* sql */ `
  select i.tenant_id as "tenantId", i.id, i.inviter_id as "inviterId", i.invitee,
    i.accepted_user_id as "acceptedUserId", i.organization_id as "organizationId",
    case when i.status = 'Pending' and i.expires_at < clock_timestamp() then 'Expired' else i.status::text end as status,
    epoch_ms(i.created_at) as "createdAt", epoch_ms(i.updated_at) as "updatedAt", epoch_ms(i.expires_at) as "expiresAt",
    coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
              from organization_invitation_role_relations irr
              join organization_roles r on r.id = irr.organization_role_id
              where irr.tenant_id = i.tenant_id and irr.organization_invitation_id = i.id), '[]'::json) as "organizationRoles"
  from organization_invitations i`;

/** Logto's `sendMessagePayloadGuard`: known keys are strings, anything else passes through. */
const messagePayloadGuard = z.looseObject({
  code: z.string().optional(),
  link: z.string().optional(),
  locale: z.string().optional(),
  uiLocales: z.string().optional(),
});

type MessagePayload = z.infer<typeof messagePayloadGuard>;

const createInvitationBody = z.object({
  inviterId: z.string().max(21).nullable().optional(),
  invitee: z.email({ error: 'Invalid email' }),
  organizationId: z.string().max(21),
  expiresAt: z.number(),
  organizationRoleIds: z.array(z.string()).optional(),
  messagePayload: z.union([messagePayloadGuard, z.literal(false)]).default(false),
});

const updateStatusBody = z.object({
  acceptedUserId: z.string().max(21).nullable().optional(),
  status: z.enum(['Accepted', 'Revoked']),
});

/** `/organization-invitations…`: create (with the email), list, read, delete, accept/revoke, resend. */
export function registerOrganizationInvitationRoutes({ router, db }: RouteRegistration): void {
  router.get('/organization-invitations', async (ctx: ApiContext) => {
    const { query } = await guard(ctx, {
      query: z.object({ organizationId: z.string(), inviterId: z.string(), invitee: z.string() }).partial(),
    });
    const params = new SqlParams();
    const where = whereClause([
      query.organizationId === undefined
        ? undefined
        : `i.organization_id = ${params.add(query.organizationId)}`,
      query.inviterId === undefined ? undefined : `i.inviter_id = ${params.add(query.inviterId)}`,
      query.invitee === undefined ? undefined : `lower(i.invitee) = lower(${params.add(query.invitee)})`,
    ]);
    const rows = await db.pg.query<InvitationEntity>(
      `${INVITATION_SELECT} ${where} order by i.created_at desc, i.id desc`,
      params.values,
    );
    ctx.body = rows.rows;
  });

  router.post('/organization-invitations', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: createInvitationBody });
    if (!(body.expiresAt > Date.now())) throw invalidInput('The value of `expiresAt` must be in the future.');

    // Exact (case-sensitive) email match, as Logto's `isMember` check.
    const member = await db.pg.query(
      `select 1 from organization_user_relations our join users u on u.id = our.user_id
       where our.organization_id = $1 and u.primary_email = $2 limit 1`,
      [body.organizationId, body.invitee],
    );
    if (member.rows.length > 0)
      throw invalidInput('The invitee is already a member of the organization.', 422);

    const invitation = await db.pg.transaction(async (tx) => {
      await tx.query(
        `update organization_invitations set status = 'Expired'
         where organization_id = $1 and lower(invitee) = lower($2) and status = 'Pending' and expires_at < clock_timestamp()`,
        [body.organizationId, body.invitee],
      );
      const id = generateId();
      await tx.query(
        `insert into organization_invitations (id, inviter_id, invitee, organization_id, status, expires_at)
         values ($1, $2, $3, $4, 'Pending', to_timestamp($5::double precision / 1000))`,
        [id, body.inviterId ?? null, body.invitee, body.organizationId, body.expiresAt],
      );
      if (body.organizationRoleIds?.length) {
        await tx.query(
          `insert into organization_invitation_role_relations (organization_invitation_id, organization_role_id)
           select $1, role_id from unnest($2::text[]) as t(role_id) on conflict do nothing`,
          [id, body.organizationRoleIds],
        );
      }
      if (body.messagePayload) {
        await sendInvitationEmail(tx, {
          to: body.invitee,
          organizationId: body.organizationId,
          inviterId: body.inviterId ?? null,
          payload: body.messagePayload,
        });
      }
      return findInvitation(tx, id);
    });
    ctx.status = 201;
    ctx.body = invitation;
  });

  router.get('/organization-invitations/:id', async (ctx: ApiContext) => {
    const invitation = await findInvitation(db.pg, ctx.params.id ?? '');
    if (!invitation) throw notFound();
    ctx.body = invitation;
  });

  router.delete('/organization-invitations/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from organization_invitations where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  router.put('/organization-invitations/:id/status', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: updateStatusBody });
    const id = ctx.params.id ?? '';
    if (body.status === 'Accepted' && !body.acceptedUserId) {
      throw invalidInput('The `acceptedUserId` is required when accepting an invitation.', 422);
    }
    const invitation = await findInvitation(db.pg, id);
    if (!invitation) throw notFound();
    if (invitation.status !== 'Pending') {
      throw invalidInput('The status of the invitation cannot be changed anymore.', 422);
    }

    const updatedAt = Date.now();
    await db.pg.transaction(async (tx) => {
      if (body.status === 'Accepted') {
        const acceptedUserId = body.acceptedUserId ?? '';
        const user = await tx.query<{ primaryEmail: string | null }>(
          `select primary_email as "primaryEmail" from users where id = $1`,
          [acceptedUserId],
        );
        const row = user.rows[0];
        if (!row) throw notFound();
        if (row.primaryEmail?.toLowerCase() !== invitation.invitee.toLowerCase()) {
          throw invalidInput('The accepted user must have the same email as the invitee.', 422);
        }
        await insertMembers(tx, invitation.organizationId, [acceptedUserId]);
        if (invitation.organizationRoles.length > 0) {
          await insertMemberRoles(
            tx,
            invitation.organizationRoles.map((role) => ({
              organizationId: invitation.organizationId,
              roleId: role.id,
              userId: acceptedUserId,
            })),
          );
        }
      }
      await tx.query(
        `update organization_invitations
         set status = $2::organization_invitation_status, updated_at = to_timestamp($3::double precision / 1000),
             accepted_user_id = case when $2 = 'Accepted' then $4 else accepted_user_id end
         where id = $1`,
        [id, body.status, updatedAt, body.acceptedUserId ?? null],
      );
    });
    // Logto answers with the invitation as read before the update, overlaid with what changed.
    ctx.body = {
      ...invitation,
      status: body.status,
      ...(body.status === 'Accepted' ? { acceptedUserId: body.acceptedUserId ?? null } : {}),
      updatedAt,
    };
  });

  router.post('/organization-invitations/:id/message', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: messagePayloadGuard });
    const invitation = await findInvitation(db.pg, ctx.params.id ?? '');
    if (!invitation) throw notFound();
    await db.pg.transaction(async (tx) =>
      sendInvitationEmail(tx, {
        to: invitation.invitee,
        organizationId: invitation.organizationId,
        inviterId: invitation.inviterId,
        payload: body,
      }),
    );
    ctx.status = 204;
  });
}

async function findInvitation(tx: Queryable, id: string): Promise<InvitationEntity | undefined> {
  const result = await tx.query<InvitationEntity>(`${INVITATION_SELECT} where i.id = $1`, [id]);
  return result.rows[0];
}

/**
 * Sends the `OrganizationInvitation` email through the outbox. The template data is Logto's:
 * the organization and inviter context, overlaid by the caller's payload (caller wins).
 */
async function sendInvitationEmail(
  tx: Queryable,
  o: { to: string; organizationId: string; inviterId: string | null; payload: MessagePayload },
): Promise<void> {
  const organization = (
    await tx.query<{ id: string; name: string; branding: Record<string, unknown> }>(
      `select id, name, branding from organizations where id = $1`,
      [o.organizationId],
    )
  ).rows[0];
  const inviter = o.inviterId
    ? (
        await tx.query<{
          id: string;
          avatar: string | null;
          name: string | null;
          primaryEmail: string | null;
          primaryPhone: string | null;
          username: string | null;
          profile: Record<string, unknown>;
        }>(
          `select id, avatar, name, primary_email as "primaryEmail", primary_phone as "primaryPhone", username, profile
           from users where id = $1`,
          [o.inviterId],
        )
      ).rows[0]
    : undefined;
  const payload = {
    ...(organization ? { organization } : {}),
    ...(inviter ? { inviter } : {}),
    ...o.payload,
  };

  const organizationName = organization?.name ?? 'an organization';
  const inviterName = inviter?.name ?? inviter?.primaryEmail ?? inviter?.username ?? undefined;
  const link = typeof o.payload.link === 'string' ? o.payload.link : null;
  const subject = `You're invited to join ${organizationName}`;
  const opening = inviterName
    ? `${inviterName} invited you to join ${organizationName}.`
    : `You have been invited to join ${organizationName}.`;
  const text = [
    opening,
    link ? `Accept the invitation: ${link}` : 'Ask the sender for the invitation link.',
  ].join('\n\n');
  const html = [
    `<p>${escapeHtml(opening)}</p>`,
    link
      ? `<p><a href="${escapeHtml(link)}">Accept the invitation</a></p>`
      : '<p>Ask the sender for the invitation link.</p>',
  ].join('\n');

  try {
    await sendOutboxEmail(tx, { to: o.to, subject, text, html, link, payload });
  } catch (error: unknown) {
    if (error instanceof EmailConnectorMissingError) {
      throw new RequestError({ code: 'connector.not_found', status: 501, interpolation: { type: 'Email' } });
    }
    if (error instanceof MessageRateLimitedError) {
      throw new RequestError({ code: 'request.message_rate_limited', status: 429 });
    }
    throw error;
  }
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
