import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { joinCookieChunks, openSessionToken, sessionCookieName, sessionTokenStats } from './session-token';

describe('sessionCookieName', () => {
  it('uses the __Secure- name over https, as next-auth does', () => {
    expect(sessionCookieName('https://portal.example.com')).toBe('__Secure-next-auth.session-token');
    expect(sessionCookieName('http://localhost:4000')).toBe('next-auth.session-token');
  });
});

describe('joinCookieChunks', () => {
  const name = 'next-auth.session-token';

  it('returns a whole cookie as it is', () => {
    expect(joinCookieChunks(name, new Map([[name, 'abc']]))).toBe('abc');
  });

  it('joins numbered chunks in order, stopping at the first gap', () => {
    const values = new Map([
      [`${name}.1`, 'def'],
      [`${name}.0`, 'abc'],
      [`${name}.2`, 'ghi'],
      [`${name}.4`, 'stray'],
    ]);
    expect(joinCookieChunks(name, values)).toBe('abcdefghi');
  });

  it('is undefined without the cookie, and ignores cookies with similar names', () => {
    expect(
      joinCookieChunks(
        name,
        new Map([
          ['other', 'x'],
          [`${name}-x`, 'y'],
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('openSessionToken', () => {
  const secret = 'a-test-secret-of-reasonable-length-0123456789';
  const claims = { sub: 'user-1', email: 'alice@acme.example', name: 'Alice' };

  it('opens what next-auth sealed, with the same claims, however often it is asked', async () => {
    const sealed = await encode({ token: claims, secret });
    expect(await openSessionToken(sealed, secret)).toMatchObject(claims);
    expect(await openSessionToken(sealed, secret)).toMatchObject(claims);
  });

  it('refuses a token sealed with another secret, altered, or expired beyond the tolerance', async () => {
    const sealed = await encode({ token: claims, secret });
    await expect(openSessionToken(sealed, `${secret}-other`)).rejects.toThrow();
    const altered = `${sealed.slice(0, -4)}${sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    await expect(openSessionToken(altered, secret)).rejects.toThrow();
    await expect(
      openSessionToken(await encode({ token: claims, secret, maxAge: -60 }), secret),
    ).rejects.toThrow();
    expect(await openSessionToken(await encode({ token: claims, secret, maxAge: -5 }), secret)).toMatchObject(
      claims,
    );
  });

  it('decrypts a token once: asked again, the same claims come from memory, frozen', async () => {
    const sealed = await encode({ token: { ...claims, sub: 'user-reused' }, secret });
    const before = { ...sessionTokenStats };
    const first = await openSessionToken(sealed, secret);
    const again = await openSessionToken(sealed, secret);
    expect(again).toBe(first);
    expect(again).toMatchObject({ ...claims, sub: 'user-reused' });
    expect(Object.isFrozen(again)).toBe(true);
    expect(sessionTokenStats.decrypted - before.decrypted).toBe(1);
    expect(sessionTokenStats.reused - before.reused).toBe(1);
  });

  it('still refuses a token it opened before, with another secret or once it has expired', async () => {
    const sealed = await encode({ token: claims, secret, maxAge: 60 });
    const now = Date.now();
    await openSessionToken(sealed, secret, now);
    await expect(openSessionToken(sealed, `${secret}-other`, now)).rejects.toThrow();
    // Within next-auth's clock tolerance (15 s) after `exp`, then beyond it.
    expect(await openSessionToken(sealed, secret, now + 70_000)).toMatchObject(claims);
    await expect(openSessionToken(sealed, secret, now + 80_000)).rejects.toThrow();
    // Expired is expired, however often asked.
    await expect(openSessionToken(sealed, secret, now + 80_000)).rejects.toThrow();
    expect(await openSessionToken(sealed, secret, now)).toMatchObject(claims);
  });
});
