'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';
import { cn } from './cn';
import { CloseIcon } from './icons';

export type DialogProps = {
  open: boolean;
  /** Called on Escape, on a backdrop click and by the caller's own cancel button. */
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned; put the confirming action last. */
  footer?: ReactNode;
  className?: string;
  /** `sheet`: a full-height panel at the end of the screen (a record's details); default centred. */
  variant?: 'centered' | 'sheet';
  /** Adds a close button (an ×) beside the title, named by this label. */
  closeLabel?: string;
};

/**
 * A modal dialog on the native `<dialog>` element: focus is trapped and restored by the browser,
 * Escape closes it, the rest of the page is inert while it is open. Below the `sm` breakpoint it
 * fills the screen, its body scrolls and its buttons stay at the bottom.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  className,
  variant = 'centered',
  closeLabel,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  // showModal() is imperative; the `open` prop is the source of truth.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      className={cn(
        'border-line bg-surface text-ink backdrop:bg-backdrop w-full max-w-lg border p-0 shadow-xl',
        variant === 'sheet'
          ? 'my-0 mr-0 ml-auto h-dvh max-h-none flex-col rounded-none border-y-0 border-r-0 open:flex'
          : 'm-auto rounded-xl',
        'max-sm:m-0 max-sm:h-dvh max-sm:max-h-none max-sm:w-full max-sm:max-w-none max-sm:flex-col max-sm:rounded-none max-sm:border-0 max-sm:open:flex',
        className,
      )}
    >
      <div
        className={cn(
          'p-6 max-sm:flex-1 max-sm:overflow-y-auto',
          variant === 'sheet' && 'flex-1 overflow-y-auto',
        )}
      >
        <div className="flex items-start justify-between gap-3">
          <h2 id={titleId} className="min-w-0 text-lg font-semibold break-words">
            {title}
          </h2>
          {closeLabel ? (
            <button
              type="button"
              onClick={onClose}
              className="text-ink-muted hover:bg-subtle hover:text-ink focus-visible:outline-accent-600 -m-1 inline-flex size-8 shrink-0 items-center justify-center rounded-md focus-visible:outline-2"
            >
              <CloseIcon />
              <span className="sr-only">{closeLabel}</span>
            </button>
          ) : null}
        </div>
        {description ? (
          <div id={descriptionId} className="text-ink-soft mt-1.5 text-sm">
            {description}
          </div>
        ) : null}
        {children ? <div className="mt-4">{children}</div> : null}
      </div>
      {footer ? (
        <div
          className={cn(
            'border-line bg-subtle flex flex-wrap justify-end gap-2 border-t px-6 py-3 max-sm:rounded-none',
            variant === 'centered' && 'rounded-b-xl',
          )}
        >
          {footer}
        </div>
      ) : null}
    </dialog>
  );
}
