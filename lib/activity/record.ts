import 'server-only';

import {
  type ActivityAction,
  type ActivityEntry,
  type ActivityOutcome,
  type ActivityTargetType,
  appendActivities,
  appendActivity,
} from '@/lib/store';
import type { ActivityState } from './kinds';
import { resolveError } from './outcome';

/** Who made a change: the action's `actor`, from the server session. */
export type ActivityActor = { userId: string; email: string | null; isOperator: boolean };

/** Where and by whom: every entry of one action shares it. */
export type ActivityScope = {
  actor: ActivityActor;
  /** The organization whose log the entries go to. */
  orgId: string;
  /** The bulk job the entries are items of. */
  jobId?: string | null;
};

/** What a change was done to. `label` is what people recognise it by (an email, a name). */
export type ActivityTarget = { type: ActivityTargetType; id?: string | null; label?: string | null };

/** One item of a change, before its outcome is known. */
export type ActivityItem = {
  target: ActivityTarget;
  before?: ActivityState | null;
  /** The state asked for; kept as `after` whatever the outcome, unless the result says better. */
  after?: ActivityState | null;
};

/** One entry to record, without the scope. */
export type ActivityEvent = ActivityItem & {
  action: ActivityAction;
  outcome: ActivityOutcome;
  reason?: string | null;
};

/**
 * A change about to be made, as {@link ActivityRecorder.withActivity} records it: one action
 * over one or more items (a bulk change records one entry per item).
 */
export type ActivityPlan<T> = {
  action: ActivityAction;
  items: readonly ActivityItem[];
  /**
   * The entries once the change returned, from its result: which items went through, which did
   * not and why, and their state now. Items left out are not recorded (nothing changed for
   * them). Default: every item `done` as planned.
   */
  settle?: (result: T, items: readonly ActivityItem[]) => ActivityEvent[] | Promise<ActivityEvent[]>;
  /**
   * More about the items when the change threw (e.g. the label of an invitation that could not
   * be revoked), best effort: a failure here only loses the extra detail.
   */
  describeFailure?: (error: unknown, items: readonly ActivityItem[]) => Promise<readonly ActivityItem[]>;
};

/** What a recorder needs; the portal's writes to the store, tests' whatever they like. */
export type ActivityRecorderOptions = {
  append: (entry: ActivityEntry) => Promise<unknown>;
  /** Writes several entries at once (a bulk job's batch); without it each is appended alone. */
  appendMany?: (entries: readonly ActivityEntry[]) => Promise<unknown>;
  /**
   * How long an action waits for its entries to be written before answering the user (default
   * 5 s). A write still pending then carries on; only its failure is logged.
   */
  waitMs?: number;
  /** Where lost entries and slow writes are reported (default: the server console). */
  report?: (message: string, detail?: unknown) => void;
};

export type ActivityRecorder = {
  /** Records entries now (one per event); never throws. */
  record(scope: ActivityScope, events: readonly ActivityEvent[]): Promise<void>;
  /**
   * Makes a change and records it in the same step: `done` entries from its result, or
   * `refused` / `failed` ones (with the reason code) for every item when it throws, after which
   * the error is rethrown unchanged. Recording never changes what the caller gets.
   */
  withActivity<T>(scope: ActivityScope, plan: ActivityPlan<T>, change: () => Promise<T>): Promise<T>;
};

const DEFAULT_WAIT_MS = 5_000;

function toEntry(scope: ActivityScope, event: ActivityEvent): ActivityEntry {
  return {
    organizationId: scope.orgId,
    actorUserId: scope.actor.userId,
    actorEmail: scope.actor.email,
    actorIsOperator: scope.actor.isOperator,
    action: event.action,
    targetType: event.target.type,
    targetId: event.target.id ?? null,
    targetLabel: event.target.label ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    outcome: event.outcome,
    reason: event.reason ?? null,
    jobId: scope.jobId ?? null,
  };
}

function defaultReport(message: string, detail?: unknown): void {
  console.error(`[activity] ${message}`, ...(detail === undefined ? [] : [detail]));
}

/**
 * Builds the recording functions over a way to append entries. The portal uses
 * {@link withActivity} and {@link recordActivity}, which write to the store.
 *
 * Why a failed write is only logged: the change has already happened in Logto by the time its
 * entry is written, so failing the action would tell the user a change did not happen when it
 * did (and invite a retry that doubles it). Instead the whole entry goes to the server console,
 * which keeps it for whoever runs the portal, and the action answers as Logto did.
 */
export function createActivityRecorder(options: ActivityRecorderOptions): ActivityRecorder {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const report = options.report ?? defaultReport;

  function writeEach(entries: readonly ActivityEntry[]): Promise<unknown> {
    return Promise.all(
      entries.map((entry) =>
        Promise.resolve()
          .then(() => options.append(entry))
          .then(
            () => true,
            (error: unknown) => {
              report(`could not record ${entry.action} (${entry.outcome}): ${JSON.stringify(entry)}`, error);
              return false;
            },
          ),
      ),
    );
  }

  async function record(scope: ActivityScope, events: readonly ActivityEvent[]): Promise<void> {
    if (events.length === 0) return;
    const entries = events.map((event) => toEntry(scope, event));
    const { appendMany } = options;
    const writing =
      appendMany && entries.length > 1
        ? Promise.resolve()
            .then(() => appendMany(entries))
            .then(
              () => true,
              (error: unknown) => {
                report(`could not record ${entries.length} entries: ${JSON.stringify(entries)}`, error);
                return false;
              },
            )
        : writeEach(entries);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const isWritten = await Promise.race([
      writing.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (!isWritten) {
      report(
        `still writing ${entries.length} ${entries[0]!.action} entries after ${waitMs} ms; answering without waiting`,
      );
    }
  }

  async function withActivity<T>(
    scope: ActivityScope,
    plan: ActivityPlan<T>,
    change: () => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await change();
    } catch (error) {
      const { outcome, reason } = resolveError(error);
      let items = plan.items;
      if (plan.describeFailure) {
        try {
          items = await plan.describeFailure(error, plan.items);
        } catch (detailError) {
          report(`could not describe a ${plan.action} that did not go through`, detailError);
        }
      }
      await record(
        scope,
        items.map((item) => ({ ...item, action: plan.action, outcome, reason })),
      );
      throw error;
    }

    let events: ActivityEvent[];
    try {
      events = plan.settle
        ? await plan.settle(result, plan.items)
        : plan.items.map((item) => ({ ...item, action: plan.action, outcome: 'done' as const }));
    } catch (settleError) {
      // The change went through: record it as planned rather than lose it.
      report(`could not read the result of ${plan.action}; recording it as planned`, settleError);
      events = plan.items.map((item) => ({ ...item, action: plan.action, outcome: 'done' as const }));
    }
    await record(scope, events);
    return result;
  }

  return { record, withActivity };
}

const portalRecorder = createActivityRecorder({
  append: (entry) => appendActivity(entry),
  appendMany: (entries) => appendActivities(entries),
});

/**
 * Makes a change and records it in the store's activity log in the same step (see
 * {@link ActivityRecorder.withActivity}). Every change-making server action wraps its Logto work
 * in it, inside `run`:
 *
 * ```ts
 * run: ({ actor, access, orgId, input }) => {
 *   // The removal reports the member it read (email, roles) in `plan.reads` for the entry.
 *   const plan = removalPlan(input.userId);
 *   return withActivity({ actor, orgId }, plan, () =>
 *     removeMember({ access, orgId, userId: input.userId, reads: plan.reads }),
 *   );
 * },
 * ```
 */
export const withActivity = portalRecorder.withActivity;

/** Records entries in the store's activity log now; never throws (see {@link createActivityRecorder}). */
export const recordActivity = portalRecorder.record;
