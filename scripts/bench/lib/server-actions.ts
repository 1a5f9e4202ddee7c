import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A server action as the production build registers it. */
export type ServerActionInfo = {
  /** The id a client sends in the `Next-Action` header. */
  id: string;
  /** Source file, e.g. `app/orgs/[orgId]/invitations/actions.ts`. */
  filename: string;
  exportedName: string;
  /** Routes whose pages import it, e.g. `app/orgs/[orgId]/invitations/page`. */
  pages: string[];
};

type ServerReferenceManifest = {
  node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
};

/** Every server action of a build, read from `.next/server/server-reference-manifest.json`. */
export function readServerActions(projectDir: string): ServerActionInfo[] {
  const manifest = JSON.parse(
    readFileSync(join(projectDir, '.next', 'server', 'server-reference-manifest.json'), 'utf8'),
  ) as ServerReferenceManifest;
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    filename: entry.filename ?? '',
    exportedName: entry.exportedName ?? '',
    pages: Object.keys(entry.workers),
  }));
}

/** The action exported as `exportedName` (from `filename` when several files export that name). */
export function findServerAction(
  actions: readonly ServerActionInfo[],
  exportedName: string,
  filename?: string,
): ServerActionInfo {
  const found = actions.find(
    (action) => action.exportedName === exportedName && (filename === undefined || action.filename === filename),
  );
  if (!found) {
    const known = actions.map((action) => `${action.filename}#${action.exportedName}`).join(', ');
    throw new Error(`no server action ${exportedName} in the build (known: ${known || 'none'})`);
  }
  return found;
}

/**
 * A page path that renders `action` (its first importing route, dynamic segments filled from
 * `params`), which is where a browser posts it.
 */
export function actionPagePath(action: ServerActionInfo, params: Record<string, string>): string {
  const route = action.pages[0];
  if (!route) throw new Error(`server action ${action.exportedName} belongs to no page`);
  const path = route
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .replace(/\[([^\]]+)\]/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`no value for [${name}] in ${route}`);
      return encodeURIComponent(value);
    });
  return path || '/';
}

/**
 * Encodes arguments the way React's `encodeReply` does for plain JSON values (what our actions
 * take): a JSON array, with strings that start with `$` escaped as `$$`.
 */
export function encodeActionArgs(args: readonly unknown[]): string {
  return JSON.stringify(args, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith('$') ? `$${value}` : value,
  );
}

/**
 * Reads an action's return value out of a React Flight response: row 0 names the row holding
 * the result (`"a":"$@<hex id>"`), and that row is JSON. Returns `undefined` when the response is
 * not a Flight payload with a result (an HTML error page, a redirect, a refusal).
 */
export function decodeActionResult(body: string): unknown {
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  const head = rows.get('0');
  if (!head) return undefined;
  let reference: unknown;
  try {
    reference = (JSON.parse(head) as { a?: unknown }).a;
  } catch {
    return undefined;
  }
  if (typeof reference !== 'string' || !reference.startsWith('$@')) return undefined;
  const row = rows.get(reference.slice(2));
  if (row === undefined) return undefined;
  try {
    return unescapeFlight(JSON.parse(row));
  } catch {
    return undefined;
  }
}

function unescapeFlight(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$$') ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(unescapeFlight);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unescapeFlight(item)]));
  }
  return value;
}

/** What came back from one server action call over HTTP. */
export type ActionResponse = {
  status: number;
  contentType: string;
  body: string;
  /** The decoded return value, when there is one. */
  result: unknown;
  elapsedMs: number;
};

/** Options of {@link postServerAction}. */
export type PostActionOptions = {
  portalUrl: string;
  /** Page the action is posted to (see {@link actionPagePath}). */
  pagePath: string;
  actionId: string;
  /** Encoded body; defaults to {@link encodeActionArgs} of `args`. */
  body?: string;
  args?: readonly unknown[];
  cookie?: string;
  /** `Origin` header; defaults to the portal's own origin (what a browser sends). */
  origin?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/** Calls a server action over HTTP exactly as Next's client does (`Next-Action` POST). */
export async function postServerAction(options: PostActionOptions): Promise<ActionResponse> {
  const url = new URL(options.pagePath, options.portalUrl);
  const headers: Record<string, string> = {
    accept: 'text/x-component',
    'content-type': 'text/plain;charset=UTF-8',
    'next-action': options.actionId,
    ...options.headers,
  };
  const origin = options.origin === undefined ? url.origin : options.origin;
  if (origin !== null) headers.origin = origin;
  if (options.cookie) headers.cookie = options.cookie;

  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: options.body ?? encodeActionArgs(options.args ?? []),
    redirect: 'manual',
    signal: options.signal,
  });
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    contentType,
    body,
    result: contentType.includes('text/x-component') ? decodeActionResult(body) : undefined,
    elapsedMs,
  };
}
