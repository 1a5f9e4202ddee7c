import type { RequestStats } from '../../../emulator/faults';
import { SEED_APPS } from './stack';

const MANAGEMENT_API_RESOURCE = 'https://default.logto.app/api';

/** Request counters of the local Logto (`GET /_emulator/stats`). */
export type LogtoStats = RequestStats;

/** Fault settings of the local Logto (`PUT /_emulator/faults`). */
export type FaultSettings = {
  latencyMs?: number;
  failNext?: { count: number; status: number };
  failRate?: { ratio: number; status: number };
  rateLimit?: { limit: number; windowMs: number };
  tokenEndpointDown?: boolean;
  accessTokenTtlSeconds?: number;
};

/** An invitation as the Management API returns it (the fields the bench reads). */
export type InvitationRecord = {
  id: string;
  invitee: string;
  organizationId: string;
  inviterId: string | null;
  status: string;
  expiresAt: number;
  organizationRoles: { id: string; name: string }[];
};

/** An email in the local Logto's outbox. */
export type OutboxMessage = {
  id: string;
  to: string;
  subject: string;
  link: string | null;
  createdAt: number;
};

/**
 * The bench's and the suites' own line to the local Logto, beside the portal: the Management API
 * with the seeded M2M app (to read back what the portal did, and to time the raw list call), and
 * the `/_emulator` control routes (faults, counters, outbox).
 */
export class LogtoAdmin {
  #token: Promise<string> | undefined;

  constructor(readonly url: string) {}

  /** A Management API token, fetched once (its lifetime outlasts any bench run). */
  token(): Promise<string> {
    this.#token ??= (async () => {
      const response = await fetch(`${this.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: SEED_APPS.m2mAppId,
          client_secret: SEED_APPS.m2mAppSecret,
          resource: MANAGEMENT_API_RESOURCE,
          scope: 'all',
        }),
      });
      if (!response.ok) throw new Error(`M2M token: HTTP ${response.status} ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    })();
    return this.#token;
  }

  /** GET a Management API path (`/api/...`); throws unless 2xx. */
  async api<T>(path: string): Promise<{ data: T; headers: Headers }> {
    const response = await this.apiResponse(path);
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return { data: (await response.json()) as T, headers: response.headers };
  }

  /** GET a Management API path and hand back the raw response (body unread). */
  async apiResponse(path: string, signal?: AbortSignal): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      headers: { authorization: `Bearer ${await this.token()}` },
      signal,
    });
  }

  /** Sends a JSON request to a Management API path; throws unless 2xx; `undefined` for no body. */
  async send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T | undefined> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return text && response.headers.get('content-type')?.includes('json')
      ? (JSON.parse(text) as T)
      : undefined;
  }

  /** The id of the user whose primary email is exactly `email`. */
  async userId(email: string): Promise<string> {
    const { data } = await this.api<{ id: string }[]>(
      `/api/users?search.primaryEmail=${encodeURIComponent(email)}&mode.primaryEmail=exact`,
    );
    if (!data[0]) throw new Error(`no user with email ${email}`);
    return data[0].id;
  }

  /** The id of the organization role with exactly this name. */
  async organizationRoleId(name: string): Promise<string> {
    const { data } = await this.api<{ id: string; name: string }[]>('/api/organization-roles?page_size=100');
    const match = data.find((role) => role.name === name);
    if (!match) throw new Error(`no organization role named ${name}`);
    return match.id;
  }

  /** The id of the seeded organization with exactly this name. */
  async organizationId(name: string): Promise<string> {
    const { data } = await this.api<{ id: string; name: string }[]>(
      `/api/organizations?q=${encodeURIComponent(name)}&page_size=100`,
    );
    const match = data.find((organization) => organization.name === name);
    if (!match) throw new Error(`no organization named ${name}`);
    return match.id;
  }

  /** Every invitation of an organization (Logto does not paginate them). */
  async invitations(organizationId: string): Promise<InvitationRecord[]> {
    return (
      await this.api<InvitationRecord[]>(
        `/api/organization-invitations?organizationId=${encodeURIComponent(organizationId)}`,
      )
    ).data;
  }

  async outbox(to?: string): Promise<OutboxMessage[]> {
    const query = to ? `?to=${encodeURIComponent(to)}` : '';
    const response = await fetch(`${this.url}/_emulator/outbox.json${query}`);
    if (!response.ok) throw new Error(`outbox: HTTP ${response.status}`);
    return (await response.json()) as OutboxMessage[];
  }

  async stats(): Promise<LogtoStats> {
    const response = await fetch(`${this.url}/_emulator/stats`);
    if (!response.ok) throw new Error(`stats: HTTP ${response.status}`);
    return (await response.json()) as LogtoStats;
  }

  async resetStats(): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/stats/reset`, { method: 'POST' });
    if (!response.ok) throw new Error(`stats reset: HTTP ${response.status}`);
  }

  /** Replaces every fault setting. */
  async setFaults(settings: FaultSettings): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(settings),
    });
    if (!response.ok) throw new Error(`faults: HTTP ${response.status} ${await response.text()}`);
  }

  async clearFaults(): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/faults`, { method: 'DELETE' });
    if (!response.ok) throw new Error(`clear faults: HTTP ${response.status}`);
  }
}
