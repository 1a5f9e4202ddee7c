/**
 * Calls a Next.js server action over HTTP the way Next's own client does, with any persona's
 * saved session or none, so tests can check the server's answer without going through the UI
 * (where a hidden button would hide a missing check).
 *
 * The wire format: `POST <page URL>` with `Next-Action: <action id>` and the arguments as a JSON
 * array body; the answer is a React Server Components stream whose root row holds the action's
 * return value. Action ids come from the production build's `server-reference-manifest.json`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, request as playwrightRequest } from '@playwright/test';

type ManifestEntry = { filename: string; exportedName: string; workers: Record<string, unknown> };
type Manifest = { node: Record<string, ManifestEntry> };

const MANIFEST_PATH = fileURLToPath(
  new URL('../../.next/server/server-reference-manifest.json', import.meta.url),
);

let manifest: Manifest | undefined;

function readManifest(): Manifest {
  manifest ??= JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
  return manifest;
}

/**
 * The id of a server action in the current build, by its exported name (and file, when two
 * files export the same name).
 */
export function serverActionId(actionName: string, file?: string): string {
  const matches = Object.entries(readManifest().node).filter(
    ([, entry]) => entry.exportedName === actionName && (!file || entry.filename === file),
  );
  if (matches.length !== 1) {
    throw new Error(
      matches.length === 0
        ? `No server action named ${actionName}${file ? ` in ${file}` : ''} in the build (${MANIFEST_PATH}).`
        : `Several server actions are named ${actionName}; pass \`file\` to choose one.`,
    );
  }
  return matches[0]![0];
}

export type ServerActionCall = {
  /** The page the action is posted to, as the browser would (`/orgs/abc/members`). */
  page: string;
  actionName: string;
  /** File that defines the action, when the name alone is ambiguous. */
  file?: string;
  /** The action's arguments, exactly as the client passes them. */
  args: unknown[];
  /**
   * Whose session: a saved storage state file, `null` for a signed-out caller, or leave it out to
   * use `request` as it is (with the test's own storage state).
   */
  storageState?: string | null;
  /**
   * Which portal instance to post to (`http://localhost:4123`), also sent as the Origin; default
   * the suite's own portal. Next refuses an Origin that differs from the Host it was called on.
   */
  baseUrl?: string;
};

export type ServerActionAnswer = {
  status: number;
  /** What the action returned (`undefined` when it did not run, e.g. a redirect to sign-in). */
  result: unknown;
  /** Where the server redirected instead, if it did. */
  redirectedTo: string | null;
  /** The raw body, for failure messages. */
  body: string;
};

/** Resolves the `$`-references of one RSC row value (`$@1` → row 1, `$$x` → `$x`, `$undefined`). */
function resolveRscValue(value: unknown, rows: Map<string, unknown>, depth = 0): unknown {
  if (depth > 50) throw new Error('RSC payload nests too deeply');
  if (typeof value === 'string') {
    if (value.startsWith('$$')) return value.slice(1);
    if (value === '$undefined') return undefined;
    const reference = /^\$@?([0-9a-f]+)$/.exec(value);
    if (reference && rows.has(reference[1]!))
      return resolveRscValue(rows.get(reference[1]!), rows, depth + 1);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => resolveRscValue(item, rows, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveRscValue(item, rows, depth + 1)]),
    );
  }
  return value;
}

/**
 * Decodes an action answer's RSC stream: rows are `<hex id>:<JSON>` lines; row 0 is
 * `{ a: <return value>, … }`. Only JSON rows are read, which is all plain action results use.
 */
export function decodeActionResult(body: string): unknown {
  const rows = new Map<string, unknown>();
  for (const line of body.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (!match) continue;
    try {
      rows.set(match[1]!, JSON.parse(match[2]!));
    } catch {
      // Not a JSON row (module references, text chunks): an action result never needs them.
    }
  }
  const root = rows.get('0');
  if (!root || typeof root !== 'object' || !('a' in root)) return undefined;
  return resolveRscValue((root as { a: unknown }).a, rows);
}

function portalBaseUrl(): string {
  const port = process.env.E2E_PORTAL_PORT;
  if (!port) throw new Error('E2E_PORTAL_PORT is not set: run the suite through playwright.config.ts.');
  return `http://localhost:${port}`;
}

/**
 * Posts a server action like Next's client does and decodes the answer. Redirects are not
 * followed: a signed-out caller typically gets one (to sign-in) before the action runs.
 */
export async function callServerAction(
  request: APIRequestContext,
  { page, actionName, file, args, storageState, baseUrl }: ServerActionCall,
): Promise<ServerActionAnswer> {
  const baseURL = baseUrl ?? portalBaseUrl();
  const context =
    storageState === undefined
      ? request
      : await playwrightRequest.newContext({
          baseURL,
          storageState: storageState ?? { cookies: [], origins: [] },
        });
  try {
    // Absolute, so a shared `request` (whose base URL is the suite's portal) reaches `baseUrl` too.
    const response = await context.post(new URL(page, baseURL).href, {
      headers: {
        'Next-Action': serverActionId(actionName, file),
        Accept: 'text/x-component',
        'Content-Type': 'text/plain;charset=UTF-8',
        // Next compares Origin with Host to refuse cross-site action calls; a browser sends it.
        Origin: baseURL,
      },
      data: JSON.stringify(args),
      maxRedirects: 0,
      failOnStatusCode: false,
    });
    const body = await response.text();
    const location = response.headers()['location'] ?? null;
    const isRedirect = response.status() >= 300 && response.status() < 400;
    return {
      status: response.status(),
      result: isRedirect ? undefined : decodeActionResult(body),
      redirectedTo: isRedirect ? location : null,
      body,
    };
  } finally {
    if (context !== request) await context.dispose();
  }
}
