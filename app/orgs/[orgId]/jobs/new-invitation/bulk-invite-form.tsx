'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { useFormat, useT } from '@/lib/i18n/client';
import {
  addressesFromColumn,
  addressesFromText,
  columnNames,
  guessEmailColumn,
  parseCsv,
  type UnderstoodAddresses,
} from '@/lib/jobs/address-import';
import { MAX_JOB_ITEMS } from '@/lib/jobs/types';
import { DEFAULT_INVITATION_EXPIRY_DAYS, INVITATION_EXPIRY_DAYS } from '@/lib/portal/invitation-input';
import { cn } from '@/components/ui/cn';
import { FIELD_CLASSES } from '@/components/ui/input';
import { failureText, unwrapAction } from '../../members/action-client';
import { startInviteJobAction } from '../actions';

type Role = { id: string; name: string; description: string | null; isDefault: boolean };

/** Files beyond this are not read (10,000 rows of a wide export fit well below it). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const PREVIEW_ROWS = 8;

type Source =
  | { kind: 'paste'; text: string }
  | { kind: 'file'; name: string; rows: string[][]; column: number; hasHeader: boolean };

/**
 * Invite many people at once: paste addresses or upload a CSV file and pick its column; the page
 * shows what it understood (valid addresses, the ones it cannot use and where they are,
 * duplicates merged) before anything is sent. Starting creates a background job and opens its
 * page.
 */
export function BulkInviteForm({ orgId, roles }: { orgId: string; roles: Role[] }) {
  const t = useT();
  const format = useFormat();
  const router = useRouter();
  const ids = { text: useId(), file: useId(), column: useId(), expiry: useId(), preview: useId() };
  const [source, setSource] = useState<Source>({ kind: 'paste', text: '' });
  const [fileError, setFileError] = useState<string | null>(null);
  const [roleIds, setRoleIds] = useState<Set<string>>(
    () => new Set(roles.filter((role) => role.isDefault).map((role) => role.id)),
  );
  const [expiresInDays, setExpiresInDays] = useState<number>(DEFAULT_INVITATION_EXPIRY_DAYS);

  const understood: UnderstoodAddresses = useMemo(
    () =>
      source.kind === 'paste'
        ? addressesFromText(source.text)
        : addressesFromColumn(source.rows, source.column, source.hasHeader),
    [source],
  );
  const isTooMany = understood.valid.length > MAX_JOB_ITEMS;

  const start = useMutation({
    mutationFn: () =>
      unwrapAction(
        startInviteJobAction(orgId, { emails: understood.valid, roleIds: [...roleIds], expiresInDays }),
      ),
    onSuccess: ({ jobId }) => router.push(`/orgs/${orgId}/jobs/${jobId}`),
  });

  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileError(t('jobs.form.fileTooBig', { max: '5 MB' }));
      return;
    }
    const rows = parseCsv(await file.text());
    if (rows.length === 0) {
      setFileError(t('jobs.form.fileEmpty'));
      return;
    }
    setSource({ kind: 'file', name: file.name, rows, ...guessEmailColumn(rows) });
  };

  return (
    <form
      className="flex flex-col gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        if (understood.valid.length > 0 && !isTooMany) start.mutate();
      }}
    >
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 font-medium">{t('jobs.form.sourceLabel')}</legend>
        <div role="radiogroup" className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="source"
              checked={source.kind === 'paste'}
              onChange={() => setSource({ kind: 'paste', text: '' })}
            />
            {t('jobs.form.paste')}
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="source"
              checked={source.kind === 'file'}
              onChange={() => setSource({ kind: 'file', name: '', rows: [], column: 0, hasHeader: false })}
            />
            {t('jobs.form.upload')}
          </label>
        </div>
        {source.kind === 'paste' ? (
          <Field id={ids.text} label={t('jobs.form.addressesLabel')}>
            <textarea
              id={ids.text}
              rows={8}
              value={source.text}
              onChange={(event) => setSource({ kind: 'paste', text: event.target.value })}
              placeholder={t('jobs.form.addressesPlaceholder')}
              aria-describedby={ids.preview}
              className={cn(FIELD_CLASSES, 'min-h-40 font-mono text-sm')}
            />
          </Field>
        ) : (
          <div className="flex flex-col gap-3">
            <Field id={ids.file} label={t('jobs.form.fileLabel')}>
              <input
                id={ids.file}
                type="file"
                accept=".csv,.txt,text/csv,text/plain"
                onChange={(event) => void readFile(event.target.files?.[0])}
                className="text-sm"
              />
              {fileError ? (
                <p role="alert" className="text-danger-700 text-sm">
                  {fileError}
                </p>
              ) : null}
            </Field>
            {source.rows.length > 0 ? (
              <div className="flex flex-wrap items-end gap-4">
                <Field id={ids.column} label={t('jobs.form.columnLabel')}>
                  <Select
                    id={ids.column}
                    value={source.column}
                    onChange={(event) => setSource({ ...source, column: Number(event.target.value) })}
                  >
                    {columnNames(source.rows, source.hasHeader).map((name, index) => (
                      <option key={index} value={index}>
                        {name}
                      </option>
                    ))}
                  </Select>
                </Field>
                <label className="flex items-center gap-2 pb-2 text-sm">
                  <Checkbox
                    checked={source.hasHeader}
                    onChange={(event) => setSource({ ...source, hasHeader: event.target.checked })}
                  />
                  {t('jobs.form.hasHeader')}
                </label>
              </div>
            ) : null}
          </div>
        )}
      </fieldset>

      <section
        id={ids.preview}
        aria-live="polite"
        className="border-line bg-subtle/40 flex flex-col gap-2 rounded-lg border p-4"
      >
        <h3 className="text-sm font-medium">{t('jobs.form.previewTitle')}</h3>
        <p className="text-sm" data-testid="bulk-invite-summary">
          {t('jobs.form.summary', {
            valid: understood.valid.length,
            invalid: understood.invalid.length,
            duplicates: understood.duplicates,
          })}
        </p>
        {isTooMany ? (
          <p role="alert" className="text-danger-700 text-sm">
            {t('jobs.errors.tooMany', { max: format.number(MAX_JOB_ITEMS) })}
          </p>
        ) : null}
        {understood.valid.length > 0 ? (
          <ul className="text-ink-soft flex flex-col gap-0.5 font-mono text-xs">
            {understood.valid.slice(0, PREVIEW_ROWS).map((email) => (
              <li key={email} className="break-all">
                {email}
              </li>
            ))}
            {understood.valid.length > PREVIEW_ROWS ? (
              <li>{t('jobs.form.andMore', { count: understood.valid.length - PREVIEW_ROWS })}</li>
            ) : null}
          </ul>
        ) : null}
        {understood.invalid.length > 0 ? (
          <div className="text-sm">
            <p className="text-warning-700 font-medium">{t('jobs.form.invalidTitle')}</p>
            <ul className="text-ink-soft mt-1 flex flex-col gap-0.5 text-xs">
              {understood.invalid.slice(0, 20).map((entry, index) => (
                <li key={index} className="break-all">
                  {t('jobs.form.invalidLine', { line: entry.line, value: entry.value.slice(0, 120) })}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">{t('jobs.form.rolesLabel')}</legend>
        {roles.length === 0 ? (
          <p className="text-ink-muted text-sm">{t('jobs.form.noGrantableRoles')}</p>
        ) : null}
        {roles.map((role) => (
          <label key={role.id} className="flex items-start gap-2 text-sm">
            <Checkbox
              checked={roleIds.has(role.id)}
              onChange={(event) => {
                const next = new Set(roleIds);
                if (event.target.checked) next.add(role.id);
                else next.delete(role.id);
                setRoleIds(next);
              }}
            />
            <span>
              <span className="font-medium">{role.name}</span>
              {role.description ? (
                <span className="text-ink-soft block text-xs">{role.description}</span>
              ) : null}
            </span>
          </label>
        ))}
      </fieldset>

      <Field id={ids.expiry} label={t('jobs.form.expiryLabel')} className="items-start">
        <Select
          id={ids.expiry}
          value={expiresInDays}
          onChange={(event) => setExpiresInDays(Number(event.target.value))}
        >
          {INVITATION_EXPIRY_DAYS.map((days) => (
            <option key={days} value={days}>
              {t('jobs.form.expiryDays', { count: days })}
            </option>
          ))}
        </Select>
      </Field>

      {start.isError ? (
        <p role="alert" className="text-danger-700 text-sm">
          {failureText(start.error, t('jobs.errors.network'))}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button
          type="submit"
          variant="primary"
          disabled={understood.valid.length === 0 || isTooMany || start.isPending || start.isSuccess}
        >
          {start.isPending || start.isSuccess
            ? t('jobs.form.starting')
            : t('jobs.form.submit', { count: understood.valid.length })}
        </Button>
      </div>
    </form>
  );
}
