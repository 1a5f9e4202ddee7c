'use server';

import { additionPlan, removalPlan, roleChangePlan, roleGrantPlan, settleBulk } from '@/lib/activity/plans';
import { withActivity } from '@/lib/activity/record';
import { createOrgAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getT } from '@/lib/i18n/server';
import { LogtoApiError } from '@/lib/logto';
import { ActingAboveOwnRoleError, InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import {
  addExistingUsers,
  assignRoleToMembers,
  changeMemberRoles,
  removeMember,
  removeMembers,
} from '@/lib/portal/members';
import {
  addMembersSchema,
  bulkAssignRoleSchema,
  bulkRemoveMembersSchema,
  changeMemberRolesSchema,
  removeMemberSchema,
} from './member-schemas';

// No revalidatePath here: the members table reads through TanStack Query and invalidates its own
// queries after each change, and the roles and organizations pages render fresh on every visit.
// Revalidating would make Next re-render this page into every action response (three more Logto
// calls per role toggle) for nothing.

/** Words the permission rules' refusals for the person who hit them. */
async function explainRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LastRoleAssignerError) {
      const t = await getT();
      throw new ActionFailure('forbidden', { _form: [t('members.errors.lastRoleAssigner')] });
    }
    if (error instanceof InvalidRoleIdsError) {
      const t = await getT();
      const message = t('members.errors.unknownRoles');
      throw new ActionFailure('invalid_input', { _form: [message], roleIds: [message] });
    }
    if (error instanceof ActingAboveOwnRoleError) {
      const t = await getT();
      throw new ActionFailure('forbidden', {
        _form: [t('members.errors.memberAboveYou', { roles: error.roleNames.join(', ') })],
      });
    }
    if (error instanceof RoleEscalationError) {
      const t = await getT();
      const message = t('members.errors.roleNotGrantable', { roles: error.roleNames.join(', ') });
      throw new ActionFailure('forbidden', { _form: [message], roleIds: [message] });
    }
    // Ids were checked against the role list and the membership just before; a user or role that
    // vanished in between is the only way here.
    if (error instanceof LogtoApiError && error.code === 'entity.relation_foreign_key_not_found') {
      const t = await getT();
      throw new ActionFailure('invalid_input', { _form: [t('members.errors.gone')] });
    }
    throw error;
  }
}

// Every change is recorded in the organization's activity log in the same step (`withActivity`
// inside the refusal wording, so the log keeps the rule's own reason): done, refused or failed,
// one entry per member of a batch.

/** Sets one member's roles to exactly the given ones (`assign:roles`; rules 3 and 4). */
export const changeMemberRolesAction = createOrgAction({
  name: 'changeMemberRolesAction',
  schema: changeMemberRolesSchema,
  scopes: ['assignRoles'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(async () =>
      withActivity({ actor, orgId }, await roleChangePlan(orgId, input.userId, input.roleIds), () =>
        changeMemberRoles({ access, orgId, userId: input.userId, roleIds: input.roleIds }),
      ),
    ),
});

/** Removes one member (`remove:members`; never the last holder of `assign:roles`). */
export const removeMemberAction = createOrgAction({
  name: 'removeMemberAction',
  schema: removeMemberSchema,
  scopes: ['removeMembers'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(async () =>
      withActivity(
        { actor, orgId },
        { action: 'member.remove', items: await removalPlan(orgId, [input.userId]) },
        () => removeMember({ access, orgId, userId: input.userId }),
      ),
    ),
});

/** Grants one role to up to 100 members; answers who got it and who did not, and why. */
export const bulkAssignRoleAction = createOrgAction({
  name: 'bulkAssignRoleAction',
  schema: bulkAssignRoleSchema,
  scopes: ['assignRoles'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(async () =>
      withActivity({ actor, orgId }, await roleGrantPlan(orgId, input.userIds, input.roleId), () =>
        assignRoleToMembers({ access, orgId, userIds: input.userIds, roleId: input.roleId }),
      ),
    ),
});

/** Removes up to 100 members; rule 4 is judged over the whole batch. */
export const bulkRemoveMembersAction = createOrgAction({
  name: 'bulkRemoveMembersAction',
  schema: bulkRemoveMembersSchema,
  scopes: ['removeMembers'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(async () =>
      withActivity(
        { actor, orgId },
        {
          action: 'member.remove',
          items: await removalPlan(orgId, input.userIds),
          settle: (result, items) => settleBulk('member.remove', items, result, () => null),
        },
        () => removeMembers({ access, orgId, userIds: input.userIds }),
      ),
    ),
});

/** Operators only: adds existing tenant users to the organization with roles. */
export const addMembersAction = createOrgAction({
  name: 'addMembersAction',
  schema: addMembersSchema,
  // The operator check is inside: rule 5 is about who the actor is, not a scope they hold here.
  scopes: [],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() =>
      withActivity({ actor, orgId }, additionPlan(orgId, input.userIds, input.roleIds), () =>
        addExistingUsers({ access, orgId, userIds: input.userIds, roleIds: input.roleIds }),
      ),
    ),
});
