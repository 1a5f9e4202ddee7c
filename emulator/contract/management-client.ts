/**
 * The few HTTP calls the contract suite and its runner make outside the tests: a
 * client-credentials token and plain Management API requests. No vitest here, so the runner can
 * use it too.
 */
import type { ManagementTarget } from './target';

/** The answer of `POST /oidc/token` for the client-credentials grant. */
export type TokenAnswer = { status: number; body: Record<string, unknown> };

/**
 * `POST <endpoint>/oidc/token` with `grant_type=client_credentials` and HTTP Basic client
 * authentication, as the portal does. `scope` is left out of the request when undefined.
 */
export async function requestClientCredentials(o: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  resource: string;
  scope?: string;
}): Promise<TokenAnswer> {
  const credentials = `${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`;
  const response = await fetch(o.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      resource: o.resource,
      ...(o.scope === undefined ? {} : { scope: o.scope }),
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A Management API token (scope `all`) for the target's M2M app; throws when refused. */
export async function fetchManagementToken(target: ManagementTarget): Promise<string> {
  const answer = await requestClientCredentials({
    tokenUrl: `${target.managementEndpoint}/oidc/token`,
    clientId: target.m2mAppId,
    clientSecret: target.m2mAppSecret,
    resource: target.managementApiResource,
    scope: 'all',
  });
  const accessToken = answer.body.access_token;
  if (answer.status !== 200 || typeof accessToken !== 'string') {
    throw new Error(`Getting a Management API token failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  if (typeof answer.body.scope !== 'string' || !answer.body.scope.split(' ').includes('all')) {
    throw new Error(
      `The token of ${target.m2mAppId} lacks the Management API permission "all": assign the app a role that has it.`,
    );
  }
  return accessToken;
}

/** `GET`/`DELETE` on `<endpoint>/api<path>` with a bearer token. */
export type ManagementClient = {
  get<Body = unknown>(path: string): Promise<{ status: number; headers: Headers; json: Body }>;
  delete(path: string): Promise<number>;
};

/** A {@link ManagementClient} for the target, with a token fetched once. */
export async function createManagementClient(target: ManagementTarget): Promise<ManagementClient> {
  const token = await fetchManagementToken(target);
  const headers = { authorization: `Bearer ${token}` };
  return {
    async get<Body>(path: string) {
      const response = await fetch(`${target.managementEndpoint}/api${path}`, { headers });
      if (!response.ok)
        throw new Error(`GET /api${path} answered ${response.status}: ${await response.text()}`);
      return { status: response.status, headers: response.headers, json: (await response.json()) as Body };
    },
    async delete(path: string) {
      const response = await fetch(`${target.managementEndpoint}/api${path}`, { method: 'DELETE', headers });
      await response.arrayBuffer();
      return response.status;
    },
  };
}
