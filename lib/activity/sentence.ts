import type { MessageKey, Translator } from '@/lib/i18n/translator';
import type { ActivityListRow, ActivityState, KnownActivityAction } from './kinds';
import { ACTIVITY_ACTIONS, isKnownActivityAction } from './kinds';

/** The "what" filter's label of each kind of change. */
export const ACTION_LABELS: Record<KnownActivityAction, MessageKey> = {
  'member.role_change': 'activity.actions.roleChange',
  'member.add': 'activity.actions.add',
  'member.remove': 'activity.actions.remove',
  'invitation.create': 'activity.actions.invite',
  'invitation.resend': 'activity.actions.resend',
  'invitation.revoke': 'activity.actions.revoke',
  'invitation.accept': 'activity.actions.accept',
  'invitation.decline': 'activity.actions.decline',
  'member.leave': 'activity.actions.leave',
  'organization.create': 'activity.actions.createOrganization',
  'organization.update': 'activity.actions.updateOrganization',
  'organization.delete': 'activity.actions.deleteOrganization',
  'auto_join.update': 'activity.actions.autoJoin',
  'application.add': 'activity.actions.addApp',
  'application.role_change': 'activity.actions.appRoles',
  'application.remove': 'activity.actions.removeApp',
};

/** The kinds of change in the filter's order, with their labels. */
export function actionOptions(t: Translator): { value: KnownActivityAction; label: string }[] {
  return ACTIVITY_ACTIONS.map((value) => ({ value, label: t(ACTION_LABELS[value]) }));
}

const REASONS: Record<string, MessageKey> = {
  last_role_assigner: 'activity.reasons.lastRoleAssigner',
  role_not_grantable: 'activity.reasons.roleNotGrantable',
  member_above_actor: 'activity.reasons.memberAboveActor',
  not_pending: 'activity.reasons.notPending',
  email_mismatch: 'activity.reasons.emailMismatch',
  forbidden: 'activity.reasons.forbidden',
  not_found: 'activity.reasons.notFound',
  invalid_input: 'activity.reasons.invalidInput',
  not_a_member: 'activity.reasons.notAMember',
  already_exists: 'activity.reasons.alreadyExists',
  rate_limited: 'activity.reasons.rateLimited',
  email_unavailable: 'activity.reasons.emailUnavailable',
  upstream_unavailable: 'activity.reasons.upstreamUnavailable',
  internal: 'activity.reasons.internal',
  already_member: 'activity.reasons.alreadyMember',
  already_invited: 'activity.reasons.alreadyInvited',
  role_not_held: 'activity.reasons.roleNotHeld',
  invalid_email: 'activity.reasons.invalidEmail',
  unauthenticated: 'activity.reasons.unauthenticated',
};

/** Why an entry was refused or failed, in words; an unknown code is shown as it is. */
export function reasonText(reason: string | null, t: Translator): string | null {
  if (!reason) return null;
  const key = REASONS[reason];
  return key ? t(key) : reason;
}

type Phrasing = {
  /** With the roles it ended with (or asked for). */
  withRoles: MessageKey;
  /** When the roles are not known. */
  plain: MessageKey;
};

/** One message whether or not the roles are known. */
function always(key: MessageKey): Phrasing {
  return { withRoles: key, plain: key };
}

const DONE: Record<KnownActivityAction, Phrasing> = {
  'member.role_change': { withRoles: 'activity.done.roleChangeTo', plain: 'activity.done.roleChangeUnknown' },
  'member.add': { withRoles: 'activity.done.addWithRoles', plain: 'activity.done.add' },
  'member.remove': always('activity.done.remove'),
  'invitation.create': { withRoles: 'activity.done.inviteWithRoles', plain: 'activity.done.invite' },
  'invitation.resend': always('activity.done.resend'),
  'invitation.revoke': always('activity.done.revoke'),
  'invitation.accept': { withRoles: 'activity.done.acceptWithRoles', plain: 'activity.done.accept' },
  'invitation.decline': always('activity.done.decline'),
  'member.leave': always('activity.done.leave'),
  'organization.create': always('activity.done.createOrganization'),
  'organization.update': always('activity.done.updateOrganization'),
  'organization.delete': always('activity.done.deleteOrganization'),
  'auto_join.update': always('activity.done.autoJoin'),
  'application.add': { withRoles: 'activity.done.addAppWithRoles', plain: 'activity.done.addApp' },
  'application.role_change': always('activity.done.appRoles'),
  'application.remove': always('activity.done.removeApp'),
};

const ATTEMPTED: Record<KnownActivityAction, Phrasing> = {
  'member.role_change': { withRoles: 'activity.attempt.roleChangeTo', plain: 'activity.attempt.roleChange' },
  'member.add': always('activity.attempt.add'),
  'member.remove': always('activity.attempt.remove'),
  'invitation.create': always('activity.attempt.invite'),
  'invitation.resend': always('activity.attempt.resend'),
  'invitation.revoke': always('activity.attempt.revoke'),
  'invitation.accept': always('activity.attempt.accept'),
  'invitation.decline': always('activity.attempt.decline'),
  'member.leave': always('activity.attempt.leave'),
  'organization.create': always('activity.attempt.createOrganization'),
  'organization.update': always('activity.attempt.updateOrganization'),
  'organization.delete': always('activity.attempt.deleteOrganization'),
  'auto_join.update': always('activity.attempt.autoJoin'),
  'application.add': always('activity.attempt.addApp'),
  'application.role_change': always('activity.attempt.appRoles'),
  'application.remove': always('activity.attempt.removeApp'),
};

function rolesText(state: ActivityState | null, t: Translator): string | undefined {
  if (!state?.roles) return undefined;
  return state.roles.length > 0 ? state.roles.join(', ') : t('activity.noRoles');
}

/** What people call an entry's target: its label, else a description with its id. */
export function targetText(row: ActivityListRow, t: Translator): string {
  if (row.target.label) return row.target.label;
  const id = row.target.id ?? '?';
  if (row.target.type === 'member') return t('activity.unknownMember', { id });
  if (row.target.type === 'invitation') return t('activity.unknownInvitation', { id });
  return id;
}

/** Who made a change: their email, else their user id. */
export function actorText(row: ActivityListRow): string {
  return row.actor.email ?? row.actor.id;
}

/**
 * One entry as a sentence in the reader's language: "alice@acme.example changed
 * carol@acme.example's roles: member → manager", or "… tried to …" when it did not go through
 * (the outcome and reason are shown beside it). `actor` replaces the actor's name, e.g. with a
 * marker the table turns into a filter button.
 */
export function activitySentence(
  row: ActivityListRow,
  t: Translator,
  { actor }: { actor?: string } = {},
): string {
  const values = {
    actor: actor ?? actorText(row),
    target: targetText(row, t),
    action: row.action,
  };
  if (!isKnownActivityAction(row.action)) {
    return t(row.outcome === 'done' ? 'activity.done.other' : 'activity.attempt.other', values);
  }
  const before = rolesText(row.before, t);
  const after = rolesText(row.after, t);
  if (
    row.outcome === 'done' &&
    row.action === 'member.role_change' &&
    before !== undefined &&
    after !== undefined
  ) {
    return t('activity.done.roleChange', { ...values, before, after });
  }
  const phrasing = (row.outcome === 'done' ? DONE : ATTEMPTED)[row.action];
  if (after !== undefined) return t(phrasing.withRoles, { ...values, roles: after });
  return t(phrasing.plain, values);
}
