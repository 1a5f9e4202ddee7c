import { describe, expect, it } from 'vitest';
import { classifyError } from '@/lib/actions/classify-error';
import type { OrganizationRoleWithScopes } from '@/lib/logto/types';
import { ForbiddenError } from './errors';
import { assertCanGrantRoles, grantableRoles, InvalidRoleIdsError, RoleEscalationError } from './grants';
import type { OrgAccess } from './index';

function role(
  id: string,
  scopes: string[],
  extra: Partial<Pick<OrganizationRoleWithScopes, 'type' | 'resourceScopes'>> = {},
): OrganizationRoleWithScopes {
  return {
    tenantId: 'default',
    id,
    name: id,
    description: null,
    type: extra.type ?? 'User',
    scopes: scopes.map((name) => ({ id: `s-${name}`, name })),
    resourceScopes: extra.resourceScopes ?? [],
  };
}

// The seeded template: admin (all four), manager (read + invite), member (none).
const ROLES = [
  role('admin', ['read:members', 'invite:members', 'remove:members', 'assign:roles']),
  role('manager', ['read:members', 'invite:members']),
  role('member', []),
  role('robot', [], { type: 'MachineToMachine' }),
  role('billing', [], {
    resourceScopes: [{ id: 'rs1', name: 'write', resource: { id: 'r1', name: 'billing' } }],
  }),
];

const ADMIN: OrgAccess = {
  orgId: 'acme',
  isOperator: false,
  scopes: ['readMembers', 'inviteMembers', 'removeMembers', 'assignRoles'],
  scopeNames: ['read:members', 'invite:members', 'remove:members', 'assign:roles'],
};
const MANAGER: OrgAccess = {
  orgId: 'acme',
  isOperator: false,
  scopes: ['readMembers', 'inviteMembers'],
  scopeNames: ['read:members', 'invite:members'],
};
const OPERATOR: OrgAccess = { ...ADMIN, isOperator: true };

function thrown(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('assertCanGrantRoles', () => {
  it('lets an admin grant every user role, including their own', () => {
    expect(() => assertCanGrantRoles(ADMIN, ['admin', 'manager', 'member'], ROLES)).not.toThrow();
  });

  it('lets a manager grant manager and member, and nothing is also fine', () => {
    expect(() => assertCanGrantRoles(MANAGER, ['manager', 'member'], ROLES)).not.toThrow();
    expect(() => assertCanGrantRoles(MANAGER, [], ROLES)).not.toThrow();
  });

  it('refuses a manager granting admin, naming the role and the scopes it would add', () => {
    const error = thrown(() => assertCanGrantRoles(MANAGER, ['member', 'admin'], ROLES));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toBeInstanceOf(RoleEscalationError);
    expect((error as RoleEscalationError).roleNames).toEqual(['admin']);
    expect((error as RoleEscalationError).missingScopes).toEqual(['remove:members', 'assign:roles']);
    expect(classifyError(error).code).toBe('forbidden');
  });

  it('refuses unknown ids and machine-to-machine roles before looking at scopes', () => {
    const error = thrown(() => assertCanGrantRoles(MANAGER, ['admin', 'nope', 'robot', 'nope'], ROLES));
    expect(error).toBeInstanceOf(InvalidRoleIdsError);
    expect((error as InvalidRoleIdsError).roleIds).toEqual(['nope', 'robot']);
    expect(classifyError(error).code).toBe('invalid_input');
  });

  it('treats API resource scopes as not held, except for operators', () => {
    expect(thrown(() => assertCanGrantRoles(ADMIN, ['billing'], ROLES))).toBeInstanceOf(RoleEscalationError);
    expect(() => assertCanGrantRoles(OPERATOR, ['billing', 'admin'], ROLES)).not.toThrow();
  });

  it('compares scope names as Logto names them, whatever the portal calls them', () => {
    const renamed: OrgAccess = { ...MANAGER, scopeNames: ['members.read', 'members.invite'] };
    const roles = [role('reader', ['members.read']), role('seeded-manager', ['read:members'])];
    expect(() => assertCanGrantRoles(renamed, ['reader'], roles)).not.toThrow();
    expect(thrown(() => assertCanGrantRoles(renamed, ['seeded-manager'], roles))).toBeInstanceOf(
      RoleEscalationError,
    );
  });
});

describe('grantableRoles', () => {
  it('offers each actor only the user roles within their own scopes', () => {
    expect(grantableRoles(ADMIN, ROLES).map(({ id }) => id)).toEqual(['admin', 'manager', 'member']);
    expect(grantableRoles(MANAGER, ROLES).map(({ id }) => id)).toEqual(['manager', 'member']);
    expect(grantableRoles(OPERATOR, ROLES).map(({ id }) => id)).toEqual([
      'admin',
      'manager',
      'member',
      'billing',
    ]);
  });
});
