import { LogtoApiError, LogtoAuthError, LogtoBusyError, LogtoNetworkError } from '@/lib/logto';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '@/lib/permissions/errors';
import { ActionFailure, type ActionErrorCode } from './result';

/** Logto error codes with a meaning users can act on. Anything else is "internal" and logged. */
const LOGTO_CODES: Record<string, ActionErrorCode> = {
  'entity.not_found': 'not_found',
  'entity.not_exists': 'not_found',
  'entity.not_exists_with_id': 'not_found',
  'organization.require_membership': 'not_a_member',
  'entity.unique_integrity_violation': 'already_exists',
  'guard.invalid_input': 'invalid_input',
  'request.invalid_input': 'invalid_input',
  'entity.invalid_input': 'invalid_input',
  'entity.value_too_long': 'invalid_input',
  'entity.relation_foreign_key_not_found': 'invalid_input',
  'organization.role_names_not_found': 'invalid_input',
  'request.message_rate_limited': 'rate_limited',
  'connector.not_found': 'email_unavailable',
};

/** How a thrown value becomes an action failure; `isUnexpected` failures deserve a log line. */
export type ClassifiedError = {
  code: ActionErrorCode;
  fieldErrors?: Record<string, string[]>;
  isUnexpected: boolean;
};

/**
 * Maps anything an action can throw to a failure code. Logto's own `message` is never used:
 * it is English, sometimes technical, and not ours to show.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof ActionFailure) {
    return {
      code: error.code,
      ...(error.fieldErrors && { fieldErrors: error.fieldErrors }),
      isUnexpected: false,
    };
  }
  if (error instanceof UnauthenticatedError) return { code: 'unauthenticated', isUnexpected: false };
  if (error instanceof NotFoundError) return { code: 'not_found', isUnexpected: false };
  if (error instanceof ForbiddenError) return { code: 'forbidden', isUnexpected: false };
  // The portal's own budget is full: a moment's wait helps, nothing is broken.
  if (error instanceof LogtoBusyError) return { code: 'rate_limited', isUnexpected: false };
  if (error instanceof LogtoNetworkError) return { code: 'upstream_unavailable', isUnexpected: true };
  if (error instanceof LogtoApiError) {
    const known = LOGTO_CODES[error.code];
    if (known) return { code: known, isUnexpected: false };
    if (error.status === 429) return { code: 'rate_limited', isUnexpected: false };
    if (error.status >= 500) return { code: 'upstream_unavailable', isUnexpected: true };
    return { code: 'internal', isUnexpected: true };
  }
  // A token that cannot be obtained is a deployment fault: users can only wait for it to be fixed.
  if (error instanceof LogtoAuthError) return { code: 'upstream_unavailable', isUnexpected: true };
  return { code: 'internal', isUnexpected: true };
}

/** Whether a failure means Logto itself is down or overloaded (pages show the outage notice). */
export function isUpstreamFailure(error: unknown): boolean {
  const { code } = classifyError(error);
  return code === 'upstream_unavailable' || code === 'rate_limited';
}
