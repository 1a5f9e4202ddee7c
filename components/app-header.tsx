import { NavLink } from '@/components/nav-link';
import { Badge } from '@/components/ui/badge';
import { BuildingIcon } from '@/components/ui/icons';
import type { Actor } from '@/lib/auth/actor';
import { getT } from '@/lib/i18n/server';
import { LanguageSwitcher } from './language-switcher';
import { SignOutButton } from './sign-out-button';

/** The signed-in header: product name, who is signed in, language, sign out. */
export async function AppHeader({ actor }: { actor: Actor }) {
  const t = await getT();
  const displayName = actor.name ?? actor.email ?? actor.userId;

  return (
    <header className="border-line bg-surface border-b">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <NavLink
          href="/orgs"
          className="text-ink focus-visible:outline-accent-600 flex items-center gap-2 rounded font-semibold focus-visible:outline-2 focus-visible:outline-offset-4"
        >
          <span className="bg-accent-600 inline-flex size-7 items-center justify-center rounded-md text-white">
            <BuildingIcon />
          </span>
          {t('common.appName')}
        </NavLink>
        <div className="flex items-center gap-2 sm:gap-4">
          <div className="hidden min-w-0 text-right leading-tight md:block">
            <p className="flex items-center justify-end gap-2 truncate text-sm font-medium">
              {actor.isOperator ? <Badge tone="accent">{t('common.operator')}</Badge> : null}
              <span className="truncate">{displayName}</span>
            </p>
            {actor.email && actor.email !== displayName ? (
              <p className="text-ink-muted truncate text-xs">{actor.email}</p>
            ) : null}
          </div>
          <LanguageSwitcher />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
