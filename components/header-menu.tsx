import type { ReactNode } from 'react';
import { CloseIcon, MenuIcon } from '@/components/ui/icons';

/**
 * The header's controls (who is signed in, language, theme, sign out): in a row from the `sm`
 * breakpoint up, behind a "Menu" button below it, so a 360 px screen keeps every one of them
 * within reach. The panel is a native popover: the browser opens it from the button, closes it
 * on Escape or a click elsewhere and hands focus back, with no script of ours (it ships with
 * every page). From `sm` up the same element is simply laid out in the header.
 */
export function HeaderMenu({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="group/menu flex items-center">
      <button
        type="button"
        popoverTarget={id}
        className="text-ink-soft hover:bg-subtle hover:text-ink focus-visible:outline-accent-600 inline-flex size-9 items-center justify-center rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 sm:hidden"
      >
        <MenuIcon className="group-has-[:popover-open]/menu:hidden" />
        <CloseIcon className="hidden group-has-[:popover-open]/menu:block" />
        <span className="sr-only">{label}</span>
      </button>
      <div
        id={id}
        popover="auto"
        className={[
          // Phones: a panel under the header while open (the browser hides it otherwise).
          'border-line bg-surface text-ink inset-x-0 top-14 bottom-auto m-0 w-full flex-col items-stretch gap-3 border-0 border-b px-4 py-4 shadow-lg open:flex',
          // From `sm` up: always shown, in the header's row.
          'sm:static sm:flex sm:w-auto sm:flex-row sm:items-center sm:gap-2 sm:overflow-visible sm:border-0 sm:bg-transparent sm:p-0 sm:shadow-none md:gap-4',
        ].join(' ')}
      >
        {children}
      </div>
    </div>
  );
}
