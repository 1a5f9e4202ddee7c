'use server';

import { z } from 'zod';
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
 */
export const acceptInvitationAction = createAction({
  name: 'acceptInvitationAction',
  schema: z.object({ invitationId: z.string().trim().min(1).max(64) }),
  run: async ({ actor, input }) => {
    try {
      return await acceptInvitationAs(actor.userId, input.invitationId);
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
