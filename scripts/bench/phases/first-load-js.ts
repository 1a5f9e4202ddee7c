import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { round } from '../lib/stats';

/** The App Router route item 4 measures. */
export const MEMBERS_ROUTE = '/orgs/[orgId]/members/page';

/**
 * The floor: the plainest page of the same build, Next's built-in not-found page under the root
 * layout. Whatever a page loads beyond it is that page's own share.
 */
export const FLOOR_ROUTE = '/_not-found/page';

/** What one source of a chunk (a package, or one of the portal's modules) adds to it. */
export type ChunkSource = { source: string; kbGzip: number };

/** One file of a route's first load, and what it carries. */
export type FirstLoadFile = {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** `framework` (Next's root chunks) or the route segments that reference the file. */
  neededBy: string[];
  /** Also loaded by the floor page. */
  isInFloor: boolean;
  /**
   * Packages and app modules in the file, largest first, from its source map: each source's
   * share of the minified bytes applied to the file's gzip size. Null without a source map.
   */
  sources: ChunkSource[] | null;
};

/** Item 4's figure, the floor, and the files behind them. */
export type FirstLoadJsResult = {
  kbGzip: number;
  kbRaw: number;
  files: FirstLoadFile[];
  floor: { route: string; kbGzip: number; files: number };
  /** What the route loads beyond the floor, by package or app module (KB gzip), largest first. */
  beyondFloor: ChunkSource[] | null;
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

const SOURCE_MAP_COMMENT = /\n?\/\/# sourceMappingURL=(\S+)\s*$/;

/**
 * A chunk as a browser runs it, without the trailing source map comment a build with browser
 * source maps adds (so both kinds of build measure the same), and its map's file name.
 */
function readChunk(path: string): { content: Buffer; mapFile: string | null } {
  const raw = readFileSync(path);
  const match = SOURCE_MAP_COMMENT.exec(raw.subarray(Math.max(0, raw.length - 300)).toString('latin1'));
  if (!match) return { content: raw, mapFile: null };
  return { content: raw.subarray(0, raw.length - Buffer.byteLength(match[0], 'latin1')), mapFile: match[1]! };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map([...BASE64].map((char, index) => [char, index]));

/** The fields of one source map segment (base64 VLQ). */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_VALUES.get(char);
    if (digit === undefined) throw new Error(`not base64: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/**
 * Who a source file belongs to: a package (`@tanstack/query-core`; Next split into its compiled
 * React builds and its own client code), or the portal's module path (`components/ui/button.tsx`).
 */
export function sourceOwner(source: string): string {
  const path = source.replace(/^turbopack:\/\/\/\[project\]\//, '').replace(/^webpack:\/\/[^/]*\//, '');
  if (path.startsWith('turbopack:///[turbopack]/')) return 'turbopack runtime';
  const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (!pkg) return path;
  const [, name, rest] = pkg;
  if (name !== 'next') return name!;
  const compiled = /^dist\/compiled\/([^/]+)/.exec(rest!);
  if (compiled)
    return compiled[1]!.startsWith('react') || compiled[1] === 'scheduler'
      ? `${compiled[1]} (in next)`
      : 'next';
  return 'next';
}

/** Bytes of a minified file per source, from its (non-indexed) source map. */
export function bytesBySource(
  code: string,
  map: { sources: string[]; mappings: string },
): Map<string, number> {
  const lines = code.split('\n');
  const bytes = new Map<string, number>();
  const add = (source: string, count: number) => bytes.set(source, (bytes.get(source) ?? 0) + count);
  let sourceIndex = 0;
  map.mappings.split(';').forEach((lineMappings, lineIndex) => {
    const line = lines[lineIndex] ?? '';
    let column = 0;
    const segments: { column: number; source: number | null }[] = [];
    for (const segment of lineMappings.split(',')) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      column += fields[0]!;
      if (fields.length > 1) sourceIndex += fields[1]!;
      segments.push({ column, source: fields.length > 1 ? sourceIndex : null });
    }
    add('(unmapped)', segments[0]?.column ?? line.length);
    segments.forEach((segment, index) => {
      const end = segments[index + 1]?.column ?? line.length;
      add(
        segment.source === null ? '(unmapped)' : (map.sources[segment.source] ?? '(unmapped)'),
        end - segment.column,
      );
    });
  });
  return bytes;
}

/** A chunk's packages and app modules, KB gzip each, or null when it has no readable source map. */
function explainChunk(chunkPath: string, content: Buffer, mapFile: string | null, gzipBytes: number) {
  if (!mapFile) return null;
  const mapPath = join(dirname(chunkPath), mapFile);
  if (!existsSync(mapPath)) return null;
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources?: string[]; mappings?: string };
  if (!map.sources || typeof map.mappings !== 'string') return null;
  const byOwner = new Map<string, number>();
  for (const [source, count] of bytesBySource(content.toString('utf8'), {
    sources: map.sources,
    mappings: map.mappings,
  })) {
    const owner = source === '(unmapped)' ? source : sourceOwner(source);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + count);
  }
  const total = [...byOwner.values()].reduce((sum, count) => sum + count, 0) || 1;
  return [...byOwner]
    .map(([source, count]) => ({ source, kbGzip: round(((count / total) * gzipBytes) / 1024, 2) }))
    .filter((entry) => entry.kbGzip >= 0.01)
    .sort((a, b) => b.kbGzip - a.kbGzip);
}

/** The chunk files a route loads first: root chunks, then each segment's, once each, no CSS. */
function routeFiles(nextDir: string, route: string, rootMainFiles: string[]): Map<string, string[]> {
  const manifest = readClientReferenceManifest(nextDir, route);
  const neededBy = new Map<string, string[]>();
  const need = (path: string, by: string) => {
    if (!path.endsWith('.js')) return;
    const list = neededBy.get(path) ?? [];
    if (!list.includes(by)) list.push(by);
    neededBy.set(path, list);
  };
  for (const path of rootMainFiles) need(path, 'framework');
  for (const [segment, paths] of Object.entries(manifest.entryJSFiles ?? {})) {
    for (const path of paths) need(path, segment.replace(/^\[project\]\//, ''));
  }
  return neededBy;
}

function sumKb(files: { gzipBytes: number }[]): number {
  return round(files.reduce((total, file) => total + file.gzipBytes, 0) / 1024, 1);
}

/**
 * The JavaScript a browser loads for a route on first visit, from a Next 16 build: the
 * framework's root chunks (`build-manifest.json` → `rootMainFiles`) plus every chunk the route's
 * segments reference (its client reference manifest → `entryJSFiles`: root layout, nested
 * layouts, the page, and the error/not-found boundaries on its path). Polyfills are left out
 * (`nomodule`: modern browsers never load them). Each file is gzipped at level 9, the way
 * Next's former "First Load JS" column measured. The same for the floor page, and, where the
 * build has browser source maps, what each file carries.
 */
export function measureFirstLoadJs(projectDir: string, route: string = MEMBERS_ROUTE): FirstLoadJsResult {
  const nextDir = join(projectDir, '.next');
  const buildManifest = JSON.parse(readFileSync(join(nextDir, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles?: string[];
  };
  const rootMainFiles = buildManifest.rootMainFiles ?? [];
  const neededBy = routeFiles(nextDir, route, rootMainFiles);
  let floorFiles: Set<string> | null = null;
  try {
    floorFiles = new Set(routeFiles(nextDir, FLOOR_ROUTE, rootMainFiles).keys());
  } catch {
    // A build without the built-in not-found page (never seen with Next 16): no floor.
  }
  const measure = (path: string) => {
    const { content, mapFile } = readChunk(join(nextDir, path));
    const gzipBytes = gzipSync(content, { level: 9 }).length;
    return { content, mapFile, bytes: content.length, gzipBytes };
  };
  const files: FirstLoadFile[] = [...neededBy].map(([path, segments]) => {
    const { content, mapFile, bytes, gzipBytes } = measure(path);
    return {
      path,
      bytes,
      gzipBytes,
      neededBy: segments,
      isInFloor: floorFiles?.has(path) ?? false,
      sources: explainChunk(join(nextDir, path), content, mapFile, gzipBytes),
    };
  });
  if (files.length === 0) throw new Error(`no JavaScript found for ${route}`);
  const floor = floorFiles ? [...floorFiles].map((path) => ({ path, ...measure(path) })) : [];

  const beyond = files.filter((file) => !file.isInFloor);
  let beyondFloor: ChunkSource[] | null = null;
  if (beyond.every((file) => file.sources)) {
    const byOwner = new Map<string, number>();
    for (const { source, kbGzip } of beyond.flatMap((file) => file.sources!)) {
      byOwner.set(source, (byOwner.get(source) ?? 0) + kbGzip);
    }
    beyondFloor = [...byOwner]
      .map(([source, kbGzip]) => ({ source, kbGzip: round(kbGzip, 2) }))
      .sort((a, b) => b.kbGzip - a.kbGzip);
  }
  const hasMaps = files.some((file) => file.sources);
  return {
    kbGzip: sumKb(files),
    kbRaw: round(files.reduce((total, file) => total + file.bytes, 0) / 1024, 1),
    files,
    floor: { route: FLOOR_ROUTE, kbGzip: floor.length > 0 ? sumKb(floor) : 0, files: floor.length },
    beyondFloor,
    method:
      `.next/build-manifest.json rootMainFiles ∪ .next/server/app${route}_client-reference-manifest.js entryJSFiles ` +
      `(all segments of the route), ${files.length} files, each gzipped at level 9 without its source map comment; ` +
      `1 KB = 1024 bytes. Floor: the same for ${FLOOR_ROUTE} (Next's not-found page under the root layout), ` +
      `${floor.length} files. ` +
      (hasMaps
        ? "Sources per file: each source's share of the file's minified bytes (from the browser source maps the " +
          "bench's build emits), applied to the file's gzip size."
        : 'No browser source maps in this build: files are explained by the segments that need them only.'),
  };
}
