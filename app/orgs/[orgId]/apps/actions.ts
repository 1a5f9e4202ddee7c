'use server';

import { z } from 'zod';
import { withActivity } from '@/lib/activity/record';
import { createOrgAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getT } from '@/lib/i18n/server';
import { ForbiddenError } from '@/lib/permissions';
import { ActingAboveOwnRoleError, InvalidRoleIdsError } from '@/lib/permissions/grants';
import {
  addApplicationToOrganization,
  NotMachineAppError,
  removeApplicationFromOrganization,
  setApplicationRoles,
} from '@/lib/portal/org-settings';

/** Words the refusals of app changes for the person who hit them. */
async function explainRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotMachineAppError) {
      const t = await getT();
      throw new ActionFailure('invalid_input', { applicationId: [t('apps.notMachineApp')] });
    }
    if (error instanceof InvalidRoleIdsError) {
      const t = await getT();
      throw new ActionFailure('invalid_input', { roleIds: [t('apps.unknownRoles')] });
    }
    if (error instanceof ActingAboveOwnRoleError) {
      const t = await getT();
      const message = t('apps.roleAboveYou', { roles: error.roleNames.join(', ') });
      throw new ActionFailure('forbidden', { _form: [message], roleIds: [message] });
    }
    if (error instanceof ForbiddenError && error.missingScopes.includes('operator')) {
      const t = await getT();
      throw new ActionFailure('forbidden', { _form: [t('apps.operatorOnly')] });
    }
    throw error;
  }
}

const applicationId = z.string().min(1).max(128);
const roleIds = z.array(z.string().min(1).max(128)).max(100);

/** Operators only: adds an existing machine-to-machine app with organization roles. */
export const addOrganizationAppAction = createOrgAction({
  name: 'addOrganizationAppAction',
  schema: z.object({ applicationId, roleIds }),
  scopes: ['manageOrganization'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() =>
      withActivity(
        { actor, orgId },
        {
          action: 'application.add',
          items: [{ target: { type: 'application', id: input.applicationId } }],
          settle: (result) => [
            {
              target: { type: 'application', id: input.applicationId, label: result.name },
              after: { roles: result.roles },
              action: 'application.add',
              outcome: 'done',
            },
          ],
        },
        () => addApplicationToOrganization(access, orgId, input.applicationId, input.roleIds),
      ),
    ),
});

/** Sets an organization app's roles (rule 3 for non-operators). */
export const setOrganizationAppRolesAction = createOrgAction({
  name: 'setOrganizationAppRolesAction',
  schema: z.object({ applicationId, applicationName: z.string().max(256).optional(), roleIds }),
  scopes: ['manageOrganization'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() =>
      withActivity(
        { actor, orgId },
        {
          action: 'application.role_change',
          items: [{ target: { type: 'application', id: input.applicationId, label: input.applicationName } }],
          settle: (result, items) =>
            items.map((item) => ({
              ...item,
              before: { roles: result.before },
              after: { roles: result.after },
              action: 'application.role_change',
              outcome: 'done',
            })),
        },
        () => setApplicationRoles(access, orgId, input.applicationId, input.roleIds),
      ),
    ),
});

/** Removes an app from the organization (rule 3 for non-operators). */
export const removeOrganizationAppAction = createOrgAction({
  name: 'removeOrganizationAppAction',
  schema: z.object({ applicationId, applicationName: z.string().max(256).optional() }),
  scopes: ['manageOrganization'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() =>
      withActivity(
        { actor, orgId },
        {
          action: 'application.remove',
          items: [{ target: { type: 'application', id: input.applicationId, label: input.applicationName } }],
          settle: (result, items) =>
            items.map((item) => ({
              ...item,
              before: { roles: result.roles },
              action: 'application.remove',
              outcome: 'done',
            })),
        },
        () => removeApplicationFromOrganization(access, orgId, input.applicationId),
      ),
    ),
});
