import 'server-only';

import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompress, brotliDecompressSync, gunzip, gunzipSync, inflate, inflateSync } from 'node:zlib';

/** One request to Logto, as {@link exchange} sends it. */
export type ExchangeRequest = {
  method: string;
  headers: Headers;
  body?: string;
  /** Past this, the request is abandoned with a `TimeoutError`. */
  timeoutMs: number;
};

/** Logto's answer: its status and headers, and its whole body, already decompressed. */
export type ExchangeResponse = { status: number; headers: Headers; body: Buffer };

// Connections to Logto stay open between calls, shared by every call of the process. Node's agent
// closes an idle one a second before the server's announced keep-alive timeout, as fetch would.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * What the portal asks Logto to compress with. Logto (koa-compress) prefers brotli when it may;
 * for a page of 20 members brotli saved about 50 of 900 bytes over gzip and took Logto 0.2 ms
 * longer per answer (`npm run bench`'s local Logto), so the portal does not offer it.
 */
const ACCEPTED_ENCODINGS = 'gzip, deflate';

type Decompressor = { async: typeof gunzip; sync: typeof gunzipSync };

// Brotli stays readable: a proxy between the portal and Logto may still send it.
const DECOMPRESSORS: Record<string, Decompressor> = {
  gzip: { async: gunzip, sync: gunzipSync },
  'x-gzip': { async: gunzip, sync: gunzipSync },
  deflate: { async: inflate, sync: inflateSync },
  br: { async: brotliDecompress, sync: brotliDecompressSync },
};

/**
 * Compressed bodies up to this size are decompressed at once, on the request's own turn: a page
 * of members is about 1 KB and takes some 10 µs, while handing it to libuv's thread pool and back
 * takes about 0.1 ms. Larger ones go to the pool, so the event loop is never held for long.
 */
const DECOMPRESS_INLINE_UP_TO_BYTES = 32 * 1024;

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function decompress(encoding: string | undefined, body: Buffer): Promise<Buffer> {
  const decompressor = encoding ? DECOMPRESSORS[encoding.trim().toLowerCase()] : undefined;
  if (!decompressor || body.length === 0) return Promise.resolve(body);
  if (body.length <= DECOMPRESS_INLINE_UP_TO_BYTES) {
    try {
      return Promise.resolve(decompressor.sync(body));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return new Promise((resolve, reject) =>
    decompressor.async(body, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

/** The answer's headers as `Headers`, without those that described the compressed body. */
function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/**
 * One HTTP exchange with Logto over Node's own HTTP client, the answer read whole. The Management
 * API answers small JSON documents: `fetch` reads them through web streams, a promise per step,
 * and under Next.js every promise of a request is tracked, so it costs each call about 0.7 ms more
 * (measured by `npm run bench`, overhead phase). Fails like `fetch`: a `TimeoutError` past
 * `timeoutMs`, otherwise an error whose `cause` says what went wrong.
 */
export function exchange(url: string, { method, headers, body, timeoutMs }: ExchangeRequest) {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  const outgoing: Record<string, string> = { 'accept-encoding': ACCEPTED_ENCODINGS };
  headers.forEach((value, name) => {
    outgoing[name] = value;
  });
  if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));

  return new Promise<ExchangeResponse>((resolve, reject) => {
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(
        error instanceof TimeoutError
          ? error
          : new Error(`request to ${target.host} failed`, { cause: error }),
      );
    };
    const request = (isHttps ? httpsRequest : httpRequest)(
      target,
      { method, headers: outgoing, agent: isHttps ? agents.https : agents.http },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          decompress(response.headers['content-encoding'], Buffer.concat(chunks)).then((decoded) => {
            clearTimeout(timer);
            resolve({ status: response.statusCode ?? 0, headers: headersOf(response), body: decoded });
          }, fail);
        });
      },
    );
    const timer = setTimeout(
      () => request.destroy(new TimeoutError(`Logto did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('error', fail);
    request.end(body);
  });
}
