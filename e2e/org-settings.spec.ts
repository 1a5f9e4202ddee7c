/**
 * The Settings, Auto-join and Machine-to-machine apps tabs as an admin (alice), a manager (bob)
 * and the operator. Everything happens in scratch organizations this spec creates (alice admin,
 * bob manager) and deletes again, so the seeded ones other specs read stay as they are.
 */
import type { Page } from '@playwright/test';
import { expect, organizationIdByName, storageStatePath, test } from './fixtures';
import {
  createOrganizationRole,
  deleteOrganizationRole,
  logtoApi,
  memberByEmail,
  setMemberRoles,
} from './support/logto-api';

type Organization = {
  id: string;
  name: string;
  description: string | null;
  isMfaRequired: boolean;
  color: { primaryColor?: string };
  branding: { logoUrl?: string; darkLogoUrl?: string };
};

const stamp = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const created: { orgs: string[]; apps: string[]; roles: string[]; connectors: string[] } = {
  orgs: [],
  apps: [],
  roles: [],
  connectors: [],
};

/** A seeded Acme member's user id. */
async function userId(email: string): Promise<string> {
  return (await memberByEmail(await organizationIdByName('Acme'), email)).id;
}

/** The HTTP status Logto answers a GET with (the helper throws on anything but 2xx). */
async function statusOf(path: string): Promise<number> {
  try {
    await logtoApi('GET', path);
    return 200;
  } catch (error) {
    const status = /→ (\d{3})/.exec(String(error))?.[1];
    if (!status) throw error;
    return Number(status);
  }
}

/** Deletes what a test created; already gone (the test removed it) is fine. */
async function cleanUp(path: string): Promise<void> {
  if ((await statusOf(path)) === 200) await logtoApi('DELETE', path);
}

/** A scratch organization with alice as admin and bob as manager. */
async function scratchOrganization(label: string): Promise<Organization> {
  const { data } = await logtoApi<Organization>('POST', '/organizations', {
    name: `${label} ${stamp()}`,
    description: 'Scratch organization of the settings spec.',
  });
  created.orgs.push(data.id);
  const [alice, bob] = await Promise.all([userId('alice@acme.example'), userId('bob@acme.example')]);
  await logtoApi('POST', `/organizations/${data.id}/users`, { userIds: [alice, bob] });
  await Promise.all([setMemberRoles(data.id, alice, ['admin']), setMemberRoles(data.id, bob, ['manager'])]);
  return data;
}

async function organization(id: string): Promise<Organization> {
  return (await logtoApi<Organization>('GET', `/organizations/${id}`)).data;
}

const tabs = (page: Page) => page.getByRole('navigation', { name: 'Organization sections' });

test.afterAll(async ({ browser, baseURL }) => {
  for (const id of created.orgs) await cleanUp(`/organizations/${id}`);
  for (const id of created.apps) await cleanUp(`/applications/${id}`);
  for (const id of created.connectors) await cleanUp(`/sso-connectors/${id}`);
  for (const id of created.roles) await deleteOrganizationRole(id);
  // The portal keeps the tenant's role list for up to a minute; the Auto-join page reads it afresh,
  // so the roles deleted above are gone from what the next spec is shown.
  const context = await browser.newContext({ baseURL, storageState: storageStatePath('alice') });
  try {
    const page = await context.newPage();
    await page.goto(`/orgs/${await organizationIdByName('Acme')}/auto-join`);
    await expect(page.getByRole('group', { name: 'Default roles' })).toBeVisible();
    await expect(page.getByRole('group', { name: 'Default roles' }).getByRole('checkbox')).toHaveCount(3);
  } finally {
    await context.close();
  }
});

test('an admin edits the settings with a live preview; Logto and the organizations list follow', async ({
  pageAs,
  capture,
}) => {
  const org = await scratchOrganization('Settings Lab');
  const page = await pageAs('alice');
  await page.goto(`/orgs/${org.id}/members`);
  await tabs(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org.id}/settings$`));
  await expect(page.getByRole('heading', { name: 'Organization settings' })).toBeVisible();
  // Only operators delete organizations.
  await expect(page.getByRole('heading', { name: 'Delete this organization' })).toHaveCount(0);

  const name = `Renamed Lab ${stamp()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description').fill('Where the lab keeps its settings');
  await page.getByLabel('Logo URL', { exact: true }).fill('https://cdn.lab.example/logo.png');
  await page.getByLabel('Logo URL for dark mode').fill('https://cdn.lab.example/logo-dark.png');
  await page.getByLabel('Brand colour', { exact: true }).fill('#336699');
  // The preview follows what is typed, before anything is saved.
  const light = page.getByTestId('preview-light');
  const dark = page.getByTestId('preview-dark');
  await expect(light.getByRole('img', { name: `Logo of ${name}` })).toHaveAttribute(
    'src',
    'https://cdn.lab.example/logo.png',
  );
  await expect(dark.getByRole('img', { name: `Logo of ${name}` })).toHaveAttribute(
    'src',
    'https://cdn.lab.example/logo-dark.png',
  );
  await expect(light.getByText(name)).toBeVisible();

  const mfa = page.getByRole('checkbox', { name: 'Require MFA for members' });
  await expect(mfa).toHaveAccessibleDescription(/second sign-in step/);
  await mfa.check();
  await capture(page, 'settings');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  expect(await organization(org.id)).toMatchObject({
    name,
    description: 'Where the lab keeps its settings',
    isMfaRequired: true,
    color: { primaryColor: '#336699' },
    branding: {
      logoUrl: 'https://cdn.lab.example/logo.png',
      darkLogoUrl: 'https://cdn.lab.example/logo-dark.png',
    },
  });

  // Bad input: field errors, and Logto keeps what it had.
  await page.getByLabel('Brand colour', { exact: true }).fill('blue');
  await page.getByLabel('Logo URL', { exact: true }).fill('http://cdn.lab.example/logo.png');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Enter a hex colour such as #5d34f2 or #abc.')).toBeVisible();
  await expect(page.getByText('Enter a full web address starting with https://.')).toBeVisible();
  expect((await organization(org.id)).color).toEqual({ primaryColor: '#336699' });

  // The organizations list shows the logo.
  await page.goto(`/orgs?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole('img', { name: `Logo of ${name}` })).toHaveAttribute(
    'src',
    'https://cdn.lab.example/logo.png',
  );

  // And the activity log has the change.
  await page.goto(`/orgs/${org.id}/activity`);
  await expect(page.getByText(`changed the settings of ${name}`)).toBeVisible();
});

test('a manager has no Settings, Auto-join or apps tab, and the pages say so', async ({ pageAs }) => {
  const org = await scratchOrganization('Manager Lab');
  const page = await pageAs('bob');
  await page.goto(`/orgs/${org.id}/members`);
  await expect(tabs(page).getByRole('link', { name: 'Members' })).toBeVisible();
  for (const tab of ['Settings', 'Auto-join', 'Machine-to-machine apps']) {
    await expect(tabs(page).getByRole('link', { name: tab })).toHaveCount(0);
  }
  await page.goto(`/orgs/${org.id}/settings`);
  await expect(
    page.getByText('You need the permission to manage this organization to see its settings.'),
  ).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveCount(0);
  await page.goto(`/orgs/${org.id}/auto-join`);
  await expect(
    page.getByText('You need the permission to manage this organization to see its auto-join settings.'),
  ).toBeVisible();
  await page.goto(`/orgs/${org.id}/apps`);
  await expect(
    page.getByText('Only operators and people who manage this organization can see its apps.'),
  ).toBeVisible();
});

test('an admin sets auto-join domains and default roles; public mail domains are refused', async ({
  pageAs,
}) => {
  const org = await scratchOrganization('Auto-join Lab');
  const { data: connector } = await logtoApi<{ id: string; connectorName: string }>(
    'POST',
    '/sso-connectors',
    {
      providerName: 'OIDC',
      connectorName: `Lab SSO ${stamp()}`,
      domains: ['lab.example'],
    },
  );
  created.connectors.push(connector.id);
  await logtoApi('POST', `/organizations/${org.id}/jit/sso-connectors`, { ssoConnectorIds: [connector.id] });

  const page = await pageAs('alice');
  await page.goto(`/orgs/${org.id}/members`);
  await tabs(page).getByRole('link', { name: 'Auto-join' }).click();
  await expect(page.getByRole('heading', { name: 'Auto-join', level: 2 })).toBeVisible();
  await expect(page.getByText('No domains yet: nobody joins automatically by email.')).toBeVisible();

  const domain = page.getByLabel('Email domain', { exact: true });
  await domain.fill('gmail.com');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(domain).toHaveAccessibleDescription(
    'gmail.com is a public email service: anyone can get an address there, so it cannot be used for auto-join.',
  );
  await domain.fill('https://lab.example/');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(domain).toHaveAccessibleDescription(
    'Enter a domain such as example.com, without @ or https://.',
  );
  expect((await logtoApi('GET', `/organizations/${org.id}/jit/email-domains`)).data).toEqual([]);

  await domain.fill('@Lab.Example');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(page.getByText('Added lab.example')).toBeVisible();
  const domains = page.getByRole('list', { name: 'Email domains' });
  await expect(domains.getByRole('listitem')).toHaveCount(1);
  await expect(domains.getByText('lab.example', { exact: true })).toBeVisible();
  await domain.fill('lab.example');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await expect(domain).toHaveAccessibleDescription('lab.example is already listed.');

  const roles = page.getByRole('group', { name: 'Default roles' });
  await roles.getByRole('checkbox', { name: /^member/ }).check();
  await page.getByRole('button', { name: 'Save default roles' }).click();
  await expect(page.getByText('Default roles saved')).toBeVisible();
  const jitRoles = await logtoApi<{ name: string }[]>('GET', `/organizations/${org.id}/jit/roles`);
  expect(jitRoles.data.map((role) => role.name)).toEqual(['member']);

  // SSO connectors are listed, not edited.
  const sso = page.getByRole('list', { name: 'Enterprise SSO connectors' });
  await expect(sso).toContainText(connector.connectorName);
  await expect(sso).toContainText('Domains: lab.example');

  await domains.getByRole('button', { name: 'Remove lab.example' }).click();
  await expect(page.getByText('Removed lab.example')).toBeVisible();
  expect((await logtoApi('GET', `/organizations/${org.id}/jit/email-domains`)).data).toEqual([]);
});

test('default roles: nobody offers or grants a role beyond their own permissions (rule 3)', async ({
  pageAs,
}) => {
  const org = await scratchOrganization('Rule Three Lab');
  // bob gets a role that may manage the organization but not invite, remove or assign roles.
  const role = await createOrganizationRole(`settings-only-${stamp()}`, [
    'read:members',
    'manage:organization',
  ]);
  created.roles.push(role.id);
  await setMemberRoles(org.id, await userId('bob@acme.example'), [role.name]);

  const page = await pageAs('bob');
  await page.goto(`/orgs/${org.id}/auto-join`);
  const roles = page.getByRole('group', { name: 'Default roles' });
  await expect(roles.getByRole('checkbox', { name: /^admin/ })).toBeDisabled();
  await expect(roles.getByRole('checkbox', { name: /^manager/ })).toBeDisabled();
  await expect(roles.getByText('beyond your own permissions')).toHaveCount(2);
  await roles.getByRole('checkbox', { name: /^member/ }).check();
  await page.getByRole('button', { name: 'Save default roles' }).click();
  await expect(page.getByText('Default roles saved')).toBeVisible();
  const jitRoles = await logtoApi<{ name: string }[]>('GET', `/organizations/${org.id}/jit/roles`);
  expect(jitRoles.data.map((jitRole) => jitRole.name)).toEqual(['member']);
});

test('the operator adds an M2M app with roles; an admin changes its roles and removes it but cannot add', async ({
  pageAs,
}) => {
  const org = await scratchOrganization('Apps Lab');
  const appName = `Lab sync ${stamp()}`;
  const { data: app } = await logtoApi<{ id: string }>('POST', '/applications', {
    name: appName,
    type: 'MachineToMachine',
  });
  created.apps.push(app.id);
  const { data: machineRole } = await logtoApi<{ id: string; name: string }>('POST', '/organization-roles', {
    name: `lab-reader-${stamp()}`,
    type: 'MachineToMachine',
  });
  created.roles.push(machineRole.id);

  const operator = await pageAs('operator');
  await operator.goto(`/orgs/${org.id}/members`);
  await tabs(operator).getByRole('link', { name: 'Machine-to-machine apps' }).click();
  await expect(
    operator.getByText('No machine-to-machine app belongs to this organization yet.'),
  ).toBeVisible();
  await operator.getByRole('button', { name: 'Add app' }).click();
  const dialog = operator.getByRole('dialog', { name: 'Add a machine-to-machine app' });
  await dialog.getByLabel('App', { exact: true }).selectOption({ label: appName });
  await dialog.getByRole('checkbox', { name: new RegExp(`^${machineRole.name}`) }).check();
  // Person roles are not offered to apps.
  await expect(dialog.getByRole('checkbox', { name: /^admin/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Add app' }).click();
  await expect(operator.getByText(`Added ${appName}`)).toBeVisible();
  const row = operator.getByRole('row', { name: new RegExp(appName) });
  await expect(row).toContainText(machineRole.name);
  const held = await logtoApi<{ name: string }[]>(
    'GET',
    `/organizations/${org.id}/applications/${app.id}/roles`,
  );
  expect(held.data.map((heldRole) => heldRole.name)).toEqual([machineRole.name]);

  const alice = await pageAs('alice');
  await alice.goto(`/orgs/${org.id}/apps`);
  await expect(alice.getByRole('button', { name: 'Add app' })).toHaveCount(0);
  const aliceRow = alice.getByRole('row', { name: new RegExp(appName) });
  await aliceRow.getByRole('button', { name: /Change roles/ }).click();
  const rolesDialog = alice.getByRole('dialog', { name: `Roles of ${appName}` });
  await rolesDialog.getByRole('checkbox', { name: new RegExp(`^${machineRole.name}`) }).uncheck();
  await rolesDialog.getByRole('button', { name: 'Save roles' }).click();
  await expect(alice.getByText(`Roles of ${appName} saved`)).toBeVisible();
  await expect(aliceRow).toContainText('No roles');
  expect((await logtoApi('GET', `/organizations/${org.id}/applications/${app.id}/roles`)).data).toEqual([]);

  await aliceRow.getByRole('button', { name: /Remove/ }).click();
  const confirm = alice.getByRole('dialog', { name: `Remove ${appName} from ${org.name}?` });
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(alice.getByText(`Removed ${appName}`)).toBeVisible();
  await expect(alice.getByText('No machine-to-machine app belongs to this organization yet.')).toBeVisible();
  expect((await logtoApi('GET', `/organizations/${org.id}/applications`)).data).toEqual([]);
  // The app itself stays in Logto.
  expect(await statusOf(`/applications/${app.id}`)).toBe(200);
});

test('the operator deletes an organization only after typing its exact name', async ({ pageAs }) => {
  const org = await scratchOrganization('Doomed Lab');
  const page = await pageAs('operator');
  await page.goto(`/orgs/${org.id}/settings`);
  const remove = page.getByRole('button', { name: 'Delete organization' });
  const confirmName = page.getByLabel(`Type the organization’s name, ${org.name}, to confirm`);
  await expect(remove).toBeDisabled();
  await confirmName.fill(org.name.toLowerCase());
  await expect(remove).toBeDisabled();
  await confirmName.fill(org.name);
  await remove.click();
  await expect(page).toHaveURL(/\/orgs$/);
  await expect(page.getByText(`Deleted ${org.name}`)).toBeVisible();
  expect(await statusOf(`/organizations/${org.id}`)).toBe(404);
});
