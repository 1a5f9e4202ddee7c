'use client';

import { type ReactNode, useSyncExternalStore } from 'react';
import { cn } from './cn';
import { AlertIcon, CheckIcon, CloseIcon } from './icons';

/** `success` and `info` are announced politely; `error` and `warning` interrupt (role="alert"). */
export type ToastTone = 'success' | 'info' | 'warning' | 'error';

export type ToastInput = {
  tone: ToastTone;
  title: string;
  /** More detail under the title (e.g. the people a bulk action skipped). */
  body?: ReactNode;
  /** A link or button inside the toast ("Open Acme"). */
  action?: ReactNode;
  /**
   * Milliseconds before it goes away by itself; `null` keeps it until dismissed. Defaults: 5 s
   * for success and info, 10 s for warnings and errors (people need time to read what failed).
   */
  durationMs?: number | null;
};

type Toast = ToastInput & { id: number };

const MAX_VISIBLE = 4;
const DEFAULT_DURATION: Record<ToastTone, number> = { success: 5_000, info: 5_000, warning: 10_000, error: 10_000 };

// A module-level store, so any client code can raise a toast without a provider, and a toast
// raised just before a client-side navigation is still shown on the next page.
let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const listener of listeners) listener();
}

/** Removes a toast (its close button, or its timer). */
export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

/** Shows a toast; returns its id. Render one {@link Toaster} on the page to display them. */
export function showToast(input: ToastInput): number {
  const id = nextId++;
  toasts = [...toasts, { ...input, id }].slice(-MAX_VISIBLE);
  const duration = input.durationMs === undefined ? DEFAULT_DURATION[input.tone] : input.durationMs;
  if (duration !== null) timers.set(id, setTimeout(() => dismissToast(id), duration));
  emit();
  return id;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const EMPTY: readonly Toast[] = [];

const TONE_CLASSES: Record<ToastTone, string> = {
  success: 'border-success-200',
  info: 'border-line',
  warning: 'border-warning-200',
  error: 'border-danger-200',
};

const ICON_CLASSES: Record<ToastTone, string> = {
  success: 'bg-success-50 text-success-700',
  info: 'bg-accent-50 text-accent-700',
  warning: 'bg-warning-50 text-warning-700',
  error: 'bg-danger-50 text-danger-700',
};

export type ToasterProps = {
  /** Accessible name of the notifications region ("Notifications"). */
  label: string;
  /** Accessible name of each close button ("Dismiss"). */
  dismissLabel: string;
};

/**
 * Where toasts appear (bottom right). The live regions exist before any toast does, so screen
 * readers announce each one; errors and warnings use `role="alert"`. Toasts never take focus.
 */
export function Toaster({ label, dismissLabel }: ToasterProps) {
  const items = useSyncExternalStore(subscribe, () => toasts, () => EMPTY);

  const renderToast = (toast: Toast) => (
    <li
      key={toast.id}
      className={cn(
        'bg-surface text-ink pointer-events-auto flex w-full gap-3 rounded-lg border p-3.5 shadow-lg',
        TONE_CLASSES[toast.tone],
      )}
    >
      <span
        aria-hidden="true"
        className={cn('inline-flex size-6 shrink-0 items-center justify-center rounded-full', ICON_CLASSES[toast.tone])}
      >
        {toast.tone === 'success' ? <CheckIcon /> : <AlertIcon />}
      </span>
      <div className="min-w-0 flex-1 text-sm">
        <p className="font-medium">{toast.title}</p>
        {toast.body ? <div className="text-ink-soft mt-1">{toast.body}</div> : null}
        {toast.action ? <div className="mt-2">{toast.action}</div> : null}
      </div>
      <button
        type="button"
        onClick={() => dismissToast(toast.id)}
        className="text-ink-muted hover:bg-subtle hover:text-ink focus-visible:outline-accent-600 -m-1 inline-flex size-7 shrink-0 items-center justify-center rounded focus-visible:outline-2"
      >
        <CloseIcon />
        <span className="sr-only">{dismissLabel}</span>
      </button>
    </li>
  );

  const isUrgent = (toast: Toast) => toast.tone === 'error' || toast.tone === 'warning';

  return (
    <section
      aria-label={label}
      className="pointer-events-none fixed right-0 bottom-0 z-50 flex w-full max-w-sm flex-col gap-2 p-4"
    >
      <div role="status" aria-live="polite">
        <ol className="flex flex-col gap-2">{items.filter((toast) => !isUrgent(toast)).map(renderToast)}</ol>
      </div>
      <div role="alert" aria-live="assertive">
        <ol className="flex flex-col gap-2">{items.filter(isUrgent).map(renderToast)}</ol>
      </div>
    </section>
  );
}
