import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keyLength: number,
) => Promise<Buffer>;
const KEY_LENGTH = 32;
const PREFIX = 'scrypt';

/** Hashes a password as `scrypt$<salt>$<key>` (base64url), with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH);
  return [PREFIX, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a digest from {@link hashPassword}; false for any other format. */
export async function verifyPassword(password: string, digest: string): Promise<boolean> {
  const [prefix, saltText, keyText] = digest.split('$');
  if (prefix !== PREFIX || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scrypt(password, Buffer.from(saltText, 'base64url'), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
