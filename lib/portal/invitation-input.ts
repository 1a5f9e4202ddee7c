// Client-safe half of the invitations feature: shared by the invite dialog (checks as you type),
// the invite action (checks for real) and the tables, so all say the same about an address.
import { regexes } from 'zod/v4/core';

/** Most addresses one submission may carry. */
export const MAX_INVITEES_PER_SUBMISSION = 200;
/** Expiry choices offered to inviters, in days. */
export const INVITATION_EXPIRY_DAYS = [1, 3, 7, 14, 30] as const;
export type InvitationExpiryDays = (typeof INVITATION_EXPIRY_DAYS)[number];
export const DEFAULT_INVITATION_EXPIRY_DAYS: InvitationExpiryDays = 7;
/** RFC 5321's limit on a forward path; Logto's column is 256. */
export const MAX_EMAIL_LENGTH = 254;

// Separators people type or paste: commas, semicolons (Outlook), spaces, tabs and new lines.
const SEPARATORS = /[\s,;]+/;
// "Ada Lovelace <ada@example.com>" as copied from a mail client: keep only the address.
const DISPLAY_NAME_ADDRESS = /"[^"]*"\s*<([^<>]*)>|[^,;\n<>]*<([^<>]*)>/g;

/** The addresses in typed or pasted text, as written (not yet validated or de-duplicated). */
export function splitAddresses(text: string): string[] {
  return text
    .replace(DISPLAY_NAME_ADDRESS, (_match, quoted?: string, plain?: string) => ` ${quoted ?? plain ?? ''} `)
    .split(SEPARATORS)
    .map((token) => token.trim().replace(/^mailto:/i, ''))
    .filter(Boolean);
}

/** The same syntax check zod's `z.email()` (and so Logto) applies, plus the length limit. */
export function isValidEmail(address: string): boolean {
  return address.length <= MAX_EMAIL_LENGTH && regexes.email.test(address);
}

/** An address in the invite list, lower-cased: Logto compares invitees case-insensitively. */
export type Invitee = { email: string; isValid: boolean };

/**
 * Adds typed or pasted addresses to a list, merging duplicates (in any letter case) with what is
 * already there. Returns the new list and how many addresses were merged away.
 */
export function addInvitees(
  list: readonly Invitee[],
  addresses: readonly string[],
): { list: Invitee[]; merged: number } {
  const seen = new Set(list.map((invitee) => invitee.email));
  const next = [...list];
  let merged = 0;
  for (const address of addresses) {
    const email = address.toLowerCase();
    if (seen.has(email)) {
      merged += 1;
      continue;
    }
    seen.add(email);
    next.push({ email, isValid: isValidEmail(email) });
  }
  return { list: next, merged };
}

/** The invitee's landing page: `<portal>/invitations/<id>`. */
export function invitationLink(portalUrl: string, invitationId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/invitations/${encodeURIComponent(invitationId)}`;
}

/**
 * The link put in emails and offered for copying. The invitee's address rides in the fragment,
 * which browsers never send to a server: the landing page uses it only to pre-fill Logto's
 * sign-in, so the invitation id alone still reveals nothing but the organization's name.
 */
export function invitationShareLink(portalUrl: string, invitationId: string, invitee: string): string {
  return `${invitationLink(portalUrl, invitationId)}#${new URLSearchParams({ email: invitee })}`;
}
