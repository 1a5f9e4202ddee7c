'use server';

import { createOrgAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getLocale, getT } from '@/lib/i18n/server';
import {
  cancelJob,
  JobTargetsError,
  retryFailedItems,
  startInviteJob,
  startMemberJob,
} from '@/lib/jobs/start';
import { MAX_JOB_ITEMS } from '@/lib/jobs/types';
import { hasScope } from '@/lib/permissions';
import { InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import { expiryFromDays } from '@/lib/portal/invitations';
import { bulkInviteSchema, jobIdSchema, memberJobSchema } from './job-schemas';

/** Words the up-front rule 3 check's refusals (each item is checked again when applied). */
async function explainRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidRoleIdsError) {
      const t = await getT();
      throw new ActionFailure('invalid_input', { _form: [t('members.errors.unknownRoles')] });
    }
    if (error instanceof JobTargetsError) {
      const t = await getT();
      const message =
        error.reason === 'none'
          ? t('jobs.errors.nobodyMatches')
          : t('jobs.errors.tooMany', { max: MAX_JOB_ITEMS });
      throw new ActionFailure('invalid_input', { _form: [message] });
    }
    if (error instanceof RoleEscalationError) {
      const t = await getT();
      throw new ActionFailure('forbidden', {
        _form: [t('members.errors.roleNotGrantable', { roles: error.roleNames.join(', ') })],
      });
    }
    throw error;
  }
}

/** Starts inviting up to 10,000 addresses in the background (`invite:members`; rule 3 per item). */
export const startInviteJobAction = createOrgAction({
  name: 'startInviteJobAction',
  schema: bulkInviteSchema,
  scopes: ['inviteMembers'],
  run: async ({ actor, access, orgId, input }) => {
    const locale = await getLocale();
    return explainRefusals(() =>
      startInviteJob({
        actor,
        access,
        orgId,
        emails: input.emails,
        roleIds: input.roleIds,
        expiresAt: expiryFromDays(input.expiresInDays),
        locale,
      }),
    );
  },
});

/**
 * Starts a role change or removal over chosen members or over everyone a search matches
 * (`assign:roles` for roles, `remove:members` for removals; rules 3 and 4 per item).
 */
export const startMemberJobAction = createOrgAction({
  name: 'startMemberJobAction',
  schema: memberJobSchema,
  scopes: [],
  run: async ({ actor, access, orgId, input }) => {
    const needed = input.kind === 'remove_members' ? 'removeMembers' : 'assignRoles';
    if (!hasScope(access, needed)) {
      const t = await getT();
      throw new ActionFailure('forbidden', { _form: [t('errors.forbidden')] });
    }
    return explainRefusals(() =>
      startMemberJob({
        actor,
        access,
        orgId,
        kind: input.kind,
        roleId: input.roleId,
        target: input.userIds ? { userIds: input.userIds } : { q: input.q ?? '', roleId: input.filterRoleId },
      }),
    );
  },
});

/** Stops a job; what is done stays done. */
export const cancelJobAction = createOrgAction({
  name: 'cancelJobAction',
  schema: jobIdSchema,
  scopes: [],
  run: ({ actor, orgId, input }) => cancelJob(actor, orgId, input.jobId),
});

/** Tries a finished job's failed items again. */
export const retryFailedJobItemsAction = createOrgAction({
  name: 'retryFailedJobItemsAction',
  schema: jobIdSchema,
  scopes: [],
  run: ({ actor, orgId, input }) => retryFailedItems(actor, orgId, input.jobId),
});
