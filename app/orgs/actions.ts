'use server';

import { z } from 'zod';
import { recordActivity, withActivity } from '@/lib/activity/record';
import { invitationRoleNames, sortedRoleNames } from '@/lib/activity/targets';
import { createAction } from '@/lib/actions/create-action';
import { answerInvitation } from '@/lib/actions/invitee-answer';
import { ActionFailure } from '@/lib/actions/result';
import { ORGANIZATION_ID_ARGUMENT } from '@/lib/actions/run-action';
import { getT } from '@/lib/i18n/server';
import { createOrganization } from '@/lib/logto';
import { ForbiddenError } from '@/lib/permissions';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import { declineInvitationAs } from '@/lib/portal/invitations';
import type { MemberReads } from '@/lib/portal/members';
import { leaveOrganization } from '@/lib/portal/memberships';
import { createOrganizationSchema } from './organization-schema';

/**
 * Operators only: creates an organization (name and optional description) and answers its id.
 * Tenant admins are refused even though the button is hidden from them. The creation is the
 * first entry of the new organization's activity log; a refused or failed attempt has no
 * organization whose log it could go to.
 */
export const createOrganizationAction = createAction({
  name: 'createOrganizationAction',
  schema: createOrganizationSchema,
  authorize: (actor) => {
    if (!actor.isOperator) throw new ForbiddenError(['operator']);
  },
  run: async ({ actor, input }): Promise<{ id: string; name: string }> => {
    const organization = await createOrganization({
      name: input.name,
      description: input.description || null,
    });
    await recordActivity({ actor, orgId: organization.id }, [
      {
        action: 'organization.create',
        target: { type: 'organization', id: organization.id, label: organization.name },
        after: { name: organization.name, description: organization.description ?? null },
        outcome: 'done',
      },
    ]);
    return { id: organization.id, name: organization.name };
  },
  revalidate: () => ['/orgs'],
});

/**
 * The signed-in person leaves one of their organizations. Any member may, whatever their roles,
 * except the last holder of `assign:roles` (rule 4, checked under the organization's lock).
 * Recorded in that organization's activity log, done or refused; someone who is not a member
 * is answered "not found" and nothing is recorded (there is no log of theirs to write to).
 */
export const leaveOrganizationAction = createAction({
  name: 'leaveOrganizationAction',
  schema: z.object({ orgId: ORGANIZATION_ID_ARGUMENT }),
  run: async ({ actor, input }) => {
    const reads: MemberReads = new Map();
    const item = () => {
      const held = reads.get(actor.userId);
      return {
        target: { type: 'member' as const, id: actor.userId, label: actor.email },
        before: held ? { roles: sortedRoleNames(held.roles.map((role) => role.name)) } : null,
      };
    };
    try {
      return await withActivity(
        { actor, orgId: input.orgId },
        {
          action: 'member.leave',
          items: [item()],
          settle: () => [{ ...item(), action: 'member.leave', outcome: 'done' }],
          // Only a member's attempt goes to the log: a stranger's has no organization of theirs.
          describeFailure: async () => (reads.has(actor.userId) ? [item()] : []),
        },
        () => leaveOrganization({ actor, orgId: input.orgId, reads }),
      );
    } catch (error) {
      if (error instanceof LastRoleAssignerError) {
        const t = await getT();
        throw new ActionFailure('forbidden', { _form: [t('ownView.leave.lastRoleAssigner')] });
      }
      throw error;
    }
  },
  revalidate: () => ['/orgs'],
});

/**
 * The invitee declines an invitation addressed to their verified email (it is revoked in Logto).
 * Recorded in the organization's activity log, declined or refused and why.
 */
export const declineInvitationAction = createAction({
  name: 'declineInvitationAction',
  schema: z.object({ invitationId: z.string().trim().min(1).max(64) }),
  run: ({ actor, input }) =>
    answerInvitation(actor, input.invitationId, {
      action: 'invitation.decline',
      describe: (invitation) => ({
        before: { status: invitation.status, roles: invitationRoleNames(invitation) },
        after: { status: 'Revoked' },
      }),
      send: () => declineInvitationAs(actor.userId, input.invitationId),
    }),
  revalidate: ({ input }) => ['/orgs', `/invitations/${input.invitationId}`],
});
