import { defineConfig } from 'drizzle-kit';

/**
 * `npx drizzle-kit generate` turns `lib/store/schema.ts` into the SQL migrations in `drizzle/`,
 * which the portal applies itself at start-up (`migrateStore()`) or via `npm run db:migrate`.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './lib/store/schema.ts',
  out: './drizzle',
  ...(process.env.DATABASE_URL ? { dbCredentials: { url: process.env.DATABASE_URL } } : {}),
});
