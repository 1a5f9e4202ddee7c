'use client';

import { type ReactNode, useEffect, useId, useRef } from 'react';
import { cn } from './cn';

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
};

/**
 * A modal dialog on the native `<dialog>` element: focus is trapped and restored by the browser,
 * Escape closes it, the rest of the page is inert while it is open. Below the `sm` breakpoint it
 * fills the screen, its body scrolls and its buttons stay at the bottom.
 */
export function Dialog({ open, onClose, title, description, children, footer, className }: DialogProps) {
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
        'border-line bg-surface text-ink backdrop:bg-backdrop m-auto w-full max-w-lg rounded-xl border p-0 shadow-xl',
        'max-sm:m-0 max-sm:h-dvh max-sm:max-h-none max-sm:w-full max-sm:max-w-none max-sm:flex-col max-sm:rounded-none max-sm:border-0 max-sm:open:flex',
        className,
      )}
    >
      <div className="p-6 max-sm:flex-1 max-sm:overflow-y-auto max-sm:p-4">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {description ? (
          <div id={descriptionId} className="text-ink-soft mt-1.5 text-sm">
            {description}
          </div>
        ) : null}
        {children ? <div className="mt-4">{children}</div> : null}
      </div>
      {footer ? (
        <div className="border-line bg-subtle flex flex-wrap justify-end gap-2 rounded-b-xl border-t px-6 py-3 max-sm:rounded-none max-sm:px-4">
          {footer}
        </div>
      ) : null}
    </dialog>
  );
}
