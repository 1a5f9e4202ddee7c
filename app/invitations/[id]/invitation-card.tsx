import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

const TONES = {
  accent: 'bg-accent-600',
  success: 'bg-success-700',
  warning: 'bg-warning-700',
  danger: 'bg-danger-600',
} as const;

/**
 * The card every invitation state is told on: an optional eyebrow (the organization), a title,
 * the explanation, and the actions at the bottom.
 */
export function InvitationCard({
  tone = 'accent',
  eyebrow,
  title,
  children,
  actions,
}: {
  tone?: keyof typeof TONES;
  eyebrow?: ReactNode;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="border-line bg-surface w-full max-w-md rounded-xl border p-8 shadow-sm">
      <span aria-hidden="true" className={cn('mb-5 inline-flex h-1.5 w-10 rounded-full', TONES[tone])} />
      {eyebrow ? <p className="text-ink-muted text-sm font-medium">{eyebrow}</p> : null}
      <h1 className="mt-1 text-2xl font-semibold text-balance">{title}</h1>
      {children ? <div className="text-ink-soft mt-3 flex flex-col gap-3 text-sm">{children}</div> : null}
      {actions ? <div className="mt-6 flex flex-col gap-2">{actions}</div> : null}
    </section>
  );
}
