/**
 * Pages carry a Content Security Policy whose scripts need this response's nonce (no
 * 'unsafe-inline'), so injected markup cannot run script; data routes allow nothing at all.
 */
import { expect, storageStatePath, test } from './fixtures';

function scriptSources(policy: string | undefined): string {
  const directive = (policy ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('script-src '));
  return directive ?? '';
}

test.use({ storageState: storageStatePath('alice') });

test('every page gets a fresh script nonce and no unsafe-inline, and the page still runs', async ({
  page,
  request,
}) => {
  const nonces = new Set<string>();
  for (const path of ['/orgs', '/sign-in', '/invitations/does-not-exist-000000']) {
    const response = await request.get(path, { maxRedirects: 0 });
    const scripts = scriptSources(response.headers()['content-security-policy']);
    expect(scripts, path).not.toContain('unsafe-inline');
    const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
    expect(nonce, path).toBeTruthy();
    nonces.add(nonce!);
    // Next put the same nonce on the scripts it rendered.
    const html = await response.text();
    expect(html, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(3);

  // The page hydrated under that policy (client code runs: the search box answers typing)...
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto('/orgs');
  await expect(page.getByRole('heading', { name: 'Organizations' })).toBeVisible();
  // ...and script in injected markup (an inline event handler, the usual XSS carrier) does not run.
  await page.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="data:," onload="window.__injected = true" alt="">';
    document.body.append(holder);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  const didRun = await page.evaluate(
    () => (window as unknown as { __injected?: boolean }).__injected === true,
  );
  expect(didRun).toBe(false);
});

test('data routes answer under a policy that allows nothing', async ({ request }) => {
  const response = await request.get('/api/orgs/nope/members');
  expect(response.headers()['content-security-policy']).toContain("default-src 'none'");
});

test('icons and the manifest stay a day in the browser cache; pages and data are never cached', async ({
  request,
}) => {
  for (const path of ['/favicon.ico', '/icon.svg', '/apple-touch-icon.png', '/manifest.webmanifest']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], path).toBe('public, max-age=86400');
  }
  const data = await request.get('/api/orgs/nope/members');
  expect(data.headers()['cache-control']).not.toContain('max-age=86400');
});
