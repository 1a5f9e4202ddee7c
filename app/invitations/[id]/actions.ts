'use server';

import { z } from 'zod';
import { invitationRoleNames } from '@/lib/activity/targets';
import { createAction } from '@/lib/actions/create-action';
import { answerInvitation } from '@/lib/actions/invitee-answer';
import { acceptInvitationAs } from '@/lib/portal/invitations';

/**
 * Accepts an invitation for the signed-in user. No portal permission is involved: the invitation
 * id and a primary email (read from Logto) equal to the invitee are the credential. Logto then
 * makes the user a member with the invitation's roles.
 *
 * Recorded in the organization's activity log (accepted, or refused and why), read from the
 * invitation just before: an unknown id has no organization to record it in, and a second accept
 * of an invitation this user already accepted (a double click) changes nothing and is not
 * recorded again.
 */
export const acceptInvitationAction = createAction({
  name: 'acceptInvitationAction',
  schema: z.object({ invitationId: z.string().trim().min(1).max(64) }),
  run: ({ actor, input }) =>
    answerInvitation(actor, input.invitationId, {
      action: 'invitation.accept',
      describe: (invitation) => ({
        before: { status: invitation.status },
        after: { status: 'Accepted', roles: invitationRoleNames(invitation) },
      }),
      // A second accept of an invitation this user already accepted (a double click).
      isRecorded: (invitation) =>
        !(invitation.status === 'Accepted' && invitation.acceptedUserId === actor.userId),
      send: () => acceptInvitationAs(actor.userId, input.invitationId),
    }),
  revalidate: ({ input }) => [`/invitations/${input.invitationId}`],
});
