'use server';

import { settleInvitations } from '@/lib/activity/plans';
import { type ActivityItem, type ActivityPlan, withActivity } from '@/lib/activity/record';
import { invitationRoleNames, lookUpInvitation, roleNamesOf } from '@/lib/activity/targets';
import { createOrgAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getConfig } from '@/lib/config';
import { getLocale, getT } from '@/lib/i18n/server';
import { listOrganizationRoles } from '@/lib/logto';
import {
  ActingAboveOwnRoleError,
  assertCanGrantRoles,
  InvalidRoleIdsError,
  RoleEscalationError,
} from '@/lib/permissions/grants';
import {
  checkInvitees,
  expiryFromDays,
  InvitationNotFoundError,
  InvitationNotPendingError,
  inviteToOrganization,
  resendOrganizationInvitation,
  revokeOrganizationInvitation,
} from '@/lib/portal/invitations';
import { checkInviteesSchema, invitationIdSchema, inviteSchema } from './invite-schema';

const invitationsPath = ({ orgId }: { orgId: string }) => [`/orgs/${orgId}/invitations`];

/** Turns the invitation rules' refusals into failures worded for the inviter. */
async function asActionFailure(error: unknown): Promise<unknown> {
  const t = await getT();
  if (error instanceof InvitationNotFoundError) {
    return new ActionFailure('not_found', { _form: [t('invitations.errors.notFound')] });
  }
  if (error instanceof InvitationNotPendingError) {
    return new ActionFailure('invalid_input', {
      _form: [t('invitations.errors.notPending', { status: error.status })],
    });
  }
  if (error instanceof InvalidRoleIdsError) {
    return new ActionFailure('invalid_input', { roleIds: [t('invite.errors.unknownRoles')] });
  }
  if (error instanceof ActingAboveOwnRoleError) {
    return new ActionFailure('forbidden', {
      _form: [t('invitations.errors.aboveYou', { roles: error.roleNames.join(', ') })],
    });
  }
  if (error instanceof RoleEscalationError) {
    return new ActionFailure('forbidden', {
      roleIds: [t('invite.errors.roleNotGrantable', { roles: error.roleNames.join(', ') })],
    });
  }
  return error;
}

async function translatingRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw await asActionFailure(error);
  }
}

/**
 * How a resend or revoke of one invitation is recorded. The answer names the invitee; when the
 * attempt is refused, the invitation is looked up for its invitee and roles, and only if it
 * belongs to this organization (another organization's invitation must not show up here).
 */
function invitationPlan(
  orgId: string,
  invitationId: string,
  action: 'invitation.resend' | 'invitation.revoke',
): ActivityPlan<{ email: string }> {
  const after = action === 'invitation.revoke' ? { status: 'Revoked' } : null;
  return {
    action,
    items: [{ target: { type: 'invitation', id: invitationId }, before: { status: 'Pending' }, after }],
    settle: ({ email }, [item]) => [
      { ...item!, target: { ...item!.target, label: email }, action, outcome: 'done' },
    ],
    describeFailure: async (_error, items): Promise<ActivityItem[]> => {
      const invitation = await lookUpInvitation(invitationId, orgId);
      if (!invitation) return [...items];
      return [
        {
          target: { type: 'invitation', id: invitationId, label: invitation.invitee },
          before: { status: invitation.status, roles: invitationRoleNames(invitation) },
          after,
        },
      ];
    },
  };
}

/**
 * Invites up to 200 addresses with roles the inviter may grant and an expiry; answers one result
 * per address (sent, created without email, already a member, already invited, failed).
 */
export const inviteMembersAction = createOrgAction({
  name: 'inviteMembersAction',
  schema: inviteSchema,
  scopes: ['inviteMembers'],
  run: ({ actor, access, orgId, input }) =>
    translatingRefusals(async () => {
      const expiresAt = expiryFromDays(input.expiresInDays);
      const after = { roles: await roleNamesOf(input.roleIds), expiresAt };
      // One entry per address, refusals of the whole round included.
      const items = input.emails.map((email) => ({
        target: { type: 'invitation' as const, label: email },
        after,
      }));
      return withActivity(
        { actor, orgId },
        { action: 'invitation.create', items, settle: settleInvitations },
        async () => {
          assertCanGrantRoles(access, input.roleIds, await listOrganizationRoles());
          return inviteToOrganization({
            orgId,
            inviterId: actor.userId,
            emails: input.emails,
            roleIds: input.roleIds,
            expiresAt,
            portalUrl: getConfig().nextAuth.url,
            locale: await getLocale(),
          });
        },
      );
    }),
  revalidate: invitationsPath,
});

/** Flags addresses that already belong to members or hold a pending invitation (invite dialog). */
export const checkInviteesAction = createOrgAction({
  name: 'checkInviteesAction',
  schema: checkInviteesSchema,
  scopes: ['inviteMembers'],
  run: ({ orgId, input }) => checkInvitees(orgId, input.emails),
});

/** Emails a pending invitation again: same invitation, same link. */
export const resendInvitationAction = createOrgAction({
  name: 'resendInvitationAction',
  schema: invitationIdSchema,
  scopes: ['inviteMembers'],
  run: ({ actor, access, orgId, input }) =>
    translatingRefusals(async () =>
      withActivity(
        { actor, orgId },
        invitationPlan(orgId, input.invitationId, 'invitation.resend'),
        async () =>
          resendOrganizationInvitation({
            access,
            invitationId: input.invitationId,
            portalUrl: getConfig().nextAuth.url,
            locale: await getLocale(),
          }),
      ),
    ),
});

/** Revokes a pending invitation (the page confirms first); its link then shows "revoked". */
export const revokeInvitationAction = createOrgAction({
  name: 'revokeInvitationAction',
  schema: invitationIdSchema,
  scopes: ['inviteMembers'],
  run: ({ actor, access, orgId, input }) =>
    translatingRefusals(() =>
      withActivity({ actor, orgId }, invitationPlan(orgId, input.invitationId, 'invitation.revoke'), () =>
        revokeOrganizationInvitation({ access, invitationId: input.invitationId }),
      ),
    ),
  revalidate: invitationsPath,
});
