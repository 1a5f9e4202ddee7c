import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { round } from '../lib/stats';

/** The App Router route item 4 measures. */
export const MEMBERS_ROUTE = '/orgs/[orgId]/members/page';

/** Item 4's figure and the files behind it. */
export type FirstLoadJsResult = {
  kbGzip: number;
  kbRaw: number;
  files: { path: string; bytes: number; gzipBytes: number }[];
  method: string;
};

type ClientReferenceManifest = { entryJSFiles?: Record<string, string[]> };

/**
 * The route's client reference manifest (`page_client-reference-manifest.js`), a script that
 * assigns `globalThis.__RSC_MANIFEST[route]`; run in an empty sandbox to read it.
 */
function readClientReferenceManifest(nextDir: string, route: string): ClientReferenceManifest {
  const file = join(nextDir, 'server', 'app', `${route}_client-reference-manifest.js`);
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file, timeout: 1_000 });
  const manifest = sandbox.__RSC_MANIFEST?.[route];
  if (!manifest) throw new Error(`${file} does not describe ${route}`);
  return manifest;
}

/**
 * The JavaScript a browser loads for a route on first visit, from a Next 16 build: the
 * framework's root chunks (`build-manifest.json` → `rootMainFiles`) plus every chunk the route's
 * segments reference (its client reference manifest → `entryJSFiles`: root layout, nested
 * layouts, the page, and the error/not-found boundaries on its path). Polyfills are left out
 * (`nomodule`: modern browsers never load them). Each file is gzipped at level 9, the way
 * Next's former "First Load JS" column measured.
 */
export function measureFirstLoadJs(projectDir: string, route: string = MEMBERS_ROUTE): FirstLoadJsResult {
  const nextDir = join(projectDir, '.next');
  const buildManifest = JSON.parse(readFileSync(join(nextDir, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles?: string[];
  };
  const manifest = readClientReferenceManifest(nextDir, route);
  const paths = new Set([
    ...(buildManifest.rootMainFiles ?? []),
    ...Object.values(manifest.entryJSFiles ?? {}).flat(),
  ]);
  const files = [...paths]
    .filter((path) => path.endsWith('.js'))
    .map((path) => {
      const content = readFileSync(join(nextDir, path));
      return { path, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
  if (files.length === 0) throw new Error(`no JavaScript found for ${route}`);
  const sum = (key: 'bytes' | 'gzipBytes') => files.reduce((total, file) => total + file[key], 0);
  return {
    kbGzip: round(sum('gzipBytes') / 1024, 1),
    kbRaw: round(sum('bytes') / 1024, 1),
    files,
    method:
      `.next/build-manifest.json rootMainFiles ∪ .next/server/app${route}_client-reference-manifest.js entryJSFiles ` +
      `(all segments of the route), ${files.length} files, each gzipped at level 9; 1 KB = 1024 bytes.`,
  };
}
