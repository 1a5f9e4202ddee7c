/**
 * `npm run test:contract [-- <vitest filters>]`: the contract suite of the Management API.
 *
 * - No `LOGTO_ENDPOINT`: each test file starts a fresh local Logto (what `npm test` also runs).
 * - `LOGTO_ENDPOINT` (+ `LOGTO_M2M_APP_ID`, `LOGTO_M2M_APP_SECRET`, optionally
 *   `LOGTO_MANAGEMENT_ENDPOINT`, `LOGTO_MANAGEMENT_API_RESOURCE`): the suite runs against that
 *   tenant. Everything it creates is named `contract-<ms>-…` and deleted by the tests; afterwards
 *   this script counts the tenant's entities against the counts before, deletes anything still
 *   carrying the prefix (and fails the run if it found some), and the reporter lists the checks
 *   whose answers differ from the local Logto's.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createManagementClient, type ManagementClient } from './management-client';
import {
  countTenant,
  deleteLeftovers,
  ENTITY_KINDS,
  findLeftovers,
  type TenantCounts,
} from './tenant-inventory';
import {
  CONTRACT_TARGET_VARIABLE,
  ContractTargetError,
  createRunPrefix,
  type ManagementTarget,
  readExternalTarget,
  RUN_PREFIX_VARIABLE,
} from './target';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const REPORTER = fileURLToPath(new URL('./difference-reporter.ts', import.meta.url));

function runVitest(env: NodeJS.ProcessEnv, extraArgs: string[]): Promise<number> {
  const args = [
    VITEST,
    'run',
    'emulator/contract',
    '--reporter=default',
    `--reporter=${REPORTER}`,
    ...extraArgs,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function formatCounts(before: TenantCounts, after: TenantCounts): string {
  const rows = ENTITY_KINDS.map((kind) => {
    const change = after[kind] - before[kind];
    const note = change === 0 ? 'unchanged' : `${change > 0 ? '+' : ''}${change}`;
    return `  ${kind.padEnd(20)} ${String(before[kind]).padStart(7)} → ${String(after[kind]).padEnd(7)} ${note}`;
  });
  return ['Tenant before → after the run:', ...rows].join('\n');
}

async function sweep(client: ManagementClient, prefix: string): Promise<boolean> {
  const leftovers = await findLeftovers(client, prefix);
  if (leftovers.length === 0) {
    console.log(`Nothing named ${prefix}… is left in the tenant.`);
    return true;
  }
  console.error(`The run left ${leftovers.length} entities behind; deleting them now:`);
  for (const leftover of leftovers) console.error(`  ${leftover.kind} ${leftover.id} ${leftover.name}`);
  const failures = await deleteLeftovers(client, leftovers);
  for (const failure of failures) console.error(`  could not delete: ${failure}`);
  const remaining = await findLeftovers(client, prefix);
  for (const leftover of remaining) {
    console.error(`  still there (delete it by hand): ${leftover.kind} ${leftover.id} ${leftover.name}`);
  }
  return false;
}

async function main(): Promise<number> {
  const extraArgs = process.argv.slice(2);
  const prefix = createRunPrefix();
  const isExternal = Boolean(
    process.env.LOGTO_ENDPOINT?.trim() || process.env.LOGTO_MANAGEMENT_ENDPOINT?.trim(),
  );

  if (!isExternal) {
    const env: NodeJS.ProcessEnv = { ...process.env, [RUN_PREFIX_VARIABLE]: prefix };
    delete env[CONTRACT_TARGET_VARIABLE];
    console.log('Contract suite against freshly started local Logtos (one per test file).');
    return runVitest(env, extraArgs);
  }

  let target: ManagementTarget;
  try {
    target = readExternalTarget(process.env);
  } catch (error) {
    if (error instanceof ContractTargetError) {
      console.error(`test:contract: ${error.message}`);
      return 2;
    }
    throw error;
  }
  let client: ManagementClient;
  try {
    client = await createManagementClient(target);
  } catch (error) {
    const reason =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    console.error(`test:contract: cannot use the Management API at ${target.managementEndpoint}: ${reason}`);
    return 2;
  }
  const before = await countTenant(client);
  console.log(
    `Contract suite against ${target.managementEndpoint} as ${target.m2mAppId}; everything it creates is named ${prefix}…`,
  );
  const vitestCode = await runVitest(
    { ...process.env, [CONTRACT_TARGET_VARIABLE]: 'external', [RUN_PREFIX_VARIABLE]: prefix },
    extraArgs,
  );
  const isClean = await sweep(client, prefix);
  console.log(formatCounts(before, await countTenant(client)));
  return vitestCode !== 0 ? vitestCode : isClean ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:contract: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
