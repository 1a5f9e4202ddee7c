import { createHash, randomBytes } from 'node:crypto';

/**
 * A minimal browser for tests: real HTTP with `fetch`, a cookie jar, redirects followed by hand
 * so each hop can be inspected. Cookies are kept per host (no path or expiry rules beyond what
 * these flows need: the provider scopes cookies by path and deletes them with an empty value).
 */
export class TestBrowser {
  readonly #cookies = new Map<string, Map<string, string>>();

  /** Sends one request with this browser's cookies and stores the cookies it sets. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookieHeader = this.cookieHeader(target.host);
    if (cookieHeader) headers.set('cookie', cookieHeader);
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.#store(target.host, response.headers.getSetCookie());
    return response;
  }

  /** GET `url`, following redirects until a non-redirect answer or a URL for which `stop` is true. */
  async follow(url: string, stop: (url: URL) => boolean = () => false): Promise<FollowResult> {
    let current = url;
    const hops: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      if (stop(new URL(current))) return { url: current, hops };
      const response = await this.request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, hops, response, body: await response.text() };
      }
      await response.body?.cancel();
      current = new URL(location, current).href;
      hops.push(current);
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** POSTs an HTML form (urlencoded), without following the answer's redirect. */
  postForm(url: string, fields: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  cookieHeader(host: string): string {
    const jar = this.#cookies.get(host);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
  }

  #store(host: string, setCookies: string[]): void {
    const jar = this.#cookies.get(host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const isExpired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (value === '' || isExpired) jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(host, jar);
  }
}

export type FollowResult = { url: string; hops: string[]; response?: Response; body?: string };

/** A PKCE verifier and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** The `action` of the first form in an HTML page, resolved against the page's URL. */
export function formAction(html: string, pageUrl: string): string {
  const match = /<form[^>]*action="([^"]+)"/i.exec(html);
  if (!match?.[1]) throw new Error('no form on the page');
  return new URL(match[1].replaceAll('&amp;', '&'), pageUrl).href;
}

/** The hidden inputs of an HTML page, by name. */
export function hiddenInputs(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name) fields[name] = value ?? '';
  }
  return fields;
}
