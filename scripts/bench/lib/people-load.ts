import { getLikeTheTable } from '../phases/load';
import { percentile, round } from './stats';

/**
 * Load that behaves like people (issue 18, item 5): each signed-in person looks at the members
 * page, waits 2–8 s, then pages on, goes back, searches for a name or clears the search, and
 * waits again. Their browser is modelled as the portal's table is built: the server-rendered page
 * first, a list request per page not in the client cache, the cache kept 30 s (the query
 * client's stale time), and the next page prefetched after every view.
 */

/** The query client's `staleTime` (components/query-provider.tsx): a page younger than this is not fetched again. */
export const CLIENT_STALE_MS = 30_000;
/** Rows per page of the members table (its default page size). */
const PAGE_SIZE = 20;

/** What a person does next. */
export type Action =
  | { kind: 'open' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'search'; q: string }
  | { kind: 'clear' };

/** A request the person's browser sends for an action: `waited` = the person sees nothing new until it answers. */
export type PlannedRequest = {
  path: string;
  accept: 'text/html' | 'application/json';
  waited: boolean;
  /** The view this request fills in the client cache. */
  view: { q: string; page: number };
};

/** A small fast PRNG (mulberry32), so a run's choices repeat for a given seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * One person's browsing of one organization's members: which view they are on, what their
 * browser has cached, and what it must ask the portal for next.
 */
export class BrowsingPerson {
  page = 1;
  q = '';
  /** Total rows of the current view, as the last answer said (the organization's size until then). */
  #total: number;
  readonly #cachedAt = new Map<string, number>();

  constructor(
    readonly orgId: string,
    memberCount: number,
    readonly searchTerms: readonly string[],
  ) {
    this.#total = memberCount;
  }

  get lastPage(): number {
    return Math.max(1, Math.ceil(this.#total / PAGE_SIZE));
  }

  /** Picks the next action: mostly paging on, sometimes back, a search or a fresh open of the page. */
  chooseAction(random: () => number): Action {
    const roll = random();
    const term = () => this.searchTerms[Math.floor(random() * this.searchTerms.length)]!;
    if (this.q) {
      if (roll < 0.4 && this.page < this.lastPage) return { kind: 'next' };
      if (roll < 0.7) return { kind: 'clear' };
      return { kind: 'search', q: term() };
    }
    if (roll < 0.55) return this.page < this.lastPage ? { kind: 'next' } : { kind: 'open' };
    if (roll < 0.65) return this.page > 1 ? { kind: 'previous' } : { kind: 'next' };
    if (roll < 0.9) return { kind: 'search', q: term() };
    return { kind: 'open' };
  }

  /**
   * Moves to the action's view and returns what the browser sends: the view itself when it is
   * not cached (an `open` is always a server render), then the next page's prefetch.
   */
  apply(action: Action, now: number): PlannedRequest[] {
    switch (action.kind) {
      case 'open':
        this.page = 1;
        this.q = '';
        break;
      case 'next':
        this.page += 1;
        break;
      case 'previous':
        this.page = Math.max(1, this.page - 1);
        break;
      case 'search':
        this.q = action.q;
        this.page = 1;
        break;
      case 'clear':
        this.q = '';
        this.page = 1;
        break;
    }
    const requests: PlannedRequest[] = [];
    const view = { q: this.q, page: this.page };
    if (action.kind === 'open') {
      requests.push({
        path: `/orgs/${this.orgId}/members`,
        accept: 'text/html',
        waited: true,
        view,
      });
    } else if (!this.#isFresh(view, now)) {
      requests.push({ path: this.#listPath(view), accept: 'application/json', waited: true, view });
    }
    return requests;
  }

  /** The prefetch the table starts once a view is shown, or none when it is cached or past the end. */
  prefetch(now: number): PlannedRequest | null {
    const view = { q: this.q, page: this.page + 1 };
    if (view.page > this.lastPage || this.#isFresh(view, now)) return null;
    return { path: this.#listPath(view), accept: 'application/json', waited: false, view };
  }

  /** Records an answer: the view is cached, and a list answer's total bounds the paging. */
  answered(request: PlannedRequest, now: number, total: number | undefined): void {
    this.#cachedAt.set(key(request.view), now);
    if (total !== undefined && request.view.q === this.q) this.#total = total;
  }

  #isFresh(view: { q: string; page: number }, now: number): boolean {
    const at = this.#cachedAt.get(key(view));
    return at !== undefined && now - at < CLIENT_STALE_MS;
  }

  #listPath({ q, page }: { q: string; page: number }): string {
    const query = new URLSearchParams({ page: String(page) });
    if (q) query.set('q', q);
    return `/api/orgs/${this.orgId}/members?${query}`;
  }
}

function key(view: { q: string; page: number }): string {
  return `${view.page}|${view.q}`;
}

/** One request of the run, as the person's browser saw it. */
export type PeopleSample = {
  ms: number;
  error?: string;
  /** Times the portal answered "busy" before this answer. */
  busyRetries: number;
  /** A prefetch the portal declined because people were waiting for the budget (nobody sees it). */
  prefetchRefused: boolean;
  waited: boolean;
  instance: number;
  accept: PlannedRequest['accept'];
};

/** One person: a session cookie, the organization they manage and its size. */
export type Person = { cookie: string; orgId: string; memberCount: number };

export type PeopleLoadPlan = {
  people: readonly Person[];
  /** Portal instances; each person's requests go to the next one in turn. */
  urls: readonly string[];
  durationMs: number;
  thinkMs: { min: number; max: number };
  searchTerms: readonly string[];
  seed: number;
};

async function send(url: string, cookie: string, request: PlannedRequest) {
  const sample = await getLikeTheTable(url, cookie, request.accept, { isPrefetch: !request.waited });
  return {
    ...sample,
    total:
      sample.body !== undefined && request.accept === 'application/json' ? totalOf(sample.body) : undefined,
  };
}

function totalOf(body: string): number | undefined {
  try {
    const parsed = JSON.parse(body) as { total?: number; members?: { total?: number } };
    return parsed.total ?? parsed.members?.total;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs every person until the deadline: open the members page, then think, act, think… Requests
 * go round-robin over the instances. Returns every request with its latency; a request still
 * open at the deadline is waited for and counted.
 */
export async function runPeopleLoad(plan: PeopleLoadPlan): Promise<PeopleSample[]> {
  const samples: PeopleSample[] = [];
  const deadline = performance.now() + plan.durationMs;
  await Promise.all(
    plan.people.map(async (person, index) => {
      const random = seededRandom(plan.seed * 1_000 + index);
      const browser = new BrowsingPerson(person.orgId, person.memberCount, plan.searchTerms);
      let instance = index % plan.urls.length;
      let prefetching: Promise<void> = Promise.resolve();
      const fetchOne = async (request: PlannedRequest) => {
        const target = instance;
        instance = (instance + 1) % plan.urls.length;
        const result = await send(`${plan.urls[target]}${request.path}`, person.cookie, request);
        samples.push({
          ms: result.ms,
          error: result.error,
          prefetchRefused: result.prefetchRefused ?? false,
          busyRetries: result.busyRetries ?? 0,
          waited: request.waited,
          instance: target,
          accept: request.accept,
        });
        if (!result.error) browser.answered(request, performance.now(), result.total);
      };
      // People arrive over the first think time, not all in the same millisecond.
      await sleep(random() * plan.thinkMs.max);
      let action: Action = { kind: 'open' };
      while (performance.now() < deadline) {
        // A click on a page still being prefetched waits for that prefetch, as the browser would.
        await prefetching;
        for (const request of browser.apply(action, performance.now())) await fetchOne(request);
        const next = browser.prefetch(performance.now());
        prefetching = next ? fetchOne(next) : Promise.resolve();
        await sleep(plan.thinkMs.min + random() * (plan.thinkMs.max - plan.thinkMs.min));
        action = browser.chooseAction(random);
      }
      await prefetching;
    }),
  );
  return samples;
}

/** The figures of one people-like run. */
export type PeopleLoadSummary = {
  people: number;
  requests: number;
  /** Requests a person waited on (views not in their browser's cache). */
  waitedRequests: number;
  p50Ms: number;
  p95Ms: number;
  waitedP95Ms: number;
  maxMs: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Requests the portal first answered "busy" (then answered after a wait). */
  busyAnswered: number;
  /** Prefetches declined at once (not in the latencies: nobody waited for them). */
  prefetchesRefused: number;
};

export function summarizePeopleLoad(people: number, samples: readonly PeopleSample[]): PeopleLoadSummary {
  const errorKinds: Record<string, number> = {};
  for (const sample of samples) {
    if (sample.error) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  }
  const answered = samples.filter((sample) => !sample.prefetchRefused);
  const all = answered.map((sample) => sample.ms);
  const waited = answered.filter((sample) => sample.waited).map((sample) => sample.ms);
  const at = (values: number[], p: number) => (values.length > 0 ? round(percentile(values, p), 1) : 0);
  return {
    people,
    requests: answered.length,
    waitedRequests: waited.length,
    p50Ms: at(all, 50),
    p95Ms: at(all, 95),
    waitedP95Ms: at(waited, 95),
    maxMs: at(all, 100),
    errors: Object.values(errorKinds).reduce((sum, count) => sum + count, 0),
    errorKinds,
    busyAnswered: samples.filter((sample) => sample.busyRetries > 0).length,
    prefetchesRefused: samples.length - answered.length,
  };
}

/** Common first names of the seed's generated members: what people type into the search box. */
export const SEARCH_TERMS = [
  'Anna',
  'Chen',
  'Daniel',
  'Elena',
  'Hana',
  'James',
  'Maya',
  'Omar',
  'Priya',
  'Wei',
] as const;
