import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  bytesBySource,
  decodeVlq,
  FLOOR_ROUTE,
  measureFirstLoadJs,
  MEMBERS_ROUTE,
  sourceOwner,
} from './first-load-js';

/** A `.next` directory with the two manifests item 4 reads, shaped as Next 16 writes them. */
function fakeBuild(): { projectDir: string; chunks: Record<string, Buffer> } {
  const projectDir = mkdtempSync(join(tmpdir(), 'bench-first-load-'));
  const next = join(projectDir, '.next');
  mkdirSync(join(next, 'static', 'chunks'), { recursive: true });
  mkdirSync(join(next, 'server', 'app', 'orgs', '[orgId]', 'members'), { recursive: true });
  mkdirSync(join(next, 'server', 'app', '_not-found'), { recursive: true });
  const chunks: Record<string, Buffer> = {
    'static/chunks/root.js': Buffer.from('var framework = 1;'.repeat(400)),
    'static/chunks/layout.js': Buffer.from('function layout(){}'.repeat(200)),
    'static/chunks/page.js': Buffer.from('export const page = "members";'.repeat(300)),
    'static/chunks/polyfill.js': Buffer.from('polyfill();'.repeat(500)),
  };
  for (const [path, content] of Object.entries(chunks)) writeFileSync(join(next, path), content);
  writeFileSync(
    join(next, 'build-manifest.json'),
    JSON.stringify({
      polyfillFiles: ['static/chunks/polyfill.js'],
      rootMainFiles: ['static/chunks/root.js'],
    }),
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
  writeFileSync(
    join(next, 'server', 'app', '_not-found', 'page_client-reference-manifest.js'),
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["${FLOOR_ROUTE}"] = ${JSON.stringify({ entryJSFiles: { '[project]/app/layout': ['static/chunks/layout.js'] } })};\n`,
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

  it('measures the floor page of the same build and marks the files the route shares with it', () => {
    const { projectDir, chunks } = fakeBuild();
    const result = measureFirstLoadJs(projectDir);
    const floorBytes = ['static/chunks/root.js', 'static/chunks/layout.js'].reduce(
      (sum, path) => sum + gzipSync(chunks[path]!, { level: 9 }).length,
      0,
    );
    expect(result.floor).toEqual({
      route: FLOOR_ROUTE,
      kbGzip: expect.closeTo(floorBytes / 1024, 1),
      files: 2,
    });
    const byPath = Object.fromEntries(result.files.map((file) => [file.path, file]));
    expect(byPath['static/chunks/root.js']).toMatchObject({ isInFloor: true, neededBy: ['framework'] });
    expect(byPath['static/chunks/page.js']).toMatchObject({
      isInFloor: false,
      neededBy: ['app/orgs/[orgId]/members/page'],
      sources: null,
    });
    expect(result.beyondFloor).toBeNull();
  });

  it('leaves out the source map comment and explains a chunk by its source map', () => {
    const { projectDir, chunks } = fakeBuild();
    const dir = join(projectDir, '.next', 'static', 'chunks');
    // Two sources on one line: "AAAA" starts source 0 at column 0, "UCAA" moves 10 columns on to source 1.
    const code = 'aaaaaaaaaabbbbbbbbbbbbbbbbbbbb';
    writeFileSync(join(dir, 'page.js'), `${code}\n//# sourceMappingURL=page.js.map`);
    writeFileSync(
      join(dir, 'page.js.map'),
      JSON.stringify({
        version: 3,
        sources: [
          'turbopack:///[project]/node_modules/@tanstack/query-core/build/modern/query.js',
          'turbopack:///[project]/app/orgs/[orgId]/members/members-table.tsx',
        ],
        mappings: 'AAAA,UCAA',
      }),
    );
    const result = measureFirstLoadJs(projectDir);
    const page = result.files.find((file) => file.path === 'static/chunks/page.js')!;
    expect(page.bytes).toBe(code.length);
    expect(page.gzipBytes).toBe(gzipSync(Buffer.from(code), { level: 9 }).length);
    expect(page.sources!.map((entry) => entry.source)).toEqual([
      'app/orgs/[orgId]/members/members-table.tsx',
      '@tanstack/query-core',
    ]);
    expect(result.beyondFloor!.map((entry) => entry.source)).toEqual(
      page.sources!.map((entry) => entry.source),
    );
    expect(chunks).toBeDefined();
  });
});

describe('source maps', () => {
  it('decodes base64 VLQ segments', () => {
    expect(decodeVlq('AAAA')).toEqual([0, 0, 0, 0]);
    expect(decodeVlq('UACA')).toEqual([10, 0, 1, 0]);
    expect(decodeVlq('D')).toEqual([-1]);
    expect(decodeVlq('gB')).toEqual([16]);
  });

  it('counts bytes per source, line by line', () => {
    const bytes = bytesBySource('xxaaabb\ncc', { sources: ['a', 'b'], mappings: 'EAAA,GCAA;AAAA' });
    expect(Object.fromEntries(bytes)).toEqual({ '(unmapped)': 2, a: 3, b: 2 + 2 });
  });

  it("names packages, Next's React builds and the portal's modules", () => {
    expect(
      sourceOwner('turbopack:///[project]/node_modules/@tanstack/react-query/build/modern/index.js'),
    ).toBe('@tanstack/react-query');
    expect(sourceOwner('turbopack:///[project]/node_modules/next/dist/compiled/react-dom/cjs/x.js')).toBe(
      'react-dom (in next)',
    );
    expect(
      sourceOwner('turbopack:///[project]/node_modules/next/src/client/components/layout-router.tsx'),
    ).toBe('next');
    expect(sourceOwner('turbopack:///[project]/components/ui/button.tsx')).toBe('components/ui/button.tsx');
    expect(sourceOwner('turbopack:///[turbopack]/shared/runtime/runtime-utils.ts')).toBe('turbopack runtime');
  });
});
