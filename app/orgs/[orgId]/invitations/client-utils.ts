import type { ActionResult } from '@/lib/actions/result';

/** The message of a failed action: our own form-level text when there is one. */
export function actionErrorText(result: Extract<ActionResult<unknown>, { ok: false }>): string {
  return result.error.fieldErrors?._form?.[0] ?? result.error.message;
}

/** Copies text to the clipboard; false when the browser refuses (no permission, insecure page). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
