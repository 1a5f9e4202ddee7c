import { parseArgs } from 'node:util';
import { startEmulator } from './server';

const USAGE = `Usage: npm run emulator -- [options]

  --port <n>        port to listen on (default 3001; 0 = any free port)
  --host <addr>     address to bind (default 127.0.0.1)
  --data-dir <dir>  where the database and signing keys live (default .data/emulator)
  --memory          keep everything in memory (nothing written to disk)
  --reset           wipe the database and seed it again
  --bare            seed only the two applications and the Management API resource
  --big-org <n>     make the big organization (Acme) n members instead of 2,500 (on a fresh seed)
  --help            show this help`;

const DEMO_PASSWORD = 'demo-password-1';

const DEMO_SIGN_INS = [
  ['operator@example.com', 'operator (portal-operator role, every organization)'],
  ['alice@acme.example', 'Acme admin'],
  ['bob@acme.example', 'Acme manager (read + invite)'],
  ['carol@acme.example', 'Acme member (no permissions)'],
  ['dave@globex.example', 'Globex admin, Acme member'],
] as const;

function fail(message: string): never {
  console.error(`emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseInteger(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) fail(`${flag} must be an integer ≥ ${min}, got "${value}"`);
  return number;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean', default: false },
        reset: { type: 'boolean', default: false },
        bare: { type: 'boolean', default: false },
        'big-org': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.memory && values['data-dir']) fail('--memory and --data-dir cannot be used together');

  const port = parseInteger(values.port, '--port', 0) ?? 3001;
  const bigOrgMembers = parseInteger(values['big-org'], '--big-org', 4);
  const dataDir = values.memory ? undefined : (values['data-dir'] ?? '.data/emulator');

  let emulator;
  try {
    emulator = await startEmulator({
      port,
      host: values.host,
      dataDir,
      reset: values.reset,
      profile: values.bare ? 'bare' : 'default',
      bigOrgMembers,
      quiet: true,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      fail(`port ${port} is already in use; stop the other process or pass --port <n>`);
    }
    throw error;
  }

  const { startup } = emulator;
  const lines = [
    `Local Logto ready at ${emulator.url}  (started in ${count(startup.totalMs)} ms; database ${count(startup.databaseMs)} ms)`,
    `  OIDC issuer      ${emulator.issuer}`,
    `  Management API   ${emulator.url}/api  (M2M app portal-m2m / portal-m2m-secret)`,
    `  Outbox           ${emulator.url}/_emulator/outbox`,
    `  Storage          ${dataDir ?? 'in memory'}`,
    startup.seeded
      ? `  Seeded ${count(startup.users)} users and ${count(startup.organizations)} organizations in ${count(startup.seedMs)} ms`
      : '  Using the existing data (pass --reset to seed again)',
  ];
  if (bigOrgMembers !== undefined && !startup.seeded) {
    lines.push('  Note: --big-org applies only to a fresh seed; add --reset to rebuild Acme at that size');
  }
  if (!values.bare) {
    lines.push(`  Sign in with any of these (password ${DEMO_PASSWORD}):`);
    for (const [email, role] of DEMO_SIGN_INS) lines.push(`    ${email.padEnd(22)} ${role}`);
  }
  console.log(lines.join('\n'));

  let isStopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    console.log(`\n${signal}: stopping the local Logto…`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
