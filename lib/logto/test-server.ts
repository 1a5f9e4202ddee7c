// A tiny Logto stand-in for the client's tests: a real ES384 token endpoint, JWT checks on /api
// like Logto's (401 auth.unauthorized), and API answers scripted by each test. Real HTTP on
// 127.0.0.1 with a free port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

/** An /api request as the test server received it. */
export type RecordedRequest = {
  method: string;
  /** Path without the query, e.g. `/api/organizations`. */
  path: string;
  query: URLSearchParams;
  body: string;
  /** performance.now() when the request arrived. */
  receivedAt: number;
};

/** What the scripted API answers. */
export type ScriptedResponse = {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  delayMs?: number;
  /** Drop the connection without answering. */
  destroy?: boolean;
};

/** How the token endpoint answers. */
export type TokenBehaviour = {
  expiresIn: number;
  /** Granted scope; `undefined` omits the field like Logto does when nothing was granted. */
  scope?: string;
  delayMs?: number;
};

export type TestServer = {
  url: string;
  clientId: string;
  clientSecret: string;
  resource: string;
  token: TokenBehaviour;
  /** Replaces how /api requests are answered (default: 200 `[]` with `Total-Number: 0`). */
  handle(handler: (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>): void;
  apiRequests: RecordedRequest[];
  tokenRequests: number;
  /** Most /api requests being handled at the same time. */
  maxConcurrentApiRequests: number;
  close(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
  });
  response.end(text);
}

/** Starts the test server on 127.0.0.1 with a free port. */
export async function startTestServer(): Promise<TestServer> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const kid = (await exportJWK(publicKey)).x?.slice(0, 8) ?? 'test';
  let handler: (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse> = () => ({
    json: [],
    headers: { 'Total-Number': '0' },
  });
  let concurrent = 0;

  const state: TestServer = {
    url: '',
    clientId: 'test-m2m',
    clientSecret: 'test-m2m-secret:with/special chars',
    resource: 'https://default.logto.app/api',
    token: { expiresIn: 3600, scope: 'all' },
    handle(next) {
      handler = next;
    },
    apiRequests: [],
    tokenRequests: 0,
    maxConcurrentApiRequests: 0,
    close: () => Promise.resolve(),
  };

  async function handleToken(request: IncomingMessage, response: ServerResponse) {
    state.tokenRequests += 1;
    const form = new URLSearchParams(await readBody(request));
    const { expiresIn, scope, delayMs } = state.token;
    if (delayMs) await sleep(delayMs);

    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [id, secret] = Buffer.from(encoded ?? '', 'base64')
      .toString('utf8')
      .split(':')
      .map((part) => decodeURIComponent(part));
    if (scheme !== 'Basic' || id !== state.clientId) {
      return send(response, 400, { error: 'invalid_client', error_description: `invalid client ${id}` });
    }
    if (secret !== state.clientSecret) {
      return send(response, 401, {
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
    }
    if (form.get('grant_type') !== 'client_credentials' || form.get('resource') !== state.resource) {
      return send(response, 400, {
        error: 'invalid_target',
        error_description: 'resource indicator is missing, or unknown',
      });
    }
    const granted = scope !== undefined && form.get('scope')?.split(' ').includes(scope) ? scope : undefined;
    const accessToken = await new SignJWT(granted ? { scope: granted, client_id: id } : { client_id: id })
      .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid })
      .setIssuer(`${state.url}/oidc`)
      .setAudience(state.resource)
      .setSubject(id)
      .setIssuedAt()
      // Rounded up so a token lives at least `expiresIn` seconds, which timing tests rely on.
      .setExpirationTime(Math.ceil(Date.now() / 1000) + expiresIn)
      .sign(privateKey);
    send(response, 200, {
      access_token: accessToken,
      expires_in: expiresIn,
      token_type: 'Bearer',
      ...(granted ? { scope: granted } : {}),
    });
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL) {
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: await readBody(request),
      receivedAt: performance.now(),
    };
    state.apiRequests.push(recorded);
    concurrent += 1;
    state.maxConcurrentApiRequests = Math.max(state.maxConcurrentApiRequests, concurrent);
    try {
      const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      try {
        await jwtVerify(token, publicKey, { issuer: `${state.url}/oidc`, audience: state.resource });
      } catch {
        return send(response, 401, {
          code: 'auth.unauthorized',
          message: 'Unauthorized. Please check credentials and its scope.',
        });
      }
      const scripted = await handler(recorded);
      if (scripted.delayMs) await sleep(scripted.delayMs);
      if (scripted.destroy) return void request.socket.destroy();
      const status = scripted.status ?? 200;
      if (status === 204) {
        response.writeHead(204, scripted.headers);
        return void response.end();
      }
      send(response, status, scripted.text ?? scripted.json ?? null, scripted.headers);
    } finally {
      concurrent -= 1;
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const work =
      url.pathname === '/oidc/token' && request.method === 'POST'
        ? handleToken(request, response)
        : url.pathname.startsWith('/api/')
          ? handleApi(request, response, url)
          : Promise.resolve(send(response, 404, 'Not Found'));
    work.catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { message: String(error) });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return state;
}

/** Client settings pointing at a test server (spread into `createManagementClient`). */
export function testClientOptions(server: TestServer) {
  return {
    managementEndpoint: server.url,
    managementApiResource: server.resource,
    m2mAppId: server.clientId,
    m2mAppSecret: server.clientSecret,
  };
}

/** A Logto-shaped organization for scripted answers. */
export function fakeOrganization(id: string, name = `Org ${id}`) {
  return {
    tenantId: 'default',
    id,
    name,
    description: null,
    customData: {},
    isMfaRequired: false,
    color: {},
    branding: {},
    customCss: null,
    createdAt: 1_700_000_000_000,
  };
}
