'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CloseIcon, PlusIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { RoleCheck, withRoleChecked } from '@/components/ui/role-check';
import { showToast } from '@/components/ui/toast';
import { useT } from '@/lib/i18n/client';
import type { RoleOption } from '@/lib/portal/members';
import { addAutoJoinDomainAction, removeAutoJoinDomainAction, setAutoJoinRolesAction } from './actions';

type Connector = { id: string; name: string; providerName: string; domains: string[] };

/** Auto-join: email domains, default roles and the linked SSO connectors (read-only). */
export function AutoJoinPanel({
  orgId,
  domains,
  defaultRoleIds,
  roles,
  connectors,
}: {
  orgId: string;
  domains: string[];
  defaultRoleIds: string[];
  roles: RoleOption[];
  connectors: Connector[];
}) {
  const t = useT();
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h2 className="text-lg font-semibold">{t('autoJoin.heading')}</h2>
        <p className="text-ink-soft mt-1 max-w-3xl text-sm">{t('autoJoin.intro')}</p>
      </div>
      <DomainsSection orgId={orgId} domains={domains} />
      <RolesSection orgId={orgId} defaultRoleIds={defaultRoleIds} roles={roles} />
      <section aria-labelledby="sso-heading" className="flex flex-col gap-3">
        <div>
          <h3 id="sso-heading" className="font-semibold">
            {t('autoJoin.ssoHeading')}
          </h3>
          <p className="text-ink-soft mt-1 max-w-3xl text-sm">{t('autoJoin.ssoIntro')}</p>
        </div>
        {connectors.length === 0 ? (
          <p className="text-ink-muted text-sm">{t('autoJoin.noSso')}</p>
        ) : (
          <ul
            aria-labelledby="sso-heading"
            className="border-line bg-surface divide-line divide-y rounded-lg border"
          >
            {connectors.map((connector) => (
              <li key={connector.id} className="flex flex-wrap items-center gap-2 px-4 py-3 text-sm">
                <span className="font-medium">{connector.name}</span>
                <Badge>{connector.providerName}</Badge>
                {connector.domains.length > 0 ? (
                  <span className="text-ink-soft">
                    {t('autoJoin.ssoDomains', { domains: connector.domains.join(', ') })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function DomainsSection({ orgId, domains }: { orgId: string; domains: string[] }) {
  const t = useT();
  const router = useRouter();
  const inputId = useId();
  const errorId = useId();
  const [domain, setDomain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const add = () =>
    startTransition(async () => {
      try {
        const result = await addAutoJoinDomainAction(orgId, { domain });
        if (result.ok) {
          setDomain('');
          setError(null);
          showToast({ tone: 'success', title: t('autoJoin.domainAdded', { domain: result.data }) });
          router.refresh();
          return;
        }
        setError(result.error.fieldErrors?.domain?.[0] ?? result.error.message);
      } catch {
        showToast({ tone: 'error', title: t('autoJoin.domainFailed'), body: t('table.networkError') });
      }
    });

  const remove = (target: string) =>
    startTransition(async () => {
      try {
        const result = await removeAutoJoinDomainAction(orgId, { domain: target });
        if (result.ok) {
          showToast({ tone: 'success', title: t('autoJoin.domainRemoved', { domain: target }) });
          router.refresh();
        } else {
          showToast({ tone: 'error', title: t('autoJoin.domainFailed'), body: result.error.message });
        }
      } catch {
        showToast({ tone: 'error', title: t('autoJoin.domainFailed'), body: t('table.networkError') });
      }
    });

  return (
    <section aria-labelledby="domains-heading" className="flex flex-col gap-3">
      <h3 id="domains-heading" className="font-semibold">
        {t('autoJoin.domainsHeading')}
      </h3>
      {domains.length === 0 ? (
        <p className="text-ink-muted text-sm">{t('autoJoin.noDomains')}</p>
      ) : (
        <ul aria-labelledby="domains-heading" className="flex flex-wrap gap-2">
          {domains.map((listed) => (
            <li
              key={listed}
              className="border-line bg-surface inline-flex items-center gap-1 rounded-full border py-1 pr-1 pl-3 text-sm"
            >
              <span className="font-mono">{listed}</span>
              <Button
                variant="ghost"
                size="icon"
                className="size-6 rounded-full"
                disabled={isPending}
                onClick={() => remove(listed)}
              >
                <CloseIcon width={14} height={14} />
                <span className="sr-only">{t('autoJoin.removeDomain', { domain: listed })}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        noValidate
        className="flex max-w-xl flex-col gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <label htmlFor={inputId} className="text-sm font-medium">
          {t('autoJoin.domainLabel')}
        </label>
        <div className="flex gap-2">
          <Input
            id={inputId}
            value={domain}
            placeholder={t('autoJoin.domainPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setDomain(event.target.value);
              setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
          <Button type="submit" disabled={isPending || domain.trim() === ''}>
            <PlusIcon />
            {isPending ? t('autoJoin.adding') : t('autoJoin.addDomain')}
          </Button>
        </div>
        {error ? (
          <p id={errorId} role="alert" className="text-danger-700 text-sm">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function RolesSection({
  orgId,
  defaultRoleIds,
  roles,
}: {
  orgId: string;
  defaultRoleIds: string[];
  roles: RoleOption[];
}) {
  const t = useT();
  const router = useRouter();
  const errorId = useId();
  const [selected, setSelected] = useState<string[]>(defaultRoleIds);
  const [saved, setSaved] = useState<string[]>(defaultRoleIds);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const isDirty = [...selected].sort().join() !== [...saved].sort().join();

  const save = () =>
    startTransition(async () => {
      try {
        const result = await setAutoJoinRolesAction(orgId, { roleIds: selected });
        if (result.ok) {
          setSaved(selected);
          setError(null);
          showToast({ tone: 'success', title: t('autoJoin.rolesSaved') });
          router.refresh();
          return;
        }
        const message = result.error.fieldErrors?.roleIds?.[0] ?? result.error.message;
        setError(message);
        showToast({ tone: 'error', title: t('autoJoin.rolesFailed'), body: message });
      } catch {
        showToast({ tone: 'error', title: t('autoJoin.rolesFailed'), body: t('table.networkError') });
      }
    });

  return (
    <section aria-labelledby="roles-heading" className="flex flex-col gap-3">
      <div>
        <h3 id="roles-heading" className="font-semibold">
          {t('autoJoin.rolesHeading')}
        </h3>
        <p className="text-ink-soft mt-1 max-w-3xl text-sm">{t('autoJoin.rolesIntro')}</p>
      </div>
      <fieldset
        aria-labelledby="roles-heading"
        aria-describedby={error ? errorId : undefined}
        className="border-line bg-surface flex flex-col gap-2 rounded-lg border p-4"
      >
        {roles.map((role) => (
          <RoleCheck
            key={role.id}
            role={role}
            isChecked={selected.includes(role.id)}
            isDisabled={isPending}
            onCheckedChange={(isChecked) =>
              setSelected((current) => withRoleChecked(current, role.id, isChecked))
            }
            notGrantableHint={t('autoJoin.roleNotGrantable')}
          />
        ))}
      </fieldset>
      {saved.length === 0 ? <p className="text-ink-muted text-sm">{t('autoJoin.noDefaultRoles')}</p> : null}
      {error ? (
        <p id={errorId} role="alert" className="text-danger-700 text-sm">
          {error}
        </p>
      ) : null}
      <div>
        <Button variant="primary" disabled={isPending || !isDirty} onClick={save}>
          {isPending ? t('autoJoin.savingRoles') : t('autoJoin.saveRoles')}
        </Button>
      </div>
    </section>
  );
}
