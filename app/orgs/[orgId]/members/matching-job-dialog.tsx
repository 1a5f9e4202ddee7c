'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useFormat, useT } from '@/lib/i18n/client';
import type { RoleOption } from '@/lib/portal/members';
import { startMemberJobAction } from '../jobs/actions';
import { failureText, unwrapAction } from './action-client';
import { leastPowerfulRole } from './member-display';

type JobAction = 'assign_role' | 'remove_role' | 'remove_members';

export type MatchingJobDialogProps = {
  orgId: string;
  open: boolean;
  onClose: () => void;
  /** The table's search and role filter: the job covers everyone they match when it starts. */
  q: string;
  roleFilterId: string | undefined;
  total: number;
  grantableRoles: readonly RoleOption[];
  canRemove: boolean;
};

/**
 * Change everyone the members search matches, not only the page on screen: give or take away a
 * role, or remove them. It starts a background job (the matches are fixed when it starts) and
 * opens the job's page.
 */
export function MatchingJobDialog({
  orgId,
  open,
  onClose,
  q,
  roleFilterId,
  total,
  grantableRoles,
  canRemove,
}: MatchingJobDialogProps) {
  const t = useT();
  const format = useFormat();
  const router = useRouter();
  const ids = { action: useId(), role: useId() };
  const canChangeRoles = grantableRoles.length > 0;
  const [action, setAction] = useState<JobAction>(canChangeRoles ? 'assign_role' : 'remove_members');
  const [roleId, setRoleId] = useState(leastPowerfulRole(grantableRoles)?.id ?? '');

  const start = useMutation({
    mutationFn: () =>
      unwrapAction(
        startMemberJobAction(orgId, {
          kind: action,
          q,
          ...(roleFilterId ? { filterRoleId: roleFilterId } : {}),
          ...(action === 'remove_members' ? {} : { roleId }),
        }),
      ),
    onSuccess: ({ jobId }) => router.push(`/orgs/${orgId}/jobs/${jobId}`),
  });

  const count = format.number(total);
  return (
    <Dialog
      open={open}
      onClose={() => (start.isPending ? undefined : onClose())}
      title={t('members.matchingJob.title', { count: total, total: count })}
      description={t('members.matchingJob.description')}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={start.isPending}>
            {t('members.cancel')}
          </Button>
          <Button
            variant={action === 'remove_members' ? 'danger' : 'primary'}
            disabled={start.isPending || start.isSuccess || (action !== 'remove_members' && !roleId)}
            onClick={() => start.mutate()}
          >
            {start.isPending || start.isSuccess
              ? t('members.matchingJob.starting')
              : t('members.matchingJob.start', { count: total, total: count })}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <Field id={ids.action} label={t('members.matchingJob.actionLabel')}>
          <Select
            id={ids.action}
            value={action}
            onChange={(event) => setAction(event.target.value as JobAction)}
          >
            {canChangeRoles ? (
              <option value="assign_role">{t('members.matchingJob.assignRole')}</option>
            ) : null}
            {canChangeRoles ? (
              <option value="remove_role">{t('members.matchingJob.removeRole')}</option>
            ) : null}
            {canRemove ? (
              <option value="remove_members">{t('members.matchingJob.removeMembers')}</option>
            ) : null}
          </Select>
        </Field>
        {action !== 'remove_members' ? (
          <Field id={ids.role} label={t('members.bulk.roleLabel')}>
            <Select id={ids.role} value={roleId} onChange={(event) => setRoleId(event.target.value)}>
              {grantableRoles.map((role) => (
                <option key={role.id} value={role.id}>
                  {role.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <p className="text-ink-soft text-sm">{t('members.matchingJob.rules')}</p>
        {start.isError ? (
          <p role="alert" className="text-danger-700 text-sm">
            {failureText(start.error, t('table.networkError'))}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
