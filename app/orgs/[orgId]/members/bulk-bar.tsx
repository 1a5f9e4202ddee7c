'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import { useT } from '@/lib/i18n/client';
import type { RoleOption } from '@/lib/portal/members';
import { leastPowerfulRole } from './member-display';

export type BulkBarProps = {
  count: number;
  /** Roles the viewer may grant; empty when they may not assign roles at all. */
  grantableRoles: readonly RoleOption[];
  canRemove: boolean;
  isPending: boolean;
  onAssign: (roleId: string) => void;
  onRemove: () => void;
  onClear: () => void;
};

/** What can be done to the members selected on this page: give them a role, or remove them. */
export function BulkBar({ count, grantableRoles, canRemove, isPending, onAssign, onRemove, onClear }: BulkBarProps) {
  const t = useT();
  const selectId = useId();
  const [roleId, setRoleId] = useState(leastPowerfulRole(grantableRoles)?.id ?? '');

  return (
    <div
      role="region"
      aria-label={t('members.bulk.label')}
      className="border-accent-200 bg-accent-50 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border px-3 py-2"
    >
      <p className="text-accent-700 text-sm font-medium tabular-nums">{t('members.bulk.selected', { count })}</p>
      {grantableRoles.length > 0 ? (
        <form
          className="flex items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (roleId) onAssign(roleId);
          }}
        >
          <label htmlFor={selectId} className="text-ink-soft text-sm">
            {t('members.bulk.roleLabel')}
          </label>
          <Select
            id={selectId}
            value={roleId}
            className="h-8"
            disabled={isPending}
            onChange={(event) => setRoleId(event.target.value)}
          >
            {grantableRoles.map((role) => (
              <option key={role.id} value={role.id}>
                {role.name}
              </option>
            ))}
          </Select>
          <Button type="submit" size="sm" variant="primary" disabled={isPending || !roleId}>
            {t('members.bulk.assign', { count })}
          </Button>
        </form>
      ) : null}
      {canRemove ? (
        <Button size="sm" variant="danger" disabled={isPending} onClick={onRemove}>
          {t('members.bulk.remove', { count })}
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" className="ml-auto" disabled={isPending} onClick={onClear}>
        {t('members.bulk.clear')}
      </Button>
    </div>
  );
}
