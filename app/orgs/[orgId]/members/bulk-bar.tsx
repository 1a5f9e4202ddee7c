'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Select } from '@/components/ui/select';
import { showToast } from '@/components/ui/toast';
import { useFormat, useT } from '@/lib/i18n/client';
import type { BulkResult, MemberRow, RoleOption } from '@/lib/portal/members';
import { failureText, unwrapAction } from './action-client';
import { bulkAssignRoleAction, bulkRemoveMembersAction } from './actions';
import { MatchingJobDialog } from './matching-job-dialog';
import { leastPowerfulRole, memberDisplayName } from './member-display';

/** At most this many names are listed in a bulk summary; the rest are counted. */
const MAX_NAMES_LISTED = 5;

export type BulkBarProps = {
  orgId: string;
  organizationName: string;
  /** The members selected on the page on screen (never empty while the bar is shown). */
  selectedRows: readonly MemberRow[];
  /** Roles the viewer may grant; empty when they may not assign roles at all. */
  grantableRoles: readonly RoleOption[];
  canRemove: boolean;
  /** Empties the selection: on "Clear", and once a bulk change went through (even partly). */
  onClear: () => void;
  /** Reloads the members table after any bulk change, whatever its outcome. */
  onChanged: () => void;
  /** Everyone the table's search matches, when that is more than the selection (a job covers them). */
  matching?: { q: string; roleFilterId: string | undefined; total: number };
};

/**
 * What can be done to the members selected on this page: give them a role, or remove them (after
 * a confirmation naming them). One toast sums up each batch, naming who could not be changed and
 * why. Loaded only once someone selects a row, so the page's first load does not carry it.
 */
export function BulkBar({
  orgId,
  organizationName,
  selectedRows,
  grantableRoles,
  canRemove,
  onClear,
  onChanged,
  matching,
}: BulkBarProps) {
  const t = useT();
  const format = useFormat();
  const selectId = useId();
  const [roleId, setRoleId] = useState(leastPowerfulRole(grantableRoles)?.id ?? '');
  const [isConfirmingRemove, setIsConfirmingRemove] = useState(false);
  const [isMatchingJobOpen, setMatchingJobOpen] = useState(false);
  const networkText = t('table.networkError');
  const count = selectedRows.length;
  const selectedIds = selectedRows.map((row) => row.id);

  const describeFailures = (result: BulkResult): string | undefined => {
    if (result.failed.length === 0) return undefined;
    const namesById = new Map(selectedRows.map((row) => [row.id, memberDisplayName(row)]));
    const lines = result.failed.slice(0, MAX_NAMES_LISTED).map(({ userId, reason }) =>
      t('members.bulk.failureLine', {
        name: namesById.get(userId) ?? userId,
        reason: t(
          reason === 'not_a_member'
            ? 'members.bulk.reasonNotMember'
            : reason === 'last_role_assigner'
              ? 'members.bulk.reasonLastRoleAssigner'
              : 'members.bulk.reasonOther',
        ),
      }),
    );
    const more = result.failed.length - lines.length;
    if (more > 0) lines.push(t('members.bulk.more', { count: more }));
    return lines.join(' ');
  };

  const assign = useMutation({
    mutationFn: ({ userIds, roleId }: { userIds: string[]; roleId: string }) =>
      unwrapAction(bulkAssignRoleAction(orgId, { userIds, roleId })),
    onSuccess: (result, { userIds, roleId }) => {
      const role = grantableRoles.find((option) => option.id === roleId)?.name ?? '';
      const isComplete = result.failed.length === 0;
      showToast({
        tone: isComplete ? 'success' : 'warning',
        title: isComplete
          ? t('members.bulk.assigned', { role, count: result.succeeded.length })
          : t('members.bulk.assignedSome', { role, done: result.succeeded.length, count: userIds.length }),
        body: describeFailures(result),
        durationMs: isComplete ? undefined : null,
      });
      onClear();
    },
    onError: (error) =>
      showToast({
        tone: 'error',
        title: t('members.bulk.assignFailed'),
        body: failureText(error, networkText),
      }),
    onSettled: onChanged,
  });

  const remove = useMutation({
    mutationFn: (userIds: string[]) => unwrapAction(bulkRemoveMembersAction(orgId, { userIds })),
    onSuccess: (result, userIds) => {
      const isComplete = result.failed.length === 0;
      showToast({
        tone: isComplete ? 'success' : 'warning',
        title: isComplete
          ? t('members.bulk.removed', { count: result.succeeded.length, organization: organizationName })
          : t('members.bulk.removedSome', { done: result.succeeded.length, count: userIds.length }),
        body: describeFailures(result),
        durationMs: isComplete ? undefined : null,
      });
      onClear();
    },
    onError: (error) =>
      showToast({
        tone: 'error',
        title: t('members.bulk.removeFailed'),
        body: failureText(error, networkText),
      }),
    onSettled: () => {
      setIsConfirmingRemove(false);
      onChanged();
    },
  });

  const isPending = assign.isPending || remove.isPending;
  const listedNames = selectedRows.slice(0, MAX_NAMES_LISTED).map(memberDisplayName);
  const unlistedCount = count - listedNames.length;

  return (
    <div
      role="region"
      aria-label={t('members.bulk.label')}
      className="border-accent-200 bg-accent-50 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border px-3 py-2"
    >
      <p className="text-accent-700 text-sm font-medium tabular-nums">
        {t('members.bulk.selected', { count })}
      </p>
      {grantableRoles.length > 0 ? (
        <form
          className="flex items-center gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (roleId) assign.mutate({ userIds: selectedIds, roleId });
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
        <Button size="sm" variant="danger" disabled={isPending} onClick={() => setIsConfirmingRemove(true)}>
          {t('members.bulk.remove', { count })}
        </Button>
      ) : null}
      {matching && matching.total > count && (grantableRoles.length > 0 || canRemove) ? (
        <Button size="sm" variant="secondary" disabled={isPending} onClick={() => setMatchingJobOpen(true)}>
          {t('members.matchingJob.allMatching', { total: format.number(matching.total) })}
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" className="ml-auto" disabled={isPending} onClick={onClear}>
        {t('members.bulk.clear')}
      </Button>
      {matching && isMatchingJobOpen ? (
        <MatchingJobDialog
          orgId={orgId}
          open
          onClose={() => setMatchingJobOpen(false)}
          q={matching.q}
          roleFilterId={matching.roleFilterId}
          total={matching.total}
          grantableRoles={grantableRoles}
          canRemove={canRemove}
        />
      ) : null}
      <ConfirmDialog
        open={isConfirmingRemove}
        title={t('members.bulk.removeTitle', { count, organization: organizationName })}
        description={
          unlistedCount > 0
            ? t('members.bulk.removeBodyMore', { names: listedNames.join(', '), count: unlistedCount })
            : t('members.bulk.removeBody', { names: listedNames.join(', ') })
        }
        confirmLabel={t('members.bulk.removeConfirm', { count })}
        pendingLabel={t('members.remove.pending')}
        cancelLabel={t('members.cancel')}
        isPending={remove.isPending}
        onConfirm={() => remove.mutate(selectedIds)}
        onCancel={() => setIsConfirmingRemove(false)}
      />
    </div>
  );
}
