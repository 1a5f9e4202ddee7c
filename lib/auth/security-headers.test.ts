import { describe, expect, it } from 'vitest';
import { createNonce, pageContentSecurityPolicy, strictTransportSecurity } from './security-headers';

describe('page security headers', () => {
  it('allows scripts by nonce only in production', () => {
    const policy = pageContentSecurityPolicy('abc', false);
    const scripts = policy.split('; ').find((part) => part.startsWith('script-src'));
    expect(scripts).toBe("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('makes a different nonce every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    expect(nonces.size).toBe(50);
  });

  it('sends HSTS when the portal is served over https, not over http', () => {
    expect(strictTransportSecurity('https://admin.example.com')).toBe('max-age=63072000; includeSubDomains');
    expect(strictTransportSecurity('http://localhost:3000')).toBeUndefined();
  });
});
