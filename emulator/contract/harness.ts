import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { SEED_APPLICATIONS, MANAGEMENT_API } from '../db';
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '../server';

/** What {@link ContractHarness.api} returns: status, headers and the parsed body. */
export type ApiResponse<Body = unknown> = {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` when the body is not JSON (then see `text`). */
  json: Body;
  text: string;
};

export type ContractHarness = {
  readonly emulator: EmulatorHandle;
  /** The Management API base: `<url>/api`. */
  readonly apiUrl: string;
  /** A client-credentials access token for the seeded M2M app (scope `all`). */
  readonly token: string;
  /** Calls `/api<path>` with the token; `body` is sent as JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read ad-hoc fields of entity and error bodies
  api<Body = any>(
    method: string,
    path: string,
    body?: unknown,
    o?: { headers?: Record<string, string> },
  ): Promise<ApiResponse<Body>>;
  /** Raw fetch of `/api<path>` with full control over headers and body. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  /** Deletes `/api<path>` after the current test (e.g. what the test created); runs newest first. */
  deleteAfterTest(path: string): void;
};

/**
 * Starts one emulator (in memory, seeded) for the calling test file, fetches a real
 * client-credentials token from its `/oidc/token`, and stops it after the file's tests.
 * Access the returned object's members inside tests or hooks, not at module load.
 */
export function setUpContractHarness(options: EmulatorOptions = {}): ContractHarness {
  let emulator: EmulatorHandle | undefined;
  let token = '';

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, quiet: true, ...options });
    token = await fetchManagementToken(emulator.url);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  const pendingDeletes: string[] = [];
  afterEach(async () => {
    for (const path of pendingDeletes.splice(0).reverse()) {
      await raw(path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    }
  });

  const requireEmulator = () => {
    if (!emulator) throw new Error('The contract harness is used before its beforeAll hook ran.');
    return emulator;
  };

  const raw = (path: string, init: RequestInit = {}) => fetch(`${requireEmulator().url}/api${path}`, init);

  return {
    get emulator() {
      return requireEmulator();
    },
    get apiUrl() {
      return `${requireEmulator().url}/api`;
    },
    get token() {
      return token;
    },
    raw,
    deleteAfterTest(path) {
      pendingDeletes.push(path);
    },
    async api(method, path, body, o = {}) {
      const response = await raw(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...o.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      if ((response.headers.get('content-type') ?? '').includes('application/json') && text)
        json = JSON.parse(text);
      return { status: response.status, headers: response.headers, json: json as never, text };
    },
  };
}

/** `POST /oidc/token` with HTTP Basic client authentication, as the portal does. */
export async function fetchManagementToken(emulatorUrl: string): Promise<string> {
  const { id, secret } = SEED_APPLICATIONS.m2m;
  const response = await fetch(`${emulatorUrl}/oidc/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      resource: MANAGEMENT_API.indicator,
      scope: 'all',
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`Getting a Management API token failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** A name no other test run uses, so tests never collide on unique columns. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The `Link` header split into its lines, in order (fetch joins repeated headers with ", "). */
export function linkLines(headers: Headers): string[] {
  return (headers.get('link') ?? '').split(/,\s*(?=<)/).filter(Boolean);
}

/** The id of the seeded organization with this exact name. */
export async function organizationIdByName(h: ContractHarness, name: string): Promise<string> {
  const response = await h.api<Array<{ id: string; name: string }>>(
    'GET',
    `/organizations?q=${encodeURIComponent(name)}&page_size=100`,
  );
  const organization = response.json.find((candidate) => candidate.name === name);
  if (!organization) throw new Error(`No organization named ${name}.`);
  return organization.id;
}

/** The id of the user with this primary email (exact, case-insensitive). */
export async function userIdByEmail(h: ContractHarness, email: string): Promise<string> {
  const response = await h.api<Array<{ id: string }>>(
    'GET',
    `/users?search.primaryEmail=${encodeURIComponent(email)}&mode.primaryEmail=exact`,
  );
  const user = response.json[0];
  if (!user) throw new Error(`No user with email ${email}.`);
  return user.id;
}

/** The id of the organization role with this name. */
export async function organizationRoleIdByName(h: ContractHarness, name: string): Promise<string> {
  const response = await h.api<Array<{ id: string; name: string }>>(
    'GET',
    `/organization-roles?q=${encodeURIComponent(name)}&page_size=100`,
  );
  const role = response.json.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`No organization role named ${name}.`);
  return role.id;
}

/** Creates a user with a unique email (and optional extra fields), deleted after the test. */
export async function createTestUser(
  h: ContractHarness,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; primaryEmail: string; name: string | null }> {
  const response = await h.api('POST', '/users', {
    primaryEmail: `${uniqueName('user')}@contract.example`,
    name: 'Contract Tester',
    ...fields,
  });
  if (response.status !== 200)
    throw new Error(`Creating a test user failed: ${response.status} ${response.text}`);
  h.deleteAfterTest(`/users/${response.json.id as string}`);
  return response.json;
}

/** Creates an organization with a unique name, deleted after the test; returns its id. */
export async function createTestOrganization(h: ContractHarness, name = uniqueName('Org')): Promise<string> {
  const response = await h.api('POST', '/organizations', { name });
  if (response.status !== 201)
    throw new Error(`Creating a test organization failed: ${response.status} ${response.text}`);
  h.deleteAfterTest(`/organizations/${response.json.id as string}`);
  return response.json.id as string;
}
