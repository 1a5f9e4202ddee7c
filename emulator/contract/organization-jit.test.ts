import { describe, expect, it } from 'vitest';
import { createTestOrganization } from './fixtures';
import { type ContractHarness, linkLines, setUpContractHarness, uniqueName } from './harness';

const h = setUpContractHarness({ profile: 'bare' });

type EmailDomain = { tenantId: string; organizationId: string; emailDomain: string };

const domainName = () => `${uniqueName('d').toLowerCase()}.example`;

async function createOrganizationRole(harness: ContractHarness, type: 'User' | 'MachineToMachine' = 'User') {
  const response = await harness.api('POST', '/organization-roles', { name: uniqueName('jit-role'), type });
  if (response.status !== 201) throw new Error(`Creating a role failed: ${response.status} ${response.text}`);
  harness.deleteLater(`/organization-roles/${response.json.id as string}`);
  return response.json as { id: string; name: string; type: string };
}

async function createSsoConnector(harness: ContractHarness) {
  const response = await harness.api('POST', '/sso-connectors', {
    providerName: 'OIDC',
    connectorName: uniqueName('sso'),
  });
  if (response.status !== 200)
    throw new Error(`Creating an SSO connector failed: ${response.status} ${response.text}`);
  harness.deleteLater(`/sso-connectors/${response.json.id as string}`);
  return response.json as { id: string; connectorName: string };
}

describe('/organizations/:id/jit/email-domains', () => {
  it('adds (201 with the row), lists and deletes (204) a domain', async () => {
    const id = await createTestOrganization(h);
    const emailDomain = domainName();
    const created = await h.api('POST', `/organizations/${id}/jit/email-domains`, { emailDomain });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ tenantId: h.tenantId, organizationId: id, emailDomain });

    const listed = await h.api<EmailDomain[]>('GET', `/organizations/${id}/jit/email-domains`);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual([{ tenantId: h.tenantId, organizationId: id, emailDomain }]);

    const deleted = await h.api('DELETE', `/organizations/${id}/jit/email-domains/${emailDomain}`);
    expect(deleted.status).toBe(204);
    expect((await h.api('GET', `/organizations/${id}/jit/email-domains`)).json).toEqual([]);
  });

  it('lists all rows without headers unless page or page_size is given', async () => {
    const id = await createTestOrganization(h);
    const domains = Array.from({ length: 25 }, domainName);
    expect(
      (await h.api('PUT', `/organizations/${id}/jit/email-domains`, { emailDomains: domains })).status,
    ).toBe(204);
    const all = await h.api<EmailDomain[]>('GET', `/organizations/${id}/jit/email-domains`);
    expect(all.json).toHaveLength(25);
    expect(all.headers.get('total-number')).toBeNull();

    const page1 = await h.api<EmailDomain[]>(
      'GET',
      `/organizations/${id}/jit/email-domains?page=1&page_size=20`,
    );
    const page2 = await h.api<EmailDomain[]>(
      'GET',
      `/organizations/${id}/jit/email-domains?page=2&page_size=10`,
    );
    expect(page1.headers.get('total-number')).toBe('25');
    expect(page1.json).toHaveLength(20);
    expect(page2.json.map((row) => row.emailDomain)).toEqual(
      page1.json.slice(10, 20).map((row) => row.emailDomain),
    );
    expect(linkLines(page2.headers).some((line) => line.endsWith('rel="prev"'))).toBe(true);
    const sizeOnly = await h.api<EmailDomain[]>('GET', `/organizations/${id}/jit/email-domains?page_size=5`);
    expect(sizeOnly.json).toHaveLength(5);
    expect((await h.api('GET', `/organizations/${id}/jit/email-domains?page=0`)).json.code).toBe(
      'guard.invalid_pagination',
    );
  });

  it('refuses a duplicate (422), an empty domain (400) and an unknown organization (422)', async () => {
    const id = await createTestOrganization(h);
    const emailDomain = domainName();
    await h.api('POST', `/organizations/${id}/jit/email-domains`, { emailDomain });
    const duplicate = await h.api('POST', `/organizations/${id}/jit/email-domains`, { emailDomain });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json.code).toBe('entity.unique_integrity_violation');
    const empty = await h.api('POST', `/organizations/${id}/jit/email-domains`, { emailDomain: '' });
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
    const unknown = await h.api('POST', '/organizations/unknown-org/jit/email-domains', { emailDomain });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('entity.relation_foreign_key_not_found');
    expect((await h.api('GET', `/organizations/${id}/jit/email-domains`)).json).toHaveLength(1);
  });

  it('PUT replaces the set; deleting an absent domain is 404 entity.not_found', async () => {
    const id = await createTestOrganization(h);
    await h.api('POST', `/organizations/${id}/jit/email-domains`, { emailDomain: domainName() });
    const next = [domainName(), domainName()];
    await h.api('PUT', `/organizations/${id}/jit/email-domains`, { emailDomains: next });
    const listed = await h.api<EmailDomain[]>('GET', `/organizations/${id}/jit/email-domains`);
    expect(listed.json.map((row) => row.emailDomain).sort()).toEqual([...next].sort());
    expect((await h.api('PUT', `/organizations/${id}/jit/email-domains`, { emailDomains: 'x' })).status).toBe(
      400,
    );
    const absent = await h.api('DELETE', `/organizations/${id}/jit/email-domains/${domainName()}`);
    expect(absent.status).toBe(404);
    expect(absent.json.code).toBe('entity.not_found');
    expect((await h.api('PUT', `/organizations/${id}/jit/email-domains`, { emailDomains: [] })).status).toBe(
      204,
    );
    expect((await h.api('GET', `/organizations/${id}/jit/email-domains`)).json).toEqual([]);
  });
});

describe('/organizations/:id/jit/roles', () => {
  it('adds roles (201, existing ignored), lists full role objects and deletes one (204)', async () => {
    const id = await createTestOrganization(h);
    const [first, second] = [await createOrganizationRole(h), await createOrganizationRole(h)];
    const added = await h.api('POST', `/organizations/${id}/jit/roles`, { organizationRoleIds: [first.id] });
    expect(added.status).toBe(201);
    expect(added.text).toBe('Created');
    const again = await h.api('POST', `/organizations/${id}/jit/roles`, {
      organizationRoleIds: [first.id, second.id],
    });
    expect(again.status).toBe(201);
    const listed = await h.api<Array<{ id: string }>>('GET', `/organizations/${id}/jit/roles`);
    expect(listed.json.map((role) => role.id).sort()).toEqual([first.id, second.id].sort());
    expect(listed.json[0]).toEqual({
      tenantId: h.tenantId,
      id: expect.any(String),
      name: expect.any(String),
      description: null,
      type: 'User',
    });
    expect(listed.headers.get('total-number')).toBeNull();
    const paged = await h.api('GET', `/organizations/${id}/jit/roles?page_size=1`);
    expect(paged.json).toHaveLength(1);
    expect(paged.headers.get('total-number')).toBe('2');

    expect((await h.api('DELETE', `/organizations/${id}/jit/roles/${first.id}`)).status).toBe(204);
    const absent = await h.api('DELETE', `/organizations/${id}/jit/roles/${first.id}`);
    expect(absent.status).toBe(404);
    expect(absent.json.code).toBe('entity.not_found');
  });

  it('refuses an empty list (400), unknown roles (422) and lists an unknown organization as 404', async () => {
    const id = await createTestOrganization(h);
    const empty = await h.api('POST', `/organizations/${id}/jit/roles`, { organizationRoleIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
    const unknown = await h.api('POST', `/organizations/${id}/jit/roles`, { organizationRoleIds: ['nope'] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('entity.relation_foreign_key_not_found');
    const replaceUnknown = await h.api('PUT', `/organizations/${id}/jit/roles`, {
      organizationRoleIds: ['nope'],
    });
    expect(replaceUnknown.status).toBe(422);
    const missing = await h.api('GET', '/organizations/unknown-org/jit/roles');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The organizations with ID `unknown-org` does not exist.',
    });
  });

  it('PUT replaces the set (an empty list clears it)', async () => {
    const id = await createTestOrganization(h);
    const [first, second] = [await createOrganizationRole(h), await createOrganizationRole(h)];
    await h.api('POST', `/organizations/${id}/jit/roles`, { organizationRoleIds: [first.id] });
    expect(
      (await h.api('PUT', `/organizations/${id}/jit/roles`, { organizationRoleIds: [second.id] })).status,
    ).toBe(204);
    expect(
      (await h.api<Array<{ id: string }>>('GET', `/organizations/${id}/jit/roles`)).json.map((r) => r.id),
    ).toEqual([second.id]);
    await h.api('PUT', `/organizations/${id}/jit/roles`, { organizationRoleIds: [] });
    expect((await h.api('GET', `/organizations/${id}/jit/roles`)).json).toEqual([]);
  });
});

describe('/sso-connectors and /organizations/:id/jit/sso-connectors', () => {
  it('creates (200), lists, reads and deletes SSO connectors', async () => {
    const created = await createSsoConnector(h);
    expect(created).toMatchObject({ providerName: 'OIDC', domains: [], syncProfile: false });
    const listed = await h.api<Array<{ id: string }>>('GET', '/sso-connectors');
    expect(listed.json.some((connector) => connector.id === created.id)).toBe(true);
    expect((await h.api('GET', `/sso-connectors/${created.id}`)).json.connectorName).toBe(
      created.connectorName,
    );
    const duplicate = await h.api('POST', '/sso-connectors', {
      providerName: 'OIDC',
      connectorName: created.connectorName,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.code).toBe('single_sign_on.duplicate_connector_name');
    const unknownProvider = await h.api('POST', '/sso-connectors', {
      providerName: 'Nope',
      connectorName: uniqueName('sso'),
    });
    expect(unknownProvider.status).toBe(422);
    expect(unknownProvider.json.code).toBe('connector.not_found');
    expect((await h.api('DELETE', `/sso-connectors/${created.id}`)).status).toBe(204);
    expect((await h.api('GET', `/sso-connectors/${created.id}`)).status).toBe(404);
  });

  it('links connectors to an organization, ignores existing links, replaces and unlinks them', async () => {
    const id = await createTestOrganization(h);
    const [first, second] = [await createSsoConnector(h), await createSsoConnector(h)];
    const base = `/organizations/${id}/jit/sso-connectors`;
    expect((await h.api('POST', base, { ssoConnectorIds: [first.id] })).status).toBe(201);
    expect((await h.api('POST', base, { ssoConnectorIds: [first.id] })).status).toBe(201);
    const listed = await h.api<Array<{ id: string; connectorName: string }>>('GET', base);
    expect(listed.json).toEqual([
      expect.objectContaining({ id: first.id, connectorName: first.connectorName }),
    ]);
    expect((await h.api('PUT', base, { ssoConnectorIds: [second.id] })).status).toBe(204);
    expect((await h.api<Array<{ id: string }>>('GET', base)).json.map((c) => c.id)).toEqual([second.id]);
    const unknown = await h.api('PUT', base, { ssoConnectorIds: ['nope'] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('entity.relation_foreign_key_not_found');
    expect((await h.api<Array<{ id: string }>>('GET', base)).json.map((c) => c.id)).toEqual([second.id]);
    expect((await h.api('DELETE', `${base}/${second.id}`)).status).toBe(204);
    expect((await h.api('DELETE', `${base}/${second.id}`)).status).toBe(404);
    // Deleting a connector removes its links.
    await h.api('POST', base, { ssoConnectorIds: [first.id] });
    await h.api('DELETE', `/sso-connectors/${first.id}`);
    expect((await h.api('GET', base)).json).toEqual([]);
  });
});
