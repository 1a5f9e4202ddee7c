'use client';

import { useMemo } from 'react';
import type { DataTableColumn } from '@/components/data-table/data-table';
import { RelativeTime } from '@/components/relative-time';
import { Badge } from '@/components/ui/badge';
import { useT } from '@/lib/i18n/client';
import type { MemberRow } from '@/lib/portal/members';

function initials(text: string): string {
  const letters = text
    .split(/[\s@._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

/** Columns of the members table: who, how to reach them, their roles here, last sign-in. */
export function useMemberColumns(): DataTableColumn<MemberRow>[] {
  const t = useT();

  return useMemo(
    () => [
      {
        id: 'name',
        header: t('members.columnName'),
        cell: (member) => {
          const displayName = member.name ?? member.username;
          return (
            <span className="flex items-center gap-3">
              <span
                aria-hidden="true"
                className="bg-accent-50 text-accent-700 inline-flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold"
              >
                {initials(displayName ?? member.email ?? '?')}
              </span>
              <span className="min-w-0">
                <span
                  className={
                    displayName ? 'block truncate font-medium' : 'text-ink-muted block truncate italic'
                  }
                >
                  {displayName ?? t('members.unnamed')}
                </span>
                {member.name && member.username ? (
                  <span className="text-ink-muted block truncate text-xs">{member.username}</span>
                ) : null}
              </span>
            </span>
          );
        },
      },
      {
        id: 'email',
        header: t('members.columnEmail'),
        className: 'hidden sm:table-cell',
        cell: (member) =>
          member.email ? (
            <span className="text-ink-soft">{member.email}</span>
          ) : (
            <span className="text-ink-faint">{t('members.noEmail')}</span>
          ),
      },
      {
        id: 'roles',
        header: t('members.columnRoles'),
        cell: (member) =>
          member.roles.length > 0 ? (
            <span className="flex flex-wrap gap-1">
              {member.roles.map((role) => (
                <Badge key={role.id} tone={role.name === 'admin' ? 'accent' : 'neutral'}>
                  {role.name}
                </Badge>
              ))}
            </span>
          ) : (
            <span className="text-ink-faint">{t('members.noRoles')}</span>
          ),
      },
      {
        id: 'lastSignIn',
        header: t('members.columnLastSignIn'),
        className: 'hidden whitespace-nowrap md:table-cell',
        cell: (member) =>
          member.lastSignInAt === null ? (
            <span className="text-ink-faint">{t('members.neverSignedIn')}</span>
          ) : (
            <span className="text-ink-soft">
              <RelativeTime value={member.lastSignInAt} />
            </span>
          ),
      },
    ],
    [t],
  );
}
