'use client';

import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { CloseIcon, MenuIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';

/**
 * The header's controls (who is signed in, language, theme, sign out): in a row from the `sm`
 * breakpoint up, behind a "Menu" button below it, so a 360 px screen keeps every one of them
 * within reach. The panel is a disclosure (not a modal): Escape or a click outside closes it and
 * gives focus back to the button.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const t = useT();
  const panelId = useId();
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setIsOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [isOpen]);

  return (
    <div ref={rootRef} className="flex items-center">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
        className="text-ink-soft hover:bg-subtle hover:text-ink focus-visible:outline-accent-600 inline-flex size-9 items-center justify-center rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 sm:hidden"
      >
        {isOpen ? <CloseIcon /> : <MenuIcon />}
        <span className="sr-only">{t('common.menu')}</span>
      </button>
      <div
        id={panelId}
        className={cn(
          'items-center gap-2 sm:flex md:gap-4',
          isOpen
            ? 'border-line bg-surface absolute inset-x-0 top-14 z-40 flex flex-col items-stretch gap-3 border-b px-4 py-4 shadow-lg sm:static sm:flex-row sm:items-center sm:border-0 sm:p-0 sm:shadow-none'
            : 'hidden',
        )}
      >
        {children}
      </div>
    </div>
  );
}
