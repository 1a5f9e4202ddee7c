import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { PROJECT_ROOT } from '../../lib/processes';

/**
 * Top-level entries that are outputs, caches or machine state, never sources of the build.
 * `node_modules` is linked separately (hard links, no copying of bytes).
 */
const SKIPPED_ENTRIES = new Set([
  '.git',
  '.next',
  '.data',
  'node_modules',
  'bench',
  'test-results',
  'playwright-report',
  'tsconfig.tsbuildinfo',
]);

/** Where the bench builds and serves the portal when it does not build in place. */
// One per checkout, so benches of two worktrees never build into each other's copy.
export const DEFAULT_WORKSPACE = join(
  tmpdir(),
  `portal-bench-workspace-${createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 8)}`,
);

/**
 * Copies the project into `dir` for a private production build: sources copied, `node_modules`
 * hard-linked (same bytes, no second install), and the previous run's `.next/cache` kept so
 * rebuilds stay fast. A build in the shared `.next` would pull the rug from under anyone running
 * the end-to-end suite on the same checkout, and theirs from under the bench.
 */
export async function prepareWorkspace(dir: string = DEFAULT_WORKSPACE): Promise<string> {
  const keptCache = `${dir}.next-cache`;
  rmSync(keptCache, { recursive: true, force: true });
  if (existsSync(join(dir, '.next', 'cache'))) renameSync(join(dir, '.next', 'cache'), keptCache);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  for (const entry of readdirSync(PROJECT_ROOT)) {
    if (SKIPPED_ENTRIES.has(entry)) continue;
    cpSync(join(PROJECT_ROOT, entry), join(dir, entry), {
      recursive: true,
      // Saved browser sessions are per-harness state, not sources.
      filter: (source) => !relative(PROJECT_ROOT, source).split(sep).includes('.auth'),
    });
  }
  // Browser source maps, so item 4 can say what each chunk carries (next.config.js); Next reads
  // this file before the config. The chunks' code is the same; item 4 leaves out the map comment.
  appendFileSync(join(dir, '.env.production.local'), '\nPORTAL_BROWSER_SOURCE_MAPS=1\n');
  const modules = [join(PROJECT_ROOT, 'node_modules'), join(dir, 'node_modules')];
  try {
    await run('cp', ['-al', ...modules]);
  } catch {
    // Hard links cannot cross filesystems (a tmpfs /tmp): copy the bytes instead. A symlink
    // would not do: Turbopack refuses a node_modules that points outside the project.
    rmSync(modules[1]!, { recursive: true, force: true });
    await run('cp', ['-a', ...modules]);
  }

  if (existsSync(keptCache)) {
    mkdirSync(join(dir, '.next'), { recursive: true });
    renameSync(keptCache, join(dir, '.next', 'cache'));
  }
  return dir;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'ignore'] });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}
