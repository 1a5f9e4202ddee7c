/**
 * The vocabulary of the activity log, shared by the server (recording, filtering) and the
 * browser (the table's filter and sentences). No server imports here.
 */

/** The kinds of change the portal records, in the order the "what" filter lists them. */
export const ACTIVITY_ACTIONS = [
  'member.role_change',
  'member.add',
  'member.remove',
  'invitation.create',
  'invitation.resend',
  'invitation.revoke',
  'invitation.accept',
  'invitation.decline',
  'member.leave',
  'organization.create',
  'organization.update',
  'organization.delete',
  'auto_join.update',
  'application.add',
  'application.role_change',
  'application.remove',
] as const;

export type KnownActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** Whether a text names one of {@link ACTIVITY_ACTIONS}. */
export function isKnownActivityAction(value: string): value is KnownActivityAction {
  return (ACTIVITY_ACTIONS as readonly string[]).includes(value);
}

/**
 * Why a change was refused or failed, beyond the action error codes (`forbidden`,
 * `not_found`, `upstream_unavailable`, …): the rule that refused it, when one did.
 */
export const ACTIVITY_RULE_REASONS = [
  /** Rule 4: it would have left nobody holding `assign:roles`. */
  'last_role_assigner',
  /** Rule 3: the roles asked for carry permissions the actor does not hold. */
  'role_not_grantable',
  /** Rule 3: the member or invitation holds roles above the actor's own. */
  'member_above_actor',
  /** The invitation was no longer pending. */
  'not_pending',
  /** The signed-in person's email is not the invited one. */
  'email_mismatch',
] as const;

/** State before or after a change as the log keeps it (`before` / `after`), every field optional. */
export type ActivityState = {
  /** Role names, sorted. */
  roles?: string[];
  /** An invitation's status (`Pending`, `Revoked`, `Accepted`). */
  status?: string;
  /** An organization's name. */
  name?: string;
  description?: string | null;
  /** An invitation's expiry, epoch ms. */
  expiresAt?: number;
};

/** Reads the fields the portal writes into `before` / `after`, ignoring anything else. */
export function readActivityState(value: unknown): ActivityState | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const state: ActivityState = {};
  if (Array.isArray(record.roles)) state.roles = record.roles.filter((role) => typeof role === 'string');
  if (typeof record.status === 'string') state.status = record.status;
  if (typeof record.name === 'string') state.name = record.name;
  if (typeof record.description === 'string' || record.description === null)
    state.description = record.description;
  if (typeof record.expiresAt === 'number') state.expiresAt = record.expiresAt;
  return state;
}

/** One entry as the activity table receives it: only these fields travel to the browser. */
export type ActivityListRow = {
  id: number;
  /** Epoch ms. */
  occurredAt: number;
  actor: { id: string; email: string | null; isOperator: boolean };
  action: string;
  target: { type: string; id: string | null; label: string | null };
  before: ActivityState | null;
  after: ActivityState | null;
  outcome: 'done' | 'refused' | 'failed';
  reason: string | null;
  jobId: string | null;
};

/** One page of the activity table, in the shape every portal list route answers. */
export type ActivityPage = { rows: ActivityListRow[]; total: number; page: number; pageSize: number };
