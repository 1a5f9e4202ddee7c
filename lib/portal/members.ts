import 'server-only';

import type { Actor } from '@/lib/auth/actor';
import { listOrganizationMembers, type OrganizationMember, type Page } from '@/lib/logto';
import { type OrgAccess, requireOrgScopes } from '@/lib/permissions';
import { clampPage, type TableState } from '@/lib/table-state';

/** A member as the members table needs it; only these fields travel to the browser. */
export type MemberRow = {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
  avatar: string | null;
  /** Epoch ms; null when the person never signed in. */
  lastSignInAt: number | null;
  roles: { id: string; name: string }[];
};

export type MembersPage = Page<MemberRow>;

function toMemberRow(member: OrganizationMember): MemberRow {
  return {
    id: member.id,
    name: member.name ?? null,
    username: member.username ?? null,
    email: member.primaryEmail ?? null,
    avatar: member.avatar ?? null,
    lastSignInAt: member.lastSignInAt ?? null,
    roles: member.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
  };
}

async function fetchMembers(orgId: string, state: TableState): Promise<MembersPage> {
  const page = await listOrganizationMembers(orgId, {
    page: state.page,
    pageSize: state.pageSize,
    q: state.q || undefined,
    roleId: state.role,
  });
  return { ...page, rows: page.rows.map(toMemberRow) };
}

/**
 * One page of an organization's members for the actor, shared by the members page and its GET
 * route handler. The permission check and the list call run in parallel; the list is discarded
 * unless the check passes. A page past the end is clamped to the last page (one more call), and
 * the returned `page` says which page it is.
 */
export async function loadMembersPage(
  actor: Actor,
  orgId: string,
  state: TableState,
): Promise<{ access: OrgAccess; members: MembersPage }> {
  const accessLoad = requireOrgScopes(actor, orgId, ['readMembers']);
  const membersLoad = fetchMembers(orgId, state);
  // The list may settle (or fail) after a failed check; nobody will read it then.
  membersLoad.catch(() => undefined);

  const access = await accessLoad;
  const members = await membersLoad;
  const clamped = clampPage(state, members.total);
  if (clamped.page !== state.page) return { access, members: await fetchMembers(orgId, clamped) };
  return { access, members };
}
