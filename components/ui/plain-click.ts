/** The fields of a click that say how the person clicked (a React or a DOM mouse event). */
type ClickModifiers = Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey'>;

/**
 * Whether a click on a link should be handled in the page: a plain left click. With a modifier
 * or another button the person asked for a new tab or window, which the browser does itself.
 */
export function isPlainClick(event: ClickModifiers): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/** Whether following `link` leaves this tab's page: it opens another window or downloads. */
export function opensElsewhere(link: Element): boolean {
  const target = link.getAttribute('target');
  return (target !== null && target !== '_self') || link.hasAttribute('download');
}
