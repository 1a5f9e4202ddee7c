import { describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber, formatRelativeTime } from './format';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('formatNumber', () => {
  it('groups thousands for each locale', () => {
    expect(formatNumber('en', 2500)).toBe('2,500');
    expect(formatNumber('ko', 2500)).toBe('2,500');
    expect(formatNumber('ja', 1234567)).toBe('1,234,567');
  });
});

describe('formatRelativeTime', () => {
  it('uses the largest unit that fits', () => {
    expect(formatRelativeTime('en', NOW - 30_000, NOW)).toBe('30 seconds ago');
    expect(formatRelativeTime('en', NOW - 5 * 60_000, NOW)).toBe('5 minutes ago');
    expect(formatRelativeTime('en', NOW - 2 * HOUR, NOW)).toBe('2 hours ago');
    expect(formatRelativeTime('en', NOW - 3 * DAY, NOW)).toBe('3 days ago');
    expect(formatRelativeTime('en', NOW - 14 * DAY, NOW)).toBe('2 weeks ago');
    expect(formatRelativeTime('en', NOW - 90 * DAY, NOW)).toBe('3 months ago');
    expect(formatRelativeTime('en', NOW - 800 * DAY, NOW)).toBe('2 years ago');
  });

  it('speaks of the future too (invitation expiry)', () => {
    expect(formatRelativeTime('en', NOW + 7 * DAY, NOW)).toBe('next week');
    expect(formatRelativeTime('en', NOW + 3 * DAY, NOW)).toBe('in 3 days');
  });

  it('uses each language’s own words', () => {
    expect(formatRelativeTime('ko', NOW - DAY, NOW)).toBe('어제');
    expect(formatRelativeTime('ja', NOW - 3 * DAY, NOW)).toBe('3 日前');
    expect(formatRelativeTime('en', new Date(NOW - DAY), new Date(NOW))).toBe('yesterday');
  });
});

describe('formatDateTime', () => {
  it('formats an absolute time for the locale', () => {
    const options = { dateStyle: 'medium', timeZone: 'UTC' } as const;
    expect(formatDateTime('en', NOW, options)).toBe('Jan 15, 2026');
    expect(formatDateTime('ja', NOW, options)).toBe('2026/01/15');
    expect(formatDateTime('ko', NOW, options)).toBe('2026. 1. 15.');
  });
});
