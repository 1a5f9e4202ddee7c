import { orgListQuery } from '@/components/data-table/org-list-query';
import type { InvitationsPage } from '@/lib/portal/invitations';

/** Pages of an organization's invitations, from `/api/orgs/[orgId]/invitations`. */
export const invitationsList = orgListQuery<InvitationsPage>('invitations');
