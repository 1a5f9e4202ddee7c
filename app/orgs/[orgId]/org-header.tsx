import { NavLink } from '@/components/nav-link';
import { cn } from '@/components/ui/cn';
import { ArrowLeftIcon } from '@/components/ui/icons';
import { requirePageActor } from '@/lib/auth/page-actor';
import type { MessageKey } from '@/lib/i18n/messages';
import { getT } from '@/lib/i18n/server';
import { hasScope, requireOrgScopes } from '@/lib/permissions';

type OrgSection = 'members' | 'invitations' | 'roles' | 'activity' | 'jobs' | 'settings' | 'auto-join' | 'apps';

const SECTIONS: { id: OrgSection; label: MessageKey; needsManage?: boolean }[] = [
  { id: 'members', label: 'org.tabMembers' },
  { id: 'invitations', label: 'org.tabInvitations' },
  { id: 'roles', label: 'roles.tab' },
  { id: 'activity', label: 'activity.tab' },
  { id: 'jobs', label: 'jobs.tab' },
  { id: 'settings', label: 'org.tabSettings', needsManage: true },
  { id: 'auto-join', label: 'org.tabAutoJoin', needsManage: true },
  { id: 'apps', label: 'org.tabApps', needsManage: true },
];

/**
 * Whether the signed-in person may open the organization's settings, auto-join and apps tabs
 * (`manage:organization`; operators hold everything). The page already asked, so this reuses that
 * recent answer. A hint only: each of those pages and its actions check again.
 */
async function canManage(orgId: string): Promise<boolean> {
  try {
    const access = await requireOrgScopes(await requirePageActor(), orgId, [], { freshness: 'recent' });
    return hasScope(access, 'manageOrganization');
  } catch {
    return false;
  }
}

/** Organization title with its section tabs (the current one marked with `aria-current`). */
export async function OrgHeader({
  org,
  active,
}: {
  org: { id: string; name: string; description: string | null };
  active: OrgSection;
}) {
  const [t, isManager] = await Promise.all([getT(), canManage(org.id)]);
  const sections = SECTIONS.filter((section) => !section.needsManage || isManager || active === section.id);

  return (
    <div className="flex flex-col gap-4">
      <NavLink
        href="/orgs"
        className="text-ink-muted hover:text-ink focus-visible:outline-accent-600 inline-flex w-fit items-center gap-1.5 rounded text-sm focus-visible:outline-2"
      >
        <ArrowLeftIcon />
        {t('org.backToOrgs')}
      </NavLink>
      <div>
        <h1 className="text-2xl font-semibold">{org.name}</h1>
        {org.description ? <p className="text-ink-soft mt-1 text-sm">{org.description}</p> : null}
      </div>
      {/* Scrolls sideways on a narrow screen rather than wrapping, however many tabs there are. */}
      <nav aria-label={t('org.tabsLabel')} className="border-line overflow-x-auto border-b">
        <ul className="flex gap-6 px-1 pt-1 whitespace-nowrap">
          {sections.map((section) => (
            <li key={section.id}>
              <NavLink
                href={`/orgs/${org.id}/${section.id}`}
                aria-current={active === section.id ? 'page' : undefined}
                className={cn(
                  'inline-flex items-center border-b-2 px-1 pb-3 text-sm font-medium',
                  'focus-visible:outline-accent-600 focus-visible:outline-2 focus-visible:outline-offset-2',
                  active === section.id
                    ? 'border-accent-600 text-accent-700'
                    : 'text-ink-soft hover:border-line hover:text-ink border-transparent',
                )}
              >
                {t(section.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </div>
  );
}
