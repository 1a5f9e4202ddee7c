'use client';

import { useMemo } from 'react';
import type { DataTableColumn } from '@/components/data-table/data-table';
import { RelativeTime } from '@/components/relative-time';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { ActivityListRow } from '@/lib/activity/kinds';
import { activitySentence, actorText, reasonText } from '@/lib/activity/sentence';
import { useT } from '@/lib/i18n/client';
import type { MessageKey } from '@/lib/i18n/messages';

// Stands in for the actor while the sentence is formatted, so the actor can become a button
// wherever the language puts them in the sentence.
const ACTOR_MARK = '\u0000actor\u0000';

const OUTCOMES: Record<ActivityListRow['outcome'], { label: MessageKey; tone: BadgeTone }> = {
  done: { label: 'activity.outcomeDone', tone: 'success' },
  refused: { label: 'activity.outcomeRefused', tone: 'warning' },
  failed: { label: 'activity.outcomeFailed', tone: 'danger' },
};

/** The entry as a sentence; the actor is a button that shows only their changes. */
function ActivitySentence({
  row,
  onFilterWho,
}: {
  row: ActivityListRow;
  onFilterWho?: (actorId: string) => void;
}) {
  const t = useT();
  if (!onFilterWho) return <>{activitySentence(row, t)}</>;
  const actor = actorText(row);
  const [head, ...tail] = activitySentence(row, t, { actor: ACTOR_MARK }).split(ACTOR_MARK);
  return (
    <>
      {head}
      {tail.map((text, index) => (
        <span key={index}>
          <button
            type="button"
            aria-label={t('activity.onlyBy', { actor })}
            title={t('activity.onlyBy', { actor })}
            onClick={() => onFilterWho(row.actor.id)}
            className="text-ink decoration-ink-faint hover:decoration-ink focus-visible:outline-accent-600 rounded font-medium underline decoration-dotted underline-offset-2 focus-visible:outline-2"
          >
            {actor}
          </button>
          {text}
        </span>
      ))}
    </>
  );
}

export type ActivityColumnsOptions = {
  /** Narrows the table to one actor's changes; omitted when it already is. */
  onFilterWho?: (actorId: string) => void;
};

/** Columns of the activity table: when, what happened (as a sentence), and how it ended. */
export function useActivityColumns({
  onFilterWho,
}: ActivityColumnsOptions): DataTableColumn<ActivityListRow>[] {
  const t = useT();
  return useMemo(
    () => [
      {
        id: 'when',
        header: t('activity.columnWhen'),
        className: 'w-36 whitespace-nowrap text-ink-soft',
        cell: (row) => <RelativeTime value={row.occurredAt} />,
      },
      {
        id: 'what',
        header: t('activity.columnWhat'),
        cell: (row) => (
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="min-w-0 break-words">
              <ActivitySentence row={row} onFilterWho={onFilterWho} />
            </span>
            {row.actor.isOperator ? <Badge tone="accent">{t('activity.operator')}</Badge> : null}
            {row.jobId ? <Badge>{t('activity.bulk')}</Badge> : null}
          </span>
        ),
      },
      {
        id: 'outcome',
        header: t('activity.columnOutcome'),
        className: 'w-56',
        cell: (row) => {
          const outcome = OUTCOMES[row.outcome] ?? OUTCOMES.failed;
          const reason = reasonText(row.reason, t);
          return (
            <span className="flex flex-col items-start gap-1">
              <Badge tone={outcome.tone}>{t(outcome.label)}</Badge>
              {reason ? <span className="text-ink-muted text-xs">{reason}</span> : null}
            </span>
          );
        },
      },
    ],
    [t, onFilterWho],
  );
}
