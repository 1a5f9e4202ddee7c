import { pagedListQuery } from '@/components/data-table/org-list-query';
import type { OrganizationsPage } from '@/lib/portal/organizations';
import { TABLE_STATE_CODEC, type TableState } from '@/lib/table-state';

/** Pages of the organizations the signed-in person can manage, from `/api/orgs` (one list: no scope). */
export const organizationsList = pagedListQuery<OrganizationsPage, TableState>(
  () => ['organizations'],
  () => '/api/orgs',
  TABLE_STATE_CODEC,
);
