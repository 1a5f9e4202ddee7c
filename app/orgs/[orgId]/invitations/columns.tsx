'use client';

import { useMemo } from 'react';
import type { DataTableColumn } from '@/components/data-table/data-table';
import { RelativeTime } from '@/components/relative-time';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/client';
import type { InvitationRow, InvitationTab } from '@/lib/portal/invitations';

const STATUS_TONES: Record<InvitationRow['status'], BadgeTone> = {
  Pending: 'accent',
  Accepted: 'success',
  Expired: 'warning',
  Revoked: 'neutral',
};

/** What a row's buttons do; absent when the viewer may not change invitations. */
export type InvitationRowActions = {
  onResend: (row: InvitationRow) => void;
  onCopyLink: (row: InvitationRow) => void;
  onRevoke: (row: InvitationRow) => void;
  /** Ids with a resend or revoke under way (their buttons wait). */
  busyIds: ReadonlySet<string>;
};

/** The status badge, translated. */
export function InvitationStatusBadge({ status }: { status: InvitationRow['status'] }) {
  const t = useT();
  return <Badge tone={STATUS_TONES[status]}>{t(`invitations.status${status}`)}</Badge>;
}

/** An address that wraps, when it must, between its mailbox and its domain. */
function EmailWithBreak({ email }: { email: string }) {
  const at = email.lastIndexOf('@');
  if (at <= 0) return email;
  return (
    <>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </>
  );
}

/**
 * How wide the invitations table must stay (rem): the widths below, plus 11rem for the email, the
 * one column without a width on a laptop. It fits a laptop's screen on every tab; a narrower
 * screen scrolls it sideways.
 */
export function invitationsTableMinWidthRem(tab: InvitationTab, hasActions: boolean): number {
  const email = 11;
  const rolesInviterSentExpires = 4 * 8;
  const status = tab === 'all' ? 7 : 0;
  const actions = hasActions ? 18 : 0;
  return email + rolesInviterSentExpires + status + actions;
}

/**
 * Columns of the invitations table: who was invited, with which roles, by whom, when, until
 * when; the status on the "All" tab; resend / copy link / revoke on pending rows for inviters.
 */
export function useInvitationColumns(
  tab: InvitationTab,
  actions: InvitationRowActions | null,
): DataTableColumn<InvitationRow>[] {
  const t = useT();

  return useMemo(() => {
    const columns: DataTableColumn<InvitationRow>[] = [
      {
        id: 'email',
        header: t('invitations.columnEmail'),
        // The column takes what the others leave (on a phone, where it stays in view as the table
        // scrolls, a fixed share of the screen); a long address wraps, after its "@" first.
        className: 'max-sm:w-48',
        cell: (row) => (
          <span className="font-medium [overflow-wrap:anywhere]">
            <EmailWithBreak email={row.email} />
          </span>
        ),
      },
      {
        id: 'roles',
        header: t('invitations.columnRoles'),
        className: 'w-32',
        cell: (row) =>
          row.roles.length > 0 ? (
            <span className="flex flex-wrap gap-1">
              {row.roles.map((role) => (
                <Badge key={role.id} tone={role.name === 'admin' ? 'accent' : 'neutral'}>
                  {role.name}
                </Badge>
              ))}
            </span>
          ) : (
            <span className="text-ink-faint">{t('invitations.noRoles')}</span>
          ),
      },
      {
        id: 'inviter',
        header: t('invitations.columnInvitedBy'),
        className: 'w-32 truncate',
        cell: (row) =>
          row.inviter ? (
            <span className="text-ink-soft" title={row.inviter.email ?? undefined}>
              {row.inviter.name ?? row.inviter.email ?? row.inviter.id}
            </span>
          ) : (
            <span className="text-ink-faint">{t('invitations.unknownInviter')}</span>
          ),
      },
      {
        id: 'sent',
        header: t('invitations.columnSent'),
        className: 'w-32 truncate',
        cell: (row) => (
          <span className="text-ink-soft">
            <RelativeTime value={row.createdAt} />
          </span>
        ),
      },
      {
        id: 'expires',
        header: t('invitations.columnExpires'),
        className: 'w-32 truncate',
        cell: (row) =>
          row.status === 'Pending' || row.status === 'Expired' ? (
            <span className={row.status === 'Expired' ? 'text-warning-700' : 'text-ink-soft'}>
              <RelativeTime value={row.expiresAt} />
            </span>
          ) : (
            <span className="text-ink-faint">{t('invitations.noExpiry')}</span>
          ),
      },
    ];

    if (tab === 'all') {
      columns.push({
        id: 'status',
        header: t('invitations.columnStatus'),
        className: 'w-28',
        cell: (row) => <InvitationStatusBadge status={row.status} />,
      });
    }

    if (actions) {
      columns.push({
        id: 'actions',
        header: <span className="sr-only">{t('invitations.columnActions')}</span>,
        className: 'w-72 text-right',
        cell: (row) =>
          row.status === 'Pending' ? (
            <span className="inline-flex flex-wrap justify-end gap-1">
              <Button
                size="sm"
                variant="ghost"
                disabled={actions.busyIds.has(row.id)}
                aria-label={t('invitations.resendFor', { email: row.email })}
                onClick={() => actions.onResend(row)}
              >
                {t('invitations.resend')}
              </Button>
              <Button
                size="sm"
                variant="ghost"
                aria-label={t('invitations.copyLinkFor', { email: row.email })}
                onClick={() => actions.onCopyLink(row)}
              >
                {t('invitations.copyLink')}
              </Button>
              <Button
                size="sm"
                variant="ghost"
                className="text-danger-700 hover:bg-danger-50 hover:text-danger-700"
                disabled={actions.busyIds.has(row.id)}
                aria-label={t('invitations.revokeFor', { email: row.email })}
                onClick={() => actions.onRevoke(row)}
              >
                {t('invitations.revoke')}
              </Button>
            </span>
          ) : null,
      });
    }
    return columns;
  }, [t, tab, actions]);
}
