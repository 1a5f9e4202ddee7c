import 'server-only';

import type { ActivityState } from '@/lib/activity/kinds';
import { withActivity } from '@/lib/activity/record';
import { lookUpInvitation } from '@/lib/activity/targets';
import type { Actor } from '@/lib/auth/actor';
import { getT } from '@/lib/i18n/server';
import type { OrganizationInvitation } from '@/lib/logto';
import {
  InvitationEmailMismatchError,
  InvitationNotFoundError,
  InvitationNotPendingError,
} from '@/lib/portal/invitations';
import { ActionFailure } from './result';

/** One way an invitee answers an invitation: accept it or decline it. */
export type InviteeAnswer<T> = {
  action: 'invitation.accept' | 'invitation.decline';
  /** The invitation's state before and after, as the activity log keeps them. */
  describe: (invitation: OrganizationInvitation) => { before: ActivityState; after: ActivityState };
  /** Whether the answer is worth recording (default: always). */
  isRecorded?: (invitation: OrganizationInvitation) => boolean;
  /** The answer itself, sent to Logto. */
  send: () => Promise<T>;
};

/**
 * Sends an invitee's answer to an invitation addressed to their verified email, from the
 * invitation page or their own view. It is recorded in the organization's activity log (done,
 * or refused and why), as the invitation was just before; an unknown id has no organization to
 * record it in. Logto's refusals come back as the form's messages.
 */
export async function answerInvitation<T>(
  actor: Actor,
  invitationId: string,
  { action, describe, isRecorded = () => true, send }: InviteeAnswer<T>,
): Promise<T> {
  const invitation = await lookUpInvitation(invitationId);
  try {
    if (!invitation || !isRecorded(invitation)) return await send();
    const target = { type: 'invitation' as const, id: invitation.id, label: invitation.invitee };
    return await withActivity(
      { actor, orgId: invitation.organizationId },
      { action, items: [{ target, ...describe(invitation) }] },
      send,
    );
  } catch (error) {
    throw await asInviteeFailure(error);
  }
}

/** Logto's refusals of an invitee's answer as the form shows them; anything else as it is. */
async function asInviteeFailure(error: unknown): Promise<unknown> {
  const t = await getT();
  if (error instanceof InvitationNotFoundError)
    return new ActionFailure('not_found', { _form: [t('acceptInvitation.notFoundBody')] });
  if (error instanceof InvitationNotPendingError) {
    return new ActionFailure('invalid_input', {
      _form: [t('acceptInvitation.errors.notPending', { status: error.status })],
    });
  }
  if (error instanceof InvitationEmailMismatchError)
    return new ActionFailure('forbidden', { _form: [t('acceptInvitation.errors.mismatch')] });
  return error;
}
