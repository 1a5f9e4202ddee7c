/** No signed-in user (or the session no longer decodes). Pages send the visitor to sign-in. */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
  constructor() {
    super('Not signed in.');
  }
}

/**
 * The organization does not exist *or* the actor may not see it (rule 2 of the permission
 * model): both answer alike so that probing ids reveals nothing.
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(message = 'Not found.') {
    super(message);
  }
}

/** The actor may see the organization but lacks a scope the operation needs. */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(
    /** The scopes that were missing, for logs; never shown verbatim to users. */
    readonly missingScopes: readonly string[],
  ) {
    super(`Missing scopes: ${missingScopes.join(', ')}`);
  }
}
