import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { getOrganization } from '@/lib/logto';
import { hasScope, requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { settingsOf } from '@/lib/portal/org-settings';
import { NoAccess } from '../no-access';
import { OrgHeader } from '../org-header';
import { SettingsForm } from './settings-form';

type SettingsPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('settings.title') };
}

/**
 * The organization's name, description, logos, brand colour and MFA requirement
 * (`manage:organization`), and for operators its deletion. Read fresh from Logto: this is the
 * page where they are changed.
 */
export default async function SettingsPage({ params }: SettingsPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    return { access, organization: await getOrganization(orgId) };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, organization } = load.value;
  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);
  const header = {
    id: organization.id,
    name: organization.name,
    description: organization.description ?? null,
  };

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader org={header} active="settings" />
      {hasScope(access, 'manageOrganization') ? (
        <I18nProvider locale={locale} messages={pickMessages(messages, ['settings'])}>
          <SettingsForm orgId={orgId} initial={settingsOf(organization)} canDelete={access.isOperator} />
        </I18nProvider>
      ) : (
        <NoAccess message={t('settings.noAccess')} />
      )}
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
