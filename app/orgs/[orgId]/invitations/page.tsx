import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { serverPage } from '@/components/data-table/org-list-query';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { getConfig } from '@/lib/config';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listOrganizationRoles } from '@/lib/logto';
import { hasScope } from '@/lib/permissions';
import { grantableRoles } from '@/lib/permissions/grants';
import { loadInvitationsPage } from '@/lib/portal/invitations';
import { loadForPage } from '@/lib/portal/load-for-page';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { buildTableHref, parseTableState } from '@/lib/table-state';
import { OrgHeader } from '../org-header';
import type { GrantableRole } from './invite-dialog';
import { InvitationsTable } from './invitations-table';
import { getEmailReadiness } from '@/lib/logto/sign-in-experience';

type InvitationsPageProps = {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('invitations.title') };
}

/**
 * Invitations of one organization. Anyone who may open the organization (`read:members`) sees
 * them; inviting, resending and revoking need `invite:members`. The permission check, the
 * organization and the invitations load in parallel; the first page seeds the table's TanStack
 * Query, which loads later pages from `/api/orgs/[orgId]/invitations`.
 */
export default async function InvitationsPage({ params, searchParams }: InvitationsPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const state = parseTableState(await searchParams);

  const load = await loadForPage(async () => {
    const { access, invitations } = await loadInvitationsPage(actor, orgId, state);
    const canInvite = hasScope(access, 'inviteMembers');
    const [organization, roles, canSendEmail] = await Promise.all([
      getOrganizationForPage(access),
      canInvite ? listOrganizationRoles().then((all) => grantableRoles(access, all)) : [],
      // Unknown is not "no": the dialog then keeps its usual wording, and the results say whether
      // emails went out.
      canInvite
        ? getEmailReadiness().then(
            (readiness) => readiness.canSendEmail,
            () => true,
          )
        : true,
    ]);
    return { canInvite, roles, canSendEmail, invitations, organization };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { canInvite, roles, canSendEmail, invitations, organization } = load.value;
  if (invitations.page !== state.page) {
    redirect(buildTableHref(`/orgs/${orgId}/invitations`, { ...state, page: invitations.page }));
  }

  // The least powerful role is preselected: inviting should not hand out power by default.
  const defaultRole = roles.reduce<(typeof roles)[number] | undefined>(
    (best, role) => (!best || role.scopes.length < best.scopes.length ? role : best),
    undefined,
  );
  const dialogRoles: GrantableRole[] = roles.map((role) => ({
    id: role.id,
    name: role.name,
    description: role.description ?? null,
    isDefault: role.id === defaultRole?.id,
  }));

  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="invitations"
      />
      <I18nProvider locale={locale} messages={pickMessages(messages, ['invitations', 'invite'])}>
        <InvitationsTable
          orgId={orgId}
          organizationName={organization.name}
          serverPage={serverPage(invitations)}
          canInvite={canInvite}
          grantableRoles={dialogRoles}
          canSendEmail={canSendEmail}
          portalUrl={getConfig().nextAuth.url}
        />
      </I18nProvider>
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
