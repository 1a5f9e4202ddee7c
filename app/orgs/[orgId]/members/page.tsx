import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { serverPage } from '@/components/data-table/org-list-query';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listOrganizationRoles } from '@/lib/logto';
import { hasScope } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { loadMembersPage, toRoleOptions } from '@/lib/portal/members';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { buildTableHref, parseTableState } from '@/lib/table-state';
import { OrgHeader } from '../org-header';
import { MembersTable } from './members-table';

type MembersPageProps = {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The organization name stays out of the title: it would cost a second permission check.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('members.title') };
}

/**
 * Members of one organization. The permission check, the role template and the first page load
 * in parallel on the server; the header's organization record comes with the check's answer (the
 * check read it along). That page seeds the table's TanStack Query, which loads later pages from
 * `/api/orgs/[orgId]/members`. What the viewer may change (roles,
 * removal, adding users) is passed down as a hint; the actions check it again.
 */
export default async function MembersPage({ params, searchParams }: MembersPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const state = parseTableState(await searchParams);

  const rolesLoad = listOrganizationRoles();
  rolesLoad.catch(() => undefined);
  const load = await loadForPage(async () => {
    const { access, members } = await loadMembersPage(actor, orgId, state);
    const [organization, roles] = await Promise.all([getOrganizationForPage(access), rolesLoad]);
    return { access, members, organization, roles };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, members, organization, roles } = load.value;
  if (members.page !== state.page)
    redirect(buildTableHref(`/orgs/${orgId}/members`, { ...state, page: members.page }));

  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="members"
      />
      <I18nProvider locale={locale} messages={pickMessages(messages, ['members'])}>
        <MembersTable
          orgId={orgId}
          organizationName={organization.name}
          serverPage={serverPage(members)}
          viewerId={actor.userId}
          roles={toRoleOptions(access, roles)}
          permissions={{
            canAssignRoles: hasScope(access, 'assignRoles'),
            canRemove: hasScope(access, 'removeMembers'),
            canAddUsers: access.isOperator,
          }}
        />
      </I18nProvider>
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
