import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

import { exchange } from './transport';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handle: (request: IncomingMessage, body: string, response: ServerResponse) => void) {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => handle(request, body, response));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('exchange', () => {
  it('sends the method, headers and body, and answers the whole body decompressed', async () => {
    const seen: { method?: string; type?: string; auth?: string; body?: string }[] = [];
    const document = JSON.stringify({
      rows: Array.from({ length: 50 }, (_, index) => ({ id: `u${index}` })),
    });
    const url = await serve((request, body, response) => {
      seen.push({
        method: request.method,
        type: request.headers['content-type'],
        auth: request.headers.authorization,
        body,
      });
      response.writeHead(201, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Total-Number': '50',
      });
      response.end(gzipSync(document));
    });
    const answer = await exchange(`${url}/api/things?page=2`, {
      method: 'POST',
      headers: new Headers({ 'Content-Type': 'application/json', Authorization: 'Bearer t' }),
      body: '{"name":"Zoë"}',
      timeoutMs: 5_000,
    });
    expect(seen).toEqual([
      { method: 'POST', type: 'application/json', auth: 'Bearer t', body: '{"name":"Zoë"}' },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body.toString('utf8')).toBe(document);
    expect(answer.headers.get('total-number')).toBe('50');
    // The body is handed on decompressed: nothing may decompress it again.
    expect(answer.headers.get('content-encoding')).toBeNull();
  });

  it('offers Logto gzip and deflate, not brotli', async () => {
    const offered: (string | undefined)[] = [];
    const url = await serve((request, _body, response) => {
      offered.push(request.headers['accept-encoding']);
      response.end('{}');
    });
    await exchange(url, { method: 'GET', headers: new Headers(), timeoutMs: 5_000 });
    expect(offered).toEqual(['gzip, deflate']);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('decompresses %s bodies, small and large, to the same bytes', async (encoding, compress) => {
    // Hex of random bytes compresses only to about half: 200 KB stays well over the size that is
    // decompressed inline, 2 KB well under it.
    const documents = [2_000, 200_000].map((size) =>
      JSON.stringify({ text: randomBytes(size / 2).toString('hex') }),
    );
    const sizes: number[] = [];
    const url = await serve((request, _body, response) => {
      const compressed = compress(Buffer.from(documents[Number(request.url!.slice(1))]!));
      sizes.push(compressed.length);
      response.writeHead(200, { 'Content-Encoding': encoding });
      response.end(compressed);
    });
    for (const [index, document] of documents.entries()) {
      const answer = await exchange(`${url}/${index}`, {
        method: 'GET',
        headers: new Headers(),
        timeoutMs: 5_000,
      });
      expect(answer.body.toString('utf8')).toBe(document);
    }
    expect(sizes[0]).toBeLessThan(32 * 1024);
    expect(sizes[1]).toBeGreaterThan(32 * 1024);
  });

  it.each([10, 100_000])('fails with the cause when a %i-byte gzip body is corrupt', async (size) => {
    const url = await serve((_request, _body, response) => {
      const compressed = gzipSync(randomBytes(size));
      compressed[compressed.length - 5]! ^= 0xff; // the length check at the end no longer matches
      response.writeHead(200, { 'Content-Encoding': 'gzip' });
      response.end(compressed);
    });
    const error = await exchange(url, { method: 'GET', headers: new Headers(), timeoutMs: 5_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).cause).toMatchObject({ code: expect.stringMatching(/^Z_/) });
  });

  it('fails with a TimeoutError when no answer comes in time, and the connection is dropped', async () => {
    let closed = false;
    const url = await serve((request) => request.socket.on('close', () => (closed = true)));
    const error = await exchange(url, { method: 'GET', headers: new Headers(), timeoutMs: 50 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'TimeoutError' });
    await expect.poll(() => closed).toBe(true);
  });

  it('fails with the cause when nothing listens', async () => {
    const url = await serve((_request, _body, response) => response.end());
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const error = await exchange(url, { method: 'GET', headers: new Headers(), timeoutMs: 5_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
