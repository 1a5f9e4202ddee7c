import { type ClassValue, clsx } from 'clsx';

/** Joins class names, skipping falsy ones (Tailwind classes are written so they never conflict). */
export function cn(...values: ClassValue[]): string {
  return clsx(values);
}
