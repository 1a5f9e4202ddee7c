import { describe, expect, it, vi } from 'vitest';
import { LogtoApiError, LogtoAuthError, LogtoError, LogtoNetworkError } from './errors';

describe('Logto error classes', () => {
  it('recognise their own instances and their subclasses', () => {
    const apiError = new LogtoApiError({ status: 404, code: 'entity.not_found', message: 'gone' });
    expect(apiError).toBeInstanceOf(LogtoApiError);
    expect(apiError).toBeInstanceOf(LogtoError);
    expect(apiError).toBeInstanceOf(Error);
    expect(apiError).not.toBeInstanceOf(LogtoNetworkError);
    expect(new LogtoAuthError({ code: 'x', hint: 'y' })).not.toBeInstanceOf(LogtoApiError);
    expect(new Error('plain')).not.toBeInstanceOf(LogtoError);
  });

  it('recognise an error made by another copy of the module, as another Next bundle holds', async () => {
    // A second evaluation of the module stands in for the copy in another bundle.
    vi.resetModules();
    const otherCopy = await import('./errors');
    expect(otherCopy.LogtoApiError).not.toBe(LogtoApiError);
    const foreign = new otherCopy.LogtoApiError({ status: 500, code: 'unknown', message: 'boom' });
    expect(foreign).toBeInstanceOf(LogtoApiError);
    expect(foreign).toBeInstanceOf(LogtoError);
    expect(foreign).not.toBeInstanceOf(LogtoNetworkError);
  });
});
