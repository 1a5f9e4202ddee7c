import 'server-only';

import { inArray, sql } from 'drizzle-orm';
import { getStore, runSql, type Store } from './client';
import { cacheVersions } from './schema';

/**
 * Cache invalidation shared by every instance: a version counter per scope (e.g.
 * `org:<orgId>`, `user:<userId>`).
 *
 * Freshness guarantee, for a cache that follows the two rules below: once `bumpCacheVersion`
 * has resolved, no instance serves an answer read before the bump. The rules:
 * 1. Readers read the scope's version **before** fetching the value, store the value with that
 *    version, and before serving a cached value read the current version again
 *    ({@link readCacheVersions}, one query for all scopes involved) and discard the entry if it
 *    moved. An answer fetched while a change was under way carries the older version, so it is
 *    discarded at its next use.
 * 2. Writers bump the affected scopes **after** the change is made at Logto (and whether or not
 *    it fully succeeded).
 */

/** Bumps one scope's version; resolves with the new version. */
export async function bumpCacheVersion(scope: string, store?: Store): Promise<number> {
  const versions = await bumpCacheVersions([scope], store);
  return versions[scope]!;
}

/** Bumps several scopes' versions in one statement; resolves with the new versions. */
export async function bumpCacheVersions(
  scopes: readonly string[],
  store?: Store,
): Promise<Record<string, number>> {
  const unique = [...new Set(scopes)];
  if (unique.length === 0) return {};
  const { db } = store ?? (await getStore());
  const rows = await runSql<{ scope: string; version: number }>(
    sql`with bumped as (
          insert into cache_versions (scope, version)
          select scope, 1 from unnest(array[${sql.join(
            unique.map((scope) => sql`${scope}`),
            sql`, `,
          )}]::text[]) as scope
          on conflict (scope) do update set version = cache_versions.version + 1
          returning scope, version
        )
        select scope, version::float8 as version from bumped`,
    db,
  );
  return Object.fromEntries(rows.map((row) => [row.scope, Number(row.version)]));
}

/** The current version of each scope (0 for a scope never bumped), in one query. */
export async function readCacheVersions(
  scopes: readonly string[],
  store?: Store,
): Promise<Record<string, number>> {
  const unique = [...new Set(scopes)];
  const versions: Record<string, number> = Object.fromEntries(unique.map((scope) => [scope, 0]));
  if (unique.length === 0) return versions;
  const { db } = store ?? (await getStore());
  const rows = await db
    .select({ scope: cacheVersions.scope, version: cacheVersions.version })
    .from(cacheVersions)
    .where(inArray(cacheVersions.scope, unique));
  for (const row of rows) versions[row.scope] = Number(row.version);
  return versions;
}
