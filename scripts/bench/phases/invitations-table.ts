import { logtoCallsOf, readServerTiming } from '../../../test/server-timing';
import { type BenchContext, observeLogto, READ_CACHE_SETTLE_MS } from '../lib/context';
import { medianOrNull, percentile, round } from '../lib/stats';
import { topUp, type TopUp } from '../lib/top-up';
import { timedResponse } from './overhead';

/**
 * How many invitations Acme holds for this phase: an organization that has just invited a few
 * thousand people at once (more than the bulk phase leaves, so a full run and a run of this phase
 * alone measure the same list). Logto answers them all in one list (it does not paginate them).
 */
const INVITATIONS = 5_000;
/** Concurrent creations while Acme is filled up (the local Logto, no budget in force). */
const CREATE_CONCURRENCY = 8;
/** Raw list calls timed. */
const RAW_CALLS = 10;
/** Pages read from Logto afresh (each after the read cache let the list go), and the pages read right after each. */
const COLD_READS = 8;
const WARM_READS_PER_COLD = 5;
const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Item 39 and its details: the invitations table once an organization has invited thousands. */
export type InvitationsTableResult = {
  invitations: number;
  /** Created by this phase through the Management API, to reach {@link INVITATIONS}. */
  created: number;
  createSeconds: number;
  /** The raw `GET /api/organization-invitations?organizationId=` the page makes: every invitation. */
  raw: { p50Ms: number; kb: number };
  /**
   * A page whose list came from Logto (the read cache had let it go), p50/p95 ms; the route's own
   * report (`Server-Timing`): its handler, and Logto's answer in the reads that made only the list
   * call (in the others the access check was asked too, at the same time).
   */
  fromLogto: {
    p50Ms: number;
    p95Ms: number;
    handlerP50Ms: number | null;
    listCallP50Ms: number | null;
    listCallSamples: number;
  };
  /** A page read while the list is kept (another page, tab or search of the same list), p50/p95 ms. */
  kept: { p50Ms: number; p95Ms: number };
  /** Invitation list calls Logto answered for the {@link COLD_READS} × (1 + {@link WARM_READS_PER_COLD}) page reads. */
  logtoListCalls: number;
  pageReads: number;
  method: string;
};

/** Tops Acme up to `total` invitations, pending for a week with the member role. */
async function fillInvitations(context: BenchContext, total: number): Promise<TopUp> {
  const existing = (await context.admin.invitations(context.orgId)).length;
  const memberRoleId = await context.admin.organizationRoleId('member');
  const expiresAt = Date.now() + INVITATION_LIFETIME_MS;
  return topUp(existing, total, CREATE_CONCURRENCY, (number) =>
    context.admin.send('POST', '/api/organization-invitations', {
      organizationId: context.orgId,
      invitee: `onboarded.${String(number).padStart(4, '0')}@newcomers.example`,
      expiresAt,
      organizationRoleIds: [memberRoleId],
    }),
  );
}

/**
 * Item 39: the invitations table of an organization that has just invited {@link INVITATIONS}
 * people. Logto answers every invitation in one list, so the portal reads the list once and serves
 * every page, tab and search of it while its read cache keeps it. Times a page whose list came
 * from Logto (after the cache let it go) and pages read while it is kept, against the raw list
 * call, and counts the list calls Logto answered.
 */
export async function measureInvitationsTable(context: BenchContext): Promise<InvitationsTableResult> {
  const filled = await fillInvitations(context, INVITATIONS);
  const invitations = filled.existing + filled.created;
  const rawCalls = context.isQuick ? 3 : RAW_CALLS;
  const coldReads = context.isQuick ? 2 : COLD_READS;

  const raw: number[] = [];
  let rawBytes = 0;
  for (let index = 0; index < rawCalls; index += 1) {
    const started = performance.now();
    const response = await context.admin.apiResponse(
      `/api/organization-invitations?organizationId=${encodeURIComponent(context.orgId)}`,
    );
    rawBytes = (await response.arrayBuffer()).byteLength;
    raw.push(performance.now() - started);
  }

  const page = (number: number) => () =>
    fetch(`${context.stack.portalUrl}/api/orgs/${context.orgId}/invitations?page=${number}`, {
      headers: { accept: 'application/json', cookie: context.alice.cookie },
    });
  const pages = Math.max(1, Math.floor(invitations / 20));
  const { value, stats } = await observeLogto(context, 'invitations table', async () => {
    const fromLogto: Array<{ elapsedMs: number; headers: Headers }> = [];
    const kept: number[] = [];
    for (let cold = 0; cold < coldReads; cold += 1) {
      await new Promise((resolve) => setTimeout(resolve, READ_CACHE_SETTLE_MS));
      const first = 1 + ((cold * (WARM_READS_PER_COLD + 1)) % pages);
      fromLogto.push(await timedResponse(page(first), 'GET invitations route'));
      for (let next = 1; next <= WARM_READS_PER_COLD; next += 1) {
        kept.push(
          (await timedResponse(page(1 + ((first - 1 + next) % pages)), 'GET invitations route')).elapsedMs,
        );
      }
    }
    return { fromLogto, kept };
  });

  const handler = value.fromLogto.map(({ headers }) => readServerTiming(headers.get('server-timing')));
  const listOnly = handler.filter((metrics) => logtoCallsOf(metrics) === 1);
  const fromLogtoMs = value.fromLogto.map(({ elapsedMs }) => elapsedMs);
  const pageReads = coldReads * (1 + WARM_READS_PER_COLD);
  return {
    invitations,
    created: filled.created,
    createSeconds: filled.seconds,
    raw: { p50Ms: round(percentile(raw, 50), 1), kb: round(rawBytes / 1024, 1) },
    fromLogto: {
      p50Ms: round(percentile(fromLogtoMs, 50), 1),
      p95Ms: round(percentile(fromLogtoMs, 95), 1),
      handlerP50Ms: medianOrNull(handler.flatMap((metrics) => metrics.get('total')?.durMs ?? [])),
      listCallP50Ms: medianOrNull(listOnly.flatMap((metrics) => metrics.get('logto')?.durMs ?? [])),
      listCallSamples: listOnly.length,
    },
    kept: { p50Ms: round(percentile(value.kept, 50), 1), p95Ms: round(percentile(value.kept, 95), 1) },
    logtoListCalls: stats.byRoute['GET /organization-invitations'] ?? 0,
    pageReads,
    method:
      `Acme topped up to ${invitations.toLocaleString('en-US')} invitations through the Management API ` +
      `(${filled.created.toLocaleString('en-US')} created, before the counting starts). ${rawCalls} raw ` +
      `GET /api/organization-invitations?organizationId={Acme} (every invitation: Logto does not paginate them). ` +
      `Then ${coldReads} rounds, each after the read cache's lifetime: one page of GET /api/orgs/{Acme}/invitations ` +
      `(alice's session), whose list comes from Logto, and the next ${WARM_READS_PER_COLD} pages at once, served ` +
      `from the list the portal keeps. Logto's list calls counted by the local Logto over the rounds.`,
  };
}
