import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { type BenchContext, observeLogto } from '../lib/context';
import { medianOrNull, percentile, round } from '../lib/stats';

/** The same Chromium and flags as the end-to-end suite (playwright.config.ts). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Page requests as the portal timed them (`Server-Timing`), p50 ms: the route, Logto's answer in it. */
export type ServerTimingSummary = { routeP50Ms: number | null; logtoP50Ms: number | null; samples: number };

/** Item 3's figures, plus the in-browser cross-check of item 4. */
export type PageFlipResult = {
  prefetchedP50Ms: number;
  /** Next page not loaded before the interaction: from the press (the request starts there) to new rows on screen. */
  coldP50Ms: number;
  prefetchedP95Ms: number;
  coldP95Ms: number;
  /**
   * The unprefetched flips' page requests as the portal timed them (`Server-Timing`), p50 ms: the
   * whole route, and Logto's answer inside it, while the browser renders the flip beside them.
   */
  coldServer: ServerTimingSummary;
  /**
   * Unprefetched flips pressed as a person presses (the button held {@link PERSON_PRESS_MS} ms):
   * the pager starts loading the page at the press, so the wait after the click is shorter.
   */
  pressedColdP50Ms: number;
  /** The pressed flips' page requests as the portal timed them: mostly over before the click. */
  pressedServer: ServerTimingSummary;
  flips: number;
  /** Navigation start → first member row on screen, fresh browser context signed in. */
  firstRowsColdP50Ms: number;
  firstRowsColdP95Ms: number;
  firstRowsColdSamples: number;
  /** JS the browser actually downloaded on a first load of the members page, gzip-9 KB. */
  browserFirstLoadJsKbGzip: number;
  browserFirstLoadScripts: number;
  method: string;
};

/** Launches the suite's Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** A browser context carrying an HTTP-obtained session's cookies. */
export async function contextWithSession(
  browser: Browser,
  portalUrl: string,
  cookieHeader: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: portalUrl, locale: 'en-US' });
  const cookies = cookieHeader
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const separator = pair.indexOf('=');
      return { name: pair.slice(0, separator), value: pair.slice(separator + 1), url: portalUrl };
    });
  await context.addCookies(cookies);
  return context;
}

function pageParam(url: string): number {
  return Number(new URL(url).searchParams.get('page') ?? '1');
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The input event a flip's stopwatch starts at: the click, or the press that begins it. */
type FlipStart = 'click' | 'pointerdown';

/**
 * Source of a page script arming an in-page stopwatch: it starts at the `startAt` event itself
 * (capture phase) and stops at the first animation frame after the page's table shows a different
 * first row and is no longer busy, i.e. when the new rows are on screen. Kept as source text: the
 * TypeScript runner decorates compiled functions with helpers that do not exist in the page.
 */
const armFlipStopwatch = (startAt: FlipStart) => `(() => {
  const table = document.querySelector('table');
  if (!table) throw new Error('no table on the page');
  const firstRow = () => table.querySelector('tbody tr')?.textContent ?? '';
  const before = firstRow();
  window.__benchFlip = new Promise((resolve, reject) => {
    let startedAt;
    const timeout = setTimeout(() => reject(new Error('the new rows never appeared')), 20000);
    const observer = new MutationObserver(() => check());
    const check = () => {
      if (startedAt === undefined || table.getAttribute('aria-busy') === 'true' || firstRow() === before) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        clearTimeout(timeout);
        resolve(performance.now() - startedAt);
      }, 0));
    };
    observer.observe(table, { subtree: true, childList: true, characterData: true, attributes: true });
    document.addEventListener('${startAt}', () => {
      startedAt = performance.now();
      queueMicrotask(check);
    }, { capture: true, once: true });
  });
})()`;

async function timeFlip(
  page: Page,
  click: () => Promise<void>,
  startAt: FlipStart = 'click',
): Promise<number> {
  await page.evaluate(armFlipStopwatch(startAt));
  await click();
  return (await page.evaluate('window.__benchFlip')) as number;
}

/** A paged table under test: its page, the API route it loads pages from, its accessible name. */
export type FlipTable = { path: string; apiPath: string; name: string };

function membersTable(orgId: string): FlipTable {
  return { path: `/orgs/${orgId}/members`, apiPath: `/api/orgs/${orgId}/members`, name: 'Members' };
}

function isPageRequestOf(table: FlipTable, url: string): boolean {
  return new URL(url).pathname === table.apiPath;
}

function nextPageLink(page: Page) {
  return page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Next page' });
}

/** Opens the table's page at `pageNumber` and waits for the table (not for hydration). */
async function gotoTable(page: Page, table: FlipTable, pageNumber: number): Promise<void> {
  await page.goto(`${table.path}?page=${pageNumber}`);
  await page.getByRole('table', { name: table.name }).waitFor();
}

async function openTablePage(page: Page, table: FlipTable, pageNumber: number): Promise<void> {
  await gotoTable(page, table, pageNumber);
  // A click before hydration is lost; the pager's link handler needs React.
  await page.waitForLoadState('networkidle');
}

/** Fails the phase when a flip did not land on `pageNumber`. */
function assertOnPage(page: Page, pageNumber: number): void {
  if (pageParam(page.url()) !== pageNumber) {
    throw new Error(`expected page ${pageNumber}, the URL says ${page.url()}`);
  }
}

/** Flips where the table's own prefetch of the next page has arrived before the click. */
export async function flipsWithPrefetch(
  page: Page,
  table: FlipTable,
  start: number,
  count: number,
): Promise<number[]> {
  const loaded = new Set<number>();
  page.on('requestfinished', (request) => {
    if (isPageRequestOf(table, request.url())) loaded.add(pageParam(request.url()));
  });
  await openTablePage(page, table, start);
  const timings: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const next = start + index + 1;
    await waitUntil(() => loaded.has(next), `the prefetch of page ${next}`);
    // The response is in; give TanStack Query a moment to parse it into its cache.
    await page.waitForTimeout(50);
    timings.push(await timeFlip(page, () => nextPageLink(page).click()));
    assertOnPage(page, next);
  }
  return timings;
}

type ServerTimingOfPage = { routeMs: number; logtoMs: number } | null;

export function summarizeServerTiming(timings: NonNullable<ServerTimingOfPage>[]): ServerTimingSummary {
  return {
    routeP50Ms: medianOrNull(timings.map((timing) => timing.routeMs)),
    logtoP50Ms: medianOrNull(timings.map((timing) => timing.logtoMs)),
    samples: timings.length,
  };
}

/**
 * Source of a page script reading the portal's `Server-Timing` of the table's last request for
 * page `pageNumber` from the browser's resource timing (null when it has none).
 */
function serverTimingOfPage(table: FlipTable, pageNumber: number): string {
  return `(() => {
    const entry = performance.getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname === ${JSON.stringify(table.apiPath)} && new URL(e.name).searchParams.get('page') === '${pageNumber}')
      .pop();
    const duration = (name) => entry && entry.serverTiming.find((metric) => metric.name === name)?.duration;
    const routeMs = duration('total');
    const logtoMs = duration('logto');
    return routeMs === undefined || logtoMs === undefined ? null : { routeMs, logtoMs };
  })()`;
}

/** How long a person's click holds the button down, roughly (Playwright's own click: about 0 ms). */
const PERSON_PRESS_MS = 100;

/**
 * Flips where the next page was not loaded before the click. The table's idle prefetch of it is
 * blocked in the browser (it fails, as a prefetch the server declined would), and the block is
 * lifted before the press, so the page is loaded by the interaction itself: the pager asks for it
 * at the press, and the click joins that request. The button stays down `pressMs`. With
 * `startAt: 'pointerdown'` the stopwatch runs from the press, so the whole request is inside it.
 * Also reads each flip's request's `Server-Timing` from the browser's resource timing.
 */
export async function flipsWithoutPrefetch(
  page: Page,
  table: FlipTable,
  { start, count, pressMs, startAt }: { start: number; count: number; pressMs: number; startAt: FlipStart },
): Promise<{ timings: number[]; server: NonNullable<ServerTimingOfPage>[] }> {
  const failed = new Set<number>();
  page.on('requestfailed', (request) => {
    if (isPageRequestOf(table, request.url())) failed.add(pageParam(request.url()));
  });
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Network.enable');
  const blockPrefetchOf = (pageNumber: number) =>
    devtools.send('Network.setBlockedURLs', {
      urls: [`*${table.apiPath}?page=${pageNumber}`, `*${table.apiPath}?page=${pageNumber}&*`],
    });
  try {
    await blockPrefetchOf(start + 1);
    await gotoTable(page, table, start);
    const timings: number[] = [];
    const server: NonNullable<ServerTimingOfPage>[] = [];
    for (let index = 0; index < count; index += 1) {
      const next = start + index + 1;
      await waitUntil(() => failed.has(next), `the (blocked) prefetch of page ${next}`);
      await blockPrefetchOf(next + 1);
      await nextPageLink(page).hover();
      timings.push(
        await timeFlip(
          page,
          async () => {
            await page.mouse.down();
            if (pressMs > 0) await page.waitForTimeout(pressMs);
            await page.mouse.up();
          },
          startAt,
        ),
      );
      assertOnPage(page, next);
      if ((await page.getByRole('table', { name: table.name }).getByRole('alert').count()) > 0)
        throw new Error(`page ${next} showed an error instead of its rows`);
      const timing = (await page.evaluate(serverTimingOfPage(table, next))) as ServerTimingOfPage;
      if (timing) server.push(timing);
    }
    return { timings, server };
  } finally {
    await devtools.send('Network.setBlockedURLs', { urls: [] }).catch(() => undefined);
    await devtools.detach().catch(() => undefined);
  }
}

/**
 * Runs in every document of a context before its own scripts: records, on the page's clock
 * (0 = navigation start), the first frame after a member row is in the members table and the
 * table is not busy (a skeleton row does not count). A frame's rendering waits for the
 * stylesheets, so the time is when the row could first be seen.
 */
const FIRST_ROW_PROBE = `(() => {
  const isRowShown = () => {
    const table = document.querySelector('table');
    if (!table || table.getAttribute('aria-busy') === 'true') return false;
    const cell = table.querySelector('tbody tr td');
    return Boolean(cell && cell.textContent && cell.textContent.trim());
  };
  const observer = new MutationObserver(() => {
    if (!isRowShown()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__benchFirstRow = performance.now(); }, 0));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
})()`;

/**
 * First rows on a cold load: for each sample a new browser context (empty cache, no service
 * worker, nothing prefetched) carrying the signed-in cookie opens the members page; the time is
 * from navigation start to the first frame showing a member row.
 */
async function firstRowsCold(browser: Browser, context: BenchContext, samples: number): Promise<number[]> {
  const timings: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    const browserContext = await contextWithSession(browser, context.stack.portalUrl, context.alice.cookie);
    try {
      await browserContext.addInitScript(FIRST_ROW_PROBE);
      const page = await browserContext.newPage();
      await page.goto(`${membersTable(context.orgId).path}?page=${1 + index}`, { waitUntil: 'commit' });
      // Polled from here: waitForFunction would evaluate a string, which the page's CSP forbids.
      const deadline = performance.now() + 15_000;
      let firstRowAt: number | undefined;
      while (
        (firstRowAt = (await page.evaluate('window.__benchFirstRow')) as number | undefined) === undefined
      ) {
        if (performance.now() > deadline) throw new Error('timed out waiting for the first member row');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      timings.push(firstRowAt);
    } finally {
      await browserContext.close();
    }
  }
  return timings;
}

/** Gzipped size of every script a fresh browser downloads for the members page. */
async function browserFirstLoadJs(
  browser: Browser,
  context: BenchContext,
): Promise<{ kb: number; scripts: number }> {
  const browserContext = await contextWithSession(browser, context.stack.portalUrl, context.alice.cookie);
  try {
    const page = await browserContext.newPage();
    const bodies: Promise<Buffer>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script' && response.ok()) bodies.push(response.body());
    });
    await openTablePage(page, membersTable(context.orgId), 1);
    const scripts = await Promise.all(bodies);
    const bytes = scripts.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);
    return { kb: round(bytes / 1024, 1), scripts: scripts.length };
  } finally {
    await browserContext.close();
  }
}

/**
 * Item 3: click "next page" → new rows on screen, in real Chromium, with the next page already
 * prefetched and without. Also downloads the members page once in a fresh context to cross-check
 * item 4 against what a browser really fetches.
 */
export async function measurePageFlips(context: BenchContext): Promise<PageFlipResult> {
  const count = context.isQuick ? 10 : 30;
  const coldLoads = context.isQuick ? 5 : 15;
  const browser = await launchChromium();
  try {
    const { value } = await observeLogto(context, 'page flips', async () => {
      const firstLoad = await browserFirstLoadJs(browser, context);
      const firstRows = await firstRowsCold(browser, context, coldLoads);
      const browserContext = await contextWithSession(browser, context.stack.portalUrl, context.alice.cookie);
      try {
        const members = membersTable(context.orgId);
        const prefetched = await flipsWithPrefetch(await browserContext.newPage(), members, 100, count);
        const cold = await flipsWithoutPrefetch(await browserContext.newPage(), members, {
          start: 200,
          count,
          pressMs: 0,
          startAt: 'pointerdown',
        });
        const pressed = await flipsWithoutPrefetch(await browserContext.newPage(), members, {
          start: 300,
          count,
          pressMs: PERSON_PRESS_MS,
          startAt: 'click',
        });
        return { firstLoad, firstRows, prefetched, cold, pressed };
      } finally {
        await browserContext.close();
      }
    });
    return {
      prefetchedP50Ms: round(percentile(value.prefetched, 50), 1),
      coldP50Ms: round(percentile(value.cold.timings, 50), 1),
      prefetchedP95Ms: round(percentile(value.prefetched, 95), 1),
      coldP95Ms: round(percentile(value.cold.timings, 95), 1),
      pressedColdP50Ms: round(percentile(value.pressed.timings, 50), 1),
      coldServer: summarizeServerTiming(value.cold.server),
      pressedServer: summarizeServerTiming(value.pressed.server),
      flips: count,
      firstRowsColdP50Ms: round(percentile(value.firstRows, 50), 1),
      firstRowsColdP95Ms: round(percentile(value.firstRows, 95), 1),
      firstRowsColdSamples: coldLoads,
      browserFirstLoadJsKbGzip: value.firstLoad.kb,
      browserFirstLoadScripts: value.firstLoad.scripts,
      method:
        `${count} flips each way in headless Chromium (/usr/bin/chromium), alice's session, pages 100→${100 + count} ` +
        `(prefetched: each flip waits until the table's own prefetch of the next page has arrived), 200→${200 + count} ` +
        `(no prefetch: the table's idle prefetch of the next page is blocked in the browser and the block lifted before ` +
        `the press, so the page is loaded by the click itself, from the press on; Playwright's click, the button up at ` +
        `once) and 300→${300 + count} the same, pressed as a person presses (the button held ${PERSON_PRESS_MS} ms). ` +
        `Stopwatch in the page: from the press (no prefetch) or the click event (prefetched, pressed) to the ` +
        `first animation frame after the table shows a new first row and is not busy. First rows, cold: ${coldLoads} loads of ` +
        `pages 1–${coldLoads}, each in a new browser context (empty cache) with alice's session cookie, from navigation ` +
        `start to the first animation frame after a member row is in the table and the table is not busy (a script ` +
        `injected before the page's own).`,
    };
  } finally {
    await browser.close();
  }
}
