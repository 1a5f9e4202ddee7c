import { orgListQuery } from '@/components/data-table/org-list-query';
import type { MembersPage } from '@/lib/portal/members';

/** Pages of an organization's members, from `/api/orgs/[orgId]/members`. */
export const membersList = orgListQuery<MembersPage>('members');
