import { describe, expect, it } from 'vitest';
import { LogtoApiError, LogtoBusyError, LogtoNetworkError } from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions/errors';
import { loadForPage } from './load-for-page';

describe('loadForPage', () => {
  it('passes data through', async () => {
    expect(await loadForPage(async () => 42)).toEqual({ ok: true, value: 42 });
  });

  it('answers not_found for a hidden or missing organization', async () => {
    expect(await loadForPage(() => Promise.reject(new NotFoundError()))).toEqual({
      ok: false,
      reason: 'not_found',
    });
    const missing = new LogtoApiError({ status: 404, code: 'entity.not_exists_with_id', message: 'x' });
    expect(await loadForPage(() => Promise.reject(missing))).toEqual({ ok: false, reason: 'not_found' });
  });

  it('answers upstream when Logto is down or overloaded', async () => {
    const down = new LogtoNetworkError('network.unreachable', 'ECONNREFUSED');
    const busy = new LogtoApiError({ status: 503, code: 'unknown', message: 'Service Unavailable' });
    expect(await loadForPage(() => Promise.reject(down))).toEqual({ ok: false, reason: 'upstream' });
    expect(await loadForPage(() => Promise.reject(busy))).toEqual({ ok: false, reason: 'upstream' });
  });

  it('answers busy, with when to try again, when the portal’s own request budget is spent', async () => {
    expect(await loadForPage(() => Promise.reject(new LogtoBusyError('interactive', 1_200)))).toEqual({
      ok: false,
      reason: 'busy',
      retryAfterMs: 1_200,
    });
  });

  it('rethrows bugs to the error boundary', async () => {
    await expect(loadForPage(() => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});
