import type { ComponentProps } from 'react';
import { cn } from './cn';

/** Shared field look, also used by {@link Select}. */
export const FIELD_CLASSES =
  'h-9 rounded-md border border-line-strong bg-surface px-3 text-sm text-ink shadow-xs placeholder:text-ink-faint focus-visible:border-accent-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent-600/30 disabled:bg-subtle disabled:text-ink-muted aria-invalid:border-danger-600';

/** A text input. Pair it with a `<label>` (visible or `sr-only`). */
export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input className={cn(FIELD_CLASSES, 'w-full', className)} {...props} />;
}
