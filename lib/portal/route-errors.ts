import 'server-only';

import { classifyError } from '@/lib/actions/classify-error';
import type { ActionErrorCode } from '@/lib/actions/result';
import { getT } from '@/lib/i18n/server';
import { LogtoBusyError } from '@/lib/logto';
import { privateJson } from './private-json';

const STATUS: Partial<Record<ActionErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  rate_limited: 429,
  upstream_unavailable: 503,
};

/**
 * The JSON error a GET route handler answers with: `{ error: { code, message } }`, the message
 * from our catalog in the request's language, the status matching the code. Never Logto's text.
 */
export async function routeErrorResponse(error: unknown, route: string): Promise<Response> {
  const { code, isUnexpected } = classifyError(error);
  if (isUnexpected) console.error(`[route ${route}]`, error);
  const t = await getT();
  const headers: Record<string, string> = {};
  // The portal's own budget refused the call at once: busy for a moment, and says when to retry.
  const isBusy = error instanceof LogtoBusyError;
  if (isBusy) headers['Retry-After'] = String(Math.ceil(error.retryAfterMs / 1000));
  return privateJson(
    { error: { code, message: t(`errors.${code}`) } },
    { status: isBusy ? 503 : (STATUS[code] ?? 500), headers },
  );
}
