import { z } from 'zod';
import { MAX_BULK_MEMBERS, MAX_USERS_TO_ADD } from './member-limits';

// Far above the roles any tenant defines; stops oversized input before any work.
const MAX_ROLES = 50;

/** A Logto id as it may appear in input (Logto's own are 12–21 characters of 0-9a-z). */
const id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** A single value from FormData arrives as a string; lists of one are still lists. */
function toList(raw: unknown): unknown {
  if (raw === undefined || raw === null || raw === '') return [];
  return typeof raw === 'string' ? [raw] : raw;
}

const idList = (max: number) => z.preprocess(toList, z.array(id).max(max));

export const changeMemberRolesSchema = z.object({ userId: id, roleIds: idList(MAX_ROLES) });

export const removeMemberSchema = z.object({ userId: id });

export const bulkAssignRoleSchema = z.object({
  userIds: z.preprocess(toList, z.array(id).min(1).max(MAX_BULK_MEMBERS)),
  roleId: id,
});

export const bulkRemoveMembersSchema = z.object({
  userIds: z.preprocess(toList, z.array(id).min(1).max(MAX_BULK_MEMBERS)),
});

export const addMembersSchema = z.object({
  userIds: z.preprocess(toList, z.array(id).min(1).max(MAX_USERS_TO_ADD)),
  roleIds: idList(MAX_ROLES),
});
