import type { Locale } from './config';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/**
 * Intl formatters are costly to build (a table page would build dozens per render) and never
 * change: one per locale and options, kept for the life of the process or the page.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>(
  kind: string,
  locale: Locale,
  options: object | undefined,
  create: () => T,
): T {
  const key = `${kind}|${locale}|${options ? JSON.stringify(options) : ''}`;
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) {
    formatter = create();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Locale-aware number ("2,500" in English). */
export function formatNumber(locale: Locale, value: number, options?: Intl.NumberFormatOptions): string {
  return cached('number', locale, options, () => new Intl.NumberFormat(locale, options)).format(value);
}

/**
 * A time relative to `now` in the largest unit that fits ("3 days ago", "in 2 hours",
 * "yesterday"). `numeric: 'auto'` lets each language use its own words for ±1 day.
 */
export function formatRelativeTime(
  locale: Locale,
  time: Date | number,
  now: Date | number = Date.now(),
): string {
  const diff = new Date(time).getTime() - new Date(now).getTime();
  const abs = Math.abs(diff);
  const format = cached(
    'relative',
    locale,
    undefined,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
  );
  if (abs < MINUTE) return format.format(Math.round(diff / SECOND), 'second');
  if (abs < HOUR) return format.format(Math.round(diff / MINUTE), 'minute');
  if (abs < DAY) return format.format(Math.round(diff / HOUR), 'hour');
  if (abs < WEEK) return format.format(Math.round(diff / DAY), 'day');
  if (abs < MONTH) return format.format(Math.round(diff / WEEK), 'week');
  if (abs < YEAR) return format.format(Math.round(diff / MONTH), 'month');
  return format.format(Math.round(diff / YEAR), 'year');
}

/** Absolute date and time for tooltips and detail views (medium date, short time by default). */
export function formatDateTime(
  locale: Locale,
  time: Date | number,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  return cached('dateTime', locale, options, () => new Intl.DateTimeFormat(locale, options)).format(
    new Date(time),
  );
}
