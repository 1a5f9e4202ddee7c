import { z } from 'zod';
import type { Translator } from '@/lib/i18n/messages';
import { ORGANIZATION_DESCRIPTION_MAX, ORGANIZATION_NAME_MAX } from '../../organization-limits';
import { HEX_COLOR, isHttpsUrl, LOGO_URL_MAX } from './settings-limits';

/** Empty text means "none". */
const emptyToNull = (value: string) => (value === '' ? null : value);

/** Input of the settings form; empty logo, colour and description mean "none". */
export function organizationSettingsSchema(t: Translator) {
  const logoUrl = z
    .string()
    .trim()
    .max(LOGO_URL_MAX, { error: t('settings.errors.url') })
    .refine((value) => value === '' || isHttpsUrl(value), { error: t('settings.errors.url') })
    .transform(emptyToNull);
  return z.object({
    name: z
      .string({ error: t('settings.errors.name', { max: ORGANIZATION_NAME_MAX }) })
      .trim()
      .min(1, { error: t('settings.errors.name', { max: ORGANIZATION_NAME_MAX }) })
      .max(ORGANIZATION_NAME_MAX, { error: t('settings.errors.name', { max: ORGANIZATION_NAME_MAX }) }),
    description: z
      .string()
      .trim()
      .max(ORGANIZATION_DESCRIPTION_MAX, {
        error: t('settings.errors.description', { max: ORGANIZATION_DESCRIPTION_MAX }),
      })
      .transform(emptyToNull),
    logoUrl,
    darkLogoUrl: logoUrl,
    primaryColor: z
      .string()
      .trim()
      .refine((value) => value === '' || HEX_COLOR.test(value), { error: t('settings.errors.color') })
      .transform((value) => emptyToNull(value.toLowerCase())),
    isMfaRequired: z.boolean(),
  });
}

/** Input of "delete organization": the name as typed. */
export const deleteOrganizationSchema = z.object({ confirmName: z.string().max(512) });
