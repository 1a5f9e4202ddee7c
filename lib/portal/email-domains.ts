/**
 * Email domains for auto-join (just-in-time provisioning): how the portal reads what people type
 * and which domains it refuses. Pure, so the rules are unit-tested on their own.
 */

/** At most this many auto-join domains per organization (a guard against pasted lists). */
export const MAX_AUTO_JOIN_DOMAINS = 50;

/**
 * Free public mail services: anyone can get an address there, so auto-joining by one of these
 * domains would let strangers into the organization. Not exhaustive; the common ones worldwide
 * and in Korea and Japan, where many of Logto's users work.
 */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'ymail.com',
  'rocketmail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'mail.ru',
  'yandex.com',
  'yandex.ru',
  'zoho.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
  'tuta.io',
  'qq.com',
  '163.com',
  '126.com',
  'naver.com',
  'daum.net',
  'hanmail.net',
  'kakao.com',
  'nate.com',
  'yahoo.co.jp',
  'ymail.ne.jp',
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'au.com',
  'softbank.ne.jp',
  'i.softbank.jp',
  'outlook.jp',
  'hotmail.co.jp',
  'live.jp',
]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * The domain as Logto stores it: trimmed, lower-case, without a leading `@`; `null` when it is
 * not a plain domain name with at least one dot (no scheme, path, port or spaces; at most 128
 * characters, Logto's column limit). Internationalised names must be given in punycode.
 */
export function normalizeEmailDomain(input: string): string | null {
  const domain = input.trim().toLowerCase().replace(/^@/, '');
  if (domain.length === 0 || domain.length > 128) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  // The last label is a top-level domain: letters (or punycode), never only digits.
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return null;
  return domain;
}

/** Whether anyone can get an address at this (normalised) domain. */
export function isPublicMailDomain(domain: string): boolean {
  return PUBLIC_MAIL_DOMAINS.has(domain);
}
