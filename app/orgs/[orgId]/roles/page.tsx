import type { Metadata } from 'next';
import { NavLink } from '@/components/nav-link';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Badge } from '@/components/ui/badge';
import { CheckIcon } from '@/components/ui/icons';
import { requirePageActor } from '@/lib/auth/page-actor';
import { getT } from '@/lib/i18n/server';
import { listOrganizationRoles } from '@/lib/logto';
import { hasScope, requireOrgScopes, type Scope } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { toRoleOptions } from '@/lib/portal/members';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { loadRolesOverview } from '@/lib/portal/roles';
import { OrgHeader } from '../org-header';

type RolesPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('roles.title') };
}

const PORTAL_SCOPE_TEXT = {
  readMembers: 'roles.allows.readMembers',
  inviteMembers: 'roles.allows.inviteMembers',
  removeMembers: 'roles.allows.removeMembers',
  assignRoles: 'roles.allows.assignRoles',
  manageOrganization: 'roles.allows.manageOrganization',
} as const satisfies Record<Scope, string>;

/**
 * The organization's roles and what each allows, read-only: the role template is tenant-wide and
 * edited in Logto, not here. Anyone who may open the organization may read it.
 */
export default async function RolesPage({ params }: RolesPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;

  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const [organization, overview, roles] = await Promise.all([
      getOrganizationForPage(access),
      loadRolesOverview(orgId),
      listOrganizationRoles(),
    ]);
    return { access, organization, overview, grantable: toRoleOptions(access, roles) };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const t = await getT();
  const { access, organization, overview, grantable } = load.value;
  const canAssign = hasScope(access, 'assignRoles');
  const grantableIds = new Set(grantable.filter((role) => role.isGrantable).map((role) => role.id));
  const { roles, permissions } = overview;

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="roles"
      />
      <section aria-labelledby="roles-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="roles-heading" className="text-lg font-semibold">
            {t('roles.heading')}
          </h2>
          <p className="text-ink-soft mt-1 max-w-3xl text-sm">
            {t('roles.intro', { organization: organization.name })}
          </p>
        </div>
        {roles.length === 0 ? (
          <div className="border-line bg-surface rounded-lg border border-dashed px-6 py-12 text-center">
            <p className="font-medium">{t('roles.emptyTitle')}</p>
            <p className="text-ink-soft mt-1 text-sm">{t('roles.emptyBody')}</p>
          </div>
        ) : (
          <div className="border-line bg-surface overflow-x-auto rounded-lg border shadow-xs">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t('roles.caption')}</caption>
              <thead className="border-line bg-subtle text-ink-soft border-b text-xs font-medium">
                <tr>
                  <th scope="col" className="px-4 py-2.5 font-medium tracking-wide uppercase">
                    {t('roles.columnRole')}
                  </th>
                  <th scope="col" className="px-4 py-2.5 font-medium tracking-wide uppercase">
                    {t('roles.columnMembers')}
                  </th>
                  {permissions.map((permission) => (
                    <th
                      key={permission.id}
                      scope="col"
                      className="px-3 py-2.5 text-center font-mono font-medium"
                    >
                      {permission.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {roles.map((role) => (
                  <tr key={role.id} className="border-line border-t first:border-t-0">
                    <th scope="row" className="px-4 py-3 align-top font-normal">
                      <span className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{role.name}</span>
                        {canAssign && grantableIds.has(role.id) ? (
                          <Badge tone="success">{t('roles.youCanGrant')}</Badge>
                        ) : null}
                      </span>
                      {role.description ? (
                        <span className="text-ink-soft mt-0.5 block text-xs">{role.description}</span>
                      ) : null}
                      {role.resourceScopes.length > 0 ? (
                        <span className="text-ink-muted mt-1 block text-xs">
                          {t('roles.resourceScopes', { scopes: role.resourceScopes.join(', ') })}
                        </span>
                      ) : null}
                    </th>
                    <td className="px-4 py-3 align-top whitespace-nowrap">
                      <NavLink
                        href={`/orgs/${orgId}/members?role=${encodeURIComponent(role.id)}`}
                        className="text-accent-700 focus-visible:outline-accent-600 rounded tabular-nums hover:underline focus-visible:outline-2"
                      >
                        {t('roles.memberCount', { count: role.memberCount })}
                        <span className="sr-only"> {t('roles.memberCountRole', { role: role.name })}</span>
                      </NavLink>
                    </td>
                    {permissions.map((permission) => {
                      const isAllowed = role.scopeIds.includes(permission.id);
                      return (
                        <td key={permission.id} className="px-3 py-3 text-center align-top">
                          {isAllowed ? (
                            <CheckIcon className="text-success-700 mx-auto" width={18} height={18} />
                          ) : (
                            <span aria-hidden="true" className="text-ink-muted">
                              –
                            </span>
                          )}
                          <span className="sr-only">
                            {isAllowed ? t('roles.allowed') : t('roles.notAllowed')}
                          </span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="permissions-heading" className="flex flex-col gap-3">
        <h2 id="permissions-heading" className="text-lg font-semibold">
          {t('roles.permissionsHeading')}
        </h2>
        <dl className="border-line bg-surface divide-line divide-y rounded-lg border shadow-xs">
          {permissions.map((permission) => (
            <div key={permission.id} className="grid gap-1 px-4 py-3 sm:grid-cols-[14rem_1fr] sm:gap-4">
              <dt className="font-mono text-sm font-medium">{permission.name}</dt>
              <dd className="text-ink-soft text-sm">
                {permission.portalScope
                  ? t(PORTAL_SCOPE_TEXT[permission.portalScope])
                  : (permission.description ?? t('roles.noDescription'))}
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-ink-muted text-sm">{t('roles.managedInLogto')}</p>
      </section>
    </div>
  );
}
