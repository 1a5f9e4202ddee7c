'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useId, useMemo, useState } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { ListRequestError } from '@/components/data-table/fetch-list-page';
import type { ServerPage } from '@/components/data-table/org-list-query';
import { usePagedList } from '@/components/data-table/use-paged-list';
import { Button, buttonClasses } from '@/components/ui/button';
import { DownloadIcon, PlusIcon, TrashIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import { showToast } from '@/components/ui/toast';
import { useLatch } from '@/components/ui/use-latch';
import { useT } from '@/lib/i18n/client';
import type { MemberRow, MembersPage, RoleOption } from '@/lib/portal/members';
import { isFiltered, tableStateToSearchParams } from '@/lib/table-state';
import { failureText, unwrapAction } from './action-client';
import { changeMemberRolesAction, removeMemberAction } from './actions';
import { useMemberColumns } from './columns';
import { memberDisplayName } from './member-display';
import { MemberRoleMenu } from './member-role-menu';
import { membersList } from './members-query';

/** What the viewer may do here; a hint for the UI, every action checks again on the server. */
export type MembersPermissions = {
  canAssignRoles: boolean;
  canRemove: boolean;
  /** Operators: add existing tenant users. */
  canAddUsers: boolean;
};

export type MembersTableProps = {
  orgId: string;
  organizationName: string;
  /** The first page, as the server rendered it for the URL. */
  serverPage: ServerPage<MembersPage>;
  viewerId: string;
  /** The organization's person roles, with what the viewer may grant. */
  roles: RoleOption[];
  permissions: MembersPermissions;
};

// Shown only after someone acts (selects, removes, adds), so they stay out of the first load.
const loadAddMembersDialog = () => import('./add-members-dialog');
const AddMembersDialog = lazy(() =>
  loadAddMembersDialog().then((module) => ({ default: module.AddMembersDialog })),
);
const BulkBar = lazy(() => import('./bulk-bar').then((module) => ({ default: module.BulkBar })));
const MemberDetailPanel = lazy(() =>
  import('./member-detail-panel').then((module) => ({ default: module.MemberDetailPanel })),
);
const ConfirmDialog = lazy(() =>
  import('@/components/ui/confirm-dialog').then((module) => ({ default: module.ConfirmDialog })),
);

const ROLE_CHANGE_KEY = 'member-roles';

/**
 * The members table. The URL holds page, page size, search and role filter; TanStack Query loads
 * each page (the first arrives with the page from the server), keeps the previous page visible while
 * the next loads, and prefetches the page after the current one. Admins change roles inline
 * (optimistically, rolled back if Logto refuses), remove members after a confirmation, and act on
 * a selection of the current page.
 */
export function MembersTable({
  orgId,
  organizationName,
  serverPage,
  viewerId,
  roles,
  permissions,
}: MembersTableProps) {
  const t = useT();
  const queryClient = useQueryClient();
  const roleFilterId = useId();
  const {
    state,
    setTableState,
    query,
    isUpdating,
    key: pageKey,
    total,
    pager,
  } = usePagedList(orgId, membersList, serverPage);
  const data = query.data;

  // Selection belongs to the page on screen: another page, search or filter starts empty.
  const [selection, setSelection] = useState<{ pageKey: string; ids: ReadonlySet<string> }>({
    pageKey,
    ids: new Set(),
  });
  const selectedIds = selection.pageKey === pageKey ? selection.ids : new Set<string>();
  const visibleRows = useMemo(() => (query.isError ? [] : (data?.rows ?? [])), [data, query.isError]);
  const selectedRows = visibleRows.filter((row) => selectedIds.has(row.id));
  const clearSelection = () => setSelection({ pageKey, ids: new Set() });

  const roleById = useMemo(() => new Map(roles.map((role) => [role.id, role])), [roles]);
  const grantableRoles = useMemo(() => roles.filter((role) => role.isGrantable), [roles]);
  const invalidateMembers = useCallback(
    () => queryClient.invalidateQueries({ queryKey: membersList.scope(orgId) }),
    [queryClient, orgId],
  );
  const networkText = t('table.networkError');

  // Inline role change: shown at once, put back with a message if the server refuses.
  const roleChange = useMutation({
    mutationKey: [ROLE_CHANGE_KEY, orgId],
    mutationFn: ({ member, roleIds }: { member: MemberRow; roleIds: string[] }) =>
      unwrapAction(changeMemberRolesAction(orgId, { userId: member.id, roleIds })),
    onMutate: async ({ member, roleIds }) => {
      await queryClient.cancelQueries({ queryKey: membersList.scope(orgId) });
      const key = membersList.key(orgId, state);
      const previous = queryClient.getQueryData<MembersPage>(key);
      const nextRoles = roleIds
        .flatMap((id) => {
          const role = roleById.get(id);
          return role ? [{ id: role.id, name: role.name }] : [];
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      queryClient.setQueryData<MembersPage>(
        key,
        (page) =>
          page && {
            ...page,
            rows: page.rows.map((row) => (row.id === member.id ? { ...row, roles: nextRoles } : row)),
          },
      );
      return { key, previous };
    },
    onError: (error, { member }, context) => {
      if (context?.previous) queryClient.setQueryData(context.key, context.previous);
      showToast({
        tone: 'error',
        title: t('members.roles.changeFailed', { name: memberDisplayName(member) }),
        body: `${failureText(error, networkText)} ${t('members.roles.rolledBack')}`,
      });
    },
    onSuccess: ({ roles: saved }, { member }) => {
      showToast({
        tone: 'success',
        title: t('members.roles.changed', { name: memberDisplayName(member) }),
        body:
          saved.length > 0
            ? t('members.roles.nowHolds', { roles: saved.map((role) => role.name).join(', ') })
            : t('members.roles.nowNone'),
      });
    },
    onSettled: () => {
      // Reload once the last of several quick toggles has settled, so none is shown undone.
      if (queryClient.isMutating({ mutationKey: [ROLE_CHANGE_KEY, orgId] }) === 1) void invalidateMembers();
    },
  });

  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const removal = useMutation({
    mutationFn: (member: MemberRow) => unwrapAction(removeMemberAction(orgId, { userId: member.id })),
    onSuccess: (_data, member) =>
      showToast({
        tone: 'success',
        title: t('members.remove.done', { name: memberDisplayName(member), organization: organizationName }),
      }),
    onError: (error, member) =>
      showToast({
        tone: 'error',
        title: t('members.remove.failed', { name: memberDisplayName(member) }),
        body: failureText(error, networkText),
      }),
    onSettled: () => {
      setRemoving(null);
      void invalidateMembers();
    },
  });

  const [isAdding, setIsAdding] = useState(false);
  const hasOpenedAdd = useLatch(isAdding);
  const [openMemberId, setOpenMemberId] = useState<string | null>(null);
  // The panel follows the row as the table shows it (an inline role change shows there at once).
  const openMember = openMemberId ? (visibleRows.find((row) => row.id === openMemberId) ?? null) : null;
  const hasOpenedDetail = useLatch(openMember !== null);
  const hasOpenedRemove = useLatch(removing !== null);

  const renderRoles = useMemo(
    () =>
      permissions.canAssignRoles
        ? (member: MemberRow) => (
            <MemberRoleMenu
              member={member}
              roles={roles}
              onChange={(target, roleIds) => roleChange.mutate({ member: target, roleIds })}
            />
          )
        : undefined,
    // roleChange.mutate is stable; the mutation object itself changes on every state update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [permissions.canAssignRoles, roles, roleChange.mutate],
  );
  const renderActions = useMemo(
    () =>
      permissions.canRemove
        ? (member: MemberRow) => (
            <Button
              size="icon"
              variant="ghost"
              className="hover:text-danger-700"
              onClick={() => setRemoving(member)}
            >
              <TrashIcon />
              <span className="sr-only">
                {t('members.remove.button', { name: memberDisplayName(member) })}
              </span>
            </Button>
          )
        : undefined,
    [permissions.canRemove, t],
  );
  const openDetails = useCallback((member: MemberRow) => setOpenMemberId(member.id), []);
  const columns = useMemberColumns({ viewerId, renderRoles, renderActions, onOpenMember: openDetails });
  const canSelect = permissions.canRemove || (permissions.canAssignRoles && grantableRoles.length > 0);

  const filteredRole = state.role ? roleById.get(state.role) : undefined;
  const summary = data
    ? state.q
      ? t('members.matching', { count: total, q: state.q })
      : filteredRole
        ? t('members.withRole', { count: total, role: filteredRole.name })
        : t('members.count', { count: total })
    : undefined;
  const exportQuery = tableStateToSearchParams({ ...state, page: 1, pageSize: 20 }).toString();
  const exportHref = `/api/orgs/${encodeURIComponent(orgId)}/members/export${exportQuery ? `?${exportQuery}` : ''}`;

  const removingIsViewer = removing?.id === viewerId;

  return (
    <>
      <DataTable
        caption={`${t('members.title')}. ${t('members.orderNote')}`}
        fixedLayout={{ minWidthRem: 56 }}
        columns={columns}
        rows={query.isError ? undefined : data?.rows}
        getRowKey={(member) => member.id}
        isUpdating={isUpdating}
        skeletonRows={state.pageSize}
        selection={
          canSelect
            ? {
                selectedKeys: selectedIds,
                onChange: (ids) => setSelection({ pageKey, ids }),
                rowLabel: (member) => t('members.select', { name: memberDisplayName(member) }),
                allLabel: t('members.selectPage'),
              }
            : undefined
        }
        error={
          query.isError
            ? {
                // Our route handlers send translated text; anything else is the browser's own wording.
                message: query.error instanceof ListRequestError ? query.error.message : networkText,
                onRetry: () => void query.refetch(),
              }
            : null
        }
        empty={
          isFiltered(state)
            ? {
                title: state.q
                  ? t('members.noMatchTitle', { q: state.q })
                  : t('members.noRoleMatchTitle', { role: filteredRole?.name ?? '' }),
                body: state.q ? t('members.noMatchBody') : undefined,
                action: (
                  <Button onClick={() => setTableState({ q: '', role: undefined })}>
                    {state.role ? t('members.clearFilters') : t('members.clearSearch')}
                  </Button>
                ),
              }
            : {
                title: t('members.emptyTitle'),
                body: permissions.canAddUsers ? t('members.emptyOperatorBody') : t('members.emptyBody'),
                action: permissions.canAddUsers ? (
                  <Button
                    variant="primary"
                    onClick={() => setIsAdding(true)}
                    onPointerEnter={loadAddMembersDialog}
                    onFocus={loadAddMembersDialog}
                  >
                    <PlusIcon />
                    {t('members.add.open')}
                  </Button>
                ) : undefined,
              }
        }
        toolbar={
          <div className="flex flex-col gap-3">
            <DataTableToolbar
              searchLabel={t('members.searchLabel')}
              searchPlaceholder={t('members.searchPlaceholder')}
              q={state.q}
              onSearch={(q) => setTableState({ q }, 'replace')}
              summary={summary}
            >
              <label htmlFor={roleFilterId} className="sr-only">
                {t('members.roleFilterLabel')}
              </label>
              <Select
                id={roleFilterId}
                value={state.role ?? ''}
                className="w-40"
                onChange={(event) => setTableState({ role: event.target.value || undefined })}
              >
                <option value="">{t('members.allRoles')}</option>
                {roles.map((role) => (
                  <option key={role.id} value={role.id}>
                    {role.name}
                  </option>
                ))}
              </Select>
              <a href={exportHref} download className={buttonClasses('secondary')}>
                <DownloadIcon />
                {t('members.export.button')}
              </a>
              {permissions.canAddUsers ? (
                <Button
                  variant="primary"
                  onClick={() => setIsAdding(true)}
                  onPointerEnter={loadAddMembersDialog}
                  onFocus={loadAddMembersDialog}
                >
                  <PlusIcon />
                  {t('members.add.open')}
                </Button>
              ) : null}
            </DataTableToolbar>
            {/* Logto pages members by user id and has no other order: sorting one page here
                would mislead, so the table says what the order is instead of offering sorts. */}
            <p className="text-ink-muted text-xs">{t('members.orderNote')}</p>
            {selectedRows.length > 0 ? (
              <Suspense fallback={null}>
                <BulkBar
                  orgId={orgId}
                  organizationName={organizationName}
                  selectedRows={selectedRows}
                  grantableRoles={permissions.canAssignRoles ? grantableRoles : []}
                  canRemove={permissions.canRemove}
                  onClear={clearSelection}
                  onChanged={() => void invalidateMembers()}
                  matching={{ q: state.q, roleFilterId: state.role, total }}
                />
              </Suspense>
            ) : null}
          </div>
        }
        pagination={total > 0 && <DataTablePagination {...pager} />}
      />

      <Suspense fallback={null}>
        {hasOpenedDetail ? (
          <MemberDetailPanel
            orgId={orgId}
            organizationName={organizationName}
            member={openMember}
            roles={roles}
            canAssignRoles={permissions.canAssignRoles}
            canRemove={permissions.canRemove}
            onClose={() => setOpenMemberId(null)}
            onChangeRoles={(target, roleIds) => roleChange.mutate({ member: target, roleIds })}
            onRemove={(member) => setRemoving(member)}
          />
        ) : null}
        {hasOpenedRemove ? (
          <ConfirmDialog
            open={removing !== null}
            title={t('members.remove.title', {
              name: removing ? memberDisplayName(removing) : '',
              organization: organizationName,
            })}
            description={
              removingIsViewer
                ? t('members.remove.bodySelf', { organization: organizationName })
                : t('members.remove.body', {
                    name: removing ? memberDisplayName(removing) : '',
                    email: removing?.email ?? '—',
                    organization: organizationName,
                  })
            }
            confirmLabel={t('members.remove.confirm')}
            pendingLabel={t('members.remove.pending')}
            cancelLabel={t('members.cancel')}
            isPending={removal.isPending}
            onConfirm={() => removing && removal.mutate(removing)}
            onCancel={() => setRemoving(null)}
          />
        ) : null}

        {permissions.canAddUsers && hasOpenedAdd ? (
          <AddMembersDialog
            open={isAdding}
            onClose={() => setIsAdding(false)}
            orgId={orgId}
            organizationName={organizationName}
            roles={grantableRoles}
            onAdded={() => void invalidateMembers()}
          />
        ) : null}
      </Suspense>
    </>
  );
}
