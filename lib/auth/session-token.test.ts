import { describe, expect, it } from 'vitest';
import { joinCookieChunks, sessionCookieName } from './session-token';

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
    expect(joinCookieChunks(name, new Map([['other', 'x'], [`${name}-x`, 'y']]))).toBeUndefined();
  });
});
