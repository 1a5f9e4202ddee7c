'use server';

import { createAction } from '@/lib/actions/create-action';
import { createOrganization } from '@/lib/logto';
import { ForbiddenError } from '@/lib/permissions';
import { createOrganizationSchema } from './organization-schema';

/**
 * Operators only: creates an organization (name and optional description) and answers its id.
 * Tenant admins are refused even though the button is hidden from them.
 */
export const createOrganizationAction = createAction({
  name: 'createOrganizationAction',
  schema: createOrganizationSchema,
  authorize: (actor) => {
    if (!actor.isOperator) throw new ForbiddenError(['operator']);
  },
  run: async ({ input }): Promise<{ id: string; name: string }> => {
    const organization = await createOrganization({
      name: input.name,
      description: input.description || null,
    });
    return { id: organization.id, name: organization.name };
  },
  revalidate: () => ['/orgs'],
});
