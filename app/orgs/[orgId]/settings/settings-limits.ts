// Kept apart from settings-schema.ts: the form's live preview needs these, not the schema library.

/** A colour as Logto accepts it: `#rgb` or `#rrggbb`. */
export const HEX_COLOR = /^#[\da-f]{3}([\da-f]{3})?$/i;

/** Longest logo address the portal sends (Logto itself has no limit). */
export const LOGO_URL_MAX = 2048;

/**
 * Whether a logo address is an absolute https URL. The portal's pages only load images over
 * https (their Content Security Policy), so other schemes would show a broken image.
 */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}
