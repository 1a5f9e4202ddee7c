// Kept apart from member-schemas.ts: client components need these numbers, not the schema library.

/** Largest batch of the bulk actions: one table page (Logto's own page maximum). */
export const MAX_BULK_MEMBERS = 100;
/** Largest "add members" selection at once. */
export const MAX_USERS_TO_ADD = 50;
