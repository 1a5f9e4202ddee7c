import { describe, expect, it } from 'vitest';
import { createRunPrefix, isExternalTarget, readExternalTarget, tenantIdOf } from './target';

const credentials = { LOGTO_M2M_APP_ID: 'm2m', LOGTO_M2M_APP_SECRET: 'secret' };

describe('readExternalTarget', () => {
  it('uses LOGTO_ENDPOINT for the Management API unless LOGTO_MANAGEMENT_ENDPOINT is set', () => {
    expect(readExternalTarget({ LOGTO_ENDPOINT: 'http://127.0.0.1:4001/', ...credentials })).toEqual({
      managementEndpoint: 'http://127.0.0.1:4001',
      managementApiResource: 'https://default.logto.app/api',
      m2mAppId: 'm2m',
      m2mAppSecret: 'secret',
    });
    expect(
      readExternalTarget({
        LOGTO_ENDPOINT: 'https://auth.example.com',
        LOGTO_MANAGEMENT_ENDPOINT: 'https://Abc123.logto.app',
        ...credentials,
      }),
    ).toMatchObject({
      managementEndpoint: 'https://Abc123.logto.app',
      managementApiResource: 'https://abc123.logto.app/api',
    });
    expect(
      readExternalTarget({
        LOGTO_ENDPOINT: 'https://abc123.logto.app',
        LOGTO_MANAGEMENT_API_RESOURCE: 'https://custom.example/api',
        ...credentials,
      }).managementApiResource,
    ).toBe('https://custom.example/api');
  });

  it('names the missing or malformed variable', () => {
    expect(() => readExternalTarget({ ...credentials })).toThrow(/^LOGTO_ENDPOINT is required/);
    expect(() => readExternalTarget({ LOGTO_ENDPOINT: 'tenant.logto.app', ...credentials })).toThrow(
      /^LOGTO_ENDPOINT must be an http\(s\) URL/,
    );
    expect(() => readExternalTarget({ LOGTO_ENDPOINT: 'ftp://x', ...credentials })).toThrow(
      /LOGTO_ENDPOINT must be/,
    );
    expect(() => readExternalTarget({ LOGTO_ENDPOINT: 'https://x', LOGTO_M2M_APP_ID: ' ' })).toThrow(
      /^LOGTO_M2M_APP_ID is required/,
    );
    expect(() => readExternalTarget({ LOGTO_ENDPOINT: 'https://x', LOGTO_M2M_APP_ID: 'm2m' })).toThrow(
      /^LOGTO_M2M_APP_SECRET is required/,
    );
  });
});

describe('run settings', () => {
  it('reads the tenant id from a Cloud indicator and defaults to OSS’s', () => {
    expect(tenantIdOf('https://abc123.logto.app/api')).toBe('abc123');
    expect(tenantIdOf('https://default.logto.app/api')).toBe('default');
    expect(tenantIdOf('https://custom.example/api')).toBe('default');
  });

  it('runs externally only when CONTRACT_TARGET is external, and prefixes names with the time', () => {
    expect(isExternalTarget({ CONTRACT_TARGET: 'external' })).toBe(true);
    expect(isExternalTarget({ LOGTO_ENDPOINT: 'https://x' })).toBe(false);
    expect(createRunPrefix(1_700_000_000_000)).toBe('contract-1700000000000-');
  });
});
