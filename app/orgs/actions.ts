'use server';

import { recordActivity } from '@/lib/activity/record';
import { createAction } from '@/lib/actions/create-action';
import { createOrganization } from '@/lib/logto';
import { ForbiddenError } from '@/lib/permissions';
import { createOrganizationSchema } from './organization-schema';

/**
 * Operators only: creates an organization (name and optional description) and answers its id.
 * Tenant admins are refused even though the button is hidden from them. The creation is the
 * first entry of the new organization's activity log; a refused or failed attempt has no
 * organization whose log it could go to.
 */
export const createOrganizationAction = createAction({
  name: 'createOrganizationAction',
  schema: createOrganizationSchema,
  authorize: (actor) => {
    if (!actor.isOperator) throw new ForbiddenError(['operator']);
  },
  run: async ({ actor, input }): Promise<{ id: string; name: string }> => {
    const organization = await createOrganization({
      name: input.name,
      description: input.description || null,
    });
    await recordActivity({ actor, orgId: organization.id }, [
      {
        action: 'organization.create',
        target: { type: 'organization', id: organization.id, label: organization.name },
        after: { name: organization.name, description: organization.description ?? null },
        outcome: 'done',
      },
    ]);
    return { id: organization.id, name: organization.name };
  },
  revalidate: () => ['/orgs'],
});
