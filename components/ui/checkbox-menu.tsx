'use client';

import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { cn } from './cn';
import { CheckIcon, ChevronDownIcon } from './icons';

export type CheckboxMenuOption = {
  value: string;
  label: string;
  description?: string | null;
  /** Shown but not toggleable; `disabledReason` says why (read out with the option). */
  isDisabled?: boolean;
  disabledReason?: string;
};

export type CheckboxMenuProps = {
  /** Accessible name of the trigger and the menu ("Roles of Carol Member"). */
  label: string;
  /** What the trigger shows (e.g. the selected roles as badges). */
  triggerContent: ReactNode;
  options: readonly CheckboxMenuOption[];
  selected: readonly string[];
  /** Called for each toggle; the menu stays open so several can be changed in a row. */
  onToggle: (value: string, isChecked: boolean) => void;
  /** The trigger cannot be opened (e.g. while a change is saved). */
  isDisabled?: boolean;
  /** Shown at the bottom of the open menu (a hint such as "Changes are saved at once"). */
  footer?: ReactNode;
  className?: string;
};

const MENU_GAP_PX = 4;
const VIEWPORT_MARGIN_PX = 8;

/**
 * A menu button whose items are checkboxes (WAI-ARIA menu button with `menuitemcheckbox`).
 * Keyboard: Enter, Space or ArrowDown on the button opens it on the first checked item; ArrowUp /
 * ArrowDown / Home / End move; typing a letter jumps to the next item starting with it; Space or
 * Enter toggles; Escape or Tab closes and returns focus to the button.
 *
 * The menu is a `popover`, drawn in the top layer, so a scrolling table never clips it; it is
 * placed under the button (above when there is no room below) and follows it on scroll.
 */
export function CheckboxMenu({
  label,
  triggerContent,
  options,
  selected,
  onToggle,
  isDisabled = false,
  footer,
  className,
}: CheckboxMenuProps) {
  const menuId = useId();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLDivElement | null)[]>([]);
  const [isOpen, setIsOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<'checked' | 'first' | 'last'>('checked');
  const isJustOpened = useRef(false);

  const place = useCallback(() => {
    const trigger = triggerRef.current;
    const menu = menuRef.current;
    if (!trigger || !menu) return;
    const anchor = trigger.getBoundingClientRect();
    const { offsetWidth: width, offsetHeight: height } = menu;
    const left = Math.min(
      Math.max(VIEWPORT_MARGIN_PX, anchor.left),
      window.innerWidth - width - VIEWPORT_MARGIN_PX,
    );
    const below = anchor.bottom + MENU_GAP_PX;
    const top =
      below + height > window.innerHeight - VIEWPORT_MARGIN_PX && anchor.top - MENU_GAP_PX - height > 0
        ? anchor.top - MENU_GAP_PX - height
        : below;
    menu.style.left = `${Math.max(VIEWPORT_MARGIN_PX, left)}px`;
    menu.style.top = `${top}px`;
  }, []);

  const focusItem = (index: number) => {
    const count = options.length;
    if (count === 0) return;
    const next = ((index % count) + count) % count;
    setActiveIndex(next);
    itemRefs.current[next]?.focus();
  };

  /** Opens from the keyboard (the button's own click is the browser's popover invoker). */
  const open = (focus: 'first' | 'last') => {
    const menu = menuRef.current;
    if (!menu || isDisabled || options.length === 0) return;
    pendingFocus.current = focus;
    if (menu.matches(':popover-open')) focusItem(focus === 'last' ? options.length - 1 : 0);
    else menu.showPopover();
  };

  const close = () => {
    const menu = menuRef.current;
    if (menu?.matches(':popover-open')) menu.hidePopover();
    setIsOpen(false);
    triggerRef.current?.focus();
  };

  const onPopoverToggle = (newState: 'open' | 'closed') => {
    if (newState === 'open') {
      isJustOpened.current = true;
      setIsOpen(true);
      return;
    }
    setIsOpen(false);
    // Light dismiss (a click elsewhere, Escape) also lands here: give focus back unless the
    // click put it somewhere else on purpose.
    const active = document.activeElement;
    if (!active || active === document.body || menuRef.current?.contains(active)) triggerRef.current?.focus();
  };

  // The items exist only while the menu is open (a table has one menu per row): place the menu
  // and focus an item once they are rendered.
  useLayoutEffect(() => {
    if (!isOpen || !isJustOpened.current) return;
    isJustOpened.current = false;
    place();
    const firstChecked = options.findIndex((option) => selected.includes(option.value));
    const focus = pendingFocus.current;
    pendingFocus.current = 'checked';
    focusItem(focus === 'last' ? options.length - 1 : focus === 'first' ? 0 : Math.max(0, firstChecked));
  });

  // Keep the menu attached to its button while the page or the table scrolls.
  useLayoutEffect(() => {
    if (!isOpen) return;
    const follow = () => place();
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [isOpen, place]);

  const toggle = (option: CheckboxMenuOption) => {
    if (option.isDisabled) return;
    onToggle(option.value, !selected.includes(option.value));
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const option = options[activeIndex];
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusItem(activeIndex + 1);
        return;
      case 'ArrowUp':
        event.preventDefault();
        focusItem(activeIndex - 1);
        return;
      case 'Home':
        event.preventDefault();
        focusItem(0);
        return;
      case 'End':
        event.preventDefault();
        focusItem(options.length - 1);
        return;
      case ' ':
      case 'Enter':
        event.preventDefault();
        if (option) toggle(option);
        return;
      case 'Escape':
      case 'Tab':
        event.preventDefault();
        close();
        return;
      default:
        if (event.key.length === 1 && /\S/.test(event.key)) {
          const letter = event.key.toLowerCase();
          const order = options.map((_, offset) => (activeIndex + 1 + offset) % options.length);
          const match = order.find((index) => options[index]?.label.toLowerCase().startsWith(letter));
          if (match !== undefined) focusItem(match);
        }
    }
  };

  return (
    <>
      <button
        ref={triggerRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={menuId}
        aria-label={label}
        disabled={isDisabled}
        popoverTarget={menuId}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            open('first');
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            open('last');
          }
        }}
        className={cn(
          'group border-line bg-surface hover:bg-subtle inline-flex min-h-8 max-w-full items-center gap-1.5 rounded-md border border-dashed px-2 py-1 text-left',
          'focus-visible:outline-accent-600 focus-visible:outline-2 focus-visible:outline-offset-2',
          'disabled:cursor-wait disabled:opacity-70',
          isOpen && 'border-accent-600 border-solid',
          className,
        )}
      >
        <span className="flex min-w-0 flex-wrap items-center gap-1">{triggerContent}</span>
        <ChevronDownIcon className="text-ink-muted shrink-0" />
      </button>
      <div
        ref={menuRef}
        id={menuId}
        popover="auto"
        onToggle={(event) => onPopoverToggle(event.newState)}
        onKeyDown={onMenuKeyDown}
        className="border-line bg-surface text-ink fixed m-0 w-64 rounded-lg border p-1 shadow-lg"
      >
        {isOpen ? (
          <div role="menu" aria-label={label}>
            {options.map((option, index) => {
              const isChecked = selected.includes(option.value);
              return (
                <div
                  key={option.value}
                  ref={(element) => {
                    itemRefs.current[index] = element;
                  }}
                  role="menuitemcheckbox"
                  aria-checked={isChecked}
                  aria-disabled={option.isDisabled || undefined}
                  tabIndex={index === activeIndex ? 0 : -1}
                  onClick={() => {
                    setActiveIndex(index);
                    toggle(option);
                  }}
                  onMouseMove={() => {
                    if (activeIndex !== index) focusItem(index);
                  }}
                  className={cn(
                    'flex cursor-pointer items-start gap-2.5 rounded-md px-2 py-1.5 text-sm outline-none',
                    'focus:bg-accent-50',
                    option.isDisabled && 'cursor-not-allowed opacity-60',
                  )}
                >
                  <span
                    aria-hidden="true"
                    className={cn(
                      'mt-0.5 inline-flex size-4 shrink-0 items-center justify-center rounded border',
                      isChecked
                        ? 'border-accent-600 bg-accent-600 text-white'
                        : 'border-ink-muted bg-surface',
                    )}
                  >
                    {isChecked ? <CheckIcon width={12} height={12} strokeWidth={2.4} /> : null}
                  </span>
                  <span className="min-w-0">
                    <span className="block font-medium">{option.label}</span>
                    {option.description ? (
                      <span className="text-ink-soft block text-xs">{option.description}</span>
                    ) : null}
                    {option.isDisabled && option.disabledReason ? (
                      <span className="text-ink-soft block text-xs italic">{option.disabledReason}</span>
                    ) : null}
                  </span>
                </div>
              );
            })}
          </div>
        ) : null}
        {isOpen && footer ? (
          <p className="border-line text-ink-muted mt-1 border-t px-2 pt-1.5 pb-1 text-xs">{footer}</p>
        ) : null}
      </div>
    </>
  );
}
