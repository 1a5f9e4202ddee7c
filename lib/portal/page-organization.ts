import 'server-only';

import type { Organization } from '@/lib/logto';
import type { OrgAccess } from '@/lib/permissions';
import { getOrganizationOnce } from './organizations';

/**
 * An organization's record for what a view shows of it (a page's header, a download's file
 * name), asked for with the answer of the viewer's view check, so only once that check has let
 * them in. The check read the record along (a member's check reads it with their roles, an
 * operator's asks for it) and kept it, so this is usually answered without a Logto call.
 */
export function getOrganizationForPage(access: OrgAccess): Promise<Organization> {
  return getOrganizationOnce(access.orgId);
}
