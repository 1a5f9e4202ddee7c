'use server';

import {
  additionPlan,
  bulkRemovalPlan,
  removalPlan,
  roleChangePlan,
  roleGrantPlan,
} from '@/lib/activity/plans';
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
// one entry per member of a batch. The changes report the members they read (`reads`), which
// gives the entries their emails and roles before, so nobody is read twice.

/** Sets one member's roles to exactly the given ones (`assign:roles`; rules 3 and 4). */
export const changeMemberRolesAction = createOrgAction({
  name: 'changeMemberRolesAction',
  schema: changeMemberRolesSchema,
  scopes: ['assignRoles'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() => {
      const plan = roleChangePlan(input.userId, input.roleIds);
      return withActivity({ actor, orgId }, plan, () =>
        changeMemberRoles({ access, orgId, userId: input.userId, roleIds: input.roleIds, reads: plan.reads }),
      );
    }),
});

/** Removes one member (`remove:members`; never the last holder of `assign:roles`). */
export const removeMemberAction = createOrgAction({
  name: 'removeMemberAction',
  schema: removeMemberSchema,
  scopes: ['removeMembers'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() => {
      const plan = removalPlan(input.userId);
      return withActivity({ actor, orgId }, plan, () =>
        removeMember({ access, orgId, userId: input.userId, reads: plan.reads }),
      );
    }),
});

/** Grants one role to up to 100 members; answers who got it and who did not, and why. */
export const bulkAssignRoleAction = createOrgAction({
  name: 'bulkAssignRoleAction',
  schema: bulkAssignRoleSchema,
  scopes: ['assignRoles'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(async () => {
      const plan = await roleGrantPlan(orgId, input.userIds, input.roleId);
      return withActivity({ actor, orgId }, plan, () =>
        assignRoleToMembers({
          access,
          orgId,
          userIds: input.userIds,
          roleId: input.roleId,
          reads: plan.reads,
        }),
      );
    }),
});

/** Removes up to 100 members; rule 4 is judged over the whole batch. */
export const bulkRemoveMembersAction = createOrgAction({
  name: 'bulkRemoveMembersAction',
  schema: bulkRemoveMembersSchema,
  scopes: ['removeMembers'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() => {
      const plan = bulkRemovalPlan(input.userIds);
      return withActivity({ actor, orgId }, plan, () =>
        removeMembers({ access, orgId, userIds: input.userIds, reads: plan.reads }),
      );
    }),
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
