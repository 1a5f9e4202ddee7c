'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { fetchListPage, ListRequestError } from '@/components/data-table/fetch-list-page';
import { NavLink } from '@/components/nav-link';
import { RelativeTime } from '@/components/relative-time';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { AlertIcon, TrashIcon } from '@/components/ui/icons';
import { Skeleton } from '@/components/ui/skeleton';
import { useT } from '@/lib/i18n/client';
import type { MemberRow, RoleOption } from '@/lib/portal/members';
import type { MemberDetail } from '@/lib/portal/member-detail';
import { memberDisplayName } from './member-display';
import { MemberRoleMenu } from './member-role-menu';
import { membersList } from './members-query';

export type MemberDetailPanelProps = {
  orgId: string;
  organizationName: string;
  /** The row the panel was opened from (shown at once, while the rest loads); null: closed. */
  member: MemberRow | null;
  roles: RoleOption[];
  canAssignRoles: boolean;
  canRemove: boolean;
  onClose: () => void;
  onChangeRoles: (member: MemberRow, roleIds: string[]) => void;
  onRemove: (member: MemberRow) => void;
};

/** The query of one member's details; under the members list's key, so its changes refresh it. */
function memberDetailQuery(orgId: string, userId: string) {
  return {
    queryKey: [...membersList.scope(orgId), 'detail', userId] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchListPage<MemberDetail>(
        `/api/orgs/${encodeURIComponent(orgId)}/members/${encodeURIComponent(userId)}`,
        signal,
      ),
  };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-line border-t pt-4 first:border-t-0 first:pt-0">
      <h3 className="text-ink-soft mb-2 text-xs font-semibold tracking-wide uppercase">{title}</h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-wrap justify-between gap-x-4 gap-y-0.5 py-1 text-sm">
      <dt className="text-ink-muted">{label}</dt>
      <dd className="text-ink">{children}</dd>
    </div>
  );
}

/**
 * A member's details in a side panel (full screen on a phone): their roles with what each allows,
 * when they joined and signed in last, the invitation that brought them, their latest activity
 * here, and what the viewer may do about them (change roles, remove), each checked again by its
 * server action. Opened from the member's name in the table.
 */
export function MemberDetailPanel({
  orgId,
  organizationName,
  member,
  roles,
  canAssignRoles,
  canRemove,
  onClose,
  onChangeRoles,
  onRemove,
}: MemberDetailPanelProps) {
  const t = useT();
  const query = useQuery({
    ...memberDetailQuery(orgId, member?.id ?? ''),
    enabled: member !== null,
  });
  const detail = query.data;
  const name = member ? memberDisplayName(member) : '';

  const actions =
    member && (canAssignRoles || canRemove) ? (
      <div className="flex flex-col gap-3">
        {canAssignRoles ? <MemberRoleMenu member={member} roles={roles} onChange={onChangeRoles} /> : null}
        {canRemove ? (
          <Button
            variant="secondary"
            className="w-fit"
            onClick={() => {
              onClose();
              onRemove(member);
            }}
          >
            <TrashIcon />
            {t('members.detail.remove', { organization: organizationName })}
          </Button>
        ) : null}
      </div>
    ) : (
      <p className="text-ink-soft text-sm">{t('members.detail.noActions')}</p>
    );

  return (
    <Dialog
      open={member !== null}
      onClose={onClose}
      variant="sheet"
      title={name}
      closeLabel={t('members.detail.close')}
      description={member?.email ?? undefined}
    >
      <div className="flex flex-col gap-5">
        <Section title={t('members.detail.actionsTitle')}>{actions}</Section>

        {query.isError ? (
          <div
            role="alert"
            className="bg-danger-50 text-danger-700 flex flex-col gap-2 rounded-md p-3 text-sm"
          >
            <p className="flex items-center gap-2 font-medium">
              <AlertIcon />
              {t('members.detail.failed')}
            </p>
            {query.error instanceof ListRequestError ? <p>{query.error.message}</p> : null}
            <Button size="sm" className="w-fit" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </Button>
          </div>
        ) : !detail ? (
          <div aria-busy="true" className="flex flex-col gap-3">
            <p className="sr-only" role="status">
              {t('members.detail.loading')}
            </p>
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-16 w-full" />
          </div>
        ) : (
          <>
            <Section title={t('members.detail.rolesTitle')}>
              {detail.roles.length === 0 ? (
                <p className="text-ink-soft text-sm">{t('members.detail.noRoles')}</p>
              ) : (
                <ul className="flex flex-col gap-3">
                  {detail.roles.map((role) => (
                    <li key={role.id} className="text-sm">
                      <Badge tone={role.name === 'admin' ? 'accent' : 'neutral'}>{role.name}</Badge>
                      {role.description ? <p className="text-ink-soft mt-1">{role.description}</p> : null}
                      {role.permissions.length === 0 && role.otherPermissions.length === 0 ? (
                        <p className="text-ink-muted mt-1">{t('members.detail.allowsNothing')}</p>
                      ) : (
                        <ul className="text-ink-soft mt-1 list-disc pl-5">
                          {role.permissions.map((permission) => (
                            <li key={permission}>{t(`members.detail.permissions.${permission}`)}</li>
                          ))}
                          {role.otherPermissions.length > 0 ? (
                            <li>
                              {t('members.detail.otherPermissions', {
                                names: role.otherPermissions.join(', '),
                              })}
                            </li>
                          ) : null}
                        </ul>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </Section>

            <Section title={t('members.detail.membershipTitle')}>
              <dl>
                <Fact label={t('members.detail.joined')}>
                  {detail.joinedAt ? (
                    <RelativeTime value={detail.joinedAt} />
                  ) : (
                    t('members.detail.notRecorded')
                  )}
                </Fact>
                <Fact label={t('members.detail.lastSignIn')}>
                  {detail.lastSignInAt ? (
                    <RelativeTime value={detail.lastSignInAt} />
                  ) : (
                    t('members.detail.neverSignedIn')
                  )}
                </Fact>
                {detail.createdAt ? (
                  <Fact label={t('members.detail.accountCreated')}>
                    <RelativeTime value={detail.createdAt} />
                  </Fact>
                ) : null}
              </dl>
            </Section>

            <Section title={t('members.detail.invitationTitle')}>
              {detail.invitation ? (
                <dl>
                  <Fact label={t('members.detail.invitedBy')}>
                    {detail.invitation.inviter
                      ? (detail.invitation.inviter.name ??
                        detail.invitation.inviter.email ??
                        detail.invitation.inviter.id)
                      : t('members.detail.unknownInviter')}
                  </Fact>
                  <Fact label={t('members.detail.invitationSent')}>
                    <RelativeTime value={detail.invitation.sentAt} />
                  </Fact>
                  <Fact label={t('members.detail.invitationAccepted')}>
                    <RelativeTime value={detail.invitation.acceptedAt} />
                  </Fact>
                  {detail.invitation.roles.length > 0 ? (
                    <Fact label={t('members.detail.invitationRoles')}>
                      {detail.invitation.roles.join(', ')}
                    </Fact>
                  ) : null}
                </dl>
              ) : (
                <p className="text-ink-soft text-sm">{t('members.detail.noInvitation')}</p>
              )}
            </Section>

            <Section title={t('members.detail.activityTitle')}>
              {detail.activity.length === 0 ? (
                <p className="text-ink-soft text-sm">{t('members.detail.noActivity')}</p>
              ) : (
                <ol className="flex flex-col gap-2.5">
                  {detail.activity.map((entry) => (
                    <li key={entry.id} className="text-sm">
                      <p className="break-words">{entry.sentence}</p>
                      <p className="text-ink-muted flex flex-wrap items-center gap-2 text-xs">
                        <RelativeTime value={entry.occurredAt} />
                        {entry.outcome !== 'done' ? (
                          <Badge tone={entry.outcome === 'failed' ? 'danger' : 'warning'}>
                            {entry.outcome === 'failed'
                              ? t('members.detail.outcomeFailed')
                              : t('members.detail.outcomeRefused')}
                          </Badge>
                        ) : null}
                        {entry.reason ? <span>{entry.reason}</span> : null}
                      </p>
                    </li>
                  ))}
                </ol>
              )}
              {detail.activityTotal > 0 && member ? (
                <NavLink
                  href={`/orgs/${encodeURIComponent(orgId)}/activity?who=${encodeURIComponent(member.id)}`}
                  className="text-accent-700 focus-visible:outline-accent-600 mt-3 inline-block rounded text-sm font-medium hover:underline focus-visible:outline-2"
                >
                  {t('members.detail.allActivity')}
                </NavLink>
              ) : null}
            </Section>
          </>
        )}
      </div>
    </Dialog>
  );
}
