import { describe, expect, it } from 'vitest';
import { findSecrets } from './secrets';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SIGNED_JWT = `${b64({ alg: 'ES384', typ: 'at+jwt' })}.${b64({ sub: 'portal-m2m', aud: 'https://default.logto.app/api' })}.c2lnbmF0dXJl`;
// next-auth's session cookie: a JWE with an empty key part, meant for the browser.
const NEXT_AUTH_JWE = `${b64({ alg: 'dir', enc: 'A256GCM' })}..9VxI7XO1_Kh7_9rZ.UqAne3HpjX5JAa9TGkO5qWUCK53b.s2lzc-y0F2ZQvcvY-oTCNQ`;

describe('findSecrets', () => {
  it('finds known secret values without repeating them', () => {
    const findings = findSecrets('auth failed for portal-m2m with secret portal-m2m-secret', 'log', [
      { name: 'LOGTO_M2M_APP_SECRET', value: 'portal-m2m-secret' },
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ secret: 'LOGTO_M2M_APP_SECRET', where: 'log' });
    expect(findings[0]!.excerpt).not.toContain('portal-m2m-secret');
  });

  it('finds signed JWTs such as Management API tokens', () => {
    const findings = findSecrets(`Authorization: Bearer ${SIGNED_JWT}`, 'html', []);
    expect(findings.map((finding) => finding.secret)).toEqual(['a signed JWT']);
  });

  it('leaves next-auth’s encrypted session cookie and ordinary text alone', () => {
    expect(findSecrets(`next-auth.session-token=${NEXT_AUTH_JWE}; Path=/`, 'cookie', [])).toEqual([]);
    expect(findSecrets('<html>2,500 members</html>', 'html', [{ name: 'x', value: 'portal-m2m-secret' }])).toEqual([]);
  });
});
