import { useState } from 'react';

/**
 * `true` from the first render where `value` is true onwards. Lazily loaded dialogs mount on
 * their first opening and then stay mounted, so closing them still hands focus back natively
 * and the page's first load does not carry code for things nobody has opened yet.
 */
export function useLatch(value: boolean): boolean {
  const [latched, setLatched] = useState(value);
  if (value && !latched) setLatched(true);
  return latched || value;
}
