'use client';

import { useRouter } from 'next/navigation';
import { lazy, Suspense, useState, useTransition } from 'react';
import { NavLink } from '@/components/nav-link';
import { RelativeTime } from '@/components/relative-time';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { showToast } from '@/components/ui/toast';
import { useLatch } from '@/components/ui/use-latch';
import type { ActionResult } from '@/lib/actions/result';
import { useT } from '@/lib/i18n/client';
import type { MembershipRow, OwnInvitationRow } from '@/lib/portal/memberships';
import { acceptInvitationAction } from '../invitations/[id]/actions';
import { declineInvitationAction, leaveOrganizationAction } from './actions';

const ConfirmDialog = lazy(() =>
  import('@/components/ui/confirm-dialog').then((module) => ({ default: module.ConfirmDialog })),
);

function failureText(result: ActionResult<unknown>): string {
  return result.ok ? '' : (result.error.fieldErrors?._form?.[0] ?? result.error.message);
}

function Roles({
  roles,
  emptyLabel,
}: {
  roles: readonly { id: string; name: string }[];
  emptyLabel: string;
}) {
  if (roles.length === 0) return <span className="text-ink-muted text-sm">{emptyLabel}</span>;
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

/**
 * A person's own standing: the organizations they belong to (their roles, a way in when they may
 * manage it, and leaving) and the invitations addressed to them (accept or decline). Every
 * change is a server action that checks again; the page is rendered anew afterwards.
 */
export function OwnView({
  memberships,
  invitations,
}: {
  memberships: MembershipRow[];
  invitations: OwnInvitationRow[];
}) {
  const t = useT();
  const router = useRouter();
  const [leaving, setLeaving] = useState<MembershipRow | null>(null);
  const [declining, setDeclining] = useState<OwnInvitationRow | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const hasOpenedLeave = useLatch(leaving !== null);
  const hasOpenedDecline = useLatch(declining !== null);

  const run = (
    id: string,
    call: () => Promise<ActionResult<unknown>>,
    messages: { done: string; failed: string },
    onSettled?: () => void,
  ) => {
    setBusyId(id);
    startTransition(async () => {
      try {
        const result = await call();
        if (result.ok) {
          showToast({ tone: 'success', title: messages.done });
          router.refresh();
        } else {
          showToast({ tone: 'error', title: messages.failed, body: failureText(result) });
        }
      } catch {
        showToast({ tone: 'error', title: messages.failed, body: t('table.networkError') });
      } finally {
        setBusyId(null);
        onSettled?.();
      }
    });
  };

  return (
    <div className="flex flex-col gap-8">
      {invitations.length > 0 ? (
        <section aria-labelledby="own-invitations" className="flex flex-col gap-3">
          <div>
            <h2 id="own-invitations" className="text-lg font-semibold">
              {t('ownView.invitationsTitle')}
            </h2>
            <p className="text-ink-soft text-sm">{t('ownView.invitationsIntro')}</p>
          </div>
          <ul className="grid gap-3 sm:grid-cols-2">
            {invitations.map((invitation) => {
              const name = invitation.organizationName;
              const isBusy = isPending && busyId === invitation.id;
              return (
                <li
                  key={invitation.id}
                  className="border-accent-200 bg-surface flex flex-col gap-3 rounded-lg border p-4 shadow-xs"
                >
                  <div>
                    <h3 className="font-semibold">{name}</h3>
                    <p className="text-ink-muted mt-1 text-xs">{t('ownView.rolesOffered')}</p>
                    <div className="mt-1">
                      <Roles roles={invitation.roles} emptyLabel={t('ownView.noRoles')} />
                    </div>
                    <p className="text-ink-muted mt-2 text-xs">
                      <ExpiresIn value={invitation.expiresAt} />
                    </p>
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <Button
                      variant="primary"
                      disabled={isPending}
                      aria-label={t('ownView.acceptLabel', { name })}
                      onClick={() =>
                        run(invitation.id, () => acceptInvitationAction({ invitationId: invitation.id }), {
                          done: t('ownView.accepted', { name }),
                          failed: t('ownView.failed'),
                        })
                      }
                    >
                      {isBusy && !declining ? t('ownView.accepting') : t('ownView.accept')}
                    </Button>
                    <Button
                      disabled={isPending}
                      aria-label={t('ownView.declineLabel', { name })}
                      onClick={() => setDeclining(invitation)}
                    >
                      {t('ownView.decline')}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="own-memberships" className="flex flex-col gap-3">
        <div>
          <h2 id="own-memberships" className="text-lg font-semibold">
            {t('ownView.membershipsTitle')}
          </h2>
          <p className="text-ink-soft text-sm">{t('ownView.membershipsIntro')}</p>
        </div>
        {memberships.length === 0 ? (
          <p className="border-line text-ink-soft rounded-lg border border-dashed px-4 py-6 text-center text-sm">
            {t('ownView.noMemberships')}
          </p>
        ) : (
          <ul className="border-line bg-surface divide-line divide-y rounded-lg border shadow-xs">
            {memberships.map((membership) => (
              <li
                key={membership.orgId}
                className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between"
              >
                <div className="min-w-0">
                  <h3 className="font-medium break-words">{membership.name}</h3>
                  {membership.description ? (
                    <p className="text-ink-soft line-clamp-2 text-sm">{membership.description}</p>
                  ) : null}
                  <div className="mt-1.5 flex flex-wrap items-center gap-2">
                    <span className="text-ink-muted text-xs">{t('ownView.yourRoles')}</span>
                    <Roles roles={membership.roles} emptyLabel={t('ownView.noRoles')} />
                  </div>
                </div>
                <div className="flex shrink-0 flex-wrap gap-2">
                  {membership.canManage ? (
                    <NavLink
                      href={`/orgs/${encodeURIComponent(membership.orgId)}/members`}
                      aria-label={t('ownView.manageLabel', { name: membership.name })}
                      className={buttonClasses('secondary', 'sm')}
                    >
                      {t('ownView.manage')}
                    </NavLink>
                  ) : null}
                  <Button
                    size="sm"
                    variant="ghost"
                    disabled={isPending}
                    aria-label={t('ownView.leave.buttonLabel', { name: membership.name })}
                    onClick={() => setLeaving(membership)}
                  >
                    {t('ownView.leave.button')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Suspense fallback={null}>
        {hasOpenedLeave ? (
          <ConfirmDialog
            open={leaving !== null}
            title={t('ownView.leave.title', { name: leaving?.name ?? '' })}
            description={t('ownView.leave.body', { name: leaving?.name ?? '' })}
            confirmLabel={t('ownView.leave.confirm')}
            pendingLabel={t('ownView.leave.pending')}
            cancelLabel={t('ownView.leave.cancel')}
            isPending={isPending}
            onCancel={() => setLeaving(null)}
            onConfirm={() => {
              if (!leaving) return;
              const name = leaving.name;
              run(
                leaving.orgId,
                () => leaveOrganizationAction({ orgId: leaving.orgId }),
                { done: t('ownView.leave.done', { name }), failed: t('ownView.leave.failed', { name }) },
                () => setLeaving(null),
              );
            }}
          />
        ) : null}
        {hasOpenedDecline ? (
          <ConfirmDialog
            open={declining !== null}
            title={t('ownView.declineTitle', { name: declining?.organizationName ?? '' })}
            description={t('ownView.declineBody')}
            confirmLabel={t('ownView.declineConfirm')}
            pendingLabel={t('ownView.declining')}
            cancelLabel={t('ownView.leave.cancel')}
            isPending={isPending}
            onCancel={() => setDeclining(null)}
            onConfirm={() => {
              if (!declining) return;
              const name = declining.organizationName;
              run(
                declining.id,
                () => declineInvitationAction({ invitationId: declining.id }),
                { done: t('ownView.declined', { name }), failed: t('ownView.failed') },
                () => setDeclining(null),
              );
            }}
          />
        ) : null}
      </Suspense>
    </div>
  );
}

function ExpiresIn({ value }: { value: number }) {
  const t = useT();
  const [before, after] = t('ownView.expires', { when: '\uE000' }).split('\uE000');
  return (
    <>
      {before}
      <RelativeTime value={value} />
      {after}
    </>
  );
}
