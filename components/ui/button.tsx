import type { ComponentProps } from 'react';
import { cn } from './cn';

const VARIANTS = {
  primary: 'bg-accent-600 text-white shadow-sm hover:bg-accent-hover disabled:bg-accent-600/60',
  secondary: 'border border-line bg-surface text-ink shadow-xs hover:bg-subtle disabled:text-ink-muted',
  ghost: 'text-ink-soft hover:bg-subtle hover:text-ink disabled:text-ink-faint',
  danger: 'bg-danger-600 text-white shadow-sm hover:bg-danger-hover disabled:bg-danger-600/60',
} as const;

const SIZES = {
  sm: 'h-8 gap-1.5 px-2.5 text-sm',
  md: 'h-9 gap-2 px-3.5 text-sm',
  icon: 'size-8 justify-center',
} as const;

/** Variant and size classes, for links that must look like buttons. */
export function buttonClasses(
  variant: keyof typeof VARIANTS = 'secondary',
  size: keyof typeof SIZES = 'md',
): string {
  return cn(
    'inline-flex shrink-0 items-center rounded-md font-medium whitespace-nowrap transition-colors',
    'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600',
    'disabled:cursor-not-allowed aria-disabled:cursor-not-allowed',
    VARIANTS[variant],
    SIZES[size],
  );
}

export type ButtonProps = ComponentProps<'button'> & {
  variant?: keyof typeof VARIANTS;
  size?: keyof typeof SIZES;
};

/** A button; `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={cn(buttonClasses(variant, size), className)} {...props} />;
}
