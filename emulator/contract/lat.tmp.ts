import { startEmulator } from '../server';
import { fetchManagementToken } from './harness';
const e = await startEmulator({ port: 0, quiet: true });
const token = await fetchManagementToken(e.url);
const call = async (m: string, p: string, b?: unknown) => {
  const t = performance.now();
  const r = await fetch(`${e.url}/api${p}`, { method: m, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
  const text = await r.text();
  const ms = performance.now() - t;
  return { ms, text, status: r.status };
};
const acme = JSON.parse((await call('GET', '/organizations?q=Acme')).text)[0].id;
for (const [m, p, b] of [
  ['GET', '/organizations?page_size=1'],
  ['GET', '/organizations?page_size=1'],
  ['GET', `/organizations/${acme}/users`],
  ['GET', `/organizations/${acme}/users?page=125`],
  ['GET', `/organizations/${acme}/users?q=an`],
  ['POST', '/users', { primaryEmail: 'x1@y.com' }],
  ['POST', '/users', { primaryEmail: 'x2@y.com', password: 'abcdefgh' }],
  ['POST', '/organizations', { name: 'x' }],
  ['GET', `/organization-roles`],
] as Array<[string, string, unknown?]>) {
  const times = [];
  for (let i = 0; i < 3; i++) { const r = await call(m, p, b && typeof b === 'object' ? { ...b, primaryEmail: (b as any).primaryEmail ? `${i}${(b as any).primaryEmail}` : undefined } : b); times.push(Math.round(r.ms)); if (r.status >= 400) console.log(r.text); }
  console.log(m, p, times);
}
await e.close();
