'use client';

import { type ComponentProps, useEffect, useRef } from 'react';
import { cn } from './cn';

export type CheckboxProps = Omit<ComponentProps<'input'>, 'type'> & {
  /** The "some but not all" state of a select-all box (announced as "mixed"). */
  indeterminate?: boolean;
};

/**
 * A native checkbox (keyboard, forms and screen readers for free) in the accent colour. Give it
 * a `<label>` or an `aria-label`.
 */
export function Checkbox({ indeterminate = false, className, ...props }: CheckboxProps) {
  const ref = useRef<HTMLInputElement>(null);
  // `indeterminate` exists only as a DOM property, never as an attribute.
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);

  return (
    <input
      ref={ref}
      type="checkbox"
      className={cn(
        'accent-accent-600 size-4 shrink-0 cursor-pointer rounded disabled:cursor-not-allowed',
        'focus-visible:outline-accent-600 focus-visible:outline-2 focus-visible:outline-offset-2',
        className,
      )}
      {...props}
    />
  );
}
