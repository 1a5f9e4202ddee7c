import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { ApplicationRecord } from '../db';

/** Where the provider's Client model reads applications from, and what is added to them. */
export type ClientSource = {
  findApplication(id: string): Promise<ApplicationRecord | undefined>;
  /** Added to the sign-in app's registered URIs (tests and `npm run dev` use other ports). */
  extraRedirectUris: string[];
  extraPostLogoutRedirectUris: string[];
  /** The error for an unknown client id (Logto answers `400 invalid_client "invalid client <id>"`). */
  unknownClientError?: (id: string) => Error;
};

/** The portal's own sign-in application, which receives the extra redirect URIs. */
export const PORTAL_WEB_CLIENT_ID = 'portal-web';

type StoredEntry = { payload: AdapterPayload; expiresAt: number };

/**
 * Builds the provider's `adapter` factory: the Client model reads the database's applications;
 * every other model (sessions, grants, codes, interactions, refresh tokens) lives in this
 * process's memory, so a restart signs everyone out but changes nothing else.
 */
export function createAdapterFactory(clients: ClientSource): (model: string) => Adapter {
  const store = new Map<string, StoredEntry>();
  const sessionIdByUid = new Map<string, string>();
  const keysByGrantId = new Map<string, Set<string>>();
  let upsertsSinceSweep = 0;

  const sweepExpired = () => {
    const now = Date.now();
    for (const [key, entry] of store) {
      if (entry.expiresAt <= now) store.delete(key);
    }
  };

  const read = (key: string): AdapterPayload | undefined => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return (model: string): Adapter => {
    if (model === 'Client') return new ClientAdapter(clients);

    const keyFor = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        upsertsSinceSweep += 1;
        if (upsertsSinceSweep >= 500) {
          upsertsSinceSweep = 0;
          sweepExpired();
        }
        const key = keyFor(id);
        const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        store.set(key, { payload, expiresAt });
        if (model === 'Session' && payload.uid) sessionIdByUid.set(payload.uid, id);
        if (payload.grantId) {
          const keys = keysByGrantId.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          keysByGrantId.set(payload.grantId, keys);
        }
      },
      async find(id) {
        return read(keyFor(id));
      },
      async findByUid(uid) {
        const id = sessionIdByUid.get(uid);
        return id === undefined ? undefined : read(keyFor(id));
      },
      async findByUserCode() {
        // Device flow is off; nothing is ever stored by user code.
        return undefined;
      },
      async consume(id) {
        const payload = read(keyFor(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        const key = keyFor(id);
        const payload = read(key);
        store.delete(key);
        if (payload?.uid && sessionIdByUid.get(payload.uid) === id) sessionIdByUid.delete(payload.uid);
      },
      async revokeByGrantId(grantId) {
        for (const key of keysByGrantId.get(grantId) ?? []) store.delete(key);
        keysByGrantId.delete(grantId);
      },
    };
  };
}

/** Reads OIDC clients from the database's applications on every lookup (no stale copies). */
class ClientAdapter implements Adapter {
  constructor(private readonly clients: ClientSource) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const application = await this.clients.findApplication(id);
    if (!application) {
      if (this.clients.unknownClientError) throw this.clients.unknownClientError(id);
      return undefined;
    }
    return toClientMetadata(application, this.clients) as AdapterPayload;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are managed in the database, not through the OIDC provider');
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

/** Maps a Logto application to OIDC client metadata, the way Logto registers each app type. */
export function toClientMetadata(application: ApplicationRecord, clients: ClientSource): ClientMetadata {
  const base = {
    client_id: application.id,
    client_secret: application.secret,
    client_name: application.name,
    token_endpoint_auth_method: 'client_secret_basic' as const,
    // The only key is EC P-384, so every client signs with ES384 (the provider's default is RS256).
    id_token_signed_response_alg: 'ES384' as const,
  };

  if (application.type === 'MachineToMachine') {
    return { ...base, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
  }

  const isPortal = application.id === PORTAL_WEB_CLIENT_ID;
  return {
    ...base,
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: unique([...application.redirectUris, ...(isPortal ? clients.extraRedirectUris : [])]),
    post_logout_redirect_uris: unique([
      ...application.postLogoutRedirectUris,
      ...(isPortal ? clients.extraPostLogoutRedirectUris : []),
    ]),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
