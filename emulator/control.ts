import Router from '@koa/router';
import type Koa from 'koa';
import type { Database } from './db';
import { listOutboxMessages } from './db';
import { type FaultController, InvalidFaultSettingsError } from './faults';
import { escapeHtml } from './oidc/pages';

const MAX_JSON_BYTES = 64 * 1024;

/**
 * The `/_emulator/*` routes that tests and developers use to look inside the local Logto:
 * health, the outbox (HTML and JSON), fault switches and request counters.
 */
export function createControlRoutes(o: { db: Database; faults: FaultController; issuer: string }) {
  const { db, faults } = o;
  const router = new Router({ prefix: '/_emulator' });

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok', issuer: o.issuer };
  });

  router.get('/outbox.json', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listOutboxMessages(db, { to: recipientFilter(ctx) });
  });

  router.get('/outbox', async (ctx) => {
    const to = recipientFilter(ctx);
    const messages = await listOutboxMessages(db, { to });
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = renderOutbox(messages, to);
  });

  router.get('/faults', (ctx) => {
    ctx.body = faults.get();
  });

  router.put('/faults', async (ctx) => {
    const input = await readJson(ctx);
    if (input === undefined) return;
    try {
      ctx.body = faults.set(input);
    } catch (error) {
      if (!(error instanceof InvalidFaultSettingsError)) throw error;
      ctx.status = 400;
      ctx.body = { code: 'guard.invalid_input', message: error.message };
    }
  });

  router.delete('/faults', (ctx) => {
    faults.clear();
    ctx.status = 204;
  });

  router.get('/stats', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = faults.stats();
  });

  router.post('/stats/reset', (ctx) => {
    faults.resetStats();
    ctx.status = 204;
  });

  return router.routes();
}

function recipientFilter(ctx: Koa.Context): string | undefined {
  const { to } = ctx.query;
  return typeof to === 'string' && to !== '' ? to : undefined;
}

/** Reads a JSON body; answers 400 itself and returns undefined when it is not valid JSON. */
async function readJson(ctx: Koa.Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_JSON_BYTES) ctx.throw(413, 'body too large');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    ctx.status = 400;
    ctx.body = { message: error instanceof Error ? error.message : 'Invalid JSON' };
    return undefined;
  }
}

type OutboxMessage = Awaited<ReturnType<typeof listOutboxMessages>>[number];

function renderOutbox(messages: OutboxMessage[], to: string | undefined): string {
  const rows = messages
    .map((message) => {
      const sentAt = new Date(message.createdAt);
      const link = message.link
        ? `<a href="${escapeHtml(message.link)}">${escapeHtml(message.link)}</a>`
        : '<span class="muted">no link</span>';
      return `<li>
  <div class="meta"><strong>${escapeHtml(message.to)}</strong>
    <time datetime="${sentAt.toISOString()}">${escapeHtml(sentAt.toLocaleString('en-GB', { timeZone: 'UTC' }))} UTC</time></div>
  <div class="subject">${escapeHtml(message.subject)}</div>
  <div class="link">${link}</div>
  <details><summary>Message text</summary><pre>${escapeHtml(message.text)}</pre></details>
</li>`;
    })
    .join('\n');

  const heading = to ? `Outbox for ${escapeHtml(to)}` : 'Outbox';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outbox — Logto (local)</title>
<style>
  body { margin: 0; padding: 32px 24px; font: 15px/1.5 system-ui, sans-serif; color: #1b1b1f; background: #f3f2f8; }
  main { max-width: 860px; margin: 0 auto; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  p.lead { margin: 0 0 20px; color: #5b5b66; }
  ol { list-style: none; padding: 0; margin: 0; display: grid; gap: 12px; }
  li { background: #fff; border-radius: 12px; padding: 16px 20px; box-shadow: 0 1px 2px rgb(0 0 0 / 6%); }
  .meta { display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
  time, .muted { color: #6b6b76; }
  .subject { margin: 4px 0; font-weight: 600; }
  .link a { color: #5d34f2; word-break: break-all; }
  pre { white-space: pre-wrap; background: #f6f6f9; padding: 8px 12px; border-radius: 8px; }
</style>
</head>
<body>
<main>
<h1>${heading}</h1>
<p class="lead">Emails the local Logto would have sent, newest first. ${messages.length} message${
    messages.length === 1 ? '' : 's'
  }.</p>
${messages.length ? `<ol>${rows}</ol>` : '<p>No messages yet.</p>'}
</main>
</body>
</html>`;
}
