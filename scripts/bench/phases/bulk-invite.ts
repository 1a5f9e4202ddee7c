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
/** The share of the budget bulk jobs may use (LOGTO_JOBS_BUDGET_SHARE's default). */
const JOBS_SHARE = 0.7;
const POLL_MS = 1_000;

/** One bulk invitation job's figures and what backs them. */
export type BulkInviteRun = {
  addresses: number;
  /** Added to every Logto answer (the modelled distance to a hosted Logto). */
  latencyMs: number;
  throughputRatio: number;
  callsPerAddress: number;
  refused: number;
  lostOrDoubled: number;
  elapsedMs: number;
  logtoRequests: number;
  counts: Record<string, number>;
  lost: string[];
  doubled: string[];
};

export type BulkInviteResult =
  | { isMeasured: true; local: BulkInviteRun; hosted: BulkInviteRun; method: string }
  | { isMeasured: false; reason: string };

type JobAnswer = { ok: true; data: { jobId: string } } | { ok: false; error: { code: string; message: string } };
type JobState = { job: { status: string; total: number; counts: Record<string, number> } };

function findJobAction(projectDir: string): ServerActionInfo | string {
  try {
    return findServerAction(readServerActions(projectDir), 'startInviteJobAction');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function readJob(context: BenchContext, jobId: string): Promise<JobState['job']> {
  const response = await fetch(`${context.stack.portalUrl}/api/orgs/${context.orgId}/jobs/${jobId}`, {
    headers: { cookie: context.alice.cookie, accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`job ${jobId}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as JobState).job;
}

async function runJob(
  context: BenchContext,
  action: ServerActionInfo,
  memberRoleId: string,
  total: number,
  latencyMs: number,
): Promise<BulkInviteRun> {
  const runId = `${Date.now().toString(36)}-${latencyMs}`;
  const emails = Array.from({ length: total }, (_, index) => `job-${runId}-${index}@invitees.example`);
  await context.admin.setFaults({ rateLimit: RATE_LIMIT, ...(latencyMs > 0 ? { latencyMs } : {}) });
  let observed;
  try {
    observed = await observeLogto(context, `bulk invite job (${latencyMs} ms)`, async () => {
      const response = await postServerAction({
        portalUrl: context.stack.portalUrl,
        pagePath: actionPagePath(action, { orgId: context.orgId }),
        actionId: action.id,
        cookie: context.alice.cookie,
        args: [context.orgId, { emails, roleIds: [memberRoleId], expiresInDays: 7 }],
      });
      const answer = response.result as JobAnswer | undefined;
      if (!answer) throw new Error(`invite job: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
      if (!answer.ok) throw new Error(`invite job refused: ${answer.error.code} ${answer.error.message}`);
      for (;;) {
        const job = await readJob(context, answer.data.jobId);
        if (job.status === 'finished' || job.status === 'cancelled') return job;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    });
  } finally {
    await context.admin.clearFaults();
  }

  const { value: job, stats, elapsedMs } = observed;
  // Read back with the faults off: what Logto holds is the truth, whatever the portal said.
  const invitations = await context.admin.invitations(context.orgId);
  const outbox = await context.admin.outbox();
  const count = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    return counts;
  };
  const pendingByEmail = count(
    invitations.filter((invitation) => invitation.status === 'Pending').map((invitation) => invitation.invitee),
  );
  const mailsByEmail = count(outbox.map((message) => message.to));
  const lost = emails.filter((email) => !pendingByEmail.has(email) || !mailsByEmail.has(email));
  const doubled = emails.filter(
    (email) => (pendingByEmail.get(email) ?? 0) > 1 || (mailsByEmail.get(email) ?? 0) > 1,
  );
  const served = routedRequests(stats);
  const sharePerSecond = (RATE_LIMIT.limit * JOBS_SHARE) / (RATE_LIMIT.windowMs / 1000);
  return {
    addresses: total,
    latencyMs,
    throughputRatio: round(served / (elapsedMs / 1000) / sharePerSecond),
    callsPerAddress: round(served / total),
    refused: stats.apiRequests - served,
    lostOrDoubled: new Set([...lost, ...doubled]).size,
    elapsedMs: Math.round(elapsedMs),
    logtoRequests: stats.apiRequests,
    counts: job.counts,
    lost: lost.slice(0, 10),
    doubled: doubled.slice(0, 10),
  };
}

/**
 * Bulk invitations as a background job: 2,000 new addresses through `startInviteJobAction` (as
 * the bulk invitation page sends them), then the job page's route polled once a second until the
 * job is finished, with the local Logto refusing anything over 200 requests per 10 s; once as is
 * and once with 200 ms added to every Logto answer. Then Logto is read back: one pending
 * invitation and one email per address, no more, no less.
 */
export async function measureBulkInvite(context: BenchContext): Promise<BulkInviteResult> {
  const action = findJobAction(context.projectDir);
  if (typeof action === 'string') return { isMeasured: false, reason: `the job action is missing: ${action}` };
  const memberRoleId = await context.admin.organizationRoleId('member');

  const total = context.isQuick ? 200 : 2_000;
  const local = await runJob(context, action, memberRoleId, total, 0);
  const hosted = await runJob(context, action, memberRoleId, total, 200);
  return {
    isMeasured: true,
    local,
    hosted,
    method:
      `${total} new addresses (role member, 7 days) through startInviteJobAction over HTTP as alice, the job ` +
      `polled through its route each second until finished, with the local Logto's rateLimit fault at ` +
      `${RATE_LIMIT.limit} per ${RATE_LIMIT.windowMs / 1000} s; once with no added latency and once with 200 ms ` +
      `added to every Logto answer. Throughput = Management API requests Logto served ÷ elapsed seconds (from the ` +
      `action call to the job reported finished) ÷ the jobs' share (${JOBS_SHARE} × ${RATE_LIMIT.limit} per ` +
      `${RATE_LIMIT.windowMs / 1000} s). Calls per address = requests Logto served ÷ addresses (the polling's ` +
      `own few calls included). Lost/doubled = addresses without exactly one pending invitation and exactly one ` +
      `email in the outbox, read back afterwards.`,
  };
}
