import type { MemberRow, RoleOption } from '@/lib/portal/members';

/** How a member is named in messages: name, else username, else email, else their id. */
export function memberDisplayName(member: Pick<MemberRow, 'id' | 'name' | 'username' | 'email'>): string {
  return member.name ?? member.username ?? member.email ?? member.id;
}

/** The role a picker preselects: the one granting the least, since handing out power is a choice. */
export function leastPowerfulRole(roles: readonly RoleOption[]): RoleOption | undefined {
  return roles.reduce<RoleOption | undefined>(
    (best, role) => (!best || role.scopeCount < best.scopeCount ? role : best),
    undefined,
  );
}
