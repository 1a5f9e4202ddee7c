// The Node versions the portal declares (`engines`) are the ones it runs on: this machine and CI
// run Node 20, Next 16 needs ≥ 20.9, and no runtime dependency may ask for more. `@logto/api`
// asks for Node 22 or 24, so it is used for its generated types only (a dev dependency).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);
// semver comes with npm's own dependency tree here; only this test uses it.
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

type PackageJson = {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const readPackage = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
const project = readPackage(`${ROOT}package.json`);
const declared = project.engines?.node ?? '';

describe('engines', () => {
  it('declares Node ≥ 20.9 and the running Node satisfies it', () => {
    expect(declared).toBe('>=20.9');
    expect(semver.satisfies(process.versions.node, declared)).toBe(true);
  });

  it('every runtime dependency accepts the oldest Node the portal declares', () => {
    const oldest = semver.minVersion(declared)?.version ?? '';
    expect(oldest).toBe('20.9.0');
    const refusing = Object.keys(project.dependencies ?? {}).flatMap((name) => {
      const range = readPackage(`${ROOT}node_modules/${name}/package.json`).engines?.node;
      return range && !semver.satisfies(oldest, range) ? [`${name} (${range})`] : [];
    });
    expect(refusing).toEqual([]);
  });

  it('uses @logto/api (Node 22/24 only) for types alone, never at run time', () => {
    expect(project.dependencies).not.toHaveProperty('@logto/api');
    expect(project.devDependencies).toHaveProperty('@logto/api');
    const imports = execFileSync(
      'git',
      ['grep', '-n', '-E', "from '@logto/api", '--', '*.ts', '*.tsx', ':!scripts/engines.test.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => !/import (type |\{ type )/.test(line))).toEqual([]);
  });
});
