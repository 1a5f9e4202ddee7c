import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { measureFirstLoadJs, MEMBERS_ROUTE } from './first-load-js';

/** A `.next` directory with the two manifests item 4 reads, shaped as Next 16 writes them. */
function fakeBuild(): { projectDir: string; chunks: Record<string, Buffer> } {
  const projectDir = mkdtempSync(join(tmpdir(), 'bench-first-load-'));
  const next = join(projectDir, '.next');
  mkdirSync(join(next, 'static', 'chunks'), { recursive: true });
  mkdirSync(join(next, 'server', 'app', 'orgs', '[orgId]', 'members'), { recursive: true });
  const chunks: Record<string, Buffer> = {
    'static/chunks/root.js': Buffer.from('var framework = 1;'.repeat(400)),
    'static/chunks/layout.js': Buffer.from('function layout(){}'.repeat(200)),
    'static/chunks/page.js': Buffer.from('export const page = "members";'.repeat(300)),
    'static/chunks/polyfill.js': Buffer.from('polyfill();'.repeat(500)),
  };
  for (const [path, content] of Object.entries(chunks)) writeFileSync(join(next, path), content);
  writeFileSync(
    join(next, 'build-manifest.json'),
    JSON.stringify({ polyfillFiles: ['static/chunks/polyfill.js'], rootMainFiles: ['static/chunks/root.js'] }),
  );
  const manifest = {
    entryJSFiles: {
      '[project]/app/layout': ['static/chunks/layout.js'],
      '[project]/app/orgs/[orgId]/members/page': ['static/chunks/layout.js', 'static/chunks/page.js'],
    },
    entryCSSFiles: { '[project]/app/layout': [{ path: 'static/chunks/app.css', inlined: false }] },
  };
  writeFileSync(
    join(next, 'server', 'app', 'orgs', '[orgId]', 'members', 'page_client-reference-manifest.js'),
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["${MEMBERS_ROUTE}"] = ${JSON.stringify(manifest)};\n`,
  );
  return { projectDir, chunks };
}

describe('measureFirstLoadJs', () => {
  it('sums root chunks and every segment chunk once, gzipped, without polyfills', () => {
    const { projectDir, chunks } = fakeBuild();
    const result = measureFirstLoadJs(projectDir);
    const expected = ['static/chunks/root.js', 'static/chunks/layout.js', 'static/chunks/page.js'];
    expect(result.files.map((file) => file.path).sort()).toEqual([...expected].sort());
    const gzipBytes = expected.reduce((sum, path) => sum + gzipSync(chunks[path]!, { level: 9 }).length, 0);
    expect(result.kbGzip).toBeCloseTo(gzipBytes / 1024, 1);
    expect(result.kbRaw).toBeGreaterThan(result.kbGzip);
  });

  it('fails loudly when the route is not in the build', () => {
    const { projectDir } = fakeBuild();
    expect(() => measureFirstLoadJs(projectDir, '/orgs/[orgId]/roles/page')).toThrow();
  });
});
