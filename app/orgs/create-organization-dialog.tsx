'use client';

import { NavLink } from '@/components/nav-link';
import { useActionState, useId, useState } from 'react';
import { Button, buttonClasses } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { PlusIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { showToast } from '@/components/ui/toast';
import type { ActionResult } from '@/lib/actions/result';
import { useT } from '@/lib/i18n/client';
import { createOrganizationAction } from './actions';
import { ORGANIZATION_DESCRIPTION_MAX, ORGANIZATION_NAME_MAX } from './organization-limits';

type CreateResult = ActionResult<{ id: string; name: string }> | null;

/** Operators only: a button that opens the "create organization" form. */
export function CreateOrganizationButton() {
  const t = useT();
  const [isOpen, setIsOpen] = useState(false);
  // A fresh form (no old errors) every time the dialog opens.
  const [formKey, setFormKey] = useState(0);

  return (
    <>
      <Button
        variant="primary"
        onClick={() => {
          setFormKey((key) => key + 1);
          setIsOpen(true);
        }}
      >
        <PlusIcon />
        {t('orgs.create.open')}
      </Button>
      <CreateOrganizationDialog key={formKey} open={isOpen} onClose={() => setIsOpen(false)} />
    </>
  );
}

function CreateOrganizationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const formId = useId();
  const nameId = useId();
  const descriptionId = useId();
  const nameErrorId = useId();
  const descriptionErrorId = useId();
  const formErrorId = useId();
  // Controlled, because React resets a form's uncontrolled fields after its action runs, which
  // would wipe what was typed when the server answers with a field error.
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  // A field's server error goes away as soon as the field is edited.
  const [edited, setEdited] = useState<{ name?: boolean; description?: boolean }>({});

  const [result, formAction, isPending] = useActionState<CreateResult, FormData>(
    async (_previous, formData) => {
      let next: CreateResult;
      setEdited({});
      try {
        next = await createOrganizationAction(formData);
      } catch {
        showToast({ tone: 'error', title: t('orgs.create.failed'), body: t('table.networkError') });
        return null;
      }
      if (next.ok) {
        showToast({
          tone: 'success',
          title: t('orgs.create.done', { name: next.data.name }),
          action: (
            <NavLink href={`/orgs/${next.data.id}/members`} className={buttonClasses('secondary', 'sm')}>
              {t('orgs.create.openNew', { name: next.data.name })}
            </NavLink>
          ),
        });
        onClose();
      } else if (!next.error.fieldErrors) {
        showToast({ tone: 'error', title: t('orgs.create.failed'), body: next.error.message });
      }
      return next;
    },
    null,
  );

  const fieldErrors = result && !result.ok ? (result.error.fieldErrors ?? {}) : {};
  const nameError = edited.name ? undefined : fieldErrors.name?.[0];
  const descriptionError = edited.description ? undefined : fieldErrors.description?.[0];
  const formError =
    result && !result.ok && !fieldErrors.name && !fieldErrors.description ? result.error.message : undefined;

  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!isPending) onClose();
      }}
      title={t('orgs.create.title')}
      description={t('orgs.create.description')}
      footer={
        <>
          <Button onClick={onClose} disabled={isPending}>
            {t('orgs.create.cancel')}
          </Button>
          <Button type="submit" form={formId} variant="primary" disabled={isPending}>
            {isPending ? t('orgs.create.creating') : t('orgs.create.submit')}
          </Button>
        </>
      }
    >
      <form id={formId} action={formAction} noValidate className="flex flex-col gap-4">
        <div>
          <label htmlFor={nameId} className="mb-1.5 block text-sm font-medium">
            {t('orgs.create.nameLabel')}
          </label>
          <Input
            id={nameId}
            name="name"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setEdited((current) => ({ ...current, name: true }));
            }}
            required
            maxLength={ORGANIZATION_NAME_MAX}
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? nameErrorId : undefined}
          />
          {nameError ? (
            <p id={nameErrorId} className="text-danger-700 mt-1 text-sm">
              {nameError}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={descriptionId} className="mb-1.5 block text-sm font-medium">
            {t('orgs.create.descriptionLabel')}
          </label>
          <Input
            id={descriptionId}
            name="description"
            value={description}
            onChange={(event) => {
              setDescription(event.target.value);
              setEdited((current) => ({ ...current, description: true }));
            }}
            maxLength={ORGANIZATION_DESCRIPTION_MAX}
            autoComplete="off"
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={descriptionError ? descriptionErrorId : undefined}
          />
          {descriptionError ? (
            <p id={descriptionErrorId} className="text-danger-700 mt-1 text-sm">
              {descriptionError}
            </p>
          ) : null}
        </div>
        {formError ? (
          <p id={formErrorId} role="alert" className="text-danger-700 text-sm">
            {formError}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
