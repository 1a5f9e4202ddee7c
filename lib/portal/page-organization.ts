import 'server-only';

import type { Actor } from '@/lib/auth/actor';
import type { Organization } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { getOrganizationOnce } from './organizations';

/**
 * An organization's record for a page's header, asked for once the viewer's page-view check has
 * answered (the check the page's loader runs too; they share one answer). For a member that check
 * reads the record along and keeps it, so a first view costs one Logto call for both. Throws the
 * check's `NotFoundError` for someone who may not open the organization.
 */
export async function getOrganizationForPage(actor: Actor, orgId: string): Promise<Organization> {
  await requireOrgScopes(actor, orgId, [], { freshness: 'recent' });
  return getOrganizationOnce(orgId);
}
