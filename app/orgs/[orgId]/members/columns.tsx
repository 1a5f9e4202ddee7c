'use client';

import { type ReactNode, useMemo } from 'react';
import type { DataTableColumn } from '@/components/data-table/data-table';
import { RelativeTime } from '@/components/relative-time';
import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
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

/** Read-only roles: badges, or "No roles". */
export function RoleBadges({ roles }: { roles: MemberRow['roles'] }) {
  const t = useT();
  if (roles.length === 0) return <span className="text-ink-muted">{t('members.noRoles')}</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map((role) => (
        <Badge key={role.id} tone={role.name === 'admin' ? 'accent' : 'neutral'}>
          {role.name}
        </Badge>
      ))}
    </span>
  );
}

export type MemberColumnsOptions = {
  /** The signed-in person, marked "You" in their own row. */
  viewerId: string;
  /** Replaces the roles badges with an editor (viewers who may assign roles). */
  renderRoles?: (member: MemberRow) => ReactNode;
  /** Adds a last column of row actions (viewers who may remove members). */
  renderActions?: (member: MemberRow) => ReactNode;
  /** Makes each member's name a button that opens their details. */
  onOpenMember?: (member: MemberRow) => void;
};

/** Columns of the members table: who, how to reach them, their roles here, last sign-in. */
export function useMemberColumns({
  viewerId,
  renderRoles,
  renderActions,
  onOpenMember,
}: MemberColumnsOptions): DataTableColumn<MemberRow>[] {
  const t = useT();

  return useMemo(() => {
    const columns: DataTableColumn<MemberRow>[] = [
      {
        id: 'name',
        header: t('members.columnName'),
        className: 'w-44 sm:w-[32%]',
        cell: (member) => {
          const displayName = member.name ?? member.username;
          return (
            <span className="flex items-center gap-3">
              <span
                aria-hidden="true"
                className="bg-accent-50 text-accent-700 inline-flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold max-sm:hidden"
              >
                {initials(displayName ?? member.email ?? '?')}
              </span>
              <span className="min-w-0">
                <span className="flex items-center gap-2">
                  {onOpenMember ? (
                    <button
                      type="button"
                      aria-haspopup="dialog"
                      aria-label={t('members.detail.open', {
                        name: displayName ?? member.email ?? member.id,
                      })}
                      onClick={() => onOpenMember(member)}
                      className={cn(
                        'focus-visible:outline-accent-600 block max-w-full truncate rounded text-left hover:underline focus-visible:outline-2 focus-visible:outline-offset-2',
                        displayName ? 'font-medium' : 'text-ink-muted italic',
                      )}
                    >
                      {displayName ?? t('members.unnamed')}
                    </button>
                  ) : (
                    <span
                      className={
                        displayName ? 'block truncate font-medium' : 'text-ink-muted block truncate italic'
                      }
                    >
                      {displayName ?? t('members.unnamed')}
                    </span>
                  )}
                  {member.id === viewerId ? <Badge tone="success">{t('members.you')}</Badge> : null}
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
        // The column takes what the others leave; an email longer than that ends in "…".
        cell: (member) =>
          member.email ? (
            <span className="text-ink-soft block truncate" title={member.email}>
              {member.email}
            </span>
          ) : (
            <span className="text-ink-muted">{t('members.noEmail')}</span>
          ),
      },
      {
        id: 'roles',
        header: t('members.columnRoles'),
        className: 'w-44',
        cell: (member) => (renderRoles ? renderRoles(member) : <RoleBadges roles={member.roles} />),
      },
      {
        id: 'lastSignIn',
        header: t('members.columnLastSignIn'),
        className: 'w-36 truncate',
        cell: (member) =>
          member.lastSignInAt === null ? (
            <span className="text-ink-muted">{t('members.neverSignedIn')}</span>
          ) : (
            <span className="text-ink-soft">
              <RelativeTime value={member.lastSignInAt} />
            </span>
          ),
      },
    ];
    if (renderActions) {
      columns.push({
        id: 'actions',
        header: <span className="sr-only">{t('members.columnActions')}</span>,
        className: 'w-12 text-right',
        cell: renderActions,
      });
    }
    return columns;
  }, [t, viewerId, renderRoles, renderActions, onOpenMember]);
}
