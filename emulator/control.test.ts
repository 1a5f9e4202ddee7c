import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOutboxEmail } from './db/outbox';
import { type EmulatorHandle, startEmulator } from './server';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  // Two messages a few milliseconds apart, so "newest first" is observable.
  await sendOutboxEmail(emulator.db.pg, {
    to: 'First.Invitee@example.com',
    subject: 'You are invited to <Acme>',
    text: 'Join Acme: http://localhost:3000/invitations/first',
    html: '<p>Join Acme</p>',
    link: 'http://localhost:3000/invitations/first?token=a&b=c',
    payload: { link: 'http://localhost:3000/invitations/first?token=a&b=c' },
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  await sendOutboxEmail(emulator.db.pg, {
    to: 'second@example.com',
    subject: 'You are invited to Globex',
    text: 'Join Globex',
    html: '<p>Join Globex</p>',
    link: null,
    payload: {},
  });
});

afterAll(async () => {
  await emulator?.close();
});

describe('outbox', () => {
  it('lists messages as JSON, newest first, filtered by recipient in any letter case', async () => {
    const all = (await (await fetch(`${emulator.url}/_emulator/outbox.json`)).json()) as Array<
      Record<string, unknown>
    >;
    const ours = all.filter((message) =>
      ['First.Invitee@example.com', 'second@example.com'].includes(String(message.to)),
    );
    expect(ours.map((message) => message.to)).toEqual(['second@example.com', 'First.Invitee@example.com']);
    expect(ours[1]).toMatchObject({
      subject: 'You are invited to <Acme>',
      link: 'http://localhost:3000/invitations/first?token=a&b=c',
      createdAt: expect.any(Number),
    });

    const filtered = await fetch(`${emulator.url}/_emulator/outbox.json?to=first.invitee@EXAMPLE.com`);
    expect(filtered.headers.get('cache-control')).toBe('no-store');
    const messages = (await filtered.json()) as Array<Record<string, unknown>>;
    expect(messages).toHaveLength(1);
    expect(messages[0]?.to).toBe('First.Invitee@example.com');
  });

  it('renders an HTML page with recipients, escaped subjects, times and clickable links', async () => {
    const response = await fetch(`${emulator.url}/_emulator/outbox`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('<title>Outbox — Logto (local)</title>');
    expect(html).toContain('You are invited to &lt;Acme&gt;');
    expect(html).not.toContain('<Acme>');
    expect(html).toContain(
      '<a href="http://localhost:3000/invitations/first?token=a&amp;b=c">http://localhost:3000/invitations/first?token=a&amp;b=c</a>',
    );
    expect(html).toMatch(/<time datetime="\d{4}-\d{2}-\d{2}T[\d:.]+Z">/);
    expect(html.indexOf('second@example.com')).toBeLessThan(html.indexOf('First.Invitee@example.com'));

    const filtered = await (await fetch(`${emulator.url}/_emulator/outbox?to=second@example.com`)).text();
    expect(filtered).toContain('Outbox for second@example.com');
    expect(filtered).not.toContain('First.Invitee@example.com');
    expect(filtered).toContain('1 message.');
  });
});
