'use client';

import { useRouter } from 'next/navigation';
import type { ComponentProps, MouseEvent } from 'react';

export type NavLinkProps = Omit<ComponentProps<'a'>, 'href'> & { href: string };

function opensElsewhere(event: MouseEvent<HTMLAnchorElement>): boolean {
  const target = event.currentTarget.getAttribute('target');
  return (
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey ||
    (target !== null && target !== '_self') ||
    event.currentTarget.hasAttribute('download')
  );
}

/**
 * A link inside the portal: a real `<a>` (new tab, copy link, works before hydration) that moves
 * with the App Router on a plain click, so only the changed segments are rendered again.
 *
 * Used instead of `next/link`, whose prefetching machinery adds about 3.5 KB gzip to the first
 * load of every page (bench item 4). Its prefetch would not pay here anyway: every portal page is
 * dynamic, rendered for one user, and prefetching would spend Management API calls on hovers.
 */
export function NavLink({ href, onClick, ...props }: NavLinkProps) {
  const router = useRouter();
  return (
    <a
      href={href}
      {...props}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || opensElsewhere(event)) return;
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
