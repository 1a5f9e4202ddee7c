import 'server-only';

import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Invitation links that do not need the invitation's id, so an invitation can be created and
 * emailed in one Management API call (the link goes in the create's `messagePayload`).
 *
 * The token names the organization, the invitee and the invitation's expiry, sealed with an HMAC
 * under a key derived from the session secret for this purpose alone: it cannot be guessed or
 * altered, and it opens nothing but that invitee's invitation to that organization. Opening it
 * finds the pending invitation Logto holds for the pair (with that expiry).
 */
export type InvitationClaim = {
  organizationId: string;
  /** As invited (lower-case). */
  invitee: string;
  /** The invitation's `expiresAt` (epoch ms). */
  expiresAt: number;
};

const KEY_INFO = 'logto-org-portal/invitation-link/v1';

function keyFor(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', KEY_INFO, 32));
}

function tagOf(payload: string, secret: string): Buffer {
  return createHmac('sha256', keyFor(secret)).update(payload).digest();
}

/** A URL-safe token for `claim`. Tokens always contain a dot; Logto's ids never do. */
export function signInvitationToken(claim: InvitationClaim, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({ o: claim.organizationId, e: claim.invitee, x: claim.expiresAt }),
  ).toString('base64url');
  return `${payload}.${tagOf(payload, secret).toString('base64url')}`;
}

/** Whether a path segment is shaped like a token (it may still be forged: verify it). */
export function isInvitationToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{8,2048}\.[A-Za-z0-9_-]{43}$/.test(value);
}

/** The claim a genuine token carries, or null for anything forged, altered or malformed. */
export function verifyInvitationToken(token: string, secret: string): InvitationClaim | null {
  if (!isInvitationToken(token)) return null;
  const [payload = '', tag = ''] = token.split('.');
  // Compared as canonical text, so no other spelling of the same bytes passes either.
  const given = Buffer.from(tag);
  const expected = Buffer.from(tagOf(payload, secret).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { o, e, x } = parsed;
    if (typeof o !== 'string' || typeof e !== 'string' || typeof x !== 'number') return null;
    return { organizationId: o, invitee: e, expiresAt: x };
  } catch {
    return null;
  }
}
