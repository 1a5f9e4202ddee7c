import 'server-only';

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import createClient, { type Client } from 'openapi-fetch';

import { getConfig, type PortalConfig } from '@/lib/config';
import { processSingleton } from '@/lib/process-singleton';

import { LogtoApiError } from './errors';
import { type ClientStats, createLogtoFetch, type RetryPolicy } from './http';
import { RequestLimiter, type RequestLimiterOptions } from './limiter';
import { registerPublicLimiter } from './public-gate';
import { OrgReadCache, organizationsWrittenBy, type SharedGenerations } from './read-cache';
import { SharedPermits } from './shared-permits';
import {
  bumpCacheVersions,
  countLiveInstances,
  heartbeat,
  isSharedStore,
  readCacheVersions,
  readSharedAnswer,
  shareAnswer,
  type Store,
  tryLeasePermits,
} from '@/lib/store';
import { TokenCache } from './token';
import { type ManagementPaths } from './types';

/** Settings of a Management API client; `PortalConfig['logto']` satisfies it. */
export type ManagementClientOptions = Pick<
  PortalConfig['logto'],
  'managementEndpoint' | 'managementApiResource' | 'm2mAppId' | 'm2mAppSecret'
> &
  Partial<Pick<PortalConfig['logto'], 'requestTimeoutMs' | 'maxInFlight'>> & {
    requestBudget?: {
      maxRequests: number;
      windowMs: number;
      publicShare?: number;
      jobsShare?: number;
      /** Pacing (see `RequestLimiter`); unset: none beyond the window. */
      burst?: number;
      /** Longest wait per lane before a request is refused as busy (see `RequestLimiter`). */
      maxWaitMs?: RequestLimiterOptions['maxWaitMs'];
    };
    /** The budget shared with other instances through the store; without it the budget is this process's. */
    sharedPermits?: SharedPermits;
    /**
     * Organization-level reads shared by this client's callers ({@link readOrganizationData}):
     * kept `ttlMs` (default 0: shared only while in flight), invalidated by this client's writes and,
     * through `shared`, by every instance's.
     */
    readCache?: { ttlMs: number; shared?: SharedGenerations };
  } & Partial<Omit<RetryPolicy, 'timeoutMs'>>;

/** A Management API client: Logto's typed routes over one token cache, limiter and retry policy. */
export type ManagementClient = {
  /** openapi-fetch client typed by `@logto/api`; non-2xx answers throw instead of returning. */
  api: Client<ManagementPaths>;
  stats: ClientStats;
  /** The request budget this client's calls wait for. */
  limiter: RequestLimiter;
  /** Organization-level reads shared by everyone using this client (see {@link readOrganizationData}). */
  reads: OrgReadCache;
};

/** Builds an independent client (own token, budget and counters). Tests use one per server. */
export function createManagementClient(options: ManagementClientOptions): ManagementClient {
  const stats: ClientStats = { requests: 0, tokenRequests: 0, retries: 0 };
  const tokens = new TokenCache({
    tokenEndpoint: `${options.managementEndpoint}/oidc/token`,
    clientId: options.m2mAppId,
    clientSecret: options.m2mAppSecret,
    resource: options.managementApiResource,
    timeoutMs: options.requestTimeoutMs ?? 10_000,
    onTokenRequest: () => {
      stats.tokenRequests += 1;
    },
  });
  const limiter = new RequestLimiter({
    maxRequests: options.requestBudget?.maxRequests ?? 200,
    windowMs: options.requestBudget?.windowMs ?? 10_000,
    maxInFlight: options.maxInFlight ?? 16,
    publicShare: options.requestBudget?.publicShare,
    jobsShare: options.requestBudget?.jobsShare,
    burst: options.requestBudget?.burst,
    maxWaitMs: options.requestBudget?.maxWaitMs,
    sharedPermits: options.sharedPermits,
  });
  const policy: RetryPolicy = {
    timeoutMs: options.requestTimeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 200,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
  };
  const reads = new OrgReadCache({
    ttlMs: options.readCache?.ttlMs ?? 0,
    shared: options.readCache?.shared,
  });
  const api = createClient<ManagementPaths>({
    baseUrl: options.managementEndpoint,
    fetch: invalidatingWrites(createLogtoFetch({ tokens, limiter, stats, policy }), reads),
  });
  return { api, stats, limiter, reads };
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every write goes through here, so every write to an organization (pages, actions, bulk jobs)
 * moves its read-cache generation before the caller sees the answer — whether Logto accepted it,
 * refused it or never answered, since a write that timed out may still have happened. (Only an
 * invitation's change of status, which names neither, learns its organization from the answer
 * alone: without one, that organization's kept reads run out their lifetime.)
 */
function invalidatingWrites(
  logtoFetch: (request: Request) => Promise<Response>,
  reads: OrgReadCache,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (SAFE_METHODS.has(request.method)) return logtoFetch(request);
    const { pathname } = new URL(request.url);
    let written = organizationsWrittenBy(pathname);
    // A new invitation names its organization in what is sent: known even without an answer.
    if (written.length === 0 && request.method === 'POST') {
      written = await organizationsNamedIn(pathname, request);
    }
    try {
      const response = await logtoFetch(request);
      if (written.length === 0) written = await organizationsNamedIn(pathname, response);
      return response;
    } finally {
      await reads.invalidate(written);
    }
  };
}

/** {@link organizationsWrittenBy} from a write's JSON: what it sends, or Logto's answer. */
async function organizationsNamedIn(pathname: string, message: Request | Response): Promise<string[]> {
  if (!message.headers.get('Content-Type')?.includes('json')) return [];
  const body: unknown = await message
    .clone()
    .json()
    .catch(() => undefined);
  return organizationsWrittenBy(pathname, body);
}

/**
 * An organization-level read shared by everyone using the client: concurrent identical reads make
 * one Logto call, and the result is served again for `PORTAL_READ_CACHE_MS` unless the portal
 * writes to that organization meanwhile (on any instance). `key` names the query (everything the
 * result depends on besides the organization). For what pages and read routes show; permission
 * checks and the reads a change decides from ask Logto themselves.
 */
export function readOrganizationData<T>(
  orgId: string,
  key: string,
  load: () => Promise<T>,
  { client, ttlMs }: { client?: ManagementClient; ttlMs?: number } = {},
): Promise<T> {
  return resolveClient(client).reads.read(orgId, key, load, { ttlMs });
}

/**
 * Prepares to keep what another call reads along about an organization ({@link OrgReadCache.keep}):
 * call it before that call, and hand the returned function what it answered and when it started.
 * When the shared store cannot be read, the returned function keeps nothing.
 */
export async function keepOrganizationDataFrom<T>(
  orgId: string,
  key: string,
  { client, ttlMs }: { client?: ManagementClient; ttlMs?: number } = {},
): Promise<(value: T, readAt: number) => void> {
  const { reads } = resolveClient(client);
  try {
    const generation = await reads.generation(orgId);
    return (value, readAt) => reads.keep(key, generation, value, readAt, ttlMs);
  } catch (error) {
    console.error('[logto] could not read the shared read-cache generation; keeping nothing:', error);
    return () => undefined;
  }
}

/**
 * Organization generations kept in the store's cache versions, and results kept in its shared
 * answers, shared by every instance on it.
 */
export function storeGenerations(store?: Store): SharedGenerations {
  const scope = (orgId: string) => `org-data:${orgId}`;
  return {
    async read(orgIds) {
      const versions = await readCacheVersions(orgIds.map(scope), store);
      return Object.fromEntries(orgIds.map((orgId) => [orgId, versions[scope(orgId)] ?? 0]));
    },
    async bump(orgIds) {
      await bumpCacheVersions(orgIds.map(scope), store);
    },
    readResult: (key, generation, maxAgeMs) =>
      readSharedAnswer(scope(key), { version: generation, maxAgeMs }, store),
    shareResult: (key, generation, value, ageMs) =>
      shareAnswer(scope(key), { version: generation, value, ageMs }, store),
  };
}

const defaultClient = processSingleton('management-client', () => ({
  client: undefined as ManagementClient | undefined,
}));

/** The process-wide client built from {@link getConfig} on first use. */
export function getManagementClient(): ManagementClient {
  if (!defaultClient.client) {
    const { logto } = getConfig();
    // The portal paces its permits: a tenth of the budget at once, the rest spread evenly.
    const burst = logto.requestBudget.burst ?? Math.max(1, Math.ceil(logto.requestBudget.maxRequests / 10));
    defaultClient.client = createManagementClient({
      ...logto,
      requestBudget: {
        ...logto.requestBudget,
        burst,
        maxWaitMs: { interactive: logto.requestBudget.interactiveMaxWaitMs },
      },
      sharedPermits: sharedPermitsForDeployment(logto, burst),
      // One process owns the embedded store: its own counters are the whole truth then.
      readCache: { ttlMs: getConfig().readCacheMs, shared: isSharedStore() ? storeGenerations() : undefined },
    });
    registerPublicLimiter(defaultClient.client.limiter);
  }
  return defaultClient.client;
}

/** Every live instance is counted by heartbeats this recent. */
const LIVE_INSTANCE_WINDOW_MS = 15_000;

/**
 * With a shared Postgres store (`DATABASE_URL`) several instances may run: they share one budget
 * through it, paced as one instance paces its own (`burst` at once, refilled evenly over the
 * window), so that together they do not let a window's budget out in its first seconds. The
 * embedded store belongs to one process, whose own limiter is then the whole truth.
 */
function sharedPermitsForDeployment(logto: PortalConfig['logto'], burst: number): SharedPermits | undefined {
  if (!isSharedStore()) return undefined;
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const { maxRequests, windowMs } = logto.requestBudget;
  const pace = { count: burst, windowMs: Math.max(1, Math.round((burst * windowMs) / maxRequests)) };
  return new SharedPermits({
    budget: logto.requestBudget.maxRequests,
    windowMs: logto.requestBudget.windowMs,
    store: {
      lease: async (wanted, leaseTtlMs) =>
        tryLeasePermits({
          instanceId,
          wanted,
          budget: logto.requestBudget.maxRequests,
          windowMs: logto.requestBudget.windowMs,
          leaseTtlMs,
          pace,
        }),
      heartbeat: async () => {
        await heartbeat(instanceId);
        return countLiveInstances(LIVE_INSTANCE_WINDOW_MS);
      },
    },
  });
}

/** The given client, or the process-wide one. */
export function resolveClient(client?: ManagementClient): ManagementClient {
  return client ?? getManagementClient();
}

/** A snapshot of a client's counters (default: the process-wide client). */
export function getClientStats(client?: ManagementClient): ClientStats {
  return { ...resolveClient(client).stats };
}

/**
 * The parsed body of a successful call. Logto documents a JSON body for these routes, so an empty
 * one is an upstream fault, reported rather than passed on as `undefined`.
 */
export function expectBody<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new LogtoApiError({
      status: result.response.status,
      code: 'client.empty_response',
      message: `Logto answered ${result.response.url || 'a call'} without a body.`,
    });
  }
  return result.data;
}
