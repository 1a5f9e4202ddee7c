import { describe, expect, it } from 'vitest';
import { isInvitationToken, signInvitationToken, verifyInvitationToken } from './invitation-token';

const SECRET = 'a-session-secret-of-at-least-32-characters!';
const CLAIM = { organizationId: 'org123456789', invitee: 'ada@acme.example', expiresAt: 1_900_000_000_000 };

describe('signed invitation links', () => {
  it('round-trips the organization, invitee and expiry, in a URL-safe token Logto ids never look like', () => {
    const token = signInvitationToken(CLAIM, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(isInvitationToken(token)).toBe(true);
    expect(isInvitationToken('abcdefghijklmnopqrstu')).toBe(false);
    expect(verifyInvitationToken(token, SECRET)).toEqual(CLAIM);
  });

  it('refuses a token signed with another secret, or with its claim or tag altered', () => {
    const token = signInvitationToken(CLAIM, SECRET);
    expect(verifyInvitationToken(token, `${SECRET}-other`)).toBeNull();

    const [payload, tag] = token.split('.') as [string, string];
    const otherInvitee = Buffer.from(
      JSON.stringify({ o: CLAIM.organizationId, e: 'eve@evil.example', x: CLAIM.expiresAt }),
    ).toString('base64url');
    expect(verifyInvitationToken(`${otherInvitee}.${tag}`, SECRET)).toBeNull();
    const flipped = `${tag.slice(0, -1)}${tag.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyInvitationToken(`${payload}.${flipped}`, SECRET)).toBeNull();
    expect(verifyInvitationToken(`${payload}.`, SECRET)).toBeNull();
    expect(verifyInvitationToken('not a token', SECRET)).toBeNull();
  });

  it('refuses a well-signed token whose claim is not the expected shape', () => {
    // Signed by the right key (so only a bug could produce it), but not a claim: still nothing.
    const odd = signInvitationToken({ ...CLAIM, expiresAt: Number.NaN }, SECRET);
    expect(verifyInvitationToken(odd, SECRET)).toBeNull();
  });
});
