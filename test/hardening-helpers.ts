/**
 * Shared by the hardening suites (e2e/security, e2e/bad-input, e2e/faults): the signed-in
 * users' cookies as HTTP headers, the harness's local Logto as an administrator sees it, and
 * the portal's server actions called over HTTP the way Next's client calls them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogtoAdmin } from '../scripts/bench/lib/logto-admin';
import {
  actionPagePath,
  findServerAction,
  postServerAction,
  readServerActions,
  type ActionResponse,
  type ServerActionInfo,
} from '../scripts/bench/lib/server-actions';
import { PROJECT_ROOT } from '../scripts/lib/processes';

/** Where the harness (`scripts/serve-for-tests.ts`) builds and serves the portal. */
export const HARNESS_PROJECT_DIR = PROJECT_ROOT;

/** `Cookie` header for the portal, from a storage state the setup project saved. */
export function portalCookieHeader(storageStatePath: string): string {
  const state = JSON.parse(readFileSync(storageStatePath, 'utf8')) as {
    cookies: { name: string; value: string; domain: string }[];
  };
  return state.cookies
    .filter((cookie) => cookie.domain === 'localhost')
    .map((cookie) => `${cookie.name}=${cookie.value}`)
    .join('; ');
}

let admin: LogtoAdmin | undefined;

/** The harness's local Logto, through the seeded M2M app and the `/_emulator` routes. */
export function harnessLogto(): LogtoAdmin {
  const url = process.env.E2E_LOGTO_URL;
  if (!url) throw new Error('E2E_LOGTO_URL is not set: run the suite through playwright.config.ts.');
  admin ??= new LogtoAdmin(url);
  return admin;
}

/** The portal's origin as the harness serves it. */
export function portalUrl(): string {
  const port = process.env.E2E_PORTAL_PORT;
  if (!port) throw new Error('E2E_PORTAL_PORT is not set: run the suite through playwright.config.ts.');
  return `http://localhost:${port}`;
}

let actions: ServerActionInfo[] | undefined;

/** Every server action of the build the harness serves. */
export function buildActions(): ServerActionInfo[] {
  actions ??= readServerActions(HARNESS_PROJECT_DIR);
  return actions;
}

/** Shape of every action's answer (`lib/actions/result.ts`). */
export type ActionOutcome =
  | { ok: true; data: unknown }
  | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[]> } };

/**
 * Calls the named server action of the harness's build on the page that renders it, with the
 * given arguments and cookie; `options` can forge the origin or the raw body.
 */
export async function callAction(
  exportedName: string,
  o: {
    params: Record<string, string>;
    args?: readonly unknown[];
    body?: string;
    cookie?: string;
    origin?: string | null;
    pagePath?: string;
  },
): Promise<ActionResponse & { outcome: ActionOutcome | undefined }> {
  const action = findServerAction(buildActions(), exportedName);
  const response = await postServerAction({
    portalUrl: portalUrl(),
    pagePath: o.pagePath ?? actionPagePath(action, o.params),
    actionId: action.id,
    args: o.args,
    body: o.body,
    cookie: o.cookie,
    origin: o.origin,
  });
  return { ...response, outcome: response.result as ActionOutcome | undefined };
}

/** A value a source file assigns to a constant (so suites follow the file, not a copy). */
export function constantFromSource(relativePath: string, pattern: RegExp): string {
  const source = readFileSync(join(PROJECT_ROOT, relativePath), 'utf8');
  const value = pattern.exec(source)?.[1];
  if (!value) throw new Error(`${pattern} matches nothing in ${relativePath}`);
  return value;
}

/** An address nobody else uses, so suites running side by side never collide. */
export function uniqueAddress(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@hardening.example`;
}
