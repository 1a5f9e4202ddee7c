import type { ComponentProps } from 'react';
import { cn } from './cn';
import { ChevronDownIcon } from './icons';
import { FIELD_CLASSES } from './input';

/**
 * A native select (keyboard and screen-reader behaviour for free), styled like inputs. The
 * browser's arrow is replaced so short values ("20") are never clipped by it.
 */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return (
    <span className="relative inline-flex">
      <select className={cn(FIELD_CLASSES, 'cursor-pointer appearance-none pr-8', className)} {...props} />
      <ChevronDownIcon className="text-ink-muted pointer-events-none absolute top-1/2 right-2.5 -translate-y-1/2" />
    </span>
  );
}
