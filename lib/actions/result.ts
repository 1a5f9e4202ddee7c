import type { Messages } from '@/lib/i18n/messages';

/** Every failure code has a user-facing message under `errors.<code>` in the catalogs. */
export type ActionErrorCode = keyof Messages['errors'];

/** A failure as the client receives it: a stable code, translated text, and per-field messages. */
export type ActionError = {
  code: ActionErrorCode;
  message: string;
  /** Field path (`emails.0`) → messages; `_form` for input-wide problems. */
  fieldErrors?: Record<string, string[]>;
};

/** What every server action returns. Actions never throw to the client. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * Thrown inside an action's `run` to refuse with a known code (a domain rule such as "last admin",
 * or a field problem found after validation). Becomes `{ ok: false, error }`.
 */
export class ActionFailure extends Error {
  override name = 'ActionFailure';
  constructor(
    readonly code: ActionErrorCode,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(code);
  }
}
