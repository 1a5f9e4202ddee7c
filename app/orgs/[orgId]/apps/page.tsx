import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listMachineApplications, listOrganizationApplications, MAX_PAGE_SIZE } from '@/lib/logto';
import { hasScope, requireOrgScopes } from '@/lib/permissions';
import { assertCanActOnHolderOf } from '@/lib/permissions/grants';
import { loadForPage } from '@/lib/portal/load-for-page';
import { loadFreshOrganizationRoles } from '@/lib/portal/org-settings';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { NoAccess } from '../no-access';
import { OrgHeader } from '../org-header';
import { AppsPanel } from './apps-panel';

type AppsPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('apps.title') };
}

/**
 * The organization's machine-to-machine apps with their organization roles. People who manage
 * the organization change roles and remove apps (rule 3 applies); only operators add an existing
 * app, since that means looking through the tenant's apps.
 */
export default async function AppsPage({ params }: AppsPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organizationLoad = getOrganizationForPage(access);
    if (!hasScope(access, 'manageOrganization')) {
      return { access, organization: await organizationLoad, apps: null };
    }
    const [organization, apps, roles, tenantApps] = await Promise.all([
      organizationLoad,
      listOrganizationApplications(orgId, { page: 1, pageSize: MAX_PAGE_SIZE }),
      loadFreshOrganizationRoles(),
      access.isOperator ? listMachineApplications({ page: 1, pageSize: MAX_PAGE_SIZE }) : null,
    ]);
    return { access, organization, apps: { apps, roles, tenantApps } };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, organization, apps } = load.value;
  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);
  const header = {
    id: organization.id,
    name: organization.name,
    description: organization.description ?? null,
  };
  const memberIds = new Set(apps?.apps.rows.map((app) => app.id));

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader org={header} active="apps" />
      {apps ? (
        <I18nProvider locale={locale} messages={pickMessages(messages, ['apps'])}>
          <AppsPanel
            orgId={orgId}
            organizationName={organization.name}
            apps={apps.apps.rows.map((app) => ({
              id: app.id,
              name: app.name,
              description: app.description ?? null,
              roles: app.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
            }))}
            machineRoles={apps.roles
              .filter((role) => role.type === 'MachineToMachine')
              .map((role) => {
                let isGrantable = true;
                try {
                  assertCanActOnHolderOf(access, [role.id], apps.roles);
                } catch {
                  isGrantable = false;
                }
                return { id: role.id, name: role.name, description: role.description ?? null, isGrantable };
              })}
            candidates={
              apps.tenantApps?.rows
                .filter((app) => !memberIds.has(app.id))
                .map((app) => ({ id: app.id, name: app.name })) ?? null
            }
          />
        </I18nProvider>
      ) : (
        <NoAccess message={t('apps.noAccess')} />
      )}
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
