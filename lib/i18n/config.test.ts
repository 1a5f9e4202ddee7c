import { describe, expect, it } from 'vitest';
import { negotiateLocale, resolveLocale } from './config';

describe('negotiateLocale', () => {
  it.each([
    ['ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'ko'],
    ['ja', 'ja'],
    ['fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4', 'ja'],
    ['en;q=0.5,ko;q=0.8', 'ko'],
    ['de,fr', undefined],
    ['ko;q=0', undefined],
    ['', undefined],
  ])('picks from %j → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});

describe('resolveLocale', () => {
  it('prefers a valid cookie over the browser language', () => {
    expect(resolveLocale({ cookie: 'ja', acceptLanguage: 'ko' })).toBe('ja');
  });

  it('ignores an unsupported cookie value', () => {
    expect(resolveLocale({ cookie: 'xx', acceptLanguage: 'ko-KR' })).toBe('ko');
  });

  it('falls back to English', () => {
    expect(resolveLocale({})).toBe('en');
    expect(resolveLocale({ cookie: null, acceptLanguage: 'de' })).toBe('en');
  });
});
