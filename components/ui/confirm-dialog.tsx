'use client';

import { type ReactNode, useEffect, useRef } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';

export type ConfirmDialogProps = {
  open: boolean;
  /** Names what is about to happen and to whom ("Remove Carol Member from Acme?"). */
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while the action runs ("Removing…"). */
  pendingLabel: string;
  cancelLabel: string;
  /** `danger` for destructive actions (the default). */
  tone?: 'danger' | 'primary';
  isPending?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
};

/**
 * A confirmation on the modal {@link Dialog}: Cancel comes first and takes focus, so Enter on an
 * unexpected dialog never destroys anything; Escape cancels. While the action runs both buttons
 * are disabled and the dialog cannot be dismissed.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  pendingLabel,
  cancelLabel,
  tone = 'danger',
  isPending = false,
  onConfirm,
  onCancel,
  children,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Runs after the Dialog's own effect has opened it (child effects run first).
  useEffect(() => {
    if (open) cancelRef.current?.focus();
  }, [open]);

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!isPending) onCancel();
      }}
      title={title}
      description={description}
      footer={
        <>
          <Button ref={cancelRef} onClick={onCancel} disabled={isPending}>
            {cancelLabel}
          </Button>
          <Button variant={tone} onClick={onConfirm} disabled={isPending} aria-busy={isPending}>
            {isPending ? pendingLabel : confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
