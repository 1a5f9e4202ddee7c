import { describe, expect, it } from 'vitest';
import { isPublicMailDomain, normalizeEmailDomain } from './email-domains';

describe('normalizeEmailDomain', () => {
  it('trims, lower-cases and drops a leading @', () => {
    expect(normalizeEmailDomain('  Acme.Example ')).toBe('acme.example');
    expect(normalizeEmailDomain('@acme.co.jp')).toBe('acme.co.jp');
    expect(normalizeEmailDomain('xn--9n2bp8q.com')).toBe('xn--9n2bp8q.com');
  });

  it.each([
    '',
    'acme',
    'https://acme.example',
    'acme.example/path',
    'alice@acme.example',
    'acme .example',
    '-acme.example',
    'acme-.example',
    'acme..example',
    'acme.example:443',
    '10.0.0.1',
    `${'a'.repeat(64)}.example`,
    `${'a.'.repeat(64)}example`,
  ])('refuses %j', (input) => {
    expect(normalizeEmailDomain(input)).toBeNull();
  });
});

describe('isPublicMailDomain', () => {
  it('knows the common free mail services, including Korean and Japanese ones', () => {
    for (const domain of ['gmail.com', 'outlook.com', 'naver.com', 'yahoo.co.jp', 'docomo.ne.jp']) {
      expect(isPublicMailDomain(domain)).toBe(true);
    }
  });

  it('lets company domains through', () => {
    expect(isPublicMailDomain('acme.example')).toBe(false);
    expect(isPublicMailDomain('mail.acme.com')).toBe(false);
  });
});
