import { describe, expect, it } from 'vitest';
import { analyseRoleAssignerChange } from './last-admin';

const ASSIGNERS = new Set(['role-admin']);

describe('analyseRoleAssignerChange', () => {
  it('counts a leaving member with unknown roles as possibly losing the scope', () => {
    expect(analyseRoleAssignerChange({ leaving: [{ userId: 'u1' }] }, ASSIGNERS)).toEqual({
      losing: new Set(['u1']),
      hasHolderAfterwards: false,
    });
  });

  it('ignores a leaving member known to hold no assigner role', () => {
    const result = analyseRoleAssignerChange(
      { leaving: [{ userId: 'u1', roleIds: ['role-member'] }] },
      ASSIGNERS,
    );
    expect(result.losing.size).toBe(0);
  });

  it('sees a demotion as losing and a promotion as a holder afterwards', () => {
    expect(
      analyseRoleAssignerChange(
        { roleChanges: [{ userId: 'u1', before: ['role-admin'], after: ['role-member'] }] },
        ASSIGNERS,
      ),
    ).toEqual({ losing: new Set(['u1']), hasHolderAfterwards: false });
    expect(
      analyseRoleAssignerChange(
        { roleChanges: [{ userId: 'u2', before: ['role-member'], after: ['role-admin', 'role-member'] }] },
        ASSIGNERS,
      ),
    ).toEqual({ losing: new Set(), hasHolderAfterwards: true });
  });

  it('does not count a change among roles without the scope', () => {
    const result = analyseRoleAssignerChange(
      { roleChanges: [{ userId: 'u1', before: ['role-member'], after: [] }] },
      ASSIGNERS,
    );
    expect(result).toEqual({ losing: new Set(), hasHolderAfterwards: false });
  });
});
