/**
 * Runs Logto's own organization integration tests (`packages/integration-tests/src/tests/api/
 * organization` in the Logto repository) unchanged against a fresh local Logto, and prints how many
 * pass. Not part of `npm test`: it needs a copy of the Logto repository.
 *
 *   LOGTO_REPO=/path/to/logto npx tsx scripts/logto/peer-suite.ts [--ref HEAD] [--scratch DIR] [--keep]
 *
 * `LOGTO_REPO` is a checkout or a bare git directory. The tests are exported with `git archive`
 * into a scratch folder outside the project, next to the few npm packages they import (installed
 * there once with npm). Two of their helpers are swapped, nothing else:
 * - `src/api/api.ts`: Logto's suite calls its development-only `development-user-id` header; here
 *   the same ky clients send a client-credentials token of the local Logto's M2M app instead.
 * - `src/__mocks__/connectors-mock.ts`: the email connector Logto's tests register is Logto's mock
 *   connector (it writes messages to a file); the local Logto's one email connector is its outbox,
 *   so the fixture names that factory. Tests that read the mock connector's file still fail.
 * Vitest runs the files one at a time (Logto runs jest with `-i`), with jest's globals.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchManagementToken } from '../../emulator/contract/management-client';
import { MANAGEMENT_API, SEED_APPLICATIONS } from '../../emulator/db';
import { OUTBOX_CONNECTOR_FACTORY_ID } from '../../emulator/db/outbox';
import { startEmulator } from '../../emulator/server';
import { summarizePeerReport } from './peer-report';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SUITE_PATH = 'packages/integration-tests/src';
const TESTS_PATH = `${SUITE_PATH}/tests/api/organization`;
/** What Logto's integration tests import, at the versions Logto's lock file pins where it matters. */
const PEER_PACKAGES = [
  'ky@1.2.3',
  '@silverhand/essentials@2.9.3',
  '@logto/schemas',
  '@logto/shared',
  '@logto/connector-kit',
  '@logto/core-kit',
];

type Options = { repo: string; ref: string; scratch: string; keep: boolean };

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const repo = value('--repo') ?? process.env.LOGTO_REPO;
  if (!repo) {
    throw new Error(
      'Set LOGTO_REPO (or --repo) to a checkout or bare git directory of logto-io/logto, e.g. LOGTO_REPO=~/src/logto.',
    );
  }
  return {
    repo: path.resolve(repo),
    ref: value('--ref') ?? 'HEAD',
    scratch: path.resolve(value('--scratch') ?? path.join(os.tmpdir(), 'logto-peer-suite')),
    keep: argv.includes('--keep'),
  };
}

/** `git --git-dir` for a bare directory, `git -C` for a checkout. */
function gitArgs(repo: string): string[] {
  return existsSync(path.join(repo, '.git')) ? ['-C', repo] : ['--git-dir', repo];
}

function exportSuite(o: Options): string {
  const suiteDir = path.join(o.scratch, 'logto');
  rmSync(suiteDir, { recursive: true, force: true });
  mkdirSync(suiteDir, { recursive: true });
  const archive = execFileSync('git', [...gitArgs(o.repo), 'archive', '--format=tar', o.ref, SUITE_PATH], {
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', suiteDir], { input: archive });
  const commit = execFileSync('git', [...gitArgs(o.repo), 'rev-parse', '--short', o.ref])
    .toString()
    .trim();
  return commit;
}

function installPackages(scratch: string): void {
  const marker = path.join(scratch, 'node_modules', '.peer-packages');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === PEER_PACKAGES.join('\n')) return;
  writeFileSync(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'logto-peer-suite', private: true, type: 'module' }, null, 2),
  );
  console.log(`Installing ${PEER_PACKAGES.join(', ')} into ${scratch} …`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...PEER_PACKAGES], {
    cwd: scratch,
    stdio: 'inherit',
  });
  writeFileSync(marker, PEER_PACKAGES.join('\n'));
}

/** The swapped helpers, the jest globals Logto's helpers use, and the vitest config. */
function writeHarness(scratch: string): string {
  const harnessDir = path.join(scratch, 'harness');
  mkdirSync(harnessDir, { recursive: true });
  const original = (file: string) => path.join(scratch, 'logto', SUITE_PATH, file);
  writeFileSync(
    path.join(harnessDir, 'api.ts'),
    `import { formUrlEncodedHeaders } from '@logto/shared';
import { appendPath } from '@silverhand/essentials';
import ky from 'ky';
import { logtoConsoleUrl, logtoUrl, logtoCloudUrl } from '#src/constants.js';

const token = process.env.PEER_LOGTO_TOKEN;
if (!token) throw new Error('PEER_LOGTO_TOKEN is not set.');
const api = ky.extend({ prefixUrl: appendPath(new URL(logtoUrl), 'api') });
export default api;
export const baseApi = ky.extend({ prefixUrl: new URL(logtoUrl) });
export const authedAdminApi = api.extend({ headers: { authorization: \`Bearer \${token}\` } });
export const adminTenantApi = ky.extend({ prefixUrl: appendPath(new URL(logtoConsoleUrl), 'api') });
export const authedAdminTenantApi = adminTenantApi.extend({ headers: { authorization: \`Bearer \${token}\` } });
export const cloudApi = ky.extend({ prefixUrl: appendPath(new URL(logtoCloudUrl), 'api') });
export const oidcApi = ky.extend({ headers: formUrlEncodedHeaders, prefixUrl: appendPath(new URL(logtoUrl), 'oidc') });
`,
  );
  writeFileSync(
    path.join(harnessDir, 'connectors-mock.ts'),
    `export * from ${JSON.stringify(original('__mocks__/connectors-mock.ts'))};
export const mockEmailConnectorId = ${JSON.stringify(OUTBOX_CONNECTOR_FACTORY_ID)};
`,
  );
  writeFileSync(
    path.join(harnessDir, 'setup.ts'),
    `(globalThis as { fail?: (message: string) => never }).fail = (message: string) => {
  throw new Error(message);
};
`,
  );
  const swaps = {
    'api/api': path.join(harnessDir, 'api.ts'),
    '__mocks__/connectors-mock': path.join(harnessDir, 'connectors-mock.ts'),
  };
  const config = path.join(harnessDir, 'vitest.config.mjs');
  writeFileSync(
    config,
    `import { existsSync } from 'node:fs';
import path from 'node:path';
const src = ${JSON.stringify(path.join(scratch, 'logto', SUITE_PATH))};
const swaps = ${JSON.stringify(swaps)};
export default {
  root: ${JSON.stringify(scratch)},
  plugins: [{
    name: 'logto-src-imports',
    enforce: 'pre',
    resolveId(id, importer) {
      let bare;
      if (id.startsWith('#src/')) bare = id.slice(5).replace(/\\.js$/, '');
      else if (id.startsWith('.') && importer?.startsWith(src + '/')) {
        bare = path.relative(src, path.resolve(path.dirname(importer), id)).replace(/\\.js$/, '');
        if (!swaps[bare]) return null;
      } else return null;
      if (swaps[bare] && !importer?.startsWith(${JSON.stringify(harnessDir)})) return swaps[bare];
      for (const candidate of [bare + '.ts', bare + '.tsx', bare + '/index.ts']) {
        if (existsSync(src + '/' + candidate)) return src + '/' + candidate;
      }
      return null;
    },
  }],
  test: {
    include: [${JSON.stringify(path.join(scratch, 'logto', TESTS_PATH, '*.test.ts'))}],
    globals: true,
    setupFiles: [${JSON.stringify(path.join(harnessDir, 'setup.ts'))}],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60000,
    hookTimeout: 60000,
    update: false,
  },
};
`,
  );
  return config;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.scratch, { recursive: true });
  const commit = exportSuite(o);
  installPackages(o.scratch);
  const config = writeHarness(o.scratch);

  const emulator = await startEmulator({ port: 0, profile: 'bare', quiet: true });
  const reportFile = path.join(o.scratch, 'report.json');
  rmSync(reportFile, { force: true });
  try {
    const token = await fetchManagementToken({
      managementEndpoint: emulator.url,
      managementApiResource: MANAGEMENT_API.indicator,
      m2mAppId: SEED_APPLICATIONS.m2m.id,
      m2mAppSecret: SEED_APPLICATIONS.m2m.secret,
    });
    console.log(`Logto ${commit}: ${TESTS_PATH} against the local Logto at ${emulator.url}`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        path.join(PROJECT_ROOT, 'node_modules/.bin/vitest'),
        ['run', '--config', config, '--reporter=dot', '--reporter=json', `--outputFile.json=${reportFile}`],
        {
          cwd: o.scratch,
          stdio: 'inherit',
          env: {
            ...process.env,
            CI: '1',
            INTEGRATION_TESTS_LOGTO_URL: emulator.url,
            PEER_LOGTO_TOKEN: token,
          },
        },
      );
      child.on('error', reject);
      child.on('exit', () => resolve());
    });
  } finally {
    await emulator.close();
  }

  const summary = summarizePeerReport(
    JSON.parse(readFileSync(reportFile, 'utf8')),
    path.join(o.scratch, 'logto', TESTS_PATH),
  );
  console.log(
    `\nLogto's organization tests against the local Logto: ${summary.passed}/${summary.total} passed`,
  );
  for (const broken of summary.brokenFiles) console.log(`  file failed: ${broken.file}: ${broken.reason}`);
  for (const failure of summary.failures)
    console.log(`  ✗ ${failure.file} › ${failure.test}\n      ${failure.reason}`);
  if (!o.keep) rmSync(path.join(o.scratch, 'logto'), { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
