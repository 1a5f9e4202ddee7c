import type { ReactNode } from 'react';
import { Checkbox } from './checkbox';

/** A role as a list of checkboxes offers it: `isGrantable` says whether the viewer may grant it. */
export type CheckableRole = { id: string; name: string; description?: string | null; isGrantable: boolean };

/** `selected` with `id` ticked or unticked, in the order things were ticked. */
export function withRoleChecked(selected: readonly string[], id: string, isChecked: boolean): string[] {
  return isChecked
    ? [...selected.filter((other) => other !== id), id]
    : selected.filter((other) => other !== id);
}

/**
 * One role in a list of checkboxes: its name, its description, and, when the viewer may not grant
 * it, why it cannot be ticked (`notGrantableHint`; rule 3 is checked again on the server).
 */
export function RoleCheck({
  role,
  isChecked,
  isDisabled,
  onCheckedChange,
  notGrantableHint,
}: {
  role: CheckableRole;
  isChecked: boolean;
  isDisabled: boolean;
  onCheckedChange: (isChecked: boolean) => void;
  notGrantableHint: ReactNode;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <Checkbox
        checked={isChecked}
        disabled={isDisabled || !role.isGrantable}
        onChange={(event) => onCheckedChange(event.target.checked)}
        className="mt-0.5"
      />
      <span>
        <span className="font-medium">{role.name}</span>
        {role.isGrantable ? null : <span className="text-ink-muted"> · {notGrantableHint}</span>}
        {role.description ? <span className="text-ink-soft block text-xs">{role.description}</span> : null}
      </span>
    </label>
  );
}
