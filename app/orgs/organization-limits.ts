// Kept apart from organization-schema.ts: the create dialog needs these numbers, not the schema library.

/** Logto's column limits for an organization's name and description. */
export const ORGANIZATION_NAME_MAX = 128;
export const ORGANIZATION_DESCRIPTION_MAX = 256;
