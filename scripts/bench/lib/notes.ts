import type { ApiCallsResult } from '../phases/api-calls';
import type { BulkInviteResult } from '../phases/bulk-invite';
import type { FirstLoadJsResult } from '../phases/first-load-js';
import type { InvitationsTableResult } from '../phases/invitations-table';
import type { LoadResult } from '../phases/load';
import type { OrganizationsTableResult } from '../phases/organizations-table';
import type { OverheadResult } from '../phases/overhead';
import type { PageFlipResult } from '../phases/page-flip';
import type { PeopleLoadResult, ShapeResult } from '../phases/people-load';
import type { ThreeInstanceResult } from '../phases/three-instances';

/** What the notes under the table draw on; a phase that failed is simply absent. */
export type NoteInputs = {
  signIn?: { sessions: number; seconds: number; managementApiCallsDuringSignIn: number };
  apiCalls?: ApiCallsResult;
  overhead?: OverheadResult;
  flips?: PageFlipResult;
  firstLoad?: FirstLoadJsResult;
  load?: LoadResult;
  people?: PeopleLoadResult;
  bulk?: BulkInviteResult;
  threeInstances?: ThreeInstanceResult;
  organizationsTable?: OrganizationsTableResult;
  invitationsTable?: InvitationsTableResult;
  /** The single-instance server right after start-up, on the embedded store. */
  pgliteStartup?: { rssMb: number; heapUsedMb: number };
  wholeRun?: {
    minutes: number;
    organizationRoleFetches: number;
    windows: Array<{ label: string; tokenRequests: number; codeExchanges: number }>;
  };
};

const routes = (byRoute: Record<string, number>) =>
  Object.entries(byRoute)
    .map(([route, count]) => `${route} ×${count}`)
    .join(', ');

function describeShape(shape: ShapeResult): string {
  const errors = Object.entries(shape.errorKinds).map(([kind, count]) => `${kind} ×${count}`);
  return (
    `${shape.requests.toLocaleString('en-US')} requests (${shape.waitedRequests.toLocaleString('en-US')} waited on) ` +
    `in ${shape.durationS} s, p50 ${shape.p50Ms} ms / p95 ${shape.p95Ms} ms (waited-on p95 ${shape.waitedP95Ms} ms), ` +
    `${errors.length > 0 ? `errors ${errors.join(', ')}` : '0 errors'}, ${shape.busyAnswered} first answered busy, ${shape.prefetchesRefused} prefetches declined; Logto ${shape.logto.apiRequests.toLocaleString('en-US')} ` +
    `calls (${shape.logto.refused} refused), busiest window ${shape.logto.maxPerWindow}, ` +
    `${shape.viewsPerLogtoCall} views per call`
  );
}

function describePeople(people: PeopleLoadResult): string {
  return `(a) one organization: ${describeShape(people.sameOrg)}; (b) 50 organizations: ${describeShape(people.manyOrgs)}`;
}

/** The figures behind the table's numbers, one line per item, for stdout and the README. */
export function renderNotes(inputs: NoteInputs): string[] {
  const notes: string[] = [];
  const {
    signIn,
    apiCalls,
    overhead,
    flips,
    firstLoad,
    load,
    people,
    bulk,
    threeInstances,
    organizationsTable,
    invitationsTable,
    pgliteStartup,
    wholeRun,
  } = inputs;
  if (signIn) {
    notes.push(
      `Sessions: ${signIn.sessions} sign-ins through the real OIDC flow over HTTP (next-auth CSRF token → Logto's ` +
        `sign-in form → callback) in ${signIn.seconds} s, ${signIn.managementApiCallsDuringSignIn} Management API calls.`,
    );
  }
  if (apiCalls) {
    notes.push(
      `1 · cold view: ${routes(apiCalls.coldByRoute)} (+ ${apiCalls.coldTokenRequests} token request); ` +
        `warm view: ${routes(apiCalls.warmByRoute)}.`,
    );
  }
  if (overhead) {
    notes.push(
      `2 · GET members route p50 ${overhead.routeP50Ms} ms / p95 ${overhead.routeP95Ms} ms vs raw list call p50 ` +
        `${overhead.rawP50Ms} ms / p95 ${overhead.rawP95Ms} ms (${overhead.samples} pairs). The route's own ` +
        `Server-Timing: its handler p50 ${overhead.handler.handlerP50Ms} ms, Logto's answer inside it ` +
        `${overhead.handler.logtoP50Ms} ms (${overhead.handler.samples} requests with one Logto call); the rest of ` +
        `the route's time is Next's request handling and HTTP on both ends. The route makes ` +
        `${overhead.logtoCallsPerRouteRequest} Logto calls per request. The same route without Logto: a page ` +
        `it just read (read cache) p50 ${overhead.breakdown.cachedRouteP50Ms} ms; refused for want of a session ` +
        `(no work: the floor of any portal request) p50 ${overhead.breakdown.refusedRouteP50Ms} ms. With ${overhead.atModelledLatency.latencyMs} ms added to every ` +
        `Logto answer (a hosted Logto's distance): ratio p50 ${overhead.atModelledLatency.p50} / p95 ` +
        `${overhead.atModelledLatency.p95} (route ${overhead.atModelledLatency.routeP50Ms} ms: handler ` +
        `${overhead.atModelledLatency.handler.handlerP50Ms} ms, Logto's answer in it ` +
        `${overhead.atModelledLatency.handler.logtoP50Ms} ms; raw ${overhead.atModelledLatency.rawP50Ms} ms, ` +
        `${overhead.atModelledLatency.samples} pairs).`,
    );
  }
  if (flips) {
    notes.push(
      `3 · ${flips.flips} flips each: prefetched p95 ${flips.prefetchedP95Ms} ms, no prefetch p95 ${flips.coldP95Ms} ms` +
        (overhead ? ` (target ≤ 1.5 × raw list call p50 ${overhead.rawP50Ms} ms + 30 ms)` : '') +
        `; during the unprefetched flips the portal timed its route at p50 ${flips.coldServer.routeP50Ms} ms, ` +
        `${flips.coldServer.logtoP50Ms} ms of it Logto's answer (Server-Timing, ${flips.coldServer.samples} flips)` +
        `; unprefetched but pressed as a person presses (button down 100 ms, the pager loads the page from the ` +
        `press) p50 ${flips.pressedColdP50Ms} ms from the click, while the portal timed those requests at p50 ` +
        `${flips.pressedServer.routeP50Ms} ms (${flips.pressedServer.samples} flips)` +
        `; first rows on a cold load (${flips.firstRowsColdSamples} fresh browser contexts) p50 ` +
        `${flips.firstRowsColdP50Ms} ms, p95 ${flips.firstRowsColdP95Ms} ms.`,
    );
  }
  if (firstLoad) {
    const biggest = [...firstLoad.files].sort((a, b) => b.gzipBytes - a.gzipBytes).slice(0, 3);
    const ownShare = firstLoad.beyondFloor
      ?.slice(0, 4)
      .map((entry) => `${entry.source} ${entry.kbGzip.toFixed(1)}`)
      .join(', ');
    notes.push(
      `4 · ${firstLoad.files.length} files, ${firstLoad.kbRaw} KB raw; floor (${firstLoad.floor.route}, the root ` +
        `layout and Next) ${firstLoad.floor.kbGzip} KB in ${firstLoad.floor.files} files, so the page's own share is ` +
        `${(firstLoad.kbGzip - firstLoad.floor.kbGzip).toFixed(1)} KB` +
        (ownShare ? ` (largest, KB gzip: ${ownShare})` : '') +
        `; largest files gzip: ` +
        `${biggest.map((file) => `${file.path.split('/').pop()} ${(file.gzipBytes / 1024).toFixed(1)} KB`).join(', ')}` +
        (flips
          ? `; a fresh Chromium downloaded ${flips.browserFirstLoadJsKbGzip} KB gzip in ${flips.browserFirstLoadScripts} scripts.`
          : '.'),
    );
  }
  if (bulk?.isMeasured) {
    const describe = (run: typeof bulk.local) =>
      `${run.latencyMs} ms: ${run.logtoRequests.toLocaleString('en-US')} Logto requests for ${run.addresses} ` +
      `addresses in ${(run.elapsedMs / 1000).toFixed(1)} s, items ${JSON.stringify(run.counts)}`;
    notes.push(`5 · ${describe(bulk.local)}; ${describe(bulk.hosted)}.`);
  }
  if (load) {
    notes.push(
      `6 · ${load.requests.toLocaleString('en-US')} requests in ${load.durationS} s, p50 ${load.p50Ms} ms, ` +
        `${load.busyAnswered} first answered "busy, retrying"; ` +
        `Logto calls ${load.logtoCallsPerSecond}/s, busiest 10 s window ${load.logtoMaxPerWindow} ` +
        `(the portal's default budget is 200 per 10 s per client); ` +
        `live heap after GC ${load.heapMb.before} → ${load.heapMb.middle} → ${load.heapMb.after} MB; ` +
        `RSS ${load.rssMb.before} → peak ${load.rssMb.peak} → ${load.rssMb.after} MB.`,
    );
  }
  if (people) notes.push(`8 · one instance: ${describePeople(people)}.`);
  if (threeInstances) {
    const { logto, budget, store } = threeInstances;
    const perInstance = threeInstances.byInstance
      .map((instance) => `${instance.requests} (p95 ${instance.p95Ms} ms, ${instance.errors} errors)`)
      .join(' / ');
    const errors = Object.entries(threeInstances.errorKinds).map(([kind, count]) => `${kind} ×${count}`);
    notes.push(
      `7 · 3 instances on one Postgres: ${threeInstances.requests.toLocaleString('en-US')} requests in ` +
        `${threeInstances.durationS} s, p50 ${threeInstances.p50Ms} ms, slowest ${threeInstances.maxMs} ms` +
        `${errors.length > 0 ? ` (errors: ${errors.join(', ')})` : ''}; per instance ${perInstance}. Logto, limited ` +
        `to ${budget.limit} per ${budget.windowMs / 1000} s: ${logto.apiRequests.toLocaleString('en-US')} Management API ` +
        `requests (${logto.servedPerSecond}/s served, ${logto.refused} refused), ${logto.tokenRequests} token requests, ` +
        `busiest ${budget.windowMs / 1000} s window ${logto.maxPerWindow}; the store granted ` +
        `${store.permitsGranted.toLocaleString('en-US')} permits (${store.byInstance.join(' / ')}), at most ` +
        `${store.maxPerSpan} in any ${store.spanMs / 1000} s, ` +
        (store.requestsBeyondGrants > 0
          ? `and Logto received ${store.requestsBeyondGrants} requests more than that.`
          : `${-store.requestsBeyondGrants} of them unused.`) +
        ` People-like load on the same three instances: ${describePeople(threeInstances.peopleLike)}.`,
    );
  }
  if (organizationsTable) {
    const { overhead: paired, coldServer } = organizationsTable;
    notes.push(
      `9 · ${organizationsTable.organizations.toLocaleString('en-US')} organizations ` +
        `(${organizationsTable.created.toLocaleString('en-US')} created in ${organizationsTable.createSeconds} s): ` +
        `GET /api/orgs p50 ${paired.routeP50Ms} ms vs raw GET /organizations (with member counts) p50 ` +
        `${paired.rawP50Ms} ms (${paired.samples} pairs; the route's handler p50 ${paired.handler.handlerP50Ms} ms, ` +
        `Logto's answer in it ${paired.handler.logtoP50Ms} ms); ${organizationsTable.flips} flips each: prefetched ` +
        `p95 ${organizationsTable.prefetchedP95Ms} ms, no prefetch p95 ${organizationsTable.coldP95Ms} ms, the ` +
        `portal timing those requests at p50 ${coldServer.routeP50Ms} ms, ${coldServer.logtoP50Ms} ms of it Logto's ` +
        `answer (${coldServer.samples} flips).`,
    );
  }
  if (invitationsTable) {
    const { raw, fromLogto, kept } = invitationsTable;
    notes.push(
      `10 · Acme with ${invitationsTable.invitations.toLocaleString('en-US')} invitations ` +
        `(${invitationsTable.created.toLocaleString('en-US')} created in ${invitationsTable.createSeconds} s): ` +
        `the raw list of them all p50 ${raw.p50Ms} ms (${raw.kb.toLocaleString('en-US')} KB); a page whose list ` +
        `came from Logto p50 ${fromLogto.p50Ms} ms, p95 ${fromLogto.p95Ms} ms (the handler ${fromLogto.handlerP50Ms} ms` +
        (fromLogto.listCallSamples > 0
          ? `; Logto's answer to the list call in it ${fromLogto.listCallP50Ms} ms, over the ` +
            `${fromLogto.listCallSamples} reads that made no other call)`
          : ')') +
        `; the next pages, from the list the portal keeps, p50 ` +
        `${kept.p50Ms} ms, p95 ${kept.p95Ms} ms; ${invitationsTable.logtoListCalls} list calls for ` +
        `${invitationsTable.pageReads} page reads.`,
    );
  }
  if (pgliteStartup || threeInstances) {
    const postgres = threeInstances?.rssMb.afterStartup;
    notes.push(
      `Server memory after start-up (RSS after a full GC): ` +
        [
          pgliteStartup &&
            `embedded PGlite ${pgliteStartup.rssMb} MB (live heap ${pgliteStartup.heapUsedMb} MB)`,
          postgres &&
            `DATABASE_URL ${postgres.join(' / ')} MB (three instances; the Postgres server is apart)`,
        ]
          .filter(Boolean)
          .join(' vs ') +
        '.',
    );
  }
  if (wholeRun) {
    const tokenWindows = wholeRun.windows
      .filter((window) => window.tokenRequests > window.codeExchanges)
      .map((window) => `${window.label} ×${window.tokenRequests - window.codeExchanges}`);
    notes.push(
      `Whole run (${wholeRun.minutes} min, one server process): M2M token requests in ${tokenWindows.join(', ') || 'no phase'}; ` +
        `GET /organization-roles ×${wholeRun.organizationRoleFetches}.`,
    );
  }
  return notes;
}
