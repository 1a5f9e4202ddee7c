'use client';

import { CheckboxMenu } from '@/components/ui/checkbox-menu';
import { useT } from '@/lib/i18n/client';
import type { MemberRow, RoleOption } from '@/lib/portal/members';
import { RoleBadges } from './columns';
import { memberDisplayName } from './member-display';

export type MemberRoleMenuProps = {
  member: MemberRow;
  roles: readonly RoleOption[];
  /** The member's complete new role set; the caller shows it at once and saves it. */
  onChange: (member: MemberRow, roleIds: string[]) => void;
};

/**
 * A member's roles as a menu of checkboxes: each toggle is applied at once. Roles the viewer
 * could not grant (rule 3) are listed but disabled, with the reason.
 */
export function MemberRoleMenu({ member, roles, onChange }: MemberRoleMenuProps) {
  const t = useT();
  const selected = member.roles.map((role) => role.id);
  const current =
    member.roles.length > 0 ? member.roles.map((role) => role.name).join(', ') : t('members.noRoles');

  return (
    <CheckboxMenu
      label={t('members.roles.menuLabel', { name: memberDisplayName(member), roles: current })}
      triggerContent={<RoleBadges roles={member.roles} />}
      options={roles.map((role) => ({
        value: role.id,
        label: role.name,
        description: role.description,
        isDisabled: !role.isGrantable,
        disabledReason: t('members.roles.notGrantable'),
      }))}
      selected={selected}
      onToggle={(roleId, isChecked) =>
        onChange(member, isChecked ? [...selected, roleId] : selected.filter((id) => id !== roleId))
      }
      footer={t('members.roles.savedAtOnce')}
    />
  );
}
