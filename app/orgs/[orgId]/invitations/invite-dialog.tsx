'use client';

import {
  type ClipboardEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useTransition,
} from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { Dialog } from '@/components/ui/dialog';
import { CloseIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import type { ActionError } from '@/lib/actions/result';
import { useT } from '@/lib/i18n/client';
import {
  addInvitees,
  DEFAULT_INVITATION_EXPIRY_DAYS,
  INVITATION_EXPIRY_DAYS,
  type InvitationExpiryDays,
  type Invitee,
  MAX_INVITEES_PER_SUBMISSION,
  splitAddresses,
} from '@/lib/portal/invitation-input';
import type { InviteeStatus, InviteResult, InviteSummary } from '@/lib/portal/invitations';
import { checkInviteesAction, inviteMembersAction } from './actions';
import { copyText } from './client-utils';
import { EmailText } from './email-text';

/** A role the inviter may grant, as the dialog offers it. */
export type GrantableRole = { id: string; name: string; description: string | null; isDefault: boolean };

export type InviteDialogProps = {
  open: boolean;
  onClose: () => void;
  orgId: string;
  organizationName: string;
  roles: GrantableRole[];
  /**
   * Whether Logto can email the invitations (it has an email connector). False: the dialog
   * promises links to share by hand, not emails.
   */
  canSendEmail: boolean;
  /** Called after invitations were created (the table refreshes). */
  onInvited: () => void;
};

const CHECK_DEBOUNCE_MS = 350;
const SEPARATOR = /[\s,;]/;

type CheckState = InviteeStatus | 'checking' | 'unknown';

/**
 * The invite dialog: addresses typed or pasted (commas, spaces, new lines), each checked as it
 * is added — syntax at once, "already a member" / "already invited" by asking the server —
 * duplicates merged; roles the inviter may grant; an expiry. After sending it shows one result
 * per address, and the links to share by hand when no email could be sent.
 */
export function InviteDialog(props: InviteDialogProps) {
  const t = useT();
  // A new form each time the dialog opens, so nothing from the last invitation lingers.
  const [session, setSession] = useState(0);
  const [wasOpen, setWasOpen] = useState(props.open);
  if (props.open !== wasOpen) {
    setWasOpen(props.open);
    if (props.open) setSession((value) => value + 1);
  }

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      title={t('invite.title', { organization: props.organizationName })}
      description={props.canSendEmail ? t('invite.description') : t('invite.descriptionNoEmail')}
      className="sm:max-w-2xl"
    >
      {props.open ? <InviteForm key={session} {...props} /> : null}
    </Dialog>
  );
}

function InviteForm({ onClose, orgId, roles, onInvited, canSendEmail }: InviteDialogProps) {
  const t = useT();
  const ids = {
    emails: useId(),
    emailsHelp: useId(),
    emailsError: useId(),
    expiry: useId(),
    rolesError: useId(),
  };
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const [invitees, setInvitees] = useState<Invitee[]>([]);
  const [draft, setDraft] = useState('');
  const [mergedCount, setMergedCount] = useState(0);
  const [checks, setChecks] = useState<ReadonlyMap<string, CheckState>>(new Map());
  const [roleIds, setRoleIds] = useState<Set<string>>(
    () => new Set(roles.filter((role) => role.isDefault).map((role) => role.id)),
  );
  const [expiryDays, setExpiryDays] = useState<InvitationExpiryDays>(DEFAULT_INVITATION_EXPIRY_DAYS);
  const [error, setError] = useState<{
    form?: string;
    emails?: string;
    roles?: string;
    expiry?: string;
  } | null>(null);
  const [summary, setSummary] = useState<InviteSummary | null>(null);
  const [isSending, startSending] = useTransition();
  // A double click must not send twice (the second answer would say "already invited" to all).
  const isSubmitting = useRef(false);

  const add = (addresses: string[]) => {
    if (addresses.length === 0) return invitees;
    const { list, merged } = addInvitees(invitees, addresses);
    setInvitees(list);
    if (merged > 0) setMergedCount((count) => count + merged);
    return list;
  };

  const commitDraft = (): Invitee[] => {
    const list = add(splitAddresses(draft));
    setDraft('');
    return list;
  };

  const remove = (email: string) => setInvitees((list) => list.filter((invitee) => invitee.email !== email));

  // Ask the server about every valid address it has not been asked about yet, in one call.
  const isMounted = useRef(true);
  useEffect(() => {
    isMounted.current = true;
    return () => {
      isMounted.current = false;
    };
  }, []);
  useEffect(() => {
    // A list too long to send is not worth a round of lookups.
    if (invitees.length > MAX_INVITEES_PER_SUBMISSION) return;
    const unchecked = invitees
      .filter((invitee) => invitee.isValid && !checks.has(invitee.email))
      .map((invitee) => invitee.email);
    if (unchecked.length === 0) return;
    const timer = setTimeout(async () => {
      setChecks(
        (current) => new Map([...current, ...unchecked.map((email) => [email, 'checking'] as const)]),
      );
      const result = await checkInviteesAction(orgId, { emails: unchecked });
      if (!isMounted.current) return;
      setChecks((current) => {
        const next = new Map(current);
        if (result.ok) for (const { email, status } of result.data) next.set(email, status);
        else for (const email of unchecked) next.set(email, 'unknown');
        return next;
      });
    }, CHECK_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [invitees, checks, orgId]);

  const counts = useMemo(() => {
    const valid = invitees.filter((invitee) => invitee.isValid);
    return {
      valid: valid.length,
      invalid: invitees.length - valid.length,
      members: valid.filter((invitee) => checks.get(invitee.email) === 'member').length,
      invited: valid.filter((invitee) => checks.get(invitee.email) === 'invited').length,
    };
  }, [invitees, checks]);

  const submit = () => {
    const list = commitDraft();
    const invalid = list.filter((invitee) => !invitee.isValid);
    if (list.length === 0) return setError({ emails: t('invite.errors.emailsRequired') });
    if (invalid.length > 0) {
      return setError({
        emails: t('invite.errors.fixInvalid', {
          count: invalid.length,
          emails: invalid
            .slice(0, 3)
            .map((i) => i.email)
            .join(', '),
        }),
      });
    }
    if (list.length > MAX_INVITEES_PER_SUBMISSION) {
      return setError({
        emails: t('invite.errors.tooMany', { max: MAX_INVITEES_PER_SUBMISSION, count: list.length }),
      });
    }
    if (isSubmitting.current) return;
    isSubmitting.current = true;
    setError(null);
    startSending(async () => {
      const result = await inviteMembersAction(orgId, {
        emails: list.map((invitee) => invitee.email),
        roleIds: [...roleIds],
        expiresInDays: expiryDays,
      });
      if (result.ok) {
        setSummary(result.data);
        onInvited();
      } else {
        setError(errorsByField(result.error));
      }
      isSubmitting.current = false;
    });
  };

  if (summary) {
    return (
      <InviteResults
        summary={summary}
        onInviteMore={() => {
          setSummary(null);
          setInvitees([]);
          setMergedCount(0);
        }}
        onDone={onClose}
      />
    );
  }

  const emailsDescribedBy = [ids.emailsHelp, error?.emails ? ids.emailsError : null]
    .filter(Boolean)
    .join(' ');

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      className="flex flex-col gap-5"
    >
      {error?.form ? (
        <p role="alert" className="bg-danger-50 text-danger-700 rounded-md px-3 py-2 text-sm">
          {error.form}
        </p>
      ) : null}

      <div className="flex flex-col gap-2">
        <label htmlFor={ids.emails} className="text-sm font-medium">
          {t('invite.emailsLabel')}
        </label>
        <div
          className={cn(
            'bg-surface flex max-h-56 flex-col gap-2 overflow-y-auto rounded-md border p-2 shadow-xs',
            error?.emails ? 'border-danger-600' : 'border-line focus-within:border-accent-600',
          )}
          onClick={() => inputRef.current?.focus()}
        >
          {invitees.length > 0 ? (
            <ul aria-label={t('invite.listLabel')} className="flex flex-wrap gap-1.5">
              {invitees.map((invitee) => (
                <InviteeChip
                  key={invitee.email}
                  invitee={invitee}
                  check={checks.get(invitee.email)}
                  onRemove={() => remove(invitee.email)}
                />
              ))}
            </ul>
          ) : null}
          <textarea
            ref={inputRef}
            id={ids.emails}
            rows={2}
            value={draft}
            autoFocus
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            placeholder={invitees.length === 0 ? t('invite.emailsPlaceholder') : undefined}
            aria-describedby={emailsDescribedBy}
            aria-invalid={error?.emails ? true : undefined}
            className="placeholder:text-ink-faint min-h-9 w-full resize-none border-0 bg-transparent px-1 text-sm outline-none"
            onChange={(event) => {
              const value = event.target.value;
              if (!SEPARATOR.test(value)) return setDraft(value);
              // Everything up to the last separator becomes addresses; the rest is still being typed.
              const endsWithSeparator = SEPARATOR.test(value.slice(-1));
              const parts = splitAddresses(value);
              const rest = endsWithSeparator ? '' : (parts.pop() ?? '');
              add(parts);
              setDraft(rest);
            }}
            onPaste={(event: ClipboardEvent<HTMLTextAreaElement>) => {
              event.preventDefault();
              add(splitAddresses(`${draft} ${event.clipboardData.getData('text')}`));
              setDraft('');
            }}
            onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
              if (event.key === 'Enter' && !event.shiftKey) {
                event.preventDefault();
                commitDraft();
              } else if (event.key === 'Backspace' && draft === '' && invitees.length > 0) {
                setInvitees((list) => list.slice(0, -1));
              }
            }}
            onBlur={() => {
              if (draft.trim()) commitDraft();
            }}
          />
        </div>
        <p id={ids.emailsHelp} aria-live="polite" className="text-ink-muted text-xs">
          {invitees.length === 0
            ? t('invite.emailsHelp', { max: MAX_INVITEES_PER_SUBMISSION })
            : t('invite.listSummary', {
                count: invitees.length,
                invalid: counts.invalid,
                merged: mergedCount,
                members: counts.members,
                invited: counts.invited,
              })}
        </p>
        {error?.emails ? (
          <p id={ids.emailsError} className="text-danger-700 text-sm">
            {error.emails}
          </p>
        ) : null}
      </div>

      <fieldset className="flex flex-col gap-2" aria-describedby={error?.roles ? ids.rolesError : undefined}>
        <legend className="mb-2 text-sm font-medium">{t('invite.rolesLabel')}</legend>
        {roles.length === 0 ? <p className="text-ink-muted text-sm">{t('invite.noGrantableRoles')}</p> : null}
        <div className="grid gap-2 sm:grid-cols-2">
          {roles.map((role) => (
            <RoleOption
              key={role.id}
              role={role}
              isChecked={roleIds.has(role.id)}
              onChange={(isChecked) =>
                setRoleIds((current) => {
                  const next = new Set(current);
                  if (isChecked) next.add(role.id);
                  else next.delete(role.id);
                  return next;
                })
              }
            />
          ))}
        </div>
        <p className="text-ink-muted text-xs">{t('invite.rolesHelp')}</p>
        {error?.roles ? (
          <p id={ids.rolesError} className="text-danger-700 text-sm">
            {error.roles}
          </p>
        ) : null}
      </fieldset>

      <div className="flex flex-col gap-2">
        <label htmlFor={ids.expiry} className="text-sm font-medium">
          {t('invite.expiryLabel')}
        </label>
        {/* The div keeps the select at its own width inside this column. */}
        <div>
          <Select
            id={ids.expiry}
            value={expiryDays}
            className="w-48"
            aria-invalid={error?.expiry ? true : undefined}
            onChange={(event) => setExpiryDays(Number(event.target.value) as InvitationExpiryDays)}
          >
            {INVITATION_EXPIRY_DAYS.map((days) => (
              <option key={days} value={days}>
                {t('invite.expiryDays', { count: days })}
              </option>
            ))}
          </Select>
        </div>
        {error?.expiry ? <p className="text-danger-700 text-sm">{error.expiry}</p> : null}
      </div>

      <div className="border-line bg-subtle -mx-6 -mb-6 flex flex-wrap justify-end gap-2 rounded-b-xl border-t px-6 py-3 max-sm:sticky max-sm:bottom-0 max-sm:rounded-none">
        <Button onClick={onClose} disabled={isSending}>
          {t('invite.cancel')}
        </Button>
        <Button type="submit" variant="primary" disabled={isSending}>
          {isSending
            ? t(canSendEmail ? 'invite.sending' : 'invite.creating', { count: counts.valid })
            : t(canSendEmail ? 'invite.submit' : 'invite.submitNoEmail', {
                count: counts.valid + (draft.trim() ? 1 : 0),
              })}
        </Button>
      </div>
    </form>
  );
}

/** Server field errors, gathered per field of the form (`emails.3` belongs to the email field). */
function errorsByField(error: ActionError): {
  form?: string;
  emails?: string;
  roles?: string;
  expiry?: string;
} {
  const fields = error.fieldErrors ?? {};
  const first = (prefix: string) =>
    Object.entries(fields)
      .filter(([key]) => key === prefix || key.startsWith(`${prefix}.`))
      .flatMap(([, messages]) => messages)
      .slice(0, 3)
      .join(' ') || undefined;
  const emails = first('emails');
  const roles = first('roleIds');
  const expiry = first('expiresInDays');
  const form = fields._form?.[0] ?? (emails || roles || expiry ? undefined : error.message);
  return { form, emails, roles, expiry };
}

/** A role checkbox: named by the role, described by its description. */
function RoleOption({
  role,
  isChecked,
  onChange,
}: {
  role: GrantableRole;
  isChecked: boolean;
  onChange: (isChecked: boolean) => void;
}) {
  const inputId = useId();
  const descriptionId = useId();
  return (
    <div className="border-line has-checked:border-accent-600 has-checked:bg-accent-50 flex items-start gap-2.5 rounded-md border px-3 py-2">
      <input
        id={inputId}
        type="checkbox"
        className="accent-accent-600 mt-0.5 size-4 cursor-pointer"
        checked={isChecked}
        aria-describedby={role.description ? descriptionId : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div className="min-w-0">
        <label htmlFor={inputId} className="block cursor-pointer text-sm font-medium">
          {role.name}
        </label>
        {role.description ? (
          <p id={descriptionId} className="text-ink-muted text-xs">
            {role.description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function InviteeChip({
  invitee,
  check,
  onRemove,
}: {
  invitee: Invitee;
  check: CheckState | undefined;
  onRemove: () => void;
}) {
  const t = useT();
  const flag = !invitee.isValid
    ? { tone: 'danger' as const, text: t('invite.flagInvalid') }
    : check === 'member'
      ? { tone: 'warning' as const, text: t('invite.flagMember') }
      : check === 'invited'
        ? { tone: 'warning' as const, text: t('invite.flagInvited') }
        : check === 'checking'
          ? { tone: 'neutral' as const, text: t('invite.flagChecking') }
          : null;
  return (
    <li
      className={cn(
        'inline-flex max-w-full items-center gap-1.5 rounded-full py-0.5 pr-1 pl-2.5 text-sm ring-1 ring-inset',
        flag?.tone === 'danger'
          ? 'bg-danger-50 text-danger-700 ring-danger-200'
          : flag?.tone === 'warning'
            ? 'bg-warning-50 text-warning-700 ring-warning-200'
            : 'bg-subtle text-ink ring-line',
      )}
    >
      <span className="truncate">{invitee.email}</span>
      {flag ? <span className="text-xs whitespace-nowrap opacity-90">· {flag.text}</span> : null}
      <button
        type="button"
        onClick={(event) => {
          event.stopPropagation();
          onRemove();
        }}
        className="hover:bg-ink/10 focus-visible:outline-accent-600 inline-flex size-5 shrink-0 items-center justify-center rounded-full focus-visible:outline-2"
      >
        <CloseIcon width={12} height={12} />
        <span className="sr-only">{t('invite.remove', { email: invitee.email })}</span>
      </button>
    </li>
  );
}

const OUTCOME_TONES = {
  sent: 'success',
  created: 'warning',
  already_member: 'neutral',
  already_invited: 'neutral',
  failed: 'danger',
} as const;

function InviteResults({
  summary,
  onInviteMore,
  onDone,
}: {
  summary: InviteSummary;
  onInviteMore: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const [copied, setCopied] = useState<string | null>(null);
  const count = (outcome: InviteResult['outcome']) =>
    summary.results.filter((result) => result.outcome === outcome).length;
  const links = summary.results.flatMap((result) =>
    result.outcome === 'created' ? [`${result.email} ${result.link}`] : [],
  );

  const copy = async (key: string, text: string) => {
    setCopied((await copyText(text)) ? key : `failed:${key}`);
  };

  return (
    <div className="flex flex-col gap-4">
      <p role="status" className="text-sm font-medium">
        {t('invite.resultSummary', {
          sent: count('sent') + count('created'),
          skipped: count('already_member') + count('already_invited'),
          failed: count('failed'),
        })}
      </p>
      {!summary.emailSent ? (
        <div role="alert" className="bg-warning-50 text-warning-700 rounded-md px-3 py-2 text-sm">
          <p className="font-medium">{t('invite.noEmailTitle')}</p>
          <p className="mt-1">{t('invite.noEmailBody')}</p>
        </div>
      ) : null}
      <ul
        aria-label={t('invite.resultsLabel')}
        className="divide-line border-line max-h-80 divide-y overflow-y-auto rounded-md border"
      >
        {summary.results.map((result) => (
          <li key={result.email} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
            <EmailText email={result.email} className="min-w-0 flex-[1_1_16rem]" />
            <Badge tone={OUTCOME_TONES[result.outcome]}>{t(`invite.outcome.${result.outcome}`)}</Badge>
            {'reason' in result ? (
              <span className="text-ink-muted w-full text-xs sm:w-auto">
                {t(`invite.reason.${reasonKey(result.reason)}`)}
              </span>
            ) : null}
            {'link' in result ? (
              <Button size="sm" variant="ghost" onClick={() => void copy(result.email, result.link)}>
                {copied === result.email
                  ? t('invite.copied')
                  : copied === `failed:${result.email}`
                    ? t('invite.copyFailed')
                    : t('invite.copyLink')}
                <span className="sr-only"> {result.email}</span>
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="border-line bg-subtle -mx-6 -mb-6 flex flex-wrap justify-end gap-2 rounded-b-xl border-t px-6 py-3 max-sm:sticky max-sm:bottom-0 max-sm:rounded-none">
        {links.length > 1 ? (
          <Button onClick={() => void copy('all', links.join('\n'))}>
            {copied === 'all' ? t('invite.copied') : t('invite.copyAllLinks', { count: links.length })}
          </Button>
        ) : null}
        <Button onClick={onInviteMore}>{t('invite.inviteMore')}</Button>
        <Button variant="primary" onClick={onDone}>
          {t('invite.done')}
        </Button>
      </div>
    </div>
  );
}

const KNOWN_REASONS = [
  'email_unavailable',
  'rate_limited',
  'upstream_unavailable',
  'invalid_input',
  'not_found',
] as const;

function reasonKey(reason: string): (typeof KNOWN_REASONS)[number] | 'other' {
  return (KNOWN_REASONS as readonly string[]).includes(reason)
    ? (reason as (typeof KNOWN_REASONS)[number])
    : 'other';
}
