'use client';

import { NavLink } from '@/components/nav-link';
import { useMemo } from 'react';
import type { DataTableColumn } from '@/components/data-table/data-table';
import { Badge } from '@/components/ui/badge';
import { useT } from '@/lib/i18n/client';
import type { OrganizationRow } from '@/lib/portal/organizations';

/**
 * Columns of the organizations table. Operators see member counts; tenant admins see their own
 * roles, which is what decides what they can do there.
 */
export function useOrganizationColumns(isOperator: boolean): DataTableColumn<OrganizationRow>[] {
  const t = useT();

  return useMemo(() => {
    const name: DataTableColumn<OrganizationRow> = {
      id: 'name',
      header: t('orgs.columnName'),
      // Below `md` the description is hidden, and the name takes what the last column leaves.
      className: 'md:w-1/3',
      cell: (org) => (
        <span className="flex items-center gap-2">
          {org.logoUrl ? (
            // Logos live wherever the organization put them; next/image would need every host listed.
            // eslint-disable-next-line @next/next/no-img-element
            <img
              src={org.logoUrl}
              alt={t('orgs.logoAlt', { name: org.name })}
              width={24}
              height={24}
              className="size-6 shrink-0 rounded object-contain"
            />
          ) : null}
          <NavLink
            href={`/orgs/${org.id}/members`}
            className="text-accent-700 focus-visible:outline-accent-600 min-w-0 rounded font-medium [overflow-wrap:anywhere] hover:underline focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            {org.name}
          </NavLink>
        </span>
      ),
    };
    const description: DataTableColumn<OrganizationRow> = {
      id: 'description',
      header: t('orgs.columnDescription'),
      className: 'hidden md:table-cell',
      cell: (org) =>
        org.description ? (
          <span className="text-ink-soft line-clamp-2">{org.description}</span>
        ) : (
          <span className="text-ink-faint">{t('orgs.noDescription')}</span>
        ),
    };
    const members: DataTableColumn<OrganizationRow> = {
      id: 'members',
      header: t('orgs.columnMembers'),
      className: 'w-40 truncate text-right',
      cell: (org) =>
        org.membersCount === null ? (
          <span className="text-ink-faint">—</span>
        ) : (
          <span className="tabular-nums">{t('orgs.membersCount', { count: org.membersCount })}</span>
        ),
    };
    const roles: DataTableColumn<OrganizationRow> = {
      id: 'roles',
      header: t('orgs.columnYourRoles'),
      className: 'w-48',
      cell: (org) => (
        <span className="flex flex-wrap gap-1">
          {(org.roles ?? []).map((role) => (
            <Badge key={role.id} tone="accent">
              {role.name}
            </Badge>
          ))}
        </span>
      ),
    };
    return isOperator ? [name, description, members] : [name, description, roles];
  }, [t, isOperator]);
}
