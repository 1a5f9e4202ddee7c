import { type BenchContext, observeLogto, PORTAL_BUDGET, routedRequests } from '../lib/context';
import {
  actionPagePath,
  findServerAction,
  postServerAction,
  readServerActions,
  type ServerActionInfo,
} from '../lib/server-actions';
import { round } from '../lib/stats';

const RATE_LIMIT = PORTAL_BUDGET;
/** What one submission of the invite dialog may carry (MAX_INVITEES_PER_SUBMISSION). */
const ADDRESSES_PER_SUBMISSION = 200;

/** Item 5's figures and what backs them. */
export type BulkInviteResult =
  | {
      isMeasured: true;
      addresses: number;
      throughputRatio: number;
      refused: number;
      lostOrDoubled: number;
      elapsedMs: number;
      logtoRequests: number;
      outcomes: Record<string, number>;
      refusedAsSeenByPortal: number;
      lost: string[];
      doubled: string[];
      method: string;
    }
  | { isMeasured: false; reason: string };

type InviteOutcome = { email: string; outcome: string; reason?: string };
type ActionResult =
  | { ok: true; data: { results: InviteOutcome[]; emailSent: boolean } }
  | { ok: false; error: { code: string; message: string } };

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

function findInviteAction(projectDir: string): ServerActionInfo | string {
  try {
    return findServerAction(readServerActions(projectDir), 'inviteMembersAction');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Item 5: 500 addresses through the invite server action (as the invite dialog sends them, up
 * to 200 per submission, one submission after another) while the local Logto refuses anything
 * over 200 requests per 10 s. Then reads Logto back: one pending invitation and one email per
 * address, no more, no less.
 */
export async function measureBulkInvite(context: BenchContext): Promise<BulkInviteResult> {
  const action = findInviteAction(context.projectDir);
  if (typeof action === 'string')
    return { isMeasured: false, reason: `the invite action is missing: ${action}` };

  const total = context.isQuick ? 100 : 500;
  const runId = Date.now().toString(36);
  const emails = Array.from({ length: total }, (_, index) => `bulk-${runId}-${index}@invitees.example`);
  const memberRoleId = (
    await context.admin.api<{ id: string; name: string }[]>('/api/organization-roles?page_size=100')
  ).data.find((role) => role.name === 'member')?.id;
  if (!memberRoleId) throw new Error('the seed has no "member" organization role');
  const pagePath = actionPagePath(action, { orgId: context.orgId });

  await context.admin.setFaults({ rateLimit: RATE_LIMIT });
  let observed;
  try {
    observed = await observeLogto(context, 'bulk invite', async () => {
      const results: InviteOutcome[] = [];
      for (const addresses of chunk(emails, ADDRESSES_PER_SUBMISSION)) {
        const response = await postServerAction({
          portalUrl: context.stack.portalUrl,
          pagePath,
          actionId: action.id,
          cookie: context.alice.cookie,
          args: [context.orgId, { emails: addresses, roleIds: [memberRoleId], expiresInDays: 7 }],
        });
        const result = response.result as ActionResult | undefined;
        if (!result)
          throw new Error(
            `invite action: HTTP ${response.status}, no result: ${response.body.slice(0, 300)}`,
          );
        if (!result.ok)
          throw new Error(`invite action refused: ${result.error.code} ${result.error.message}`);
        results.push(...result.data.results);
      }
      return results;
    });
  } finally {
    await context.admin.clearFaults();
  }

  const { value: results, stats, elapsedMs } = observed;
  const outcomes: Record<string, number> = {};
  for (const result of results) {
    const key = result.reason ? `${result.outcome}:${result.reason}` : result.outcome;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }

  // Read back with the rate limit off: what Logto holds is the truth, whatever the portal said.
  const invitations = await context.admin.invitations(context.orgId);
  const outbox = await context.admin.outbox();
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const pendingByEmail = count(
    invitations
      .filter((invitation) => invitation.status === 'Pending')
      .map((invitation) => invitation.invitee),
  );
  const mailsByEmail = count(outbox.map((message) => message.to));
  const lost = emails.filter((email) => !pendingByEmail.has(email) || !mailsByEmail.has(email));
  const doubled = emails.filter(
    (email) => (pendingByEmail.get(email) ?? 0) > 1 || (mailsByEmail.get(email) ?? 0) > 1,
  );

  const served = routedRequests(stats);
  const budgetPerSecond = RATE_LIMIT.limit / (RATE_LIMIT.windowMs / 1000);
  return {
    isMeasured: true,
    addresses: total,
    throughputRatio: round(served / (elapsedMs / 1000) / budgetPerSecond),
    // Requests answered by the fault layer never reach a route; the portal sends nothing else.
    refused: stats.apiRequests - served,
    lostOrDoubled: new Set([...lost, ...doubled]).size,
    elapsedMs: Math.round(elapsedMs),
    logtoRequests: stats.apiRequests,
    outcomes,
    refusedAsSeenByPortal: results.filter((result) => result.reason === 'rate_limited').length,
    lost: lost.slice(0, 10),
    doubled: doubled.slice(0, 10),
    method:
      `${total} new addresses (role member, 7 days) through inviteMembersAction over HTTP as alice, ` +
      `${ADDRESSES_PER_SUBMISSION} per submission, submissions in sequence, with the local Logto's rateLimit fault ` +
      `at ${RATE_LIMIT.limit} per ${RATE_LIMIT.windowMs / 1000} s. Throughput = Management API requests Logto served ÷ ` +
      `elapsed seconds ÷ ${budgetPerSecond}/s. Refused = requests answered 429 by the limit. Lost/doubled = addresses ` +
      `without exactly one pending invitation and exactly one email in the outbox, read back afterwards.`,
  };
}
