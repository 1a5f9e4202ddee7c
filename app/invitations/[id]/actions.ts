'use server';

import { z } from 'zod';
import { withActivity } from '@/lib/activity/record';
import { invitationRoleNames, lookUpInvitation } from '@/lib/activity/targets';
import { createAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getT } from '@/lib/i18n/server';
import {
  acceptInvitationAs,
  InvitationEmailMismatchError,
  InvitationNotFoundError,
  InvitationNotPendingError,
} from '@/lib/portal/invitations';

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
  run: async ({ actor, input }) => {
    const invitation = await lookUpInvitation(input.invitationId);
    const accept = () => acceptInvitationAs(actor.userId, input.invitationId);
    const isRepeat = invitation?.status === 'Accepted' && invitation.acceptedUserId === actor.userId;
    try {
      if (!invitation || isRepeat) return await accept();
      const roles = invitationRoleNames(invitation);
      return await withActivity(
        { actor, orgId: invitation.organizationId },
        {
          action: 'invitation.accept',
          items: [
            {
              target: { type: 'invitation', id: invitation.id, label: invitation.invitee },
              before: { status: invitation.status },
              after: { status: 'Accepted', roles },
            },
          ],
        },
        accept,
      );
    } catch (error) {
      const t = await getT();
      if (error instanceof InvitationNotFoundError) {
        throw new ActionFailure('not_found', { _form: [t('acceptInvitation.notFoundBody')] });
      }
      if (error instanceof InvitationNotPendingError) {
        throw new ActionFailure('invalid_input', {
          _form: [t('acceptInvitation.errors.notPending', { status: error.status })],
        });
      }
      if (error instanceof InvitationEmailMismatchError) {
        throw new ActionFailure('forbidden', { _form: [t('acceptInvitation.errors.mismatch')] });
      }
      throw error;
    }
  },
  revalidate: ({ input }) => [`/invitations/${input.invitationId}`],
});
