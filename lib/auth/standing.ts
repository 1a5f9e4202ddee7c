import 'server-only';

import {
  currentBudgetContext,
  findTenantRoleByName,
  findUsersByIds,
  getUser,
  getUserTenantRoles,
  LogtoApiError,
  type ManagementClient,
  MAX_PAGE_SIZE,
  runWithBudgetContext,
} from '@/lib/logto';
import { readSharedAnswers, shareAnswers, type Store } from '@/lib/store';

/** What Logto says about the person behind a session, beyond the session itself. */
export type Standing = { isOperator: boolean; isSuspended: boolean };

/**
 * `'now'` asks Logto (every server action, before it changes anything); `'recent'` may reuse an
 * answer up to the reader's time to live (pages and read routes, which change nothing).
 */
export type StandingFreshness = 'now' | 'recent';

/** A deleted user keeps a session cookie until it expires; it no longer stands for anyone. */
const GONE: Standing = { isOperator: false, isSuspended: true };
/** How long the operator role's id is trusted (ids never change; a role deleted and made again gets a new one). */
const OPERATOR_ROLE_TTL_MS = 60_000;

/**
 * How long after their last page view someone counts as still browsing: their answer is renewed
 * with everyone else's in the next batch even past its life, so their next view costs nothing.
 */
const DEFAULT_ACTIVE_MS = 60_000;

type Entry = { value: Promise<Standing>; loadedAt: number; lastReadAt: number; settled?: Standing };
type Waiter = { resolve: (standing: Standing) => void; reject: (error: unknown) => void };

/**
 * Where instances find each other's recent answers (the shared store): a person whose requests a
 * load balancer spreads is then asked about once per time to live, not once per instance.
 */
export type SharedStandings = {
  /** Answers younger than `maxAgeMs` an instance had from Logto, and how long ago. */
  read(
    userIds: readonly string[],
    maxAgeMs: number,
  ): Promise<Map<string, { standing: Standing; ageMs: number }>>;
  /** Offers answers Logto gave `ageMs` ago. */
  share(answers: ReadonlyArray<{ userId: string; standing: Standing; ageMs: number }>): Promise<void>;
};

export type StandingReaderOptions = {
  /** How old a `'recent'` answer may be. */
  ttlMs: number;
  /** How long after their last read someone's answer is still renewed in batches (default 60 s). */
  activeMs?: number;
  /** The tenant role that makes an operator. */
  operatorRoleName: () => string;
  maxEntries?: number;
  now?: () => number;
  client?: ManagementClient;
  shared?: SharedStandings;
};

/**
 * Who is an operator and who is suspended, for every signed-in person, at a Management API cost
 * that does not grow with the number of people.
 *
 * A `'now'` read asks about that one person (two calls). A `'recent'` read reuses an answer
 * younger than the time to live; when one is needed, everyone waiting for one, and everyone who
 * read lately and whose answer is past half its life, is asked about in the same exact id search
 * without the operator role's holders (a second search tells operators from people who are gone).
 * One batch is in flight at a time: people who ask meanwhile go in the next, so a busy moment
 * makes batches bigger, not more of them. With a shared store, answers another instance had from
 * Logto lately serve here too. So fifty people browsing cost a few calls per window, not a
 * hundred, and no answer is ever older than the time to live.
 */
export class StandingReader {
  readonly #options: Required<Omit<StandingReaderOptions, 'client' | 'shared'>> &
    Pick<StandingReaderOptions, 'client' | 'shared'>;
  readonly #entries = new Map<string, Entry>();
  #waiting = new Map<string, Waiter[]>();
  #isFlushScheduled = false;
  /** The batch in flight, or scheduled: the next one starts after it. */
  #flight: Promise<void> = Promise.resolve();
  #operatorRole: { id: string | null; loadedAt: number } | undefined;

  constructor(options: StandingReaderOptions) {
    this.#options = {
      maxEntries: 10_000,
      activeMs: DEFAULT_ACTIVE_MS,
      now: () => performance.now(),
      ...options,
    };
  }

  read(userId: string, freshness: StandingFreshness): Promise<Standing> {
    const now = this.#options.now();
    if (freshness === 'recent') {
      const cached = this.#entries.get(userId);
      if (cached && now - cached.loadedAt < this.#options.ttlMs) {
        cached.lastReadAt = now;
        return cached.value;
      }
    }
    // A fresh answer also replaces the remembered one, so later page views never see an older one.
    const value = freshness === 'now' ? this.#loadOne(userId) : this.#enqueue(userId);
    this.#remember(userId, value, now);
    return value;
  }

  #remember(userId: string, value: Promise<Standing>, loadedAt: number, lastReadAt = loadedAt): void {
    const entry: Entry = { value, loadedAt, lastReadAt };
    this.#entries.delete(userId);
    this.#entries.set(userId, entry);
    if (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    value.then(
      (standing) => {
        entry.settled = standing;
      },
      () => {
        if (this.#entries.get(userId) === entry) this.#entries.delete(userId);
      },
    );
  }

  #enqueue(userId: string): Promise<Standing> {
    const promise = new Promise<Standing>((resolve, reject) => {
      const waiters = this.#waiting.get(userId) ?? [];
      waiters.push({ resolve, reject });
      this.#waiting.set(userId, waiters);
    });
    if (!this.#isFlushScheduled) {
      this.#isFlushScheduled = true;
      // The batch answers everyone, so it is never a prefetch's, even when a prefetch started it.
      const { lane = 'interactive', clientKey } = currentBudgetContext() ?? {};
      // After the batch in flight, and after this turn's other requests have queued their people too.
      this.#flight = this.#flight
        .then(() => new Promise((resolve) => setImmediate(resolve)))
        .then(() => runWithBudgetContext({ lane, clientKey }, () => this.#flush()))
        // Never expected (a batch's failure goes to its waiters), but the next batch must still run.
        .catch((error: unknown) => console.error('[standing] a batch failed:', error));
    }
    return promise;
  }

  async #flush(): Promise<void> {
    this.#isFlushScheduled = false;
    const waiting = this.#waiting;
    this.#waiting = new Map();
    const startedAt = this.#options.now();
    const ids = [...waiting.keys()];
    // Answers past half their life, of people still browsing, are renewed in the same calls.
    const renewing = new Map<string, Entry>();
    for (const [userId, entry] of this.#entries) {
      if (ids.length >= MAX_PAGE_SIZE) break;
      if (
        entry.settled &&
        !waiting.has(userId) &&
        startedAt - entry.loadedAt >= this.#options.ttlMs / 2 &&
        startedAt - entry.lastReadAt < this.#options.activeMs
      ) {
        ids.push(userId);
        renewing.set(userId, entry);
      }
    }
    const settle = (userId: string, standing: Standing, readAt: number) => {
      const waiters = waiting.get(userId);
      const renewed = renewing.get(userId);
      if (waiters) {
        // The answer waited for is as old as Logto's reply, which another instance may have had earlier.
        const entry = this.#entries.get(userId);
        if (entry && !entry.settled) entry.loadedAt = Math.min(entry.loadedAt, readAt);
        for (const waiter of waiters) waiter.resolve(standing);
      }
      // Unless a fresher answer (an action's) took its place meanwhile.
      else if (renewed && this.#entries.get(userId) === renewed)
        this.#remember(userId, Promise.resolve(standing), readAt, renewed.lastReadAt);
    };
    const toAsk = await this.#settleFromOthers(ids, renewing, startedAt, settle);
    for (let start = 0; start < toAsk.length; start += MAX_PAGE_SIZE) {
      const batch = toAsk.slice(start, start + MAX_PAGE_SIZE);
      try {
        const standings = await this.#loadMany(batch);
        const answers = batch.map((userId) => ({ userId, standing: standings.get(userId) ?? GONE }));
        this.#share(answers, startedAt);
        for (const { userId, standing } of answers) settle(userId, standing, startedAt);
      } catch (error) {
        // Renewals simply did not happen; people waiting get the failure, as a single read would.
        for (const userId of batch) for (const waiter of waiting.get(userId) ?? []) waiter.reject(error);
      }
    }
  }

  /**
   * Settles whoever an instance asked Logto about lately: people waiting, with an answer younger
   * than the time to live; renewals, with one younger than half of it (an older one would be due
   * again at once). Returns the people left to ask Logto about.
   */
  async #settleFromOthers(
    ids: readonly string[],
    renewing: ReadonlyMap<string, Entry>,
    startedAt: number,
    settle: (userId: string, standing: Standing, readAt: number) => void,
  ): Promise<string[]> {
    const { shared, ttlMs } = this.#options;
    if (!shared || ids.length === 0) return [...ids];
    let found: Awaited<ReturnType<SharedStandings['read']>>;
    try {
      found = await shared.read(ids, ttlMs);
    } catch (error) {
      console.error('[standing] could not read shared answers; asking Logto:', error);
      return [...ids];
    }
    return ids.filter((userId) => {
      const answer = found.get(userId);
      if (!answer || (renewing.has(userId) && answer.ageMs >= ttlMs / 2)) return true;
      settle(userId, answer.standing, startedAt - answer.ageMs);
      return false;
    });
  }

  /** Offers Logto's answers, given at `readAt`, to the other instances; never waited for. */
  #share(answers: ReadonlyArray<{ userId: string; standing: Standing }>, readAt: number): void {
    const ageMs = this.#options.now() - readAt;
    this.#options.shared
      ?.share(answers.map((answer) => ({ ...answer, ageMs })))
      .catch((error: unknown) => console.error('[standing] could not share answers:', error));
  }

  /** Logto's answer about one person now, also offered to the other instances' page views. */
  async #loadOne(userId: string): Promise<Standing> {
    const readAt = this.#options.now();
    const standing = await this.#askAboutOne(userId);
    this.#share([{ userId, standing }], readAt);
    return standing;
  }

  async #askAboutOne(userId: string): Promise<Standing> {
    const { client } = this.#options;
    try {
      const [user, roles] = await Promise.all([getUser(userId, client), getUserTenantRoles(userId, client)]);
      return {
        isSuspended: user.isSuspended,
        isOperator: roles.some((role) => role.name === this.#options.operatorRoleName()),
      };
    } catch (error) {
      if (error instanceof LogtoApiError && error.status === 404) return GONE;
      throw error;
    }
  }

  /**
   * Everyone's standing, in one call when none of them is an operator (the usual case): the id
   * search without the operator role's holders answers for everyone it returns. Only the people it
   * leaves out, operators and people who are gone, take a second search.
   */
  async #loadMany(userIds: readonly string[]): Promise<Map<string, Standing>> {
    const { client } = this.#options;
    const operatorRoleId = await this.#operatorRoleId();
    const standings = new Map<string, Standing>();
    const nonOperators = await findUsersByIds(
      userIds,
      operatorRoleId ? { excludeRoleId: operatorRoleId } : {},
      client,
    );
    for (const user of nonOperators)
      standings.set(user.id, { isSuspended: user.isSuspended, isOperator: false });
    const leftOut = userIds.filter((userId) => !standings.has(userId));
    if (operatorRoleId && leftOut.length > 0) {
      for (const user of await findUsersByIds(leftOut, {}, client))
        standings.set(user.id, { isSuspended: user.isSuspended, isOperator: true });
    }
    return standings;
  }

  async #operatorRoleId(): Promise<string | null> {
    const now = this.#options.now();
    if (this.#operatorRole && now - this.#operatorRole.loadedAt < OPERATOR_ROLE_TTL_MS)
      return this.#operatorRole.id;
    const role = await findTenantRoleByName(this.#options.operatorRoleName(), this.#options.client);
    this.#operatorRole = { id: role?.id ?? null, loadedAt: now };
    return this.#operatorRole.id;
  }
}

/**
 * {@link SharedStandings} in the store's shared answers. Standing has no cache version of its own
 * (the portal never changes who is an operator or suspended): answers are kept at version 0 and
 * served for the reader's time to live.
 */
export function standingsInStore(store?: Store): SharedStandings {
  const key = (userId: string) => `standing:${userId}`;
  return {
    async read(userIds, maxAgeMs) {
      const found = await readSharedAnswers<Standing>(
        userIds.map((userId) => ({ key: key(userId), version: 0 })),
        { maxAgeMs },
        store,
      );
      const answers = new Map<string, { standing: Standing; ageMs: number }>();
      for (const userId of userIds) {
        const answer = found.get(key(userId));
        if (answer) answers.set(userId, { standing: answer.value, ageMs: answer.ageMs });
      }
      return answers;
    },
    share: (answers) =>
      shareAnswers(
        answers.map(({ userId, standing, ageMs }) => ({
          key: key(userId),
          version: 0,
          value: standing,
          ageMs,
        })),
        store,
      ),
  };
}
