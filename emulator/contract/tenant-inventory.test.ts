import { describe, expect, it } from 'vitest';
import { createOrganizationTemplate, createTestOrganization, createTestUser } from './fixtures';
import { LOCAL_ONLY, localOnly, setUpContractHarness, uniqueName, uniqueUsername } from './harness';
import { createManagementClient } from './management-client';
import { countTenant, deleteLeftovers, findLeftovers } from './tenant-inventory';

// What the runner does after an external run, checked on entities this test leaves on purpose.
const h = setUpContractHarness({ profile: 'bare' });

describe('the leftover sweep of external runs', () => {
  it('finds every kind of entity named with a prefix and deletes them all', async () => {
    const client = await createManagementClient(h.target);
    // Everything below is registered for cleanup too, in case the sweep misses something.
    const prefix = `${uniqueName('sweep')}-`;
    const organizationId = await createTestOrganization(h, `${prefix}org`);
    await createTestUser(h, { primaryEmail: `${prefix.toUpperCase()}mail@contract.example` });
    await createTestUser(h, { primaryEmail: undefined, username: `${prefix.replace(/-/g, '_')}nomail` });
    const invitation = await h.api('POST', '/organization-invitations', {
      organizationId,
      invitee: `${prefix}invitee@contract.example`,
      expiresAt: Date.now() + 60_000,
    });
    h.deleteLater(`/organization-invitations/${invitation.json.id as string}`);
    await createOrganizationTemplate(h);
    const scope = await h.api('POST', '/organization-scopes', { name: `${prefix}scope` });
    h.deleteLater(`/organization-scopes/${scope.json.id as string}`);
    const role = await h.api('POST', '/roles', { name: `${prefix}role`, description: 'Left behind.' });
    h.deleteLater(`/roles/${role.json.id as string}`);
    const application = await h.api('POST', '/applications', {
      name: `${prefix}app`,
      type: 'MachineToMachine',
    });
    h.deleteLater(`/applications/${application.json.id as string}`);
    const resource = await h.api('POST', '/resources', {
      name: `${prefix}api`,
      indicator: `https://${prefix}api.example`,
    });
    h.deleteLater(`/resources/${resource.json.id as string}`);
    // Named like the run but not with this prefix: must survive.
    const bystander = await createTestOrganization(h, uniqueName('bystander'));

    const leftovers = await findLeftovers(client, prefix);
    expect(leftovers.map((leftover) => [leftover.kind, leftover.name]).sort()).toEqual(
      [
        ['applications', `${prefix}app`],
        ['invitations', `${prefix}invitee@contract.example`],
        ['organizationScopes', `${prefix}scope`],
        ['organizations', `${prefix}org`],
        ['resources', `${prefix}api`],
        ['roles', `${prefix}role`],
        ['users', `${prefix.toUpperCase()}mail@contract.example`],
        ['users', `${prefix.replace(/-/g, '_')}nomail`],
      ].sort(),
    );
    expect(await deleteLeftovers(client, leftovers)).toEqual([]);
    expect(await findLeftovers(client, prefix)).toEqual([]);
    expect((await h.api('GET', `/organizations/${bystander}`)).status).toBe(200);
  });

  localOnly(LOCAL_ONLY.tenantWide)('counts every kind of entity', async () => {
    const client = await createManagementClient(h.target);
    const before = await countTenant(client);
    const organizationId = await createTestOrganization(h);
    await createTestUser(h);
    const invitation = await h.api('POST', '/organization-invitations', {
      organizationId,
      invitee: `${uniqueName('counted')}@contract.example`,
      expiresAt: Date.now() + 60_000,
    });
    h.deleteLater(`/organization-invitations/${invitation.json.id as string}`);
    await createOrganizationTemplate(h);
    const role = await h.api('POST', '/roles', { name: uniqueName('counted'), description: 'Counted.' });
    h.deleteLater(`/roles/${role.json.id as string}`);
    const application = await h.api('POST', '/applications', {
      name: uniqueName('counted'),
      type: 'Traditional',
    });
    h.deleteLater(`/applications/${application.json.id as string}`);
    const resource = await h.api('POST', '/resources', {
      name: uniqueName('counted'),
      indicator: `https://${uniqueName('counted')}.example`,
    });
    h.deleteLater(`/resources/${resource.json.id as string}`);
    expect(await countTenant(client)).toEqual({
      organizations: before.organizations + 1,
      users: before.users + 1,
      organizationRoles: before.organizationRoles + 3,
      organizationScopes: before.organizationScopes + 4,
      roles: before.roles + 1,
      resources: before.resources + 1,
      applications: before.applications + 1,
      invitations: before.invitations + 1,
    });
  });

  it('matches the prefix at the start only', async () => {
    const client = await createManagementClient(h.target);
    const prefix = `${uniqueName('start')}-`;
    await createTestOrganization(h, `${uniqueName('before')}-${prefix}org`);
    await createTestUser(h, { username: uniqueUsername('user'), name: `Named ${prefix}` });
    expect(await findLeftovers(client, prefix)).toEqual([]);
  });
});
