import 'server-only';

import { sql } from 'drizzle-orm';
import { getStore, runSql, type Store } from './client';

/**
 * Answers from Logto that every instance may serve for a few seconds, so a person whose requests
 * a load balancer spreads over several instances costs one Logto call per answer, not one per
 * instance.
 *
 * Each answer carries the cache version (`cache-versions.ts`) its reader read **before** asking
 * Logto, and is served only while that version is still the current one and while it is younger
 * than the reader's limit. So the guarantee of cache versions holds here too: once a change's
 * bump has resolved, no instance serves an answer read before it. Values are JSON (Logto's own
 * answers, or data made from them).
 */

/** A stored answer that may be served: its value, and how long ago Logto was asked. */
export type SharedAnswer<T> = { value: T; ageMs: number };

/** Rows older than this are of no use to any reader and are swept away. */
const KEEP_AT_MOST = '5 minutes';
const SWEEP_EVERY_MS = 60_000;
let lastSweepAt = -Infinity;
/** Shares under way in this process: readers do not wait for them, tests may. */
const sharing = new Set<Promise<void>>();

/** Resolves once every answer this process has begun to share is stored (or failed to be). */
export async function settleSharedAnswers(): Promise<void> {
  await Promise.allSettled([...sharing]);
}

/** One answer to share: stored under `key`, read at `version`, given by Logto `ageMs` ago. */
export type AnswerToShare = { key: string; version: number; value: unknown; ageMs: number };

/**
 * The answer stored under `key` at `version`, if one younger than `maxAgeMs` is there (by the
 * database's clock); `undefined` otherwise.
 */
export async function readSharedAnswer<T>(
  key: string,
  { version, maxAgeMs }: { version: number; maxAgeMs: number },
  store?: Store,
): Promise<SharedAnswer<T> | undefined> {
  return (await readSharedAnswers<T>([{ key, version }], { maxAgeMs }, store)).get(key);
}

/** {@link readSharedAnswer} for several keys, each at its own version, in one query. */
export async function readSharedAnswers<T>(
  wanted: ReadonlyArray<{ key: string; version: number }>,
  { maxAgeMs }: { maxAgeMs: number },
  store?: Store,
): Promise<Map<string, SharedAnswer<T>>> {
  const found = new Map<string, SharedAnswer<T>>();
  if (wanted.length === 0) return found;
  const { db } = store ?? (await getStore());
  const rows = await runSql<{ key: string; value: T; age_ms: number }>(
    sql`select key, value, (extract(epoch from (clock_timestamp() - read_at)) * 1000)::float8 as age_ms
        from shared_answers
        where (key, version) in (${sql.join(
          wanted.map(({ key, version }) => sql`(${key}::text, ${version}::bigint)`),
          sql`, `,
        )})
          and read_at > clock_timestamp() - make_interval(secs => ${maxAgeMs / 1000}::float8)`,
    db,
  );
  for (const row of rows) found.set(row.key, { value: row.value, ageMs: Math.max(0, Number(row.age_ms)) });
  return found;
}

/**
 * Stores an answer Logto gave `ageMs` ago, read at `version`. It replaces what is stored under
 * `key` unless that is newer: of a later version, or of the same version and read later.
 */
export function shareAnswer(
  key: string,
  answer: { version: number; value: unknown; ageMs: number },
  store?: Store,
): Promise<void> {
  return shareAnswers([{ key, ...answer }], store);
}

/** {@link shareAnswer} for several answers, in one statement. */
export function shareAnswers(answers: readonly AnswerToShare[], store?: Store): Promise<void> {
  const stored = storeAnswers(answers, store);
  sharing.add(stored);
  const done = () => sharing.delete(stored);
  stored.then(done, done);
  return stored;
}

async function storeAnswers(answers: readonly AnswerToShare[], store?: Store): Promise<void> {
  // One row per key: a statement may not update the same row twice. The last answer given wins.
  const byKey = new Map(answers.map((answer) => [answer.key, answer]));
  if (byKey.size === 0) return;
  const { db } = store ?? (await getStore());
  const rows = [...byKey.values()].map(
    ({ key, version, value, ageMs }) =>
      sql`(${key}, ${version}::bigint, ${JSON.stringify(value)}::jsonb,
           clock_timestamp() - make_interval(secs => ${Math.max(0, ageMs) / 1000}::float8))`,
  );
  await runSql(
    sql`insert into shared_answers (key, version, value, read_at)
        values ${sql.join(rows, sql`, `)}
        on conflict (key) do update
          set version = excluded.version, value = excluded.value, read_at = excluded.read_at
          where excluded.version > shared_answers.version
             or (excluded.version = shared_answers.version and excluded.read_at >= shared_answers.read_at)`,
    db,
  );
  const now = performance.now();
  if (now - lastSweepAt >= SWEEP_EVERY_MS) {
    lastSweepAt = now;
    await runSql(
      sql`delete from shared_answers where read_at < clock_timestamp() - ${KEEP_AT_MOST}::interval`,
      db,
    );
  }
}
