import type { Metadata } from 'next';
import { NavLink } from '@/components/nav-link';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { SignOutButton } from '@/components/sign-out-button';
import { Badge } from '@/components/ui/badge';
import { buttonClasses } from '@/components/ui/button';
import { type Actor, getActor } from '@/lib/auth/actor';
import { getLocale, getT } from '@/lib/i18n/server';
import { runWithBudgetContext } from '@/lib/logto';
import { visitorKeyOf } from '@/lib/logto/public-gate';
import { type EmailReadiness, getEmailReadiness } from '@/lib/logto/sign-in-experience';
import { formatRelativeTime } from '@/lib/i18n/format';
import { requireOrgScopes, UnauthenticatedError } from '@/lib/permissions';
import { type InvitationForInvitee, loadInvitationForInvitee, matchInvitee } from '@/lib/portal/invitations';
import { loadForPage } from '@/lib/portal/load-for-page';
import { InvitationCard } from './invitation-card';
import { AcceptButton, SignInToAccept, SwitchAccount } from './invitee-actions';

type InvitationPageProps = { params: Promise<{ id: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('acceptInvitation.pageTitle'), robots: { index: false } };
}

async function currentActor(): Promise<Actor | null> {
  try {
    return await getActor('recent');
  } catch (error) {
    if (error instanceof UnauthenticatedError) return null;
    throw error;
  }
}

/** Whether the new member may open the organization in this portal (admins and managers may). */
async function canOpenOrganization(actor: Actor, orgId: string): Promise<boolean> {
  try {
    await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    return true;
  } catch {
    return false;
  }
}

/** Why a new account could not accept, or `undefined` when it could (or the tenant did not say). */
type SignUpGap = EmailReadiness['signUpGap'];

type View =
  | { kind: 'ended'; status: 'Expired' | 'Revoked' | 'Accepted' }
  | { kind: 'joined'; canOpen: boolean }
  | { kind: 'signed-out'; signUpGap: SignUpGap }
  | { kind: 'mismatch'; email: string | null; signUpGap: SignUpGap }
  | { kind: 'accept' };

/**
 * Whether the tenant's sign-up can give a new account the invited email. A failure to read it is
 * not the invitee's problem: the page then offers sign-up as usual.
 */
async function signUpGapOf(): Promise<SignUpGap> {
  return getEmailReadiness().then(
    (readiness) => readiness.signUpGap,
    () => undefined,
  );
}

async function decideView(invitation: InvitationForInvitee, actor: Actor | null): Promise<View> {
  if (invitation.status === 'Accepted' && actor && invitation.acceptedUserId === actor.userId) {
    return { kind: 'joined', canOpen: await canOpenOrganization(actor, invitation.organizationId) };
  }
  if (invitation.status !== 'Pending') return { kind: 'ended', status: invitation.status };
  if (!actor) return { kind: 'signed-out', signUpGap: await signUpGapOf() };
  // The session's email is not trusted: Logto's record of the user decides.
  const { isMatch, email } = await matchInvitee(invitation.invitee, actor.userId);
  return isMatch ? { kind: 'accept' } : { kind: 'mismatch', email, signUpGap: await signUpGapOf() };
}

/**
 * The invitee's landing page. Open to anyone holding the link: the id shows only the
 * organization's name and the invitation's state; accepting needs a signed-in user whose primary
 * email (read from Logto) is the invited one.
 */
export default async function InvitationPage({ params }: InvitationPageProps) {
  const { id } = await params;
  const visitor = visitorKeyOf(await headers());
  // Anyone on the internet can open this page: its Logto calls come out of the public lane's
  // small share of the budget, never out of what signed-in admins use.
  const load = await loadForPage(() =>
    runWithBudgetContext({ lane: 'public', clientKey: `visitor:${visitor}` }, async () => {
      const invitation = await loadInvitationForInvitee(id);
      return { invitation, view: await decideView(invitation, await currentActor()) };
    }),
  );
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { invitation, view } = load.value;
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const organization = invitation.organizationName;
  const eyebrow = t('acceptInvitation.eyebrow', { organization });

  switch (view.kind) {
    case 'ended': {
      const copy = {
        Expired: {
          title: t('acceptInvitation.expiredTitle'),
          body: t('acceptInvitation.expiredBody', { organization }),
        },
        Revoked: {
          title: t('acceptInvitation.revokedTitle'),
          body: t('acceptInvitation.revokedBody', { organization }),
        },
        Accepted: {
          title: t('acceptInvitation.usedTitle'),
          body: t('acceptInvitation.usedBody', { organization }),
        },
      }[view.status];
      return (
        <InvitationCard
          tone={view.status === 'Accepted' ? 'accent' : 'warning'}
          eyebrow={eyebrow}
          title={copy.title}
        >
          <p>{copy.body}</p>
        </InvitationCard>
      );
    }
    case 'joined':
      return (
        <InvitationCard
          tone="success"
          eyebrow={eyebrow}
          title={t('acceptInvitation.joinedTitle', { organization })}
          actions={
            view.canOpen ? (
              <NavLink
                href={`/orgs/${invitation.organizationId}/members`}
                className={buttonClasses('primary')}
              >
                {t('acceptInvitation.openOrganization', { organization })}
              </NavLink>
            ) : null
          }
        >
          <RolesLine roles={invitation.roles} label={t('acceptInvitation.yourRoles')} />
          <p>
            {view.canOpen
              ? t('acceptInvitation.joinedManageBody')
              : t('acceptInvitation.joinedMemberBody', { organization })}
          </p>
        </InvitationCard>
      );
    case 'signed-out':
      return (
        <InvitationCard
          eyebrow={eyebrow}
          title={t('acceptInvitation.invitedTitle', { organization })}
          actions={<SignInToAccept invitationId={invitation.id} canSignUp={view.signUpGap === undefined} />}
        >
          <p>{t('acceptInvitation.signedOutBody')}</p>
          <SignUpGapNote gap={view.signUpGap} t={t} />
          <p>{t('acceptInvitation.expires', { when: formatRelativeTime(locale, invitation.expiresAt) })}</p>
        </InvitationCard>
      );
    case 'mismatch':
      return (
        <InvitationCard
          tone="danger"
          eyebrow={eyebrow}
          title={t('acceptInvitation.mismatchTitle')}
          actions={
            <>
              {view.signUpGap === undefined ? (
                <SwitchAccount invitationId={invitation.id} intent="sign-up" />
              ) : null}
              <SwitchAccount invitationId={invitation.id} />
              <div className="flex justify-center">
                <SignOutButton />
              </div>
            </>
          }
        >
          <p>
            {view.email
              ? t('acceptInvitation.mismatchBody', { email: view.email })
              : t('acceptInvitation.mismatchNoEmailBody')}
          </p>
          {view.signUpGap === undefined ? (
            <p>{t('acceptInvitation.mismatchHint')}</p>
          ) : (
            <SignUpGapNote gap={view.signUpGap} t={t} />
          )}
        </InvitationCard>
      );
    case 'accept':
      return (
        <InvitationCard
          eyebrow={eyebrow}
          title={t('acceptInvitation.invitedTitle', { organization })}
          actions={<AcceptButton invitationId={invitation.id} />}
        >
          <RolesLine roles={invitation.roles} label={t('acceptInvitation.rolesOffered')} />
          <p>{t('acceptInvitation.expires', { when: formatRelativeTime(locale, invitation.expiresAt) })}</p>
        </InvitationCard>
      );
  }
}

/** Says, in words the invitee can act on, why creating an account here would not help. */
function SignUpGapNote({ gap, t }: { gap: SignUpGap; t: Awaited<ReturnType<typeof getT>> }) {
  if (gap === undefined) return null;
  return (
    <p role="note" className="bg-warning-50 text-warning-700 rounded-md px-3 py-2 text-sm">
      {t('acceptInvitation.signUpGap', { reason: gap.replaceAll('-', '_') })}
    </p>
  );
}

function RolesLine({ roles, label }: { roles: InvitationForInvitee['roles']; label: string }) {
  if (roles.length === 0) return null;
  return (
    <p className="flex flex-wrap items-center gap-1.5">
      <span>{label}</span>
      {roles.map((role) => (
        <Badge key={role.id}>{role.name}</Badge>
      ))}
    </p>
  );
}
