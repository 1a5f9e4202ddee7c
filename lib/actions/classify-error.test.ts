import { describe, expect, it } from 'vitest';
import { LogtoApiError, LogtoAuthError, LogtoNetworkError } from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions/errors';
import { classifyError, isUpstreamFailure } from './classify-error';

const api = (status: number, code: string) => new LogtoApiError({ status, code, message: 'upstream text' });

describe('classifyError', () => {
  it.each([
    [api(404, 'entity.not_found'), 'not_found'],
    [api(404, 'entity.not_exists_with_id'), 'not_found'],
    [api(422, 'organization.require_membership'), 'not_a_member'],
    [api(422, 'entity.unique_integrity_violation'), 'already_exists'],
    [api(400, 'guard.invalid_input'), 'invalid_input'],
    [api(422, 'request.invalid_input'), 'invalid_input'],
    [api(429, 'request.message_rate_limited'), 'rate_limited'],
    [api(501, 'connector.not_found'), 'email_unavailable'],
    [api(429, 'unknown'), 'rate_limited'],
    [api(503, 'unknown'), 'upstream_unavailable'],
    [api(403, 'auth.forbidden'), 'internal'],
    [new LogtoNetworkError('network.timeout', 'slow'), 'upstream_unavailable'],
    [new LogtoAuthError({ code: 'oidc.invalid_client', hint: 'wrong secret' }), 'upstream_unavailable'],
    [new NotFoundError(), 'not_found'],
    [new Error('bug'), 'internal'],
  ])('%s → %s', (error, code) => {
    expect(classifyError(error).code).toBe(code);
  });

  it('flags only what deserves a log line', () => {
    expect(classifyError(api(404, 'entity.not_found')).isUnexpected).toBe(false);
    expect(classifyError(api(503, 'unknown')).isUnexpected).toBe(true);
    expect(classifyError(new Error('bug')).isUnexpected).toBe(true);
  });
});

describe('isUpstreamFailure', () => {
  it('recognises outages but not ordinary refusals', () => {
    expect(isUpstreamFailure(new LogtoNetworkError('network.unreachable', 'down'))).toBe(true);
    expect(isUpstreamFailure(api(502, 'unknown'))).toBe(true);
    expect(isUpstreamFailure(api(404, 'entity.not_found'))).toBe(false);
    expect(isUpstreamFailure(new Error('bug'))).toBe(false);
  });
});
