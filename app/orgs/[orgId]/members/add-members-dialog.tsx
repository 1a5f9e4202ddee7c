'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, useTransition } from 'react';
import { fetchListPage, ListRequestError } from '@/components/data-table/fetch-list-page';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog } from '@/components/ui/dialog';
import { CloseIcon, SearchIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { showToast } from '@/components/ui/toast';
import { useT } from '@/lib/i18n/client';
import type { CandidateUser, RoleOption } from '@/lib/portal/members';
import { addMembersAction } from './actions';
import { leastPowerfulRole, memberDisplayName } from './member-display';
import { MAX_USERS_TO_ADD } from './member-limits';

const SEARCH_DEBOUNCE_MS = 300;

export type AddMembersDialogProps = {
  open: boolean;
  onClose: () => void;
  orgId: string;
  organizationName: string;
  roles: readonly RoleOption[];
  /** Called after people were added, so the table reloads. */
  onAdded: () => void;
};

/**
 * Operators only: search the tenant's users who are not members yet, pick several (kept across
 * searches), choose their roles, add them. The search runs through a GET route the server
 * restricts to operators.
 */
export function AddMembersDialog({
  open,
  onClose,
  orgId,
  organizationName,
  roles,
  onAdded,
}: AddMembersDialogProps) {
  const t = useT();
  const searchId = useId();
  const errorId = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<ReadonlyMap<string, CandidateUser>>(new Map());
  const defaultRole = leastPowerfulRole(roles);
  const [roleIds, setRoleIds] = useState<string[]>(defaultRole ? [defaultRole.id] : []);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, startSaving] = useTransition();

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const candidates = useQuery({
    queryKey: ['orgs', orgId, 'candidates', q],
    queryFn: ({ signal }) =>
      fetchListPage<{ rows: CandidateUser[]; total: number }>(
        `/api/orgs/${encodeURIComponent(orgId)}/members/candidates?${new URLSearchParams({ q })}`,
        signal,
      ),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const reset = () => {
    setText('');
    setQ('');
    setPicked(new Map());
    setRoleIds(defaultRole ? [defaultRole.id] : []);
    setError(null);
  };

  const close = () => {
    if (isSaving) return;
    reset();
    onClose();
  };

  const togglePick = (user: CandidateUser, isPicked: boolean) => {
    setError(null);
    setPicked((current) => {
      const next = new Map(current);
      if (isPicked) next.set(user.id, user);
      else next.delete(user.id);
      return next;
    });
  };

  const submit = () => {
    if (picked.size === 0) {
      setError(t('members.add.errors.nobody'));
      return;
    }
    if (picked.size > MAX_USERS_TO_ADD) {
      setError(t('members.add.errors.tooMany', { max: MAX_USERS_TO_ADD }));
      return;
    }
    startSaving(async () => {
      try {
        const result = await addMembersAction(orgId, { userIds: [...picked.keys()], roleIds });
        if (!result.ok) {
          setError(result.error.fieldErrors?._form?.[0] ?? result.error.message);
          showToast({
            tone: 'error',
            title: t('members.add.failed'),
            body: result.error.fieldErrors?._form?.[0] ?? result.error.message,
          });
          return;
        }
        showToast({
          tone: 'success',
          title: t('members.add.done', { count: result.data.added, organization: organizationName }),
        });
        onAdded();
        reset();
        onClose();
      } catch {
        setError(t('table.networkError'));
        showToast({ tone: 'error', title: t('members.add.failed'), body: t('table.networkError') });
      }
    });
  };

  const rows = candidates.data?.rows;

  return (
    <Dialog
      open={open}
      onClose={close}
      title={t('members.add.title', { organization: organizationName })}
      description={t('members.add.description')}
      footer={
        <>
          <Button onClick={close} disabled={isSaving}>
            {t('members.add.cancel')}
          </Button>
          <Button
            variant="primary"
            onClick={submit}
            disabled={isSaving}
            aria-describedby={error ? errorId : undefined}
          >
            {isSaving ? t('members.add.adding') : t('members.add.submit', { count: picked.size })}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <div className="relative">
          <label htmlFor={searchId} className="mb-1.5 block text-sm font-medium">
            {t('members.add.searchLabel')}
          </label>
          <SearchIcon className="text-ink-faint pointer-events-none absolute bottom-2.5 left-3" />
          <Input
            id={searchId}
            type="search"
            value={text}
            placeholder={t('members.add.searchPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            className="pl-9"
            onChange={(event) => setText(event.target.value)}
          />
        </div>

        <fieldset className="flex flex-col gap-1" aria-busy={candidates.isFetching}>
          <legend className="sr-only">{t('members.add.resultsLabel')}</legend>
          {candidates.isError ? (
            <p role="alert" className="text-danger-700 text-sm">
              {candidates.error instanceof ListRequestError
                ? candidates.error.message
                : t('table.networkError')}
            </p>
          ) : rows === undefined ? (
            Array.from({ length: 3 }, (_, index) => <Skeleton key={index} className="h-9 w-full" />)
          ) : rows.length === 0 ? (
            <p className="text-ink-soft py-2 text-sm">
              {q ? t('members.add.noMatch', { q }) : t('members.add.noCandidates')}
            </p>
          ) : (
            <ul className="border-line max-h-64 divide-y overflow-y-auto rounded-md border">
              {rows.map((user) => (
                <li key={user.id}>
                  <label className="hover:bg-subtle flex cursor-pointer items-center gap-3 px-3 py-2 text-sm">
                    <Checkbox
                      checked={picked.has(user.id)}
                      onChange={(event) => togglePick(user, event.target.checked)}
                    />
                    <span className="min-w-0">
                      <span className="block truncate font-medium">{memberDisplayName(user)}</span>
                      {user.email && user.email !== memberDisplayName(user) ? (
                        <span className="text-ink-muted block truncate text-xs">{user.email}</span>
                      ) : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {candidates.data && candidates.data.total > candidates.data.rows.length ? (
            <p className="text-ink-muted text-xs">
              {t('members.add.moreResults', {
                shown: candidates.data.rows.length,
                total: candidates.data.total,
              })}
            </p>
          ) : null}
        </fieldset>

        {picked.size > 0 ? (
          <div>
            <p className="mb-1.5 text-sm font-medium">
              {t('members.add.pickedLabel', { count: picked.size })}
            </p>
            <ul className="flex flex-wrap gap-1.5">
              {[...picked.values()].map((user) => (
                <li
                  key={user.id}
                  className="bg-subtle ring-line inline-flex items-center gap-1 rounded-full py-0.5 pr-1 pl-2.5 text-xs ring-1"
                >
                  {memberDisplayName(user)}
                  <button
                    type="button"
                    onClick={() => togglePick(user, false)}
                    className="text-ink-muted hover:text-ink focus-visible:outline-accent-600 inline-flex size-5 items-center justify-center rounded-full focus-visible:outline-2"
                  >
                    <CloseIcon width={12} height={12} />
                    <span className="sr-only">
                      {t('members.add.unpick', { name: memberDisplayName(user) })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}

        <fieldset>
          <legend className="mb-1.5 text-sm font-medium">{t('members.add.rolesLabel')}</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-2">
            {roles.map((role) => (
              <label key={role.id} className="flex items-center gap-2 text-sm">
                <Checkbox
                  checked={roleIds.includes(role.id)}
                  onChange={(event) =>
                    setRoleIds((current) =>
                      event.target.checked ? [...current, role.id] : current.filter((id) => id !== role.id),
                    )
                  }
                />
                {role.name}
              </label>
            ))}
          </div>
        </fieldset>

        {error ? (
          <p id={errorId} role="alert" className="text-danger-700 text-sm">
            {error}
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
