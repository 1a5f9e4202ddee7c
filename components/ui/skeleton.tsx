import type { ComponentProps } from 'react';
import { cn } from './cn';

/** A placeholder block while content loads; hidden from assistive technology. */
export function Skeleton({ className, ...props }: ComponentProps<'div'>) {
  return <div aria-hidden="true" className={cn('bg-line/70 animate-pulse rounded', className)} {...props} />;
}
