import { z } from 'zod';
import type { Translator } from '@/lib/i18n/messages';
import {
  INVITATION_EXPIRY_DAYS,
  type InvitationExpiryDays,
  isValidEmail,
  MAX_INVITEES_PER_SUBMISSION,
  splitAddresses,
} from '@/lib/portal/invitation-input';

// Far above any honest submission; stops the per-address work before it starts.
const MAX_ROLES = 50;
const MAX_ID_LENGTH = 64;

/** A list field: an array as sent, or one text of addresses / a single FormData value. */
function toList(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw === 'string') return [raw];
  return raw;
}

function toAddressList(raw: unknown): unknown {
  if (typeof raw === 'string') return splitAddresses(raw);
  return toList(raw);
}

const id = z.string().trim().min(1).max(MAX_ID_LENGTH);

/**
 * Input of the invite action: up to 200 addresses (malformed ones reported one by one under
 * `emails.<index>`), returned lower-cased and de-duplicated; role ids; an expiry among the
 * offered choices.
 */
export function inviteSchema(t: Translator) {
  return z.object({
    emails: z.preprocess(
      toAddressList,
      z
        .array(z.string().trim(), { error: t('invite.errors.emailsRequired') })
        .min(1, { error: t('invite.errors.emailsRequired') })
        .max(MAX_INVITEES_PER_SUBMISSION, {
          error: (issue) =>
            t('invite.errors.tooMany', {
              max: MAX_INVITEES_PER_SUBMISSION,
              count: Array.isArray(issue.input) ? issue.input.length : MAX_INVITEES_PER_SUBMISSION,
            }),
        })
        .superRefine((emails, context) => {
          emails.forEach((email, index) => {
            if (!isValidEmail(email)) {
              context.addIssue({
                code: 'custom',
                path: [index],
                message: t('invite.errors.invalidEmail', { email: email.slice(0, 100) }),
              });
            }
          });
        })
        .transform((emails) => [...new Set(emails.map((email) => email.toLowerCase()))]),
    ),
    roleIds: z.preprocess(
      toList,
      z
        .array(id, { error: t('invite.errors.unknownRoles') })
        .max(MAX_ROLES, { error: t('invite.errors.unknownRoles') })
        .transform((ids) => [...new Set(ids)]),
    ),
    expiresInDays: z.coerce
      .number({ error: t('invite.errors.expiry') })
      .refine(
        (days): days is InvitationExpiryDays => (INVITATION_EXPIRY_DAYS as readonly number[]).includes(days),
        {
          error: t('invite.errors.expiry'),
        },
      ),
  });
}

/** Input of the pre-check that flags members and pending invitations while the dialog is open. */
export function checkInviteesSchema(t: Translator) {
  return z.object({
    emails: z.preprocess(
      toList,
      z
        .array(
          z
            .string()
            .trim()
            .toLowerCase()
            .refine(isValidEmail, { error: t('invite.errors.emailsRequired') }),
        )
        .min(1)
        .max(MAX_INVITEES_PER_SUBMISSION)
        .transform((emails) => [...new Set(emails)]),
    ),
  });
}

/** Input of the actions on one invitation (resend, revoke). */
export const invitationIdSchema = z.object({ invitationId: id });
