import { describe, expect, it } from 'vitest';
import { analyseRoleAssignerChange, withOrganizationLock } from './last-admin';

const ASSIGNERS = new Set(['role-admin']);

describe('analyseRoleAssignerChange', () => {
  it('counts a leaving member with unknown roles as possibly losing the scope', () => {
    expect(analyseRoleAssignerChange({ leaving: [{ userId: 'u1' }] }, ASSIGNERS)).toEqual({
      losing: new Set(['u1']),
      hasHolderAfterwards: false,
    });
  });

  it('ignores a leaving member known to hold no assigner role', () => {
    const result = analyseRoleAssignerChange({ leaving: [{ userId: 'u1', roleIds: ['role-member'] }] }, ASSIGNERS);
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

describe('withOrganizationLock', () => {
  it('runs the tasks of one organization one after another, and others in parallel', async () => {
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      withOrganizationLock('org-a', task('a1', 30)),
      withOrganizationLock('org-a', task('a2', 1)),
      withOrganizationLock('org-b', task('b1', 1)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('a2 start')).toBeGreaterThan(events.indexOf('a1 end'));
    expect(events.indexOf('b1 end')).toBeLessThan(events.indexOf('a1 end'));
  });

  it('keeps going after a failed task', async () => {
    const failing = withOrganizationLock('org-c', async () => {
      throw new Error('refused');
    });
    await expect(failing).rejects.toThrow('refused');
    await expect(withOrganizationLock('org-c', async () => 'next')).resolves.toBe('next');
  });
});
