import 'server-only';

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import createClient, { type Client } from 'openapi-fetch';

import { getConfig, type PortalConfig } from '@/lib/config';
import { processSingleton } from '@/lib/process-singleton';

import { LogtoApiError } from './errors';
import { type ClientStats, createLogtoFetch, type RetryPolicy } from './http';
import { RequestLimiter } from './limiter';
import { registerPublicLimiter } from './public-gate';
import { SharedPermits } from './shared-permits';
import { countLiveInstances, heartbeat, isSharedStore, tryLeasePermits } from '@/lib/store';
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
    };
    /** The budget shared with other instances through the store; without it the budget is this process's. */
    sharedPermits?: SharedPermits;
  } & Partial<Omit<RetryPolicy, 'timeoutMs'>>;

/** A Management API client: Logto's typed routes over one token cache, limiter and retry policy. */
export type ManagementClient = {
  /** openapi-fetch client typed by `@logto/api`; non-2xx answers throw instead of returning. */
  api: Client<ManagementPaths>;
  stats: ClientStats;
  /** The request budget this client's calls wait for. */
  limiter: RequestLimiter;
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
    sharedPermits: options.sharedPermits,
  });
  const policy: RetryPolicy = {
    timeoutMs: options.requestTimeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 3,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 200,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
  };
  const api = createClient<ManagementPaths>({
    baseUrl: options.managementEndpoint,
    fetch: createLogtoFetch({ tokens, limiter, stats, policy }),
  });
  return { api, stats, limiter };
}

const defaultClient = processSingleton('management-client', () => ({
  client: undefined as ManagementClient | undefined,
}));

/** The process-wide client built from {@link getConfig} on first use. */
export function getManagementClient(): ManagementClient {
  if (!defaultClient.client) {
    const { logto } = getConfig();
    defaultClient.client = createManagementClient({
      ...logto,
      // The portal paces its permits: a tenth of the budget at once, the rest spread evenly.
      requestBudget: {
        ...logto.requestBudget,
        burst: logto.requestBudget.burst ?? Math.max(1, Math.ceil(logto.requestBudget.maxRequests / 10)),
      },
      sharedPermits: sharedPermitsForDeployment(logto),
    });
    registerPublicLimiter(defaultClient.client.limiter);
  }
  return defaultClient.client;
}

/** Every live instance is counted by heartbeats this recent. */
const LIVE_INSTANCE_WINDOW_MS = 15_000;

/**
 * With a shared Postgres store (`DATABASE_URL`) several instances may run: they share one budget
 * through it. The embedded store belongs to one process, whose own limiter is then the whole truth.
 */
function sharedPermitsForDeployment(logto: PortalConfig['logto']): SharedPermits | undefined {
  if (!isSharedStore()) return undefined;
  const instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
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
