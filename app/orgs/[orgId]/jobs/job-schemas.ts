import { z } from 'zod';
import type { Translator } from '@/lib/i18n/messages';
import { MAX_JOB_ITEMS } from '@/lib/jobs/types';
import {
  INVITATION_EXPIRY_DAYS,
  type InvitationExpiryDays,
  isValidEmail,
} from '@/lib/portal/invitation-input';

const MAX_ROLES = 50;
/** A members search as the table writes it in the URL. */
const MAX_QUERY_LENGTH = 200;

const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

function toList(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return [];
  return typeof raw === 'string' ? [raw] : raw;
}

/**
 * Input of a bulk invitation: up to 10,000 addresses as the page understood them (pasted or from
 * a CSV column), every one valid — the page shows the others before sending — returned
 * lower-cased and de-duplicated; role ids; an expiry among the offered choices.
 */
export function bulkInviteSchema(t: Translator) {
  return z.object({
    emails: z
      .array(z.string().trim().max(320), { error: t('jobs.errors.emailsRequired') })
      .min(1, { error: t('jobs.errors.emailsRequired') })
      .max(MAX_JOB_ITEMS, { error: t('jobs.errors.tooMany', { max: MAX_JOB_ITEMS }) })
      .superRefine((emails, context) => {
        const invalid = emails.filter((email) => !isValidEmail(email));
        if (invalid.length > 0) {
          context.addIssue({
            code: 'custom',
            message: t('jobs.errors.invalidEmails', {
              count: invalid.length,
              examples: invalid
                .slice(0, 3)
                .map((email) => email.slice(0, 100))
                .join(', '),
            }),
          });
        }
      })
      .transform((emails) => [...new Set(emails.map((email) => email.toLowerCase()))]),
    roleIds: z.preprocess(
      toList,
      z
        .array(id)
        .max(MAX_ROLES)
        .transform((ids) => [...new Set(ids)]),
    ),
    expiresInDays: z.coerce
      .number({ error: t('invite.errors.expiry') })
      .refine(
        (days): days is InvitationExpiryDays => (INVITATION_EXPIRY_DAYS as readonly number[]).includes(days),
        { error: t('invite.errors.expiry') },
      ),
  });
}

/**
 * Input of a role or removal job: the chosen members (`userIds`) or everyone a members search
 * matches (`q`, possibly empty: everyone), never both.
 */
export function memberJobSchema(t: Translator) {
  return z
    .object({
      kind: z.enum(['assign_role', 'remove_role', 'remove_members']),
      roleId: id.optional(),
      userIds: z.array(id).min(1).max(MAX_JOB_ITEMS).optional(),
      q: z.string().trim().max(MAX_QUERY_LENGTH).optional(),
      filterRoleId: id.optional(),
    })
    .refine((input) => (input.userIds === undefined) !== (input.q === undefined), {
      error: t('jobs.errors.selection'),
    })
    .refine((input) => input.kind === 'remove_members' || input.roleId !== undefined, {
      error: t('invite.errors.unknownRoles'),
      path: ['roleId'],
    });
}

export const jobIdSchema = z.object({ jobId: z.string().trim().uuid() });
