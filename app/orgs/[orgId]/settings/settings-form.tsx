'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useId, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { showToast } from '@/components/ui/toast';
import type { ActionError } from '@/lib/actions/result';
import { useT } from '@/lib/i18n/client';
import type { OrganizationSettingsInput } from '@/lib/portal/org-settings';
import { ORGANIZATION_DESCRIPTION_MAX, ORGANIZATION_NAME_MAX } from '../../organization-limits';
import { deleteOrganizationAction, updateOrganizationSettingsAction } from './actions';
import { HEX_COLOR, isHttpsUrl, LOGO_URL_MAX } from './settings-limits';

type Fields = {
  name: string;
  description: string;
  logoUrl: string;
  darkLogoUrl: string;
  primaryColor: string;
  isMfaRequired: boolean;
};

const toFields = (settings: OrganizationSettingsInput): Fields => ({
  name: settings.name,
  description: settings.description ?? '',
  logoUrl: settings.logoUrl ?? '',
  darkLogoUrl: settings.darkLogoUrl ?? '',
  primaryColor: settings.primaryColor ?? '',
  isMfaRequired: settings.isMfaRequired,
});

/** The settings form with its live preview, and (operators) the delete section. */
export function SettingsForm({
  orgId,
  initial,
  canDelete,
}: {
  orgId: string;
  initial: OrganizationSettingsInput;
  canDelete: boolean;
}) {
  const t = useT();
  const router = useRouter();
  const [fields, setFields] = useState<Fields>(() => toFields(initial));
  const [saved, setSaved] = useState<Fields>(() => toFields(initial));
  const [error, setError] = useState<ActionError | null>(null);
  const [isPending, startTransition] = useTransition();
  const ids = { form: useId(), mfaHelp: useId() };
  const isDirty = JSON.stringify(fields) !== JSON.stringify(saved);

  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => {
    setFields((current) => ({ ...current, [key]: value }));
    if (error?.fieldErrors?.[key]) {
      setError({ ...error, fieldErrors: { ...error.fieldErrors, [key]: [] } });
    }
  };

  const save = () =>
    startTransition(async () => {
      try {
        const result = await updateOrganizationSettingsAction(orgId, fields);
        if (result.ok) {
          setError(null);
          const next = toFields(result.data.after);
          setFields(next);
          setSaved(next);
          showToast({
            tone: result.data.changed.length > 0 ? 'success' : 'info',
            title: result.data.changed.length > 0 ? t('settings.saved') : t('settings.noChanges'),
          });
          router.refresh();
        } else {
          setError(result.error);
          if (!result.error.fieldErrors) {
            showToast({ tone: 'error', title: t('settings.saveFailed'), body: result.error.message });
          }
        }
      } catch {
        showToast({ tone: 'error', title: t('settings.saveFailed'), body: t('table.networkError') });
      }
    });

  const fieldError = (key: keyof Fields) => error?.fieldErrors?.[key]?.[0];
  const formError = error?.fieldErrors?._form?.[0];

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="settings-heading" className="flex flex-col gap-4">
        <div>
          <h2 id="settings-heading" className="text-lg font-semibold">
            {t('settings.heading')}
          </h2>
          <p className="text-ink-soft mt-1 max-w-3xl text-sm">{t('settings.intro')}</p>
        </div>
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
          <form
            id={ids.form}
            noValidate
            className="border-line bg-surface flex flex-col gap-4 rounded-lg border p-5 shadow-xs"
            onSubmit={(event) => {
              event.preventDefault();
              save();
            }}
          >
            <DescribedField label={t('settings.nameLabel')} error={fieldError('name')}>
              {(props) => (
                <Input
                  {...props}
                  name="name"
                  value={fields.name}
                  maxLength={ORGANIZATION_NAME_MAX}
                  autoComplete="off"
                  onChange={(event) => set('name', event.target.value)}
                />
              )}
            </DescribedField>
            <DescribedField label={t('settings.descriptionLabel')} error={fieldError('description')}>
              {(props) => (
                <Input
                  {...props}
                  name="description"
                  value={fields.description}
                  maxLength={ORGANIZATION_DESCRIPTION_MAX}
                  autoComplete="off"
                  onChange={(event) => set('description', event.target.value)}
                />
              )}
            </DescribedField>
            {(['logoUrl', 'darkLogoUrl'] as const).map((key) => (
              <DescribedField
                key={key}
                label={t(key === 'logoUrl' ? 'settings.logoLabel' : 'settings.darkLogoLabel')}
                hint={t('settings.logoHint')}
                error={fieldError(key)}
              >
                {(props) => (
                  <Input
                    {...props}
                    name={key}
                    type="url"
                    inputMode="url"
                    placeholder="https://"
                    value={fields[key]}
                    maxLength={LOGO_URL_MAX}
                    onChange={(event) => set(key, event.target.value)}
                  />
                )}
              </DescribedField>
            ))}
            <DescribedField
              label={t('settings.colorLabel')}
              hint={t('settings.colorHint')}
              error={fieldError('primaryColor')}
            >
              {(props) => (
                <div className="flex items-center gap-2">
                  <input
                    type="color"
                    aria-label={t('settings.colorPicker')}
                    value={HEX_COLOR.test(fields.primaryColor) ? expandHex(fields.primaryColor) : '#000000'}
                    onChange={(event) => set('primaryColor', event.target.value)}
                    className="border-line h-9 w-11 shrink-0 cursor-pointer rounded-md border bg-transparent p-1"
                  />
                  <Input
                    {...props}
                    name="primaryColor"
                    value={fields.primaryColor}
                    placeholder="#5d34f2"
                    maxLength={7}
                    autoComplete="off"
                    className="max-w-40 font-mono"
                    onChange={(event) => set('primaryColor', event.target.value)}
                  />
                </div>
              )}
            </DescribedField>
            <div className="border-line flex items-start gap-3 rounded-md border p-3">
              <Checkbox
                id={`${ids.form}-mfa`}
                name="isMfaRequired"
                checked={fields.isMfaRequired}
                aria-describedby={ids.mfaHelp}
                onChange={(event) => set('isMfaRequired', event.target.checked)}
                className="mt-0.5"
              />
              <div>
                <label htmlFor={`${ids.form}-mfa`} className="text-sm font-medium">
                  {t('settings.mfaLabel')}
                </label>
                <p id={ids.mfaHelp} className="text-ink-soft mt-1 text-sm">
                  {t('settings.mfaExplain')}
                </p>
              </div>
            </div>
            {formError ? (
              <p role="alert" className="text-danger-700 text-sm">
                {formError}
              </p>
            ) : null}
            <div>
              <Button type="submit" variant="primary" disabled={isPending || !isDirty}>
                {isPending ? t('settings.saving') : t('settings.save')}
              </Button>
            </div>
          </form>
          <Preview fields={fields} />
        </div>
      </section>
      {canDelete ? <DeleteSection orgId={orgId} name={saved.name} /> : null}
    </div>
  );
}

/** `#abc` → `#aabbcc`, for the native colour picker, which takes only the long form. */
function expandHex(color: string): string {
  const hex = color.slice(1);
  return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex}`.toLowerCase();
}

/**
 * A settings field: its label, the control (given the id and ARIA attributes it must carry), and
 * under it a hint and the field's error, which the control is described by.
 */
function DescribedField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div>
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium">
        {label}
      </label>
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {hint ? (
        <p id={hintId} className="text-ink-muted mt-1 text-xs">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-danger-700 mt-1 text-sm">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * How the organization will look on a light and a dark background, from what is typed now. An
 * address that is not (yet) a valid https URL shows no image rather than a broken one.
 */
function Preview({ fields }: { fields: Fields }) {
  const t = useT();
  const color = HEX_COLOR.test(fields.primaryColor) ? fields.primaryColor : undefined;
  const name = fields.name.trim() || '—';
  const panels = [
    {
      key: 'light',
      label: t('settings.previewLight'),
      logo: fields.logoUrl,
      className: 'bg-white text-neutral-900',
    },
    {
      key: 'dark',
      label: t('settings.previewDark'),
      logo: fields.darkLogoUrl || fields.logoUrl,
      className: 'bg-neutral-900 text-white',
    },
  ];
  return (
    <section aria-labelledby="preview-heading" className="flex flex-col gap-2">
      <h3 id="preview-heading" className="text-sm font-medium">
        {t('settings.previewHeading')}
      </h3>
      {panels.map((panel) => (
        <figure
          key={panel.key}
          data-testid={`preview-${panel.key}`}
          className={`border-line flex flex-col gap-3 rounded-lg border p-4 ${panel.className}`}
        >
          <figcaption className="text-xs opacity-70">{panel.label}</figcaption>
          <div className="flex items-center gap-3">
            {isHttpsUrl(panel.logo) ? (
              // Logos live wherever the organization put them; next/image would need every host listed.
              // eslint-disable-next-line @next/next/no-img-element
              <img
                src={panel.logo}
                alt={t('settings.previewLogoAlt', { name })}
                className="size-10 shrink-0 rounded object-contain"
              />
            ) : (
              <span className="flex size-10 shrink-0 items-center justify-center rounded border border-dashed text-[10px] opacity-70">
                {t('settings.previewNoLogo')}
              </span>
            )}
            <span className="font-semibold">{name}</span>
          </div>
          <span
            className="h-8 rounded-md text-center text-sm leading-8 font-medium text-white"
            style={{ backgroundColor: color ?? '#6b7280' }}
          >
            {t('settings.save')}
          </span>
        </figure>
      ))}
    </section>
  );
}

/** Operators only: delete the organization after typing its exact name. */
function DeleteSection({ orgId, name }: { orgId: string; name: string }) {
  const t = useT();
  const router = useRouter();
  const inputId = useId();
  const errorId = useId();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const remove = () =>
    startTransition(async () => {
      try {
        const result = await deleteOrganizationAction(orgId, { confirmName: typed });
        if (result.ok) {
          showToast({ tone: 'success', title: t('settings.deleted', { name: result.data.name }) });
          router.push('/orgs');
          return;
        }
        const message = result.error.fieldErrors?.confirmName?.[0] ?? result.error.message;
        setError(message);
        showToast({ tone: 'error', title: t('settings.deleteFailed'), body: message });
      } catch {
        showToast({ tone: 'error', title: t('settings.deleteFailed'), body: t('table.networkError') });
      }
    });

  return (
    <section
      aria-labelledby="delete-heading"
      className="border-danger-200 bg-surface flex flex-col gap-3 rounded-lg border p-5 shadow-xs"
    >
      <h2 id="delete-heading" className="text-danger-700 text-lg font-semibold">
        {t('settings.deleteHeading')}
      </h2>
      <p className="text-ink-soft max-w-3xl text-sm">{t('settings.deleteExplain')}</p>
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          remove();
        }}
      >
        <div className="flex-1">
          <label htmlFor={inputId} className="mb-1.5 block text-sm font-medium">
            {t('settings.deleteConfirmLabel', { name })}
          </label>
          <Input
            id={inputId}
            value={typed}
            autoComplete="off"
            onChange={(event) => {
              setTyped(event.target.value);
              setError(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
          {error ? (
            <p id={errorId} className="text-danger-700 mt-1 text-sm">
              {error}
            </p>
          ) : null}
        </div>
        <Button type="submit" variant="danger" disabled={isPending || typed !== name}>
          {isPending ? t('settings.deleting') : t('settings.deleteButton')}
        </Button>
      </form>
    </section>
  );
}
