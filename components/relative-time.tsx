'use client';

import { useFormat } from '@/lib/i18n/client';

/**
 * "3 days ago" with the exact date and time on hover. Server and browser may disagree by a few
 * seconds or a time zone, so hydration warnings for this element are expected and silenced.
 */
export function RelativeTime({ value }: { value: number }) {
  const format = useFormat();
  return (
    <time dateTime={new Date(value).toISOString()} title={format.dateTime(value)} suppressHydrationWarning>
      {format.relativeTime(value)}
    </time>
  );
}
