import 'server-only';

import { classifyError } from '@/lib/actions/classify-error';
import { ActingAboveOwnRoleError, RoleEscalationError } from '@/lib/permissions/grants';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import { InvitationEmailMismatchError, InvitationNotPendingError } from '@/lib/portal/invitations';
import type { ActivityOutcome } from '@/lib/store';

/** How an attempted change ended, with the reason code when it did not go through. */
export type ActivityResolution = { outcome: ActivityOutcome; reason: string | null };

/**
 * Codes that mean Logto (or the portal's path to it) could not do the work: the change may go
 * through on a retry. Every other code means someone or something said no: a permission rule,
 * a member or invitation that is gone, input Logto would not take.
 */
const FAILURE_CODES: ReadonlySet<string> = new Set([
  'upstream_unavailable',
  'rate_limited',
  'email_unavailable',
  'internal',
]);

/** The outcome of a change that did not go through, from its reason code. */
export function resolveCode(code: string): ActivityResolution {
  return { outcome: FAILURE_CODES.has(code) ? 'failed' : 'refused', reason: code };
}

/**
 * The outcome of a change that threw: `refused` with the rule's own code for the permission
 * rules (`last_role_assigner`, `role_not_grantable`, `member_above_actor`) and the invitation
 * rules (`not_pending`, `email_mismatch`), else the action error code, `failed` for upstream
 * trouble and unexpected errors.
 */
export function resolveError(error: unknown): ActivityResolution {
  if (error instanceof LastRoleAssignerError) return { outcome: 'refused', reason: 'last_role_assigner' };
  // The subclass first: acting on someone above you is also a role you could not grant.
  if (error instanceof ActingAboveOwnRoleError) return { outcome: 'refused', reason: 'member_above_actor' };
  if (error instanceof RoleEscalationError) return { outcome: 'refused', reason: 'role_not_grantable' };
  if (error instanceof InvitationNotPendingError) return { outcome: 'refused', reason: 'not_pending' };
  if (error instanceof InvitationEmailMismatchError) return { outcome: 'refused', reason: 'email_mismatch' };
  const classified = classifyError(error);
  return classified.isUnexpected
    ? { outcome: 'failed', reason: classified.code }
    : resolveCode(classified.code);
}
