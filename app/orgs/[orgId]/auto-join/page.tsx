import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listJitEmailDomains, listJitRoles, listJitSsoConnectors } from '@/lib/logto';
import { hasScope, requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { toRoleOptions } from '@/lib/portal/members';
import { loadFreshOrganizationRoles } from '@/lib/portal/org-settings';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { NoAccess } from '../no-access';
import { OrgHeader } from '../org-header';
import { AutoJoinPanel } from './auto-join-panel';

type AutoJoinPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('autoJoin.title') };
}

/**
 * Just-in-time provisioning (`manage:organization`): the email domains whose users join
 * automatically, the default roles they get (only roles the viewer could grant may change), and
 * the enterprise SSO connectors linked in Logto Console, listed read-only.
 */
export default async function AutoJoinPage({ params }: AutoJoinPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organizationLoad = getOrganizationForPage(access);
    if (!hasScope(access, 'manageOrganization')) {
      return { access, organization: await organizationLoad, jit: null };
    }
    const [organization, domains, defaultRoles, connectors, roles] = await Promise.all([
      organizationLoad,
      listJitEmailDomains(orgId),
      listJitRoles(orgId),
      listJitSsoConnectors(orgId),
      loadFreshOrganizationRoles(),
    ]);
    return { access, organization, jit: { domains, defaultRoles, connectors, roles } };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, organization, jit } = load.value;
  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);
  const header = {
    id: organization.id,
    name: organization.name,
    description: organization.description ?? null,
  };

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader org={header} active="auto-join" />
      {jit ? (
        <I18nProvider locale={locale} messages={pickMessages(messages, ['autoJoin'])}>
          <AutoJoinPanel
            orgId={orgId}
            domains={jit.domains.map((row) => row.emailDomain)}
            defaultRoleIds={jit.defaultRoles.map((role) => role.id)}
            roles={toRoleOptions(access, jit.roles)}
            connectors={jit.connectors.map((connector) => ({
              id: connector.id,
              name: connector.branding.displayName || connector.connectorName,
              providerName: connector.providerName,
              domains: connector.domains,
            }))}
          />
        </I18nProvider>
      ) : (
        <NoAccess message={t('autoJoin.noAccess')} />
      )}
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
