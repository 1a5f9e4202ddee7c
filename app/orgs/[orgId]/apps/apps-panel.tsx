'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog } from '@/components/ui/dialog';
import { PlusIcon } from '@/components/ui/icons';
import { RoleCheck, withRoleChecked } from '@/components/ui/role-check';
import { Select } from '@/components/ui/select';
import { showToast } from '@/components/ui/toast';
import { useT } from '@/lib/i18n/client';
import {
  addOrganizationAppAction,
  removeOrganizationAppAction,
  setOrganizationAppRolesAction,
} from './actions';

type App = { id: string; name: string; description: string | null; roles: { id: string; name: string }[] };
type MachineRole = { id: string; name: string; description: string | null; isGrantable: boolean };

/** The organization's machine-to-machine apps: roles, removal and (operators) adding one. */
export function AppsPanel({
  orgId,
  organizationName,
  apps,
  machineRoles,
  candidates,
}: {
  orgId: string;
  organizationName: string;
  apps: App[];
  machineRoles: MachineRole[];
  /** Tenant apps that could be added; `null` when the viewer may not add (not an operator). */
  candidates: { id: string; name: string }[] | null;
}) {
  const t = useT();
  const [editing, setEditing] = useState<App | null>(null);
  const [removing, setRemoving] = useState<App | null>(null);
  const [isAdding, setIsAdding] = useState(false);
  const [dialogKey, setDialogKey] = useState(0);

  return (
    <section aria-labelledby="apps-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="apps-heading" className="text-lg font-semibold">
            {t('apps.heading')}
          </h2>
          <p className="text-ink-soft mt-1 max-w-3xl text-sm">{t('apps.intro')}</p>
        </div>
        {candidates ? (
          <Button
            variant="primary"
            onClick={() => {
              setDialogKey((key) => key + 1);
              setIsAdding(true);
            }}
          >
            <PlusIcon />
            {t('apps.add')}
          </Button>
        ) : null}
      </div>
      {apps.length === 0 ? (
        <div className="border-line bg-surface rounded-lg border border-dashed px-6 py-12 text-center">
          <p className="text-ink-soft text-sm">{t('apps.empty')}</p>
        </div>
      ) : (
        <div className="border-line bg-surface overflow-x-auto rounded-lg border shadow-xs">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('apps.heading')}</caption>
            <thead className="border-line bg-subtle text-ink-soft border-b text-xs font-medium">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-medium tracking-wide uppercase">
                  {t('apps.columnApp')}
                </th>
                <th scope="col" className="px-4 py-2.5 font-medium tracking-wide uppercase">
                  {t('apps.columnRoles')}
                </th>
                <th scope="col" className="px-4 py-2.5 text-right font-medium tracking-wide uppercase">
                  {t('apps.columnActions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {apps.map((app) => (
                <tr key={app.id} className="border-line border-t first:border-t-0">
                  <th scope="row" className="px-4 py-3 align-top font-normal">
                    <span className="block font-medium">{app.name}</span>
                    <span className="text-ink-muted block font-mono text-xs">{app.id}</span>
                  </th>
                  <td className="px-4 py-3 align-top">
                    {app.roles.length === 0 ? (
                      <span className="text-ink-faint">{t('apps.noRoles')}</span>
                    ) : (
                      <span className="flex flex-wrap gap-1">
                        {app.roles.map((role) => (
                          <Badge key={role.id} tone="accent">
                            {role.name}
                          </Badge>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="px-4 py-3 text-right align-top whitespace-nowrap">
                    <span className="inline-flex gap-2">
                      <Button size="sm" onClick={() => setEditing(app)}>
                        {t('apps.editRoles')}
                        <span className="sr-only"> ({app.name})</span>
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setRemoving(app)}>
                        {t('apps.remove')}
                        <span className="sr-only"> ({app.name})</span>
                      </Button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <RolesDialog
          key={editing.id}
          orgId={orgId}
          app={editing}
          machineRoles={machineRoles}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {removing ? (
        <RemoveDialog
          orgId={orgId}
          organizationName={organizationName}
          app={removing}
          onClose={() => setRemoving(null)}
        />
      ) : null}
      {candidates && isAdding ? (
        <AddDialog
          key={dialogKey}
          orgId={orgId}
          candidates={candidates}
          machineRoles={machineRoles}
          onClose={() => setIsAdding(false)}
        />
      ) : null}
    </section>
  );
}

function RoleChecks({
  machineRoles,
  selected,
  setSelected,
  disabled,
  describedBy,
}: {
  machineRoles: MachineRole[];
  selected: string[];
  setSelected: (next: string[]) => void;
  disabled: boolean;
  describedBy?: string;
}) {
  const t = useT();
  if (machineRoles.length === 0) return <p className="text-ink-muted text-sm">{t('apps.noMachineRoles')}</p>;
  return (
    <fieldset aria-describedby={describedBy} className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium">{t('apps.rolesLabel')}</legend>
      {machineRoles.map((role) => (
        <RoleCheck
          key={role.id}
          role={role}
          isChecked={selected.includes(role.id)}
          isDisabled={disabled}
          onCheckedChange={(isChecked) => setSelected(withRoleChecked(selected, role.id, isChecked))}
          notGrantableHint={t('apps.roleAboveYouHint')}
        />
      ))}
    </fieldset>
  );
}

function RolesDialog({
  orgId,
  app,
  machineRoles,
  onClose,
}: {
  orgId: string;
  app: App;
  machineRoles: MachineRole[];
  onClose: () => void;
}) {
  const t = useT();
  const router = useRouter();
  const errorId = useId();
  const [selected, setSelected] = useState(app.roles.map((role) => role.id));
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const save = () =>
    startTransition(async () => {
      try {
        const result = await setOrganizationAppRolesAction(orgId, {
          applicationId: app.id,
          applicationName: app.name,
          roleIds: selected,
        });
        if (result.ok) {
          showToast({ tone: 'success', title: t('apps.rolesSaved', { name: app.name }) });
          onClose();
          router.refresh();
          return;
        }
        setError(
          result.error.fieldErrors?.roleIds?.[0] ??
            result.error.fieldErrors?._form?.[0] ??
            result.error.message,
        );
      } catch {
        showToast({ tone: 'error', title: t('apps.rolesFailed'), body: t('table.networkError') });
      }
    });

  return (
    <Dialog
      open
      onClose={() => {
        if (!isPending) onClose();
      }}
      title={t('apps.editTitle', { name: app.name })}
      footer={
        <>
          <Button onClick={onClose} disabled={isPending}>
            {t('apps.cancel')}
          </Button>
          <Button variant="primary" onClick={save} disabled={isPending}>
            {isPending ? t('apps.savingRoles') : t('apps.saveRoles')}
          </Button>
        </>
      }
    >
      <RoleChecks
        machineRoles={machineRoles}
        selected={selected}
        setSelected={setSelected}
        disabled={isPending}
        describedBy={error ? errorId : undefined}
      />
      {error ? (
        <p id={errorId} role="alert" className="text-danger-700 mt-3 text-sm">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

function RemoveDialog({
  orgId,
  organizationName,
  app,
  onClose,
}: {
  orgId: string;
  organizationName: string;
  app: App;
  onClose: () => void;
}) {
  const t = useT();
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const remove = () =>
    startTransition(async () => {
      try {
        const result = await removeOrganizationAppAction(orgId, {
          applicationId: app.id,
          applicationName: app.name,
        });
        if (result.ok) {
          showToast({ tone: 'success', title: t('apps.removed', { name: app.name }) });
          onClose();
          router.refresh();
          return;
        }
        showToast({
          tone: 'error',
          title: t('apps.removeFailed'),
          body: result.error.fieldErrors?._form?.[0] ?? result.error.message,
        });
      } catch {
        showToast({ tone: 'error', title: t('apps.removeFailed'), body: t('table.networkError') });
      }
    });
  return (
    <ConfirmDialog
      open
      title={t('apps.removeTitle', { name: app.name, organization: organizationName })}
      description={t('apps.removeBody')}
      confirmLabel={t('apps.remove')}
      pendingLabel={t('apps.removing')}
      cancelLabel={t('apps.cancel')}
      isPending={isPending}
      onConfirm={remove}
      onCancel={onClose}
    />
  );
}

function AddDialog({
  orgId,
  candidates,
  machineRoles,
  onClose,
}: {
  orgId: string;
  candidates: { id: string; name: string }[];
  machineRoles: MachineRole[];
  onClose: () => void;
}) {
  const t = useT();
  const router = useRouter();
  const selectId = useId();
  const errorId = useId();
  const [applicationId, setApplicationId] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const add = () =>
    startTransition(async () => {
      try {
        const result = await addOrganizationAppAction(orgId, { applicationId, roleIds: selected });
        if (result.ok) {
          showToast({ tone: 'success', title: t('apps.added', { name: result.data.name }) });
          onClose();
          router.refresh();
          return;
        }
        const fieldErrors = result.error.fieldErrors;
        setError(
          fieldErrors?.applicationId?.[0] ??
            fieldErrors?.roleIds?.[0] ??
            fieldErrors?._form?.[0] ??
            result.error.message,
        );
      } catch {
        showToast({ tone: 'error', title: t('apps.addFailed'), body: t('table.networkError') });
      }
    });

  return (
    <Dialog
      open
      onClose={() => {
        if (!isPending) onClose();
      }}
      title={t('apps.addTitle')}
      description={t('apps.addDescription')}
      footer={
        <>
          <Button onClick={onClose} disabled={isPending}>
            {t('apps.cancel')}
          </Button>
          <Button variant="primary" onClick={add} disabled={isPending || applicationId === ''}>
            {isPending ? t('apps.adding') : t('apps.add')}
          </Button>
        </>
      }
    >
      {candidates.length === 0 ? (
        <p className="text-ink-muted text-sm">{t('apps.noCandidates')}</p>
      ) : (
        <div className="flex flex-col gap-4">
          <div>
            <label htmlFor={selectId} className="mb-1.5 block text-sm font-medium">
              {t('apps.appLabel')}
            </label>
            <Select
              id={selectId}
              value={applicationId}
              onChange={(event) => setApplicationId(event.target.value)}
              className="w-full"
              aria-describedby={error ? errorId : undefined}
            >
              <option value="">{t('apps.chooseApp')}</option>
              {candidates.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </Select>
          </div>
          <RoleChecks
            machineRoles={machineRoles}
            selected={selected}
            setSelected={setSelected}
            disabled={isPending}
          />
          {error ? (
            <p id={errorId} role="alert" className="text-danger-700 text-sm">
              {error}
            </p>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
