'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState, useTransition } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { ListRequestError } from '@/components/data-table/fetch-list-page';
import type { ServerPage } from '@/components/data-table/org-list-query';
import { usePagedList } from '@/components/data-table/use-paged-list';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { isPlainClick } from '@/components/ui/plain-click';
import { Dialog } from '@/components/ui/dialog';
import { showToast } from '@/components/ui/toast';
import { useFormat, useT } from '@/lib/i18n/client';
import type { MessageKey } from '@/lib/i18n/messages';
import { invitationShareLink } from '@/lib/portal/invitation-input';
import type { InvitationRow, InvitationsPage, InvitationTab } from '@/lib/portal/invitations';
import { resendInvitationAction, revokeInvitationAction } from './actions';
import { actionErrorText, copyText } from './client-utils';
import { type InvitationRowActions, invitationsTableMinWidthRem, useInvitationColumns } from './columns';
import { type GrantableRole, InviteDialog } from './invite-dialog';
import { invitationsList } from './invitations-query';

const TABS: ReadonlyArray<{ tab: InvitationTab; label: MessageKey }> = [
  { tab: 'pending', label: 'invitations.tabPending' },
  { tab: 'accepted', label: 'invitations.tabAccepted' },
  { tab: 'expired', label: 'invitations.tabExpired' },
  { tab: 'revoked', label: 'invitations.tabRevoked' },
  { tab: 'all', label: 'invitations.tabAll' },
];

export type InvitationsTableProps = {
  orgId: string;
  organizationName: string;
  /** The first page, as the server rendered it for the URL. */
  serverPage: ServerPage<InvitationsPage>;
  /** Whether the viewer holds `invite:members` (a UI hint; the actions check again). */
  canInvite: boolean;
  /** Roles the viewer may grant, for the invite dialog. */
  grantableRoles: GrantableRole[];
  /** Whether Logto can email invitations (an email connector exists). */
  canSendEmail: boolean;
  /** The portal's public URL, for invitation links. */
  portalUrl: string;
};

/**
 * The invitations table: status tabs with counts, search by email, server-side pages (the first
 * one from the server), and — for inviters — the invite dialog and resend / copy link /
 * revoke on pending rows.
 */
export function InvitationsTable({
  orgId,
  organizationName,
  serverPage,
  canInvite,
  grantableRoles,
  canSendEmail,
  portalUrl,
}: InvitationsTableProps) {
  const t = useT();
  const format = useFormat();
  const queryClient = useQueryClient();
  const { state, hrefFor, setTableState, query, isUpdating, total, pager } = usePagedList(
    orgId,
    invitationsList,
    serverPage,
  );
  const data = query.data;
  const tab = data?.status ?? (state.status as InvitationTab | undefined) ?? 'pending';

  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const setBusy = (id: string, isBusy: boolean) =>
    setBusyIds((current) => {
      const next = new Set(current);
      if (isBusy) next.add(id);
      else next.delete(id);
      return next;
    });

  const [revoking, setRevoking] = useState<InvitationRow | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [isRevoking, startRevoke] = useTransition();
  const [isInviteOpen, setIsInviteOpen] = useState(false);

  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: invitationsList.scope(orgId) }),
    [queryClient, orgId],
  );

  const rowActions = useMemo<InvitationRowActions | null>(
    () =>
      canInvite
        ? {
            busyIds,
            onResend: async (row) => {
              setBusy(row.id, true);
              const result = await resendInvitationAction(orgId, { invitationId: row.id });
              setBusy(row.id, false);
              if (result.ok)
                showToast({ tone: 'success', title: t('invitations.resent', { email: row.email }) });
              else showToast({ tone: 'error', title: actionErrorText(result) });
              if (!result.ok) void refresh();
            },
            onCopyLink: async (row) => {
              const link = invitationShareLink(portalUrl, row.id, row.email);
              const isCopied = await copyText(link);
              showToast(
                isCopied
                  ? { tone: 'success', title: t('invitations.linkCopied', { email: row.email }) }
                  : { tone: 'error', title: t('invitations.copyFailed', { link }) },
              );
            },
            onRevoke: (row) => {
              setRevokeError(null);
              setRevoking(row);
            },
          }
        : null,
    [canInvite, busyIds, orgId, portalUrl, refresh, t],
  );
  const columns = useInvitationColumns(tab, rowActions);

  const confirmRevoke = () => {
    const row = revoking;
    if (!row) return;
    startRevoke(async () => {
      const result = await revokeInvitationAction(orgId, { invitationId: row.id });
      if (result.ok) {
        setRevoking(null);
        showToast({ tone: 'success', title: t('invitations.revoked', { email: row.email }) });
      } else {
        setRevokeError(actionErrorText(result));
      }
      await refresh();
    });
  };

  const summary = data
    ? state.q
      ? t('invitations.matching', { count: total, q: state.q })
      : t('invitations.count', { count: total })
    : undefined;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <nav aria-label={t('invitations.tabsLabel')} className="overflow-x-auto">
          <ul className="bg-subtle flex flex-wrap gap-1 rounded-lg p-1">
            {TABS.map(({ tab: value, label }) => {
              const isCurrent = value === tab;
              const count = data?.counts[value];
              return (
                <li key={value}>
                  <a
                    href={hrefFor({ status: value === 'pending' ? undefined : value })}
                    aria-current={isCurrent ? 'page' : undefined}
                    onClick={(event) => {
                      if (!isPlainClick(event)) return;
                      event.preventDefault();
                      setTableState({ status: value === 'pending' ? undefined : value });
                    }}
                    className={cn(
                      'inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors',
                      'focus-visible:outline-accent-600 focus-visible:outline-2 focus-visible:outline-offset-1',
                      isCurrent ? 'bg-surface text-ink shadow-xs' : 'text-ink-soft hover:text-ink',
                    )}
                  >
                    {t(label)}
                    {count !== undefined ? (
                      <span
                        className={cn(
                          'rounded-full px-1.5 text-xs tabular-nums',
                          isCurrent ? 'bg-accent-50 text-accent-700' : 'bg-line/60 text-ink-muted',
                        )}
                      >
                        {format.number(count)}
                      </span>
                    ) : null}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        {canInvite ? (
          <Button variant="primary" onClick={() => setIsInviteOpen(true)}>
            {t('invitations.invite')}
          </Button>
        ) : null}
      </div>

      <DataTable
        caption={t('invitations.title')}
        fixedLayout={{ minWidthRem: invitationsTableMinWidthRem(tab, rowActions !== null) }}
        columns={columns}
        rows={query.isError ? undefined : data?.rows}
        getRowKey={(row) => row.id}
        isUpdating={isUpdating}
        skeletonRows={Math.min(state.pageSize, 10)}
        error={
          query.isError
            ? {
                message:
                  query.error instanceof ListRequestError ? query.error.message : t('table.networkError'),
                onRetry: () => void query.refetch(),
              }
            : null
        }
        empty={
          state.q
            ? {
                title: t('invitations.noMatchTitle', { q: state.q }),
                body: t('invitations.noMatchBody'),
                action: (
                  <Button onClick={() => setTableState({ q: '' })}>{t('invitations.clearSearch')}</Button>
                ),
              }
            : {
                title: t(`invitations.empty.${tab}`),
                body: canInvite && tab === 'pending' ? t('invitations.emptyInviteHint') : undefined,
              }
        }
        toolbar={
          <DataTableToolbar
            searchLabel={t('invitations.searchLabel')}
            searchPlaceholder={t('invitations.searchPlaceholder')}
            q={state.q}
            onSearch={(q) => setTableState({ q }, 'replace')}
            summary={summary}
          />
        }
        pagination={<DataTablePagination {...pager} />}
      />

      {canInvite ? (
        <InviteDialog
          open={isInviteOpen}
          onClose={() => setIsInviteOpen(false)}
          orgId={orgId}
          organizationName={organizationName}
          roles={grantableRoles}
          canSendEmail={canSendEmail}
          onInvited={refresh}
        />
      ) : null}

      <Dialog
        open={revoking !== null}
        onClose={() => (isRevoking ? undefined : setRevoking(null))}
        title={t('invitations.revokeTitle', { email: revoking?.email ?? '' })}
        description={t('invitations.revokeBody', { organization: organizationName })}
        footer={
          <>
            <Button onClick={() => setRevoking(null)} disabled={isRevoking}>
              {t('invitations.cancel')}
            </Button>
            <Button variant="danger" onClick={confirmRevoke} disabled={isRevoking}>
              {isRevoking ? t('invitations.revoking') : t('invitations.confirmRevoke')}
            </Button>
          </>
        }
      >
        {revokeError ? (
          <p role="alert" className="bg-danger-50 text-danger-700 rounded-md px-3 py-2 text-sm">
            {revokeError}
          </p>
        ) : null}
      </Dialog>
    </div>
  );
}
