import 'server-only';

/**
 * Answers up to this size are sent uncompressed. TCP's first flight carries about 14 KB, so a
 * small answer arrives in the same round trip either way, while compressing it cost the server
 * and the client about 1 ms per request (`npm run bench`, overhead phase: a members page is about
 * 4 KB). Larger answers are left to Next's compression.
 */
export const UNCOMPRESSED_UP_TO_BYTES = 8 * 1024;

/**
 * JSON for the signed-in person alone, which no cache keeps. Next compresses every answer it
 * sends; a small one carries `no-transform`, which Next's compression (and any proxy) honours by
 * sending it as it is.
 */
export function privateJson(
  body: unknown,
  { status = 200, headers = {} }: { status?: number; headers?: Record<string, string> } = {},
): Response {
  const text = JSON.stringify(body);
  const isSmall = Buffer.byteLength(text) <= UNCOMPRESSED_UP_TO_BYTES;
  // Set on `Headers`, so a caller's own spelling of these names cannot add a second value.
  const answerHeaders = new Headers(headers);
  answerHeaders.set('Content-Type', 'application/json');
  answerHeaders.set('Cache-Control', isSmall ? 'private, no-store, no-transform' : 'private, no-store');
  return new Response(text, { status, headers: answerHeaders });
}
