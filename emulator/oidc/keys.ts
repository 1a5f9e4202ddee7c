import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The provider's key material: ES384 signing keys (private JWKs) and cookie signing keys. */
export type ProviderKeys = {
  signingKeys: JWK[];
  cookieKeys: string[];
};

const KEYS_FILE = 'oidc-keys.json';

/**
 * Loads the signing and cookie keys from `dataDir`, creating and saving them on first use so that
 * tokens and sessions signed before a restart still verify after it. Without `dataDir` the keys
 * are fresh and live only in memory (tests).
 */
export async function loadOrCreateProviderKeys(dataDir?: string): Promise<ProviderKeys> {
  if (!dataDir) return createProviderKeys();

  const file = path.join(dataDir, KEYS_FILE);
  const stored = await readStoredKeys(file);
  if (stored) return stored;

  const keys = await createProviderKeys();
  await mkdir(dataDir, { recursive: true });
  // Write then rename, so a crash never leaves a half-written key file behind.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await rename(temporary, file);
  return keys;
}

async function readStoredKeys(file: string): Promise<ProviderKeys | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<ProviderKeys>;
  if (!Array.isArray(parsed.signingKeys) || parsed.signingKeys.length === 0) {
    throw new Error(`${file} has no signing keys; delete it to generate new ones`);
  }
  if (!Array.isArray(parsed.cookieKeys) || parsed.cookieKeys.length === 0) {
    throw new Error(`${file} has no cookie keys; delete it to generate new ones`);
  }
  return { signingKeys: parsed.signingKeys, cookieKeys: parsed.cookieKeys };
}

async function createProviderKeys(): Promise<ProviderKeys> {
  // Logto generates EC P-384 keys, hence ES384 tokens.
  const { privateKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint(jwk);
  jwk.alg = 'ES384';
  jwk.use = 'sig';
  return { signingKeys: [jwk], cookieKeys: [randomBytes(32).toString('base64url')] };
}

/** The public halves of private JWKs (what `/oidc/jwks` serves). */
export function toPublicJwks(signingKeys: JWK[]): { keys: JWK[] } {
  return {
    keys: signingKeys.map(({ kty, crv, x, y, kid, alg, use }) => ({ kty, crv, x, y, kid, alg, use })),
  };
}
