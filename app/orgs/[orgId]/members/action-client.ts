import type { ActionError, ActionResult } from '@/lib/actions/result';

/** A server action that answered `{ ok: false }`, thrown so TanStack Query sees a failure. */
export class ActionResultError extends Error {
  override name = 'ActionResultError';
  constructor(readonly error: ActionError) {
    // Our own form-level wording is more precise than the code's generic text.
    super(error.fieldErrors?._form?.[0] ?? error.message);
  }
}

/** Awaits a server action and returns its data, throwing {@link ActionResultError} on a refusal. */
export async function unwrapAction<T>(call: Promise<ActionResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new ActionResultError(result.error);
  return result.data;
}

/**
 * Words a failed call for a toast: the action's translated message, or `networkText` when the
 * request itself failed (the server was unreachable).
 */
export function failureText(error: unknown, networkText: string): string {
  return error instanceof ActionResultError ? error.message : networkText;
}
