'use server';

import { z } from 'zod';
import { withActivity } from '@/lib/activity/record';
import { createOrgAction } from '@/lib/actions/create-action';
import { ActionFailure } from '@/lib/actions/result';
import { getT } from '@/lib/i18n/server';
import { ActingAboveOwnRoleError, InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import { MAX_AUTO_JOIN_DOMAINS } from '@/lib/portal/email-domains';
import {
  addAutoJoinDomain,
  AutoJoinDomainError,
  removeAutoJoinDomain,
  setAutoJoinRoles,
} from '@/lib/portal/org-settings';

/** Words the refusals of auto-join changes for the person who hit them. */
async function explainRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AutoJoinDomainError) {
      const t = await getT();
      const message =
        error.reason === 'public'
          ? t('autoJoin.errors.publicDomain', { domain: error.domain })
          : error.reason === 'duplicate'
            ? t('autoJoin.errors.duplicate', { domain: error.domain })
            : error.reason === 'too_many'
              ? t('autoJoin.errors.tooMany', { max: MAX_AUTO_JOIN_DOMAINS })
              : t('autoJoin.errors.domainFormat');
      throw new ActionFailure(error.code, { domain: [message] });
    }
    if (error instanceof InvalidRoleIdsError) {
      const t = await getT();
      throw new ActionFailure('invalid_input', { roleIds: [t('autoJoin.unknownRoles')] });
    }
    if (error instanceof RoleEscalationError || error instanceof ActingAboveOwnRoleError) {
      const t = await getT();
      const message = t('autoJoin.roleAboveYou', { roles: error.roleNames.join(', ') });
      throw new ActionFailure('forbidden', { _form: [message], roleIds: [message] });
    }
    throw error;
  }
}

const domainSchema = z.object({ domain: z.string().max(300) });

/** Adds an email domain whose users join automatically (public mail domains refused). */
export const addAutoJoinDomainAction = createOrgAction({
  name: 'addAutoJoinDomainAction',
  schema: domainSchema,
  scopes: ['manageOrganization'],
  run: ({ actor, orgId, input }) =>
    explainRefusals(() =>
      withActivity(
        { actor, orgId },
        {
          action: 'auto_join.update',
          items: [{ target: { type: 'organization', id: orgId, label: `+ ${input.domain.trim()}` } }],
          settle: (domain) => [
            {
              target: { type: 'organization', id: orgId, label: `+ ${domain}` },
              action: 'auto_join.update',
              outcome: 'done',
            },
          ],
        },
        () => addAutoJoinDomain(orgId, input.domain),
      ),
    ),
});

/** Removes an auto-join email domain. */
export const removeAutoJoinDomainAction = createOrgAction({
  name: 'removeAutoJoinDomainAction',
  schema: domainSchema,
  scopes: ['manageOrganization'],
  run: ({ actor, orgId, input }) =>
    withActivity(
      { actor, orgId },
      {
        action: 'auto_join.update',
        items: [
          { target: { type: 'organization', id: orgId, label: `− ${input.domain.trim().toLowerCase()}` } },
        ],
      },
      () => removeAutoJoinDomain(orgId, input.domain),
    ),
});

/** Sets the default roles of people who join automatically (rule 3 on every role changed). */
export const setAutoJoinRolesAction = createOrgAction({
  name: 'setAutoJoinRolesAction',
  schema: z.object({ roleIds: z.array(z.string().min(1).max(128)).max(100) }),
  scopes: ['manageOrganization'],
  run: ({ actor, access, orgId, input }) =>
    explainRefusals(() =>
      withActivity(
        { actor, orgId },
        {
          action: 'auto_join.update',
          items: [{ target: { type: 'organization', id: orgId, label: 'roles' } }],
          settle: (result) => [
            {
              target: { type: 'organization', id: orgId, label: 'roles' },
              before: { roles: result.before },
              after: { roles: result.after },
              action: 'auto_join.update',
              outcome: 'done',
            },
          ],
        },
        () => setAutoJoinRoles(access, orgId, input.roleIds),
      ),
    ),
});
