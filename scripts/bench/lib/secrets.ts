/** A compact JWS (header.payload.signature) whose header and payload are JSON objects. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g;

/** One place a secret showed up. */
export type SecretFinding = { secret: string; where: string; excerpt: string };

/**
 * Looks for known secret values and for anything shaped like a signed JWT (Management API
 * tokens, ID tokens) in `text`. `names` label the secrets in findings without repeating them.
 * Encrypted next-auth cookies (JWE, five dot-separated parts, `eyJhbGciOiJkaXIi...`) are
 * not JWS and are not reported: they are meant to travel to the browser.
 */
export function findSecrets(
  text: string,
  where: string,
  secrets: ReadonlyArray<{ name: string; value: string }>,
): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { name, value } of secrets) {
    const index = text.indexOf(value);
    if (index >= 0) {
      findings.push({ secret: name, where, excerpt: redact(text.slice(Math.max(0, index - 60), index + value.length + 20), value) });
    }
  }
  for (const match of text.matchAll(JWT)) {
    const token = match[0];
    const following = text.slice((match.index ?? 0) + token.length, (match.index ?? 0) + token.length + 1);
    // A JWE has five parts: the "signature" we matched is followed by another dot-part.
    if (following === '.') continue;
    const header = decodeJson(token.split('.')[0] ?? '');
    if (header && typeof header === 'object' && 'enc' in header) continue;
    findings.push({ secret: 'a signed JWT', where, excerpt: `${token.slice(0, 24)}…` });
  }
  return findings;
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function redact(excerpt: string, secret: string): string {
  return excerpt.replaceAll(secret, '«secret»').replace(/\s+/g, ' ');
}
