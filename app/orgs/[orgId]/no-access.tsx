import { AlertIcon } from '@/components/ui/icons';

/** What a section shows to someone who may open the organization but not this section. */
export function NoAccess({ message }: { message: string }) {
  return (
    <div role="status" className="border-line bg-surface flex items-start gap-3 rounded-lg border px-5 py-6">
      <AlertIcon className="text-ink-muted mt-0.5 shrink-0" />
      <p className="text-ink-soft text-sm">{message}</p>
    </div>
  );
}
