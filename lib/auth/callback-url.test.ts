import { describe, expect, it } from 'vitest';
import { safeCallbackUrl, signInHref } from './callback-url';

describe('safeCallbackUrl', () => {
  it.each([
    ['/orgs/abc/members?page=2&q=smith', '/orgs/abc/members?page=2&q=smith'],
    ['/', '/'],
    [['/orgs/x', '/other'], '/orgs/x'],
  ])('keeps the same-site path %j', (raw, expected) => {
    expect(safeCallbackUrl(raw)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    '/\tevil',
    '/sign-in?callbackUrl=/orgs',
    '/api/auth/signout',
    '',
    undefined,
    42,
  ])('refuses %j', (raw) => {
    expect(safeCallbackUrl(raw)).toBe('/orgs');
  });
});

describe('signInHref', () => {
  it('carries the wanted page', () => {
    expect(signInHref('/orgs/abc/members?page=3')).toBe(
      '/sign-in?callbackUrl=%2Forgs%2Fabc%2Fmembers%3Fpage%3D3',
    );
  });

  it('leaves the landing pages implicit', () => {
    expect(signInHref('/')).toBe('/sign-in');
    expect(signInHref('/orgs')).toBe('/sign-in');
    expect(signInHref(null)).toBe('/sign-in');
  });
});
