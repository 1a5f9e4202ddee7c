import { NavLink } from '@/components/nav-link';
import { Badge } from '@/components/ui/badge';
import { BuildingIcon } from '@/components/ui/icons';
import type { Actor } from '@/lib/auth/actor';
import { getT } from '@/lib/i18n/server';
import { getThemeChoice } from '@/lib/theme/server';
import { HeaderMenu } from './header-menu';
import { LanguageSwitcher } from './language-switcher';
import { SignOutButton } from './sign-out-button';
import { ThemeSwitcher } from './theme-switcher';

/**
 * The signed-in header: product name, who is signed in, language, theme, sign out. Below the
 * `sm` breakpoint everything but the product name sits behind a menu button.
 */
export async function AppHeader({ actor }: { actor: Actor }) {
  const [t, theme] = await Promise.all([getT(), getThemeChoice()]);
  const displayName = actor.name ?? actor.email ?? actor.userId;

  return (
    <header className="border-line bg-surface relative border-b">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
        <NavLink
          href="/orgs"
          className="text-ink focus-visible:outline-accent-600 flex min-w-0 items-center gap-2 rounded font-semibold focus-visible:outline-2 focus-visible:outline-offset-4"
        >
          <span className="bg-accent-600 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-white">
            <BuildingIcon />
          </span>
          <span className="truncate">{t('common.appName')}</span>
        </NavLink>
        <HeaderMenu id="header-menu" label={t('common.menu')}>
          <div className="min-w-0 leading-tight sm:hidden sm:text-right lg:block">
            <p className="flex items-center gap-2 truncate text-sm font-medium sm:justify-end">
              {actor.isOperator ? <Badge tone="accent">{t('common.operator')}</Badge> : null}
              <span className="truncate">{displayName}</span>
            </p>
            {actor.email && actor.email !== displayName ? (
              <p className="text-ink-muted truncate text-xs">{actor.email}</p>
            ) : null}
          </div>
          <LanguageSwitcher />
          <ThemeSwitcher choice={theme} />
          <SignOutButton />
        </HeaderMenu>
      </div>
    </header>
  );
}
