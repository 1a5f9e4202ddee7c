import { pagedListQuery } from '@/components/data-table/org-list-query';
import type { OrganizationRow } from '@/lib/portal/organizations';
import { TABLE_STATE_CODEC, type TableState } from '@/lib/table-state';

/** A page of the organizations table, as `/api/orgs` answers it. */
export type OrganizationsPage = { rows: OrganizationRow[]; total: number; page: number; pageSize: number };

/** Pages of the organizations the signed-in person can manage, from `/api/orgs` (one list: no scope). */
export const organizationsList = pagedListQuery<OrganizationsPage, TableState>(
  () => ['organizations'],
  () => '/api/orgs',
  TABLE_STATE_CODEC,
);
