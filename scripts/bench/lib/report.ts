import { PORTAL_BUDGET } from './context';

/** The keys of `bench/results.json`, one number (or null when not measured) each. */
export const RESULT_KEYS = [
  'apiCallsPerViewCold',
  'apiCallsPerViewWarm',
  'tokenRequestsPerProcess',
  'overheadP50',
  'overheadP95',
  'overheadHostedP50',
  'flipPrefetchedP50Ms',
  'flipColdP50Ms',
  'firstRowsColdMs',
  'firstLoadJsKbGzip',
  'firstLoadJsFloorKbGzip',
  'bulkInviteThroughputRatio',
  'bulkInviteCallsPerAddress',
  'bulkInviteRefused',
  'bulkInviteLostOrDoubled',
  'bulkInviteThroughputRatioAt200ms',
  'bulkInviteCallsPerAddressAt200ms',
  'bulkInviteLostOrDoubledAt200ms',
  'loadRps',
  'loadP95Ms',
  'loadErrors',
  'memoryGrowthMb',
  'load3Rps',
  'load3P95Ms',
  'load3Errors',
  'load3LogtoRefused',
  'load3MaxPerWindow',
  'loadSameOrgP95Ms',
  'loadManyOrgsP95Ms',
  'loadThreeInstancesP95Ms',
  'loadStressP95Ms',
  'viewsPerLogtoCall',
  'budgetExceeded',
  'serverRssPgliteMb',
  'serverRssPostgresMb',
  'orgsOverheadP50',
  'orgsFlipPrefetchedP50Ms',
  'orgsFlipColdP50Ms',
  'invitationsPageFromLogtoP50Ms',
  'invitationsPageKeptP50Ms',
] as const;

export type ResultKey = (typeof RESULT_KEYS)[number];

/** What the bench found for one key: a number, or why there is none. */
export type Measurement = { value: number; note?: string } | { value: null; reason: string };

type Target = { text: string; isMet?: (value: number) => boolean };

/**
 * Labels and targets of issues 6, 13, 14 and 18, then the organizations table's figures (no
 * targets of their own), in the order the table shows them.
 */
export const METRICS: Record<ResultKey, { label: string; unit: string; target: Target }> = {
  apiCallsPerViewCold: {
    label: 'Management API calls, members page view, cold',
    unit: 'calls',
    target: { text: '—' },
  },
  apiCallsPerViewWarm: {
    label: 'Management API calls, members page view, warm',
    unit: 'calls',
    target: { text: '≤ 2', isMet: (value) => value <= 2 },
  },
  tokenRequestsPerProcess: {
    label: 'M2M token requests, whole run, one server process',
    unit: 'requests',
    target: { text: '≤ 1 per token lifetime', isMet: (value) => value <= 1 },
  },
  overheadP50: {
    label: 'Portal overhead p50, local Logto (GET members route ÷ raw list call)',
    unit: '×',
    target: { text: '≤ 1.40', isMet: (value) => value <= 1.4 },
  },
  overheadP95: {
    label: 'Portal overhead p95 (GET members route ÷ raw list call)',
    unit: '×',
    target: { text: '—' },
  },
  overheadHostedP50: {
    label: 'Portal overhead p50, Logto 40 ms away (route ÷ raw list call)',
    unit: '×',
    target: { text: '≤ 1.10', isMet: (value) => value <= 1.1 },
  },
  flipPrefetchedP50Ms: {
    label: 'Page flip p50, next page prefetched (Chromium, click → rows painted)',
    unit: 'ms',
    target: { text: '≤ 30 ms', isMet: (value) => value <= 30 },
  },
  flipColdP50Ms: {
    label: 'Page flip p50, no prefetch (Chromium)',
    unit: 'ms',
    // Judged in the run against its own raw list call (a verdict override).
    target: { text: '≤ 1.5 × raw list call + 30 ms' },
  },
  firstRowsColdMs: {
    label: 'First rows, cold load (fresh browser, signed in: navigation → first member row)',
    unit: 'ms',
    target: { text: '≤ 400 ms', isMet: (value) => value <= 400 },
  },
  firstLoadJsKbGzip: {
    label: 'First-load JS of /orgs/[orgId]/members, gzip',
    unit: 'KB',
    target: { text: '≤ 130 KB', isMet: (value) => value <= 130 },
  },
  firstLoadJsFloorKbGzip: {
    label: 'First-load JS of a blank page of the same build (the floor), gzip',
    unit: 'KB',
    target: { text: '—' },
  },
  bulkInviteThroughputRatio: {
    label: 'Bulk invite job (2,000): Logto requests/s ÷ the jobs’ share (0.7 × 200 per 10 s)',
    unit: '×',
    target: { text: '≥ 0.95', isMet: (value) => value >= 0.95 },
  },
  bulkInviteCallsPerAddress: {
    label: 'Bulk invite job: Management API calls per address',
    unit: 'calls',
    target: { text: '≤ 1.2', isMet: (value) => value <= 1.2 },
  },
  bulkInviteRefused: {
    label: 'Bulk invite job: requests refused by the rate limit',
    unit: 'requests',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  bulkInviteLostOrDoubled: {
    label: 'Bulk invite job: addresses lost or doubled',
    unit: 'addresses',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  bulkInviteThroughputRatioAt200ms: {
    label: 'Bulk invite job, Logto 200 ms away: requests/s ÷ the jobs’ share',
    unit: '×',
    target: { text: '≥ 0.95', isMet: (value) => value >= 0.95 },
  },
  bulkInviteCallsPerAddressAt200ms: {
    label: 'Bulk invite job, Logto 200 ms away: calls per address',
    unit: 'calls',
    target: { text: '≤ 1.2', isMet: (value) => value <= 1.2 },
  },
  bulkInviteLostOrDoubledAt200ms: {
    label: 'Bulk invite job, Logto 200 ms away: addresses lost or doubled',
    unit: 'addresses',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  loadRps: { label: 'Load, 50 sessions: requests per second', unit: 'req/s', target: { text: '—' } },
  loadP95Ms: { label: 'Load, 50 sessions: p95 latency', unit: 'ms', target: { text: '—' } },
  loadErrors: {
    label: 'Load, 50 sessions: errors',
    unit: 'errors',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  memoryGrowthMb: {
    label: 'Load: server live heap growth (after GC, after − before)',
    unit: 'MB',
    target: { text: 'no steady growth' },
  },
  load3Rps: {
    label: 'Load, 3 instances on one Postgres, 50 sessions: requests per second',
    unit: 'req/s',
    target: { text: '—' },
  },
  load3P95Ms: { label: 'Load, 3 instances: p95 latency', unit: 'ms', target: { text: '—' } },
  load3Errors: {
    label: 'Load, 3 instances: errors',
    unit: 'errors',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  load3LogtoRefused: {
    label: `Load, 3 instances: requests refused by Logto's rate limit (the budget)`,
    unit: 'requests',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  load3MaxPerWindow: {
    label: `Load, 3 instances: Logto requests in the busiest ${PORTAL_BUDGET.windowMs / 1000} s window, all instances`,
    unit: 'requests',
    target: { text: `≤ ${PORTAL_BUDGET.limit} (the budget)`, isMet: (value) => value <= PORTAL_BUDGET.limit },
  },
  loadSameOrgP95Ms: {
    label: 'People-like load (a): 50 sessions, one organization, 2–8 s think time: p95',
    unit: 'ms',
    target: { text: '≤ 300 ms', isMet: (value) => value <= 300 },
  },
  loadManyOrgsP95Ms: {
    label: 'People-like load (b): 50 sessions, each in its own organization: p95',
    unit: 'ms',
    target: { text: '≤ 1,000 ms', isMet: (value) => value <= 1000 },
  },
  loadThreeInstancesP95Ms: {
    label: 'People-like load on 3 instances, one Postgres: worst p95 of shapes (a) and (b)',
    unit: 'ms',
    // Each shape is judged against its own target (a verdict override).
    target: { text: '(a) ≤ 300 ms, (b) ≤ 1,000 ms' },
  },
  loadStressP95Ms: {
    label: 'Stress: 50 sessions paging back to back, one instance: p95',
    unit: 'ms',
    target: { text: '—' },
  },
  viewsPerLogtoCall: {
    label: 'People-like load (a), one instance: views served per Management API call',
    unit: 'views',
    target: { text: '—' },
  },
  budgetExceeded: {
    label: `Requests over the budget (${PORTAL_BUDGET.limit} per ${PORTAL_BUDGET.windowMs / 1000} s) in any window, every load run, counted at Logto`,
    unit: 'requests',
    target: { text: '0', isMet: (value) => value === 0 },
  },
  serverRssPgliteMb: {
    label: 'Server RSS after start-up, embedded store (PGlite)',
    unit: 'MB',
    target: { text: '—' },
  },
  serverRssPostgresMb: {
    label: 'Server RSS after start-up, DATABASE_URL (Postgres)',
    unit: 'MB',
    target: { text: '—' },
  },
  orgsOverheadP50: {
    label: 'Organizations table, operator, 2,000 organizations: GET /api/orgs ÷ raw call p50 (as item 4)',
    unit: '×',
    target: { text: '—' },
  },
  orgsFlipPrefetchedP50Ms: {
    label: 'Organizations table, operator: page flip p50, next page prefetched (as item 7)',
    unit: 'ms',
    target: { text: '—' },
  },
  orgsFlipColdP50Ms: {
    label: 'Organizations table, operator: page flip p50, no prefetch (as item 8)',
    unit: 'ms',
    target: { text: '—' },
  },
  invitationsPageFromLogtoP50Ms: {
    label: 'Invitations table, 5,000 invitations: a page whose list comes from Logto, p50',
    unit: 'ms',
    target: { text: '—' },
  },
  invitationsPageKeptP50Ms: {
    label: 'Invitations table, 5,000 invitations: another page of the list the portal keeps, p50',
    unit: 'ms',
    target: { text: '—' },
  },
};

/** `bench/results.json`: exactly the keys, a number or null each. */
export function toResultsJson(
  measurements: Record<ResultKey, Measurement>,
): Record<ResultKey, number | null> {
  return Object.fromEntries(RESULT_KEYS.map((key) => [key, measurements[key].value])) as Record<
    ResultKey,
    number | null
  >;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
}

/**
 * The Markdown table the bench prints (and the README's Performance section holds): one row per
 * key with value, target and verdict; unmeasured keys say why. `verdicts` overrides a target's
 * own check where a rule needs more than the number (e.g. memory growth judged by its slope).
 */
export function renderMarkdownTable(
  measurements: Record<ResultKey, Measurement>,
  verdicts: Partial<Record<ResultKey, boolean>> = {},
): string {
  const lines = ['| # | measure | key | value | target | verdict |', '| --- | --- | --- | --- | --- | --- |'];
  RESULT_KEYS.forEach((key, index) => {
    const { label, unit, target } = METRICS[key];
    const measurement = measurements[key];
    let value: string;
    let verdict: string;
    if (measurement.value === null) {
      value = 'not measured';
      verdict = '—';
    } else {
      value = `${formatNumber(measurement.value)} ${unit}`;
      const isMet = verdicts[key] ?? target.isMet?.(measurement.value);
      verdict = isMet === undefined ? 'info' : isMet ? 'met' : '**missed**';
    }
    lines.push(`| ${index + 1} | ${label} | \`${key}\` | ${value} | ${target.text} | ${verdict} |`);
  });
  const unmeasured = RESULT_KEYS.flatMap((key) => {
    const measurement = measurements[key];
    return measurement.value === null ? [`- \`${key}\`: not measured: ${measurement.reason}`] : [];
  });
  return unmeasured.length > 0 ? `${lines.join('\n')}\n\n${unmeasured.join('\n')}` : lines.join('\n');
}
