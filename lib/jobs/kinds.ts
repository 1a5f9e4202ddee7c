import 'server-only';

import type { ActivityEvent } from '@/lib/activity/record';
import { roleNamesOf, sortedRoleNames } from '@/lib/activity/targets';
import { actorForJob, type Actor } from '@/lib/auth/actor';
import { signInvitationToken } from '@/lib/auth/invitation-token';
import { getConfig } from '@/lib/config';
import {
  assignRolesToMembers,
  createInvitation,
  getMemberRoles,
  listInvitations,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  type OrganizationInvitation,
} from '@/lib/logto';
import { type OrgAccess, requireOrgScopes, type Scope } from '@/lib/permissions';
import { assertCanGrantRoles } from '@/lib/permissions/grants';
import { changeMemberRoles, type MemberReads, removeMember } from '@/lib/portal/members';
import type { BulkJobItemRow, BulkJobKind, BulkJobRow } from '@/lib/store/jobs';
import { invitationLink } from '@/lib/portal/invitation-input';

/** What an invite job applies to every address. */
export type InviteJobParams = {
  roleIds: string[];
  /** Epoch ms; every invitation of the job expires together. */
  expiresAt: number;
  /** Language of the emails. */
  locale: string;
  /** The portal's public URL, for the links in the emails. */
  portalUrl: string;
};

/** What a role job grants or takes away. */
export type RoleJobParams = { roleId: string };

/** How one item ended. `activity` is its entry in the activity log. */
export type ItemOutcome = {
  state: 'done' | 'skipped' | 'failed';
  reason?: string | null;
  result?: Record<string, unknown>;
  activity: ActivityEvent;
};

/** What applying one item may use. */
export type ItemContext = {
  job: BulkJobRow;
  item: BulkJobItemRow;
  client?: ManagementClient;
  /**
   * Must be awaited right before the write is sent: from then on a failure may leave the write
   * done or not, and the item is handed back as such.
   */
  beforeWrite(): Promise<void>;
  /** State kept for the rest of the job by this worker (e.g. "this tenant cannot send email"). */
  memo: Map<string, unknown>;
};

type KindHandler = {
  /** The scope the job's creator must still hold when each item is applied. */
  scope: Scope;
  apply(context: ItemContext, access: OrgAccess, actor: Actor): Promise<ItemOutcome>;
};

function isLogtoError(error: unknown, status: number, code?: string): boolean {
  return (
    error instanceof LogtoApiError && error.status === status && (code === undefined || error.code === code)
  );
}

/** The link in an invitation email: names the organization and invitee, signed; no invitation id needed. */
export function signedInvitationLink(
  params: InviteJobParams,
  organizationId: string,
  invitee: string,
): string {
  const token = signInvitationToken(
    { organizationId, invitee, expiresAt: params.expiresAt },
    getConfig().nextAuth.secret,
  );
  return invitationLink(params.portalUrl, token);
}

const NO_EMAIL_CONNECTOR = 'no-email-connector';

/**
 * One address: one call in the usual case — Logto creates the invitation and emails it together
 * (the link is signed, so it needs no id), and refuses members (422 `request.invalid_input`) and
 * people already invited (422 `entity.unique_integrity_violation`) by itself. When the tenant
 * cannot send email (501, nothing created), it is created without one and the link kept for the
 * inviter to share; later addresses skip the email straight away.
 *
 * After a write whose outcome was never learnt, the invitation is looked for first: one with the
 * job's expiry for this address can only be the job's own.
 */
async function applyInvite(context: ItemContext, access: OrgAccess, actor: Actor): Promise<ItemOutcome> {
  const { job, item, client, memo } = context;
  const params = job.params as InviteJobParams;
  const email = item.target;
  const roles = await listOrganizationRoles(client);
  assertCanGrantRoles(access, params.roleIds, roles);
  const roleNames = await roleNamesOf(params.roleIds, client);
  const activity = (
    invitation: OrganizationInvitation | null,
    reason: string | null = null,
  ): ActivityEvent => ({
    action: 'invitation.create',
    target: { type: 'invitation', id: invitation?.id ?? null, label: email },
    after: { roles: roleNames, expiresAt: params.expiresAt },
    outcome: 'done',
    reason,
  });

  if (item.outcomeUnknown) {
    const ours = (await listInvitations({ organizationId: job.organizationId, invitee: email }, client)).find(
      (invitation) => invitation.expiresAt === params.expiresAt,
    );
    if (ours) return { state: 'done', result: { invitationId: ours.id }, activity: activity(ours) };
  }

  const link = signedInvitationLink(params, job.organizationId, email);
  const create = (withEmail: boolean) =>
    createInvitation(
      {
        invitee: email,
        organizationId: job.organizationId,
        inviterId: actor.userId,
        expiresAt: params.expiresAt,
        organizationRoleIds: params.roleIds,
        messagePayload: withEmail ? { link, locale: params.locale } : false,
      },
      client,
    );
  await context.beforeWrite();
  try {
    if (memo.has(NO_EMAIL_CONNECTOR)) {
      const invitation = await create(false);
      return {
        state: 'done',
        reason: 'email_unavailable',
        result: { invitationId: invitation.id, link },
        activity: activity(invitation, 'email_unavailable'),
      };
    }
    const invitation = await create(true);
    return { state: 'done', result: { invitationId: invitation.id }, activity: activity(invitation) };
  } catch (error) {
    if (isLogtoError(error, 422, 'entity.unique_integrity_violation'))
      return skipped('already_invited', activity(null));
    // After validation, the only 422 request.invalid_input of a create is "already a member".
    if (isLogtoError(error, 422, 'request.invalid_input')) return skipped('already_member', activity(null));
    if (isLogtoError(error, 400)) return failed('invalid_email', activity(null));
    if (isLogtoError(error, 501, 'connector.not_found')) {
      // Nothing was created (Logto rolls the create back): create it without the email.
      memo.set(NO_EMAIL_CONNECTOR, true);
      return applyInvite({ ...context, item: { ...item, outcomeUnknown: false } }, access, actor);
    }
    throw error;
  }
}

function skipped(reason: string, activity: ActivityEvent): ItemOutcome {
  return { state: 'skipped', reason, activity: { ...activity, outcome: 'refused', reason } };
}

function failed(reason: string, activity: ActivityEvent): ItemOutcome {
  return { state: 'failed', reason, activity: { ...activity, outcome: 'refused', reason } };
}

function memberEvent(
  item: BulkJobItemRow,
  action: string,
  before?: string[],
  after?: string[],
): ActivityEvent {
  return {
    action,
    target: { type: 'member', id: item.target, label: item.label },
    ...(before && { before: { roles: sortedRoleNames(before) } }),
    ...(after && { after: { roles: sortedRoleNames(after) } }),
    outcome: 'done',
  };
}

function isNotMember(error: unknown): boolean {
  return (
    isLogtoError(error, 422, 'organization.require_membership') ||
    isLogtoError(error, 422, 'entity.relation_foreign_key_not_found') ||
    isLogtoError(error, 404)
  );
}

/**
 * Grants one role to one member, keeping their others: one call, which Logto treats as a no-op
 * when they hold it already, so repeating it is harmless. Rule 3 is checked for the role.
 */
async function applyAssignRole(context: ItemContext, access: OrgAccess): Promise<ItemOutcome> {
  const { job, item, client } = context;
  const { roleId } = job.params as RoleJobParams;
  const roles = await listOrganizationRoles(client);
  assertCanGrantRoles(access, [roleId], roles);
  const [roleName = roleId] = await roleNamesOf([roleId], client);
  const event = memberEvent(item, 'member.role_change', undefined, [roleName]);
  if (item.outcomeUnknown) {
    try {
      const held = await getMemberRoles(job.organizationId, item.target, client);
      if (held.some((role) => role.id === roleId)) return { state: 'done', activity: event };
    } catch (error) {
      if (isNotMember(error)) return skipped('not_a_member', event);
      throw error;
    }
  }
  await context.beforeWrite();
  try {
    await assignRolesToMembers(job.organizationId, [item.target], [roleId], client);
    return { state: 'done', activity: event };
  } catch (error) {
    if (isNotMember(error)) return skipped('not_a_member', event);
    throw error;
  }
}

/**
 * Takes one role from one member through the same path as a single role change: read under the
 * organization lock, rule 3 for the role, rule 4 (someone keeps `assign:roles`). The read is also
 * what makes a repeat safe: a member who no longer holds the role is left alone.
 */
async function applyRemoveRole(context: ItemContext, access: OrgAccess): Promise<ItemOutcome> {
  const { job, item } = context;
  const { roleId } = job.params as RoleJobParams;
  const reads: MemberReads = new Map();
  let wrote = false;
  try {
    const { roles } = await changeMemberRolesWithout(context, access, roleId, reads, () => {
      wrote = true;
    });
    const before = reads.get(item.target)?.roles.map((role) => role.name) ?? [];
    const after = roles.map((role) => role.name);
    const event = memberEvent(
      { ...item, label: item.label ?? reads.get(item.target)?.email ?? null },
      'member.role_change',
      before,
      after,
    );
    // An earlier attempt whose answer was lost may be why the role is gone: that was this job.
    if (wrote || item.outcomeUnknown) return { state: 'done', activity: event };
    return skipped('role_not_held', event);
  } catch (error) {
    if (isNotMember(error)) return skipped('not_a_member', memberEvent(item, 'member.role_change'));
    throw error;
  }
}

async function changeMemberRolesWithout(
  context: ItemContext,
  access: OrgAccess,
  roleId: string,
  reads: MemberReads,
  onWrite: () => void,
) {
  const { job, item, client } = context;
  // The member's roles are read under the lock inside `changeMemberRoles`; asking for "all but
  // this one" needs them first, so the first read decides and the change re-reads under the lock.
  const current = await getMemberRoles(job.organizationId, item.target, client);
  if (!current.some((role) => role.id === roleId)) {
    reads.set(item.target, { roles: current.map(({ id, name }) => ({ id, name })) });
    return { roles: current };
  }
  await context.beforeWrite();
  onWrite();
  return changeMemberRoles({
    access,
    orgId: job.organizationId,
    userId: item.target,
    roleIds: current.filter((role) => role.id !== roleId).map((role) => role.id),
    client,
    reads,
  });
}

/** Removes one member through the single removal's path (read under the lock, rules 3 and 4). */
async function applyRemoveMember(context: ItemContext, access: OrgAccess): Promise<ItemOutcome> {
  const { job, item, client } = context;
  const reads: MemberReads = new Map();
  try {
    await context.beforeWrite();
    await removeMember({ access, orgId: job.organizationId, userId: item.target, client, reads });
    const read = reads.get(item.target);
    return {
      state: 'done',
      activity: memberEvent(
        { ...item, label: item.label ?? read?.email ?? null },
        'member.remove',
        read?.roles.map((role) => role.name),
      ),
    };
  } catch (error) {
    if (isNotMember(error)) {
      // Gone after an attempt whose answer was lost: that attempt removed them.
      const event = memberEvent(item, 'member.remove');
      return item.outcomeUnknown ? { state: 'done', activity: event } : skipped('not_a_member', event);
    }
    throw error;
  }
}

const HANDLERS: Record<BulkJobKind, KindHandler> = {
  invite: { scope: 'inviteMembers', apply: applyInvite },
  assign_role: { scope: 'assignRoles', apply: applyAssignRole },
  remove_role: { scope: 'assignRoles', apply: applyRemoveRole },
  remove_members: { scope: 'removeMembers', apply: applyRemoveMember },
};

/** The activity entry for an item whose rule check or write threw. */
export function activityForKind(kind: BulkJobKind, item: BulkJobItemRow): ActivityEvent {
  if (kind === 'invite')
    return {
      action: 'invitation.create',
      target: { type: 'invitation', label: item.target },
      outcome: 'failed',
    };
  return memberEvent(item, kind === 'remove_members' ? 'member.remove' : 'member.role_change');
}

/**
 * Applies one item for the job's creator as they stand now (rules 1–4 judged per item, with
 * answers at most a few seconds old): suspended or stripped of the scope, their items are
 * refused from then on.
 */
export async function applyItem(context: ItemContext): Promise<ItemOutcome> {
  const handler = HANDLERS[context.job.kind];
  const actor = await actorForJob({ userId: context.job.createdBy, email: context.job.createdByEmail });
  const access = await requireOrgScopes(actor, context.job.organizationId, [handler.scope], {
    freshness: 'recent',
  });
  return handler.apply(context, access, actor);
}
