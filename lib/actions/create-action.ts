import 'server-only';

import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { getActor } from '@/lib/auth/actor';
import { getLocale, getT } from '@/lib/i18n/server';
import { requireOrgScopes } from '@/lib/permissions';
import type { ActionResult } from './result';
import {
  type ActionDefinition,
  type ActionServices,
  buildAction,
  buildOrgAction,
  type OrgActionDefinition,
} from './run-action';

const services: ActionServices = {
  // Every action decides from a fresh answer: a right taken away in Logto stops the next action.
  getActor: () => getActor('now'),
  requireOrgScopes,
  getTranslator: async () => ({ locale: await getLocale(), t: await getT() }),
  revalidatePath: (path) => revalidatePath(path),
  logError: (action, error) => console.error(`[action ${action}]`, error),
};

/**
 * Defines an organization-scoped server action. In an `actions.ts` marked `'use server'`:
 *
 * ```ts
 * export const removeMemberAction = createOrgAction({
 *   name: 'removeMemberAction',
 *   schema: z.object({ userId: z.string().min(1) }),
 *   scopes: ['removeMembers'],
 *   run: ({ orgId, input }) => removeOrganizationMember(orgId, input.userId),
 *   revalidate: ({ orgId }) => [`/orgs/${orgId}/members`],
 * });
 * ```
 * The result is always `{ ok, data } | { ok: false, error }`; it never throws to the client.
 */
export function createOrgAction<S extends z.ZodType, T>(
  definition: OrgActionDefinition<S, T>,
): (orgId: string, input: z.input<S> | FormData) => Promise<ActionResult<T>> {
  return buildOrgAction(services, definition);
}

/** Defines a server action that is not tied to one organization (same fixed order). */
export function createAction<S extends z.ZodType, T>(
  definition: ActionDefinition<S, T>,
): (input: z.input<S> | FormData) => Promise<ActionResult<T>> {
  return buildAction(services, definition);
}
