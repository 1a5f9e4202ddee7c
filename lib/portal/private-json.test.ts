import { describe, expect, it } from 'vitest';

import { privateJson, UNCOMPRESSED_UP_TO_BYTES } from './private-json';

describe('privateJson', () => {
  it('sends a small answer as JSON that no cache keeps and nothing compresses', async () => {
    const response = privateJson({ rows: [{ name: 'Zoë' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('private, no-store, no-transform');
    expect(await response.json()).toEqual({ rows: [{ name: 'Zoë' }] });
  });

  it('leaves an answer over the limit to compression, counting bytes rather than characters', () => {
    // Two bytes per "ë": under the limit in characters, over it in bytes.
    const text = 'ë'.repeat(UNCOMPRESSED_UP_TO_BYTES / 2);
    expect(JSON.stringify(text).length).toBeLessThan(UNCOMPRESSED_UP_TO_BYTES);
    expect(privateJson(text).headers.get('cache-control')).toBe('private, no-store');
    const justFits = 'e'.repeat(UNCOMPRESSED_UP_TO_BYTES - 2); // the quotes make up the rest
    expect(privateJson(justFits).headers.get('cache-control')).toBe('private, no-store, no-transform');
  });

  it('keeps the status and extra headers, but not a caller’s caching or type', () => {
    const response = privateJson(
      { error: { code: 'rate_limited' } },
      { status: 503, headers: { 'Retry-After': '2', 'cache-control': 'public, max-age=60' } },
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('cache-control')).toBe('private, no-store, no-transform');
  });
});
