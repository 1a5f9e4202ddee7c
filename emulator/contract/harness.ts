import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, it, type TestContext, TestRunner } from 'vitest';
import { MANAGEMENT_API, SEED_APPLICATIONS } from '../db';
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '../server';
import { fetchManagementToken } from './management-client';
import {
  isExternalTarget,
  type ManagementTarget,
  readExternalTarget,
  RUN_PREFIX,
  tenantIdOf,
} from './target';

declare module 'vitest' {
  interface TaskMeta {
    /** The last Management API calls of a contract test ("GET /api/x → 404 entity.not_found"). */
    contractRequests?: string[];
  }
}

/** What {@link ContractHarness.api} returns: status, headers and the parsed body. */
export type ApiResponse<Body = unknown> = {
  status: number;
  headers: Headers;
  /** Parsed JSON, or `undefined` when the body is not JSON (then see `text`). */
  json: Body;
  text: string;
};

export type ContractHarness = {
  /** `local`: a Logto this file started; `external`: the tenant of `LOGTO_ENDPOINT`. */
  readonly kind: 'local' | 'external';
  /** The local Logto; throws on an external run (guard such tests with {@link localOnly}). */
  readonly emulator: EmulatorHandle;
  /** Origin of the Management API host, as its `Link` headers spell it. */
  readonly origin: string;
  /** The Management API base: `<endpoint>/api`. */
  readonly apiUrl: string;
  /** `<endpoint>/oidc/token`. */
  readonly tokenUrl: string;
  readonly target: ManagementTarget;
  /** The `tenantId` every entity of this tenant carries. */
  readonly tenantId: string;
  /** A client-credentials access token of the target's M2M app (scope `all`). */
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
  /**
   * Deletes `/api<path>` later: after the current test, or after the file's tests when called
   * from a `beforeAll` hook. Runs newest first, also when the test failed.
   */
  deleteLater(path: string): void;
};

/**
 * Connects the calling test file to its Logto: on a local run it starts one (in memory, seeded
 * with `options.profile`) and stops it after the file's tests; on an external run it uses the
 * tenant from the environment. Either way it fetches a real client-credentials token and deletes
 * whatever the tests registered with `deleteLater`. Use the returned object in tests and hooks.
 */
export function setUpContractHarness(options: EmulatorOptions = {}): ContractHarness {
  const kind = isExternalTarget() ? 'external' : 'local';
  let emulator: EmulatorHandle | undefined;
  let target: ManagementTarget | undefined;
  let token = '';
  const afterTestDeletes: string[] = [];
  const afterFileDeletes: string[] = [];

  beforeAll(async () => {
    if (kind === 'external') {
      target = readExternalTarget(process.env);
    } else {
      emulator = await startEmulator({ port: 0, quiet: true, ...options });
      target = {
        managementEndpoint: emulator.url,
        managementApiResource: MANAGEMENT_API.indicator,
        m2mAppId: SEED_APPLICATIONS.m2m.id,
        m2mAppSecret: SEED_APPLICATIONS.m2m.secret,
      };
    }
    token = await fetchManagementToken(target);
  });

  afterEach(async () => {
    await deleteAll(afterTestDeletes.splice(0));
  });

  afterAll(async () => {
    try {
      if (token) await deleteAll(afterFileDeletes.splice(0));
    } finally {
      await emulator?.close();
    }
  });

  const requireTarget = () => {
    if (!target) throw new Error('The contract harness is used before its beforeAll hook ran.');
    return target;
  };

  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${requireTarget().managementEndpoint}/api${path}`, init);

  /**
   * Deletes newest first. A Logto 404 (JSON, e.g. `entity.not_found`) means the test already did;
   * a plain-text 404 means the tenant has no such route. Any failure fails the hook.
   */
  async function deleteAll(paths: string[]): Promise<void> {
    const failures: string[] = [];
    for (const path of paths.reverse()) {
      const response = await raw(path, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
      const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
      await response.arrayBuffer();
      if (!response.ok && !(response.status === 404 && isJson)) {
        failures.push(`DELETE /api${path} → ${response.status}${isJson ? '' : ' (no such route)'}`);
      }
    }
    if (failures.length > 0) throw new Error(`Cleaning up failed: ${failures.join('; ')}`);
  }

  return {
    kind,
    get emulator() {
      if (!emulator) {
        throw new Error(
          kind === 'external'
            ? 'This check needs the local Logto; mark it with localOnly(reason).'
            : 'The contract harness is used before its beforeAll hook ran.',
        );
      }
      return emulator;
    },
    get origin() {
      return new URL(requireTarget().managementEndpoint).origin;
    },
    get apiUrl() {
      return `${requireTarget().managementEndpoint}/api`;
    },
    get tokenUrl() {
      return `${requireTarget().managementEndpoint}/oidc/token`;
    },
    get target() {
      return requireTarget();
    },
    get tenantId() {
      return tenantIdOf(requireTarget().managementApiResource);
    },
    get token() {
      return token;
    },
    raw,
    deleteLater(path) {
      (TestRunner.getCurrentTest() ? afterTestDeletes : afterFileDeletes).push(path);
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
      recordRequest(method, path, response.status, json, text);
      return { status: response.status, headers: response.headers, json: json as never, text };
    },
  };
}

const RECORDED_REQUESTS = 4;

/** Keeps the test's last calls in its metadata, for the difference report of external runs. */
function recordRequest(method: string, path: string, status: number, json: unknown, text: string): void {
  const test = TestRunner.getCurrentTest();
  if (!test) return;
  // Logto's error code, or a short plain-text body such as Koa's "Not Found" of an unknown route.
  const code =
    json && typeof json === 'object' && 'code' in json && typeof json.code === 'string'
      ? ` ${json.code}`
      : json === undefined && text && text.length <= 40
        ? ` "${text}"`
        : '';
  const requests = test.meta.contractRequests ?? [];
  requests.push(`${method} /api${path} → ${status}${code}`);
  test.meta.contractRequests = requests.slice(-RECORDED_REQUESTS);
}

/** Why a check runs on the local Logto only; shown as the skip note on external runs. */
export const LOCAL_ONLY = {
  seed: 'checks facts of the local seed',
  bigOrganization: 'pages the seeded 2,500-member organization',
  outbox: 'reads the local outbox',
  connector: 'switches the email connector off',
  database: 'reads the local database',
  managementApi: 'tries to delete the Management API resource',
  tenantWide: 'compares tenant-wide counts, which the other test files change meanwhile',
} as const;

/**
 * `it` for a check that only the local Logto can answer (seed facts, outbox, direct database
 * access…). On an external run the test is skipped with `local Logto only: <reason>`.
 */
export function localOnly(reason: string) {
  return (name: string, fn: (context: TestContext) => Promise<void>, timeout?: number) =>
    it(
      name,
      async (context) => {
        if (isExternalTarget()) {
          context.skip(`local Logto only: ${reason}`);
          return;
        }
        await fn(context);
      },
      timeout,
    );
}

/**
 * Known ways a real Logto may answer differently from the local Logto, for reasons the suite
 * accepts. The local Logto is held to the stricter answer; an external run reports the check as
 * skipped with `tolerated difference: <reason>` when it differs, and passes it when it agrees.
 */
export const TOLERATED = {
  organizationOrder:
    'Logto lists organizations without ORDER BY (heap order, not stable between runs or pages); the local Logto promises creation order and clients never rely on either',
} as const;

/**
 * Runs a check under a tolerated difference: locally it must pass; on an external run a failure
 * becomes `skip('tolerated difference: <reason>')` (so the report names it) and a pass stays a pass.
 */
export async function runToleratingDifference(
  check: () => Promise<void>,
  o: { reason: string; isExternal: boolean; skip: (note: string) => void },
): Promise<void> {
  if (!o.isExternal) return check();
  try {
    await check();
  } catch {
    o.skip(`tolerated difference: ${o.reason}`);
  }
}

/**
 * `it` for a check a real Logto may fail for the given reason (one of {@link TOLERATED}): on an
 * external run a failure turns into a skip whose note names the reason; locally it must pass.
 */
export function toleratedDifference(reason: string) {
  return (name: string, fn: (context: TestContext) => Promise<void>, timeout?: number) =>
    it(
      name,
      (context) =>
        runToleratingDifference(() => fn(context), {
          reason,
          isExternal: isExternalTarget(),
          skip: (note) => context.skip(note),
        }),
      timeout,
    );
}

/**
 * A name no other test or run uses, so tests never collide on unique columns and everything a
 * run creates can be found by its {@link RUN_PREFIX}: `contract-<ms>-<label>-<8 hex>`.
 */
export function uniqueName(label: string): string {
  return `${RUN_PREFIX}${label}-${randomUUID().slice(0, 8)}`;
}

/** {@link uniqueName} spelt as a Logto username (`^[A-Z_a-z]\w*$`). */
export function uniqueUsername(label: string): string {
  return uniqueName(label).replace(/-/g, '_');
}

/** The `Link` header split into its lines, in order (fetch joins repeated headers with ", "). */
export function linkLines(headers: Headers): string[] {
  return (headers.get('link') ?? '').split(/,\s*(?=<)/).filter(Boolean);
}
