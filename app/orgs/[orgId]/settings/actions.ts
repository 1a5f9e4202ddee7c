'use server';

import { withActivity } from '@/lib/activity/record';
import { createOrgAction } from '@/lib/actions/create-action';
import { getT } from '@/lib/i18n/server';
import { deleteOrganizationConfirmed, updateOrganizationSettings } from '@/lib/portal/org-settings';
import { deleteOrganizationSchema, organizationSettingsSchema } from './settings-schema';

/**
 * Saves the organization's name, description, logos, brand colour and MFA requirement
 * (`manage:organization`). Only what changed is sent; nothing changed records nothing.
 */
export const updateOrganizationSettingsAction = createOrgAction({
  name: 'updateOrganizationSettingsAction',
  schema: organizationSettingsSchema,
  scopes: ['manageOrganization'],
  run: ({ actor, orgId, input }) =>
    withActivity(
      { actor, orgId },
      {
        action: 'organization.update',
        items: [{ target: { type: 'organization', id: orgId, label: input.name } }],
        settle: (result) =>
          result.changed.length === 0
            ? []
            : [
                {
                  target: { type: 'organization', id: orgId, label: result.after.name },
                  before: { name: result.before.name, description: result.before.description },
                  after: { name: result.after.name, description: result.after.description },
                  action: 'organization.update',
                  outcome: 'done',
                },
              ],
      },
      () => updateOrganizationSettings(orgId, input),
    ),
  revalidate: ({ orgId }) => [`/orgs/${orgId}/settings`, '/orgs'],
});

/** Operators only: deletes the organization once its exact name was typed. */
export const deleteOrganizationAction = createOrgAction({
  name: 'deleteOrganizationAction',
  schema: deleteOrganizationSchema,
  scopes: ['manageOrganization'],
  run: async ({ actor, access, orgId, input }) => {
    const t = await getT();
    return withActivity(
      { actor, orgId },
      {
        action: 'organization.delete',
        items: [{ target: { type: 'organization', id: orgId, label: input.confirmName } }],
      },
      () => deleteOrganizationConfirmed(access, orgId, input.confirmName, t('settings.deleteMismatch')),
    );
  },
  revalidate: () => ['/orgs'],
});
