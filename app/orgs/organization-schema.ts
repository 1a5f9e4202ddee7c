import { z } from 'zod';
import type { Translator } from '@/lib/i18n/messages';
import { ORGANIZATION_DESCRIPTION_MAX, ORGANIZATION_NAME_MAX } from './organization-limits';

/** Input of "create organization": a name, and an optional description (empty means none). */
export function createOrganizationSchema(t: Translator) {
  return z.object({
    name: z
      .string({ error: t('orgs.create.errors.nameRequired') })
      .trim()
      .min(1, { error: t('orgs.create.errors.nameRequired') })
      .max(ORGANIZATION_NAME_MAX, { error: t('orgs.create.errors.tooLong', { max: ORGANIZATION_NAME_MAX }) }),
    description: z
      .string()
      .trim()
      .max(ORGANIZATION_DESCRIPTION_MAX, {
        error: t('orgs.create.errors.tooLong', { max: ORGANIZATION_DESCRIPTION_MAX }),
      })
      .optional()
      .default(''),
  });
}
