import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('npm run emulator', () => {
  it('prints the URL and timings, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulator/cli.ts', '--memory', '--bare', '--port', '0'],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner after 60 s:\n${output}`)), 60_000);
        child.stdout.on('data', () => {
          const match = /Local Logto ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1] && output.includes('Seeded')) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      expect(output).toMatch(/started in [\d,]+ ms/);
      expect(output).toMatch(/Seeded \d+ users and 0 organizations in [\d,]+ ms/);
      expect(output).toContain('Storage          in memory');
      // The bare profile has no demo users, so no sign-ins are offered.
      expect(output).not.toContain('alice@acme.example');
      expect(output).not.toContain('Unsupported runtime');

      const health = await fetch(`${url}/_emulator/health`);
      expect(await health.json()).toEqual({ status: 'ok', issuer: `${url}/oidc` });

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output).toContain('SIGTERM: stopping the local Logto');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('refuses unknown flags with usage and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--no-such-flag'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--no-such-flag'");
    expect(stderr).toContain('Usage: npm run emulator');
  });
});
