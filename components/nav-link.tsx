'use client';

import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';
import { isPlainClick, opensElsewhere } from '@/components/ui/plain-click';

export type NavLinkProps = Omit<ComponentProps<'a'>, 'href'> & { href: string };

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
        if (event.defaultPrevented || !isPlainClick(event) || opensElsewhere(event.currentTarget)) return;
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
