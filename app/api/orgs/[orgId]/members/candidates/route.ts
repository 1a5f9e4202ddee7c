import { requireOrgScopes } from '@/lib/permissions';
import { orgListRoute } from '@/lib/portal/list-route';
import { searchCandidateUsers } from '@/lib/portal/members';
import { MAX_QUERY_LENGTH } from '@/lib/table-state';

/**
 * Operators only (rule 5): tenant users who are not members of the organization yet, matching
 * `q`, for the "add members" dialog (`{ rows, total }`, at most 10 rows). A read, so a GET the
 * browser can cancel while typing rather than a server action queued behind others.
 */
export const GET = orgListRoute(
  'GET /api/orgs/[orgId]/members/candidates',
  async (actor, orgId, { q }: { q: string }) => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    return searchCandidateUsers({ access, orgId, q });
  },
  (params) => ({ q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH) }),
);
