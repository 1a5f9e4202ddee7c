import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import koaCompress from 'koa-compress';
import mount from 'koa-mount';
import { createManagementApi } from './api';
import { createAuthenticate } from './auth';
import { createControlRoutes } from './control';
import { closeDatabase, type Database, openDatabase, resetDatabase, seedDatabase } from './db';
import { FaultController } from './faults';
import { createInteractionRoutes } from './oidc/interactions';
import { loadOrCreateProviderKeys, toPublicJwks } from './oidc/keys';
import {
  createOidcProvider,
  decorateOidcErrorBody,
  importOidcProvider,
  MANAGEMENT_API_RESOURCE,
} from './oidc/provider';

export type EmulatorOptions = {
  /** 0 = a free port; default 3001. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the database and the signing keys live; undefined = everything in memory (tests). */
  dataDir?: string;
  /** Wipe the database under `dataDir` and seed it again. */
  reset?: boolean;
  profile?: 'default' | 'bare';
  /** Bench: the size of the big organization (Acme), applied when the database is seeded. */
  bigOrgMembers?: number;
  /** Added to `portal-web`'s redirect URIs at run time (tests run the portal on free ports). */
  extraRedirectUris?: string[];
  extraPostLogoutRedirectUris?: string[];
  /** Print nothing. */
  quiet?: boolean;
};

/** Timings and seed outcome of one start, for the CLI and the bench. */
export type EmulatorStartup = {
  totalMs: number;
  /** Opening (and, with `reset`, wiping) the database. */
  databaseMs: number;
  seedMs: number;
  seeded: boolean;
  users: number;
  organizations: number;
};

export type EmulatorHandle = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url + '/oidc'` */
  issuer: string;
  db: Database;
  /** The same state the `/_emulator/faults` and `/_emulator/stats` routes change and read. */
  faults: FaultController;
  startup: EmulatorStartup;
  /** Stops the HTTP server (open connections included) and closes the database. */
  close(): Promise<void>;
};

/**
 * Starts the local Logto: opens (and seeds when empty) the database, then serves OIDC under
 * `/oidc`, the Management API under `/api` and the control routes under `/_emulator`.
 */
export async function startEmulator(o: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const startedAt = performance.now();
  const host = o.host ?? '127.0.0.1';
  const dataDir = o.dataDir ? path.resolve(o.dataDir) : undefined;
  // Loading oidc-provider takes a noticeable share of start-up; overlap it with the database work.
  // (A failure surfaces where createOidcProvider awaits the same cached promise.)
  importOidcProvider().catch(() => undefined);

  const db = await openDatabase({ dataDir });
  let server: http.Server | undefined;
  try {
    if (o.reset) await resetDatabase(db);
    const databaseMs = Math.round(performance.now() - startedAt);
    const seed = await seedDatabase(db, { profile: o.profile ?? 'default', bigOrgMembers: o.bigOrgMembers });
    const keys = await loadOrCreateProviderKeys(dataDir);

    // The issuer needs the real port, so listen first and attach the app once it is built.
    let handler: http.RequestListener = (_req, res) => {
      res
        .writeHead(503, {
          'Content-Type': 'text/plain',
          'Retry-After': '1',
          'Logto-Core-Request-Id': randomUUID(),
        })
        .end('Starting');
    };
    server = http.createServer((req, res) => handler(req, res));
    const port = await listen(server, o.port ?? 3001, host);

    const url = `http://${publicHost(host)}:${port}`;
    const issuer = `${url}/oidc`;
    const faults = new FaultController();
    const provider = await createOidcProvider({
      issuer,
      db,
      keys,
      faults,
      extraRedirectUris: o.extraRedirectUris ?? [],
      extraPostLogoutRedirectUris: o.extraPostLogoutRedirectUris ?? [],
    });
    const authenticate = createAuthenticate({
      issuer,
      audience: MANAGEMENT_API_RESOURCE,
      publicJwks: toPublicJwks(keys.signingKeys),
    });

    const app = new Koa();
    // koa-mount runs the provider on this app's context, so its cookies are signed with these keys.
    app.keys = keys.cookieKeys;
    app.silent = true;
    app.use(requestIdAndErrors());
    // Logto compresses every answer the client accepts compressed (koa-compress, defaults, pinned
    // to 5.1.1 as Logto pins it); callers then pay for decompressing, as they do against Logto.
    app.use(koaCompress());
    app.use(faults.middleware());
    app.use(createControlRoutes({ db, faults, issuer }));
    app.use(createInteractionRoutes({ provider, db }));
    app.use(oidcErrorBodies());
    app.use(mount('/oidc', provider));
    app.use(mount('/api', createManagementApi({ db, authenticate })));
    handler = app.callback();

    const startup: EmulatorStartup = {
      totalMs: Math.round(performance.now() - startedAt),
      databaseMs,
      seedMs: Math.round(seed.ms),
      seeded: seed.seeded,
      users: seed.users,
      organizations: seed.organizations,
    };
    if (!o.quiet) console.log(`Local Logto listening on ${url} (ready in ${startup.totalMs} ms)`);

    const openServer = server;
    let closing: Promise<void> | undefined;
    return {
      url,
      issuer,
      db,
      faults,
      startup,
      close() {
        closing ??= (async () => {
          await stopServer(openServer);
          await closeDatabase(db);
        })();
        return closing;
      },
    };
  } catch (error) {
    if (server?.listening) await stopServer(server);
    await closeDatabase(db);
    throw error;
  }
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stopServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** A wildcard bind address is not something a browser can open; point URLs at loopback. */
function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Gives every response a `Logto-Core-Request-Id` (as Logto does) and turns unexpected errors into
 * Logto's `500 {"message":"Internal server error."}` instead of Koa's plain text.
 */
function requestIdAndErrors(): Koa.Middleware {
  return async (ctx, next) => {
    const requestId = randomUUID();
    ctx.set('Logto-Core-Request-Id', requestId);
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number; expose?: boolean }).status;
      const expose = (error as { expose?: boolean }).expose;
      if (status && status < 500 && expose) {
        ctx.status = status;
        ctx.body = { message: (error as Error).message };
      } else {
        console.error('[local Logto] request failed:', error);
        ctx.status = 500;
        ctx.body = { message: 'Internal server error.' };
      }
    } finally {
      // Error paths may have reset headers; set it again.
      ctx.set('Logto-Core-Request-Id', requestId);
    }
  };
}

function oidcErrorBodies(): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path.startsWith('/oidc/')) decorateOidcErrorBody(ctx);
  };
}
