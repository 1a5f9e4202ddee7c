import { describe, expect, it } from 'vitest';
import {
  matchesOrganizationQuery,
  missingScopes,
  paginate,
  roleIdsWithScope,
  type ScopeNames,
  scopeNamesOfRoles,
  scopesFromNames,
} from './scopes';

const NAMES: ScopeNames = {
  readMembers: 'read:members',
  inviteMembers: 'invite:members',
  removeMembers: 'remove:members',
  assignRoles: 'assign:roles',
  manageOrganization: 'manage:organization',
};

describe('scopesFromNames', () => {
  it('maps Logto scope names to portal scopes and ignores others', () => {
    expect(scopesFromNames(['invite:members', 'read:members', 'billing:read'], NAMES)).toEqual([
      'readMembers',
      'inviteMembers',
    ]);
    expect(scopesFromNames([], NAMES)).toEqual([]);
  });

  it('follows renamed scopes from the configuration', () => {
    const renamed = { ...NAMES, readMembers: 'members.read' };
    expect(scopesFromNames(['read:members'], renamed)).toEqual([]);
    expect(scopesFromNames(['members.read'], renamed)).toEqual(['readMembers']);
  });
});

describe('missingScopes', () => {
  it('lists what is needed but not held', () => {
    expect(
      missingScopes(['readMembers', 'inviteMembers'], ['readMembers', 'assignRoles', 'removeMembers']),
    ).toEqual(['assignRoles', 'removeMembers']);
    expect(missingScopes(['readMembers'], [])).toEqual([]);
  });
});

describe('roleIdsWithScope', () => {
  it('finds the seeded roles that may open an organization', () => {
    const roles = [
      { id: 'r-admin', scopes: [{ name: 'read:members' }, { name: 'assign:roles' }] },
      { id: 'r-manager', scopes: [{ name: 'read:members' }, { name: 'invite:members' }] },
      { id: 'r-member', scopes: [] },
    ];
    expect([...roleIdsWithScope(roles, 'read:members')]).toEqual(['r-admin', 'r-manager']);
  });
});

describe('matchesOrganizationQuery', () => {
  it('matches id or name case-insensitively, like Logto', () => {
    const org = { id: 'abc123xyz789', name: 'Acme' };
    expect(matchesOrganizationQuery(org, '')).toBe(true);
    expect(matchesOrganizationQuery(org, 'acm')).toBe(true);
    expect(matchesOrganizationQuery(org, '123X')).toBe(true);
    expect(matchesOrganizationQuery(org, 'globex')).toBe(false);
  });
});

describe('paginate', () => {
  const rows = Array.from({ length: 43 }, (_, index) => index + 1);

  it('returns the Page shape with the full total', () => {
    expect(paginate(rows, 1, 20)).toEqual({ rows: rows.slice(0, 20), total: 43, page: 1, pageSize: 20 });
    expect(paginate(rows, 3, 20).rows).toEqual([41, 42, 43]);
  });

  it('gives an empty page past the end, as Logto does', () => {
    expect(paginate(rows, 9, 20)).toEqual({ rows: [], total: 43, page: 9, pageSize: 20 });
  });
});

describe('scopeNamesOfRoles', () => {
  const roles = [
    { id: 'admin', scopes: [{ name: 'read:members' }, { name: 'assign:roles' }] },
    { id: 'manager', scopes: [{ name: 'read:members' }, { name: 'invite:members' }] },
    { id: 'member', scopes: [] },
  ];

  it('unites the scopes of the held roles, each once', () => {
    expect(scopeNamesOfRoles(roles, ['admin', 'manager'])).toEqual([
      'read:members',
      'assign:roles',
      'invite:members',
    ]);
  });

  it('grants nothing for no role, a role without scopes, or an id that names no role', () => {
    expect(scopeNamesOfRoles(roles, [])).toEqual([]);
    expect(scopeNamesOfRoles(roles, ['member', 'gone'])).toEqual([]);
  });
});
