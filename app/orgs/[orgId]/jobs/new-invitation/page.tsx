import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { NavLink } from '@/components/nav-link';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { ArrowLeftIcon } from '@/components/ui/icons';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listOrganizationRoles } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { toRoleOptions } from '@/lib/portal/members';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { OrgHeader } from '../../org-header';
import { BulkInviteForm } from './bulk-invite-form';

type NewInvitationPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('jobs.form.title') };
}

/** Invite many people at once (`invite:members`): a background job with a page of its own. */
export default async function NewBulkInvitationPage({ params }: NewInvitationPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const [organization, roles] = await Promise.all([
      getOrganizationForPage(access),
      listOrganizationRoles(),
    ]);
    return { access, organization, roles };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, organization, roles } = load.value;
  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);
  const canInvite = access.scopes.includes('inviteMembers');
  const options = toRoleOptions(access, roles).filter((role) => role.isGrantable);
  const leastPowerful = [...options].sort((a, b) => a.scopeCount - b.scopeCount)[0];

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="jobs"
      />
      <NavLink
        href={`/orgs/${orgId}/jobs`}
        className="text-ink-muted hover:text-ink focus-visible:outline-accent-600 inline-flex w-fit items-center gap-1.5 rounded text-sm focus-visible:outline-2"
      >
        <ArrowLeftIcon />
        {t('jobs.backToJobs')}
      </NavLink>
      <div>
        <h2 className="text-lg font-semibold">{t('jobs.form.title')}</h2>
        <p className="text-ink-soft mt-1 max-w-prose text-sm">
          {t('jobs.form.intro', { organization: organization.name })}
        </p>
      </div>
      {canInvite ? (
        <I18nProvider locale={locale} messages={pickMessages(messages, ['jobs'])}>
          <BulkInviteForm
            orgId={orgId}
            roles={options.map((role) => ({
              id: role.id,
              name: role.name,
              description: role.description,
              isDefault: role.id === leastPowerful?.id,
            }))}
          />
        </I18nProvider>
      ) : (
        <p role="alert" className="text-ink-soft text-sm">
          {t('jobs.form.notAllowed')}
        </p>
      )}
    </div>
  );
}
