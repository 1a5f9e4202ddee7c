import { describe, expect, it } from 'vitest';
import { createTestOrganization } from './fixtures';
import { localOnly, setUpContractHarness, uniqueName } from './harness';

const h = setUpContractHarness({ profile: 'bare' });

describe('PATCH /organizations/:id, field by field', () => {
  it('sets name, description, customData, isMfaRequired, color and branding', async () => {
    const id = await createTestOrganization(h);
    const name = uniqueName('Renamed');
    const patch = {
      name,
      description: 'What this organization is',
      customData: { plan: 'gold', seats: 20 },
      isMfaRequired: true,
      color: { primaryColor: '#336699', isDarkModeEnabled: true, darkPrimaryColor: '#ABC' },
      branding: {
        logoUrl: 'https://cdn.example.com/logo.png',
        darkLogoUrl: 'https://cdn.example.com/dark.png',
      },
    };
    const response = await h.api('PATCH', `/organizations/${id}`, patch);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id, ...patch });
    expect((await h.api('GET', `/organizations/${id}`)).json).toMatchObject(patch);

    const off = await h.api('PATCH', `/organizations/${id}`, { isMfaRequired: false, branding: {} });
    expect(off.json).toMatchObject({ isMfaRequired: false, branding: {}, color: patch.color, name });
  });

  it('refuses bad colours, non-URL logos, over-long names and descriptions, changing nothing', async () => {
    const id = await createTestOrganization(h);
    const before = (await h.api('GET', `/organizations/${id}`)).json;
    for (const body of [
      { color: { primaryColor: 'blue' } },
      { color: { primaryColor: '#12345' } },
      { branding: { logoUrl: 'not a url' } },
      { branding: { darkLogoUrl: 42 } },
      { isMfaRequired: 'yes' },
      { name: 'x'.repeat(129) },
      { description: 'x'.repeat(257) },
      { customData: [] },
    ]) {
      const response = await h.api('PATCH', `/organizations/${id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.code).toBe('guard.invalid_input');
    }
    expect((await h.api('GET', `/organizations/${id}`)).json).toEqual(before);
  });
});

describe('POST /connectors', () => {
  const local = localOnly('registers the local outbox connector, which only the local Logto has');

  local(
    'registers an email connector that replaces the existing one; unknown factories are 422',
    async () => {
      const before = await h.api<Array<{ id: string; connectorId: string; type: string }>>(
        'GET',
        '/connectors',
      );
      const factoryId = before.json[0]?.connectorId ?? 'emulator-outbox-email';
      const created = await h.api('POST', '/connectors', { connectorId: factoryId, config: {} });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ connectorId: factoryId, type: 'Email', config: {} });
      const after = await h.api<Array<{ id: string }>>('GET', '/connectors');
      expect(after.json.map((connector) => connector.id)).toEqual([created.json.id]);

      const unknown = await h.api('POST', '/connectors', { connectorId: 'no-such-factory' });
      expect(unknown.status).toBe(422);
      expect(unknown.json.code).toBe('connector.not_found_with_connector_id');
      const missing = await h.api('POST', '/connectors', { config: {} });
      expect(missing.status).toBe(400);
      expect((await h.api<Array<{ id: string }>>('GET', '/connectors')).json.map((c) => c.id)).toEqual([
        created.json.id,
      ]);
    },
  );
});
