import 'server-only';

import { expectBody, type ManagementClient, resolveClient } from './client';
import {
  type CreateInvitationInput,
  type InvitationMessagePayload,
  type OrganizationInvitation,
} from './types';

/**
 * Every invitation matching the filters, newest first. Logto does not paginate invitations; the
 * `invitee` filter is case-insensitive. Without `organizationId`, every organization's (a
 * person's own invitations, by `invitee`).
 */
export async function listInvitations(
  filter: { organizationId?: string; invitee?: string; inviterId?: string },
  client?: ManagementClient,
): Promise<OrganizationInvitation[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organization-invitations', {
      params: {
        query: {
          organizationId: filter.organizationId || undefined,
          invitee: filter.invitee || undefined,
          inviterId: filter.inviterId || undefined,
        },
      },
    }),
  );
}

/** One invitation; 404 `entity.not_found` when unknown. */
export async function getInvitation(id: string, client?: ManagementClient): Promise<OrganizationInvitation> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organization-invitations/{id}', { params: { path: { id } } }),
  );
}

/**
 * Creates a pending invitation and, when `messagePayload` is an object, emails it (Logto does not
 * build the link: pass it as `messagePayload.link`). Fails with 422 when the invitee is already a
 * member or has a pending invitation, 501 when no email connector is set up.
 */
export async function createInvitation(
  input: Omit<CreateInvitationInput, 'messagePayload'> & { messagePayload: InvitationMessagePayload | false },
  client?: ManagementClient,
): Promise<OrganizationInvitation> {
  return expectBody(await resolveClient(client).api.POST('/api/organization-invitations', { body: input }));
}

/**
 * Accepts (with the accepting user's id, whose email must match the invitee) or revokes a pending
 * invitation. Accepting also adds the user to the organization with the invitation's roles.
 */
export async function updateInvitationStatus(
  id: string,
  status: 'Accepted' | 'Revoked',
  acceptedUserId?: string,
  client?: ManagementClient,
): Promise<OrganizationInvitation> {
  return expectBody(
    await resolveClient(client).api.PUT('/api/organization-invitations/{id}/status', {
      params: { path: { id } },
      body: status === 'Accepted' ? { status, acceptedUserId } : { status },
    }),
  );
}

/** Sends the invitation email again with a new payload (Logto does not check the status). */
export async function resendInvitationMessage(
  id: string,
  payload: InvitationMessagePayload,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.POST('/api/organization-invitations/{id}/message', {
    params: { path: { id } },
    body: payload,
  });
}

/** Deletes an invitation whatever its status. */
export async function deleteInvitation(id: string, client?: ManagementClient): Promise<void> {
  await resolveClient(client).api.DELETE('/api/organization-invitations/{id}', { params: { path: { id } } });
}
