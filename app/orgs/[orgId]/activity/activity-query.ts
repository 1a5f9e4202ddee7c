import { orgListQuery } from '@/components/data-table/org-list-query';
import type { ActivityPage } from '@/lib/activity/kinds';
import { ACTIVITY_STATE_CODEC, type ActivityTableState } from '@/lib/activity/query-state';

/** Pages of an organization's activity log, from `/api/orgs/[orgId]/activity`. */
export const activityList = orgListQuery<ActivityPage, ActivityTableState>('activity', ACTIVITY_STATE_CODEC);
