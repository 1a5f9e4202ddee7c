import { describe, expect, it } from 'vitest';

import { ConfigError, readConfig } from './config';

const cloud = {
  LOGTO_ENDPOINT: 'https://auth.example.com/',
  LOGTO_MANAGEMENT_ENDPOINT: 'https://abc123.logto.app/',
  LOGTO_M2M_APP_ID: 'm2m-id',
  LOGTO_M2M_APP_SECRET: 'm2m-secret',
  LOGTO_APP_ID: 'web-id',
  LOGTO_APP_SECRET: 'web-secret',
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig', () => {
  it('runs on the local Logto with its seeded apps when nothing is set', () => {
    const config = readConfig({});
    expect(config.isLocal).toBe(true);
    expect(config.logto).toEqual({
      endpoint: 'http://127.0.0.1:3001',
      managementEndpoint: 'http://127.0.0.1:3001',
      managementApiResource: 'https://default.logto.app/api',
      m2mAppId: 'portal-m2m',
      m2mAppSecret: 'portal-m2m-secret',
      appId: 'portal-web',
      appSecret: 'portal-web-secret',
      requestTimeoutMs: 10_000,
      requestBudget: {
        maxRequests: 200,
        windowMs: 10_000,
        publicShare: 0.1,
        jobsShare: 0.7,
        burst: undefined,
        interactiveMaxWaitMs: 1_500,
      },
      maxInFlight: 16,
    });
    expect(config.nextAuth.url).toBe('http://localhost:3000');
    expect(config.nextAuth.secret.length).toBeGreaterThan(20);
    expect(config.superAdminRole).toBe('portal-operator');
    expect(config.scopes).toEqual({
      readMembers: 'read:members',
      inviteMembers: 'invite:members',
      removeMembers: 'remove:members',
      assignRoles: 'assign:roles',
      manageOrganization: 'manage:organization',
    });
  });

  it('treats empty variables (as .env files leave them) as unset', () => {
    expect(readConfig({ LOGTO_ENDPOINT: '', NEXTAUTH_URL: ' ' }).isLocal).toBe(true);
  });

  it('derives the Cloud resource from the management endpoint and trims trailing slashes', () => {
    const config = readConfig(cloud);
    expect(config.isLocal).toBe(false);
    expect(config.logto.endpoint).toBe('https://auth.example.com');
    expect(config.logto.managementEndpoint).toBe('https://abc123.logto.app');
    expect(config.logto.managementApiResource).toBe('https://abc123.logto.app/api');
  });

  it('defaults the management endpoint to LOGTO_ENDPOINT and the resource to the OSS one', () => {
    const config = readConfig({
      ...cloud,
      LOGTO_ENDPOINT: 'http://logto.internal:3001//',
      LOGTO_MANAGEMENT_ENDPOINT: undefined,
    });
    expect(config.logto.managementEndpoint).toBe('http://logto.internal:3001');
    expect(config.logto.managementApiResource).toBe('https://default.logto.app/api');
  });

  it('keeps an explicit resource exactly as given', () => {
    const config = readConfig({ ...cloud, LOGTO_MANAGEMENT_API_RESOURCE: 'https://custom.example/api/' });
    expect(config.logto.managementApiResource).toBe('https://custom.example/api/');
  });

  it('requires the M2M and web apps once LOGTO_ENDPOINT is set, saying how to fix it', () => {
    const secretError = configError({ ...cloud, LOGTO_M2M_APP_SECRET: undefined });
    expect(secretError.variable).toBe('LOGTO_M2M_APP_SECRET');
    expect(secretError.message).toBe(
      'LOGTO_M2M_APP_SECRET is required when LOGTO_ENDPOINT is set: create a machine-to-machine app in Logto Console with the Management API role and paste its secret.',
    );
    expect(configError({ ...cloud, LOGTO_M2M_APP_ID: '' }).variable).toBe('LOGTO_M2M_APP_ID');
    const webError = configError({ ...cloud, LOGTO_APP_ID: undefined });
    expect(webError.variable).toBe('LOGTO_APP_ID');
    expect(webError.message).toContain('http://localhost:3000/api/auth/callback/logto');
    expect(configError({ ...cloud, LOGTO_APP_SECRET: undefined }).variable).toBe('LOGTO_APP_SECRET');
  });

  it('rejects malformed URLs and numbers with one line naming the variable', () => {
    const urlError = configError({ LOGTO_ENDPOINT: 'abc123.logto.app' });
    expect(urlError.variable).toBe('LOGTO_ENDPOINT');
    expect(urlError.message).toMatch(/^LOGTO_ENDPOINT must be an http\(s\) URL .*"abc123\.logto\.app"/);
    expect(urlError.message).not.toContain('\n');
    expect(configError({ LOGTO_MANAGEMENT_ENDPOINT: 'ftp://x' }).variable).toBe('LOGTO_MANAGEMENT_ENDPOINT');
    expect(configError({ NEXTAUTH_URL: 'localhost:3000' }).variable).toBe('NEXTAUTH_URL');
    expect(configError({ LOGTO_MANAGEMENT_API_RESOURCE: 'not a uri' }).variable).toBe(
      'LOGTO_MANAGEMENT_API_RESOURCE',
    );
    expect(configError({ LOGTO_MAX_IN_FLIGHT: 'many' }).message).toBe(
      'LOGTO_MAX_IN_FLIGHT must be a positive whole number.',
    );
    expect(configError({ LOGTO_REQUEST_BUDGET: '0' }).variable).toBe('LOGTO_REQUEST_BUDGET');
    expect(configError({ PORTAL_SCOPE_ASSIGN_ROLES: 'assign roles' }).variable).toBe(
      'PORTAL_SCOPE_ASSIGN_ROLES',
    );
  });

  it('reads the budget, timeout, operator role and scope names when set', () => {
    const config = readConfig({
      LOGTO_REQUEST_TIMEOUT_MS: '5000',
      LOGTO_REQUEST_BUDGET: '50',
      LOGTO_REQUEST_BUDGET_WINDOW_MS: '1000',
      LOGTO_MAX_IN_FLIGHT: '4',
      PORTAL_SUPER_ADMIN_ROLE: 'support',
      PORTAL_SCOPE_READ_MEMBERS: 'members:read',
    });
    expect(config.logto.requestTimeoutMs).toBe(5_000);
    expect(config.logto.requestBudget).toEqual({
      maxRequests: 50,
      windowMs: 1_000,
      publicShare: 0.1,
      jobsShare: 0.7,
      burst: undefined,
      interactiveMaxWaitMs: 1_500,
    });
    expect(config.logto.maxInFlight).toBe(4);
    expect(config.superAdminRole).toBe('support');
    expect(config.scopes.readMembers).toBe('members:read');
  });

  it('keeps the activity log 365 days unless PORTAL_ACTIVITY_RETENTION_DAYS says otherwise', () => {
    expect(readConfig({}).activityRetentionDays).toBe(365);
    expect(readConfig({ PORTAL_ACTIVITY_RETENTION_DAYS: ' 90 ' }).activityRetentionDays).toBe(90);
    for (const value of ['0', '-3', '1.5', 'forever']) {
      expect(configError({ PORTAL_ACTIVITY_RETENTION_DAYS: value }).variable).toBe(
        'PORTAL_ACTIVITY_RETENTION_DAYS',
      );
    }
  });

  it('serves organization reads again for 5 s unless PORTAL_READ_CACHE_MS says otherwise (0: off)', () => {
    expect(readConfig({}).readCacheMs).toBe(5_000);
    expect(readConfig({ PORTAL_READ_CACHE_MS: ' 2000 ' }).readCacheMs).toBe(2_000);
    expect(readConfig({ PORTAL_READ_CACHE_MS: '0' }).readCacheMs).toBe(0);
    for (const value of ['-1', '1.5', 'soon']) {
      expect(configError({ PORTAL_READ_CACHE_MS: value }).variable).toBe('PORTAL_READ_CACHE_MS');
    }
  });

  it('requires NEXTAUTH_SECRET in production, against a real Logto and the local one alike', () => {
    for (const env of [{ ...cloud, NODE_ENV: 'production' }, { NODE_ENV: 'production' }]) {
      const error = configError(env);
      expect(error.variable).toBe('NEXTAUTH_SECRET');
      expect(error.message).toContain('openssl rand -base64 32');
    }
    const secret = 'a'.repeat(32);
    expect(readConfig({ ...cloud, NODE_ENV: 'production', NEXTAUTH_SECRET: secret }).nextAuth.secret).toBe(
      secret,
    );
  });

  it('refuses a short or published secret in production, with one line naming the variable', () => {
    for (const secret of ['s', 'x'.repeat(31), 'portal-dev-only-nextauth-secret-never-use-in-production']) {
      const error = configError({ ...cloud, NODE_ENV: 'production', NEXTAUTH_SECRET: secret });
      expect(error.variable).toBe('NEXTAUTH_SECRET');
      expect(error.message).toMatch(/at least 32 characters/);
      expect(error.message).not.toContain('\n');
    }
  });

  it('keeps a development default outside production', () => {
    expect(readConfig({}).nextAuth.secret.length).toBeGreaterThanOrEqual(32);
    expect(readConfig({ NEXTAUTH_SECRET: 'short' }).nextAuth.secret).toBe('short');
  });
});
