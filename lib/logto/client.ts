import 'server-only';

import createClient, { type Client } from 'openapi-fetch';

import { getConfig, type PortalConfig } from '@/lib/config';
import { processSingleton } from '@/lib/process-singleton';

import { LogtoApiError } from './errors';
import { type ClientStats, createLogtoFetch, type RetryPolicy } from './http';
import { RequestLimiter } from './limiter';
import { registerPublicLimiter } from './public-gate';
import { TokenCache } from './token';
import { type ManagementPaths } from './types';

/** Settings of a Management API client; `PortalConfig['logto']` satisfies it. */
export type ManagementClientOptions = Pick<
  PortalConfig['logto'],
  'managementEndpoint' | 'managementApiResource' | 'm2mAppId' | 'm2mAppSecret'
> &
  Partial<Pick<PortalConfig['logto'], 'requestTimeoutMs' | 'maxInFlight'>> & {
    requestBudget?: { maxRequests: number; windowMs: number; publicShare?: number };
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
    defaultClient.client = createManagementClient(getConfig().logto);
    registerPublicLimiter(defaultClient.client.limiter);
  }
  return defaultClient.client;
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
