import type { MouseEvent } from 'react';

/**
 * Whether a click on a link should be handled in the page: a plain left click. With a modifier
 * or another button the person asked for a new tab or window, which the browser does itself.
 */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
