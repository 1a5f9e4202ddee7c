import { OUTBOX_CONNECTOR_FACTORY_ID } from '../db/outbox';
import { notFound } from './errors';
import type { ApiContext, RouteRegistration } from './http';

/** What Logto's connector list adds from the connector factory: here, the outbox's one factory. */
const OUTBOX_FACTORY = {
  target: 'emulator-outbox',
  name: { en: 'Local outbox' },
  description: {
    en: 'Delivers emails to the local Logto outbox at /_emulator/outbox instead of sending them.',
  },
  logo: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E',
  logoDark: null,
  readme: 'Every email the tenant sends lands in the outbox, with its links.',
  platform: null,
  type: 'Email',
  isStandard: false,
  isDemo: false,
} as const;

/** `GET /connectors` and `DELETE /connectors/:id` (switching the outbox off tests the 501 path). */
export function registerConnectorRoutes({ router, db }: RouteRegistration): void {
  router.get('/connectors', async (ctx: ApiContext) => {
    const rows = await db.pg.query<{
      id: string;
      syncProfile: boolean;
      connectorId: string;
      config: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }>(
      `select id, sync_profile as "syncProfile", connector_id as "connectorId", config, metadata
       from connectors order by created_at, id`,
    );
    ctx.body = rows.rows
      .filter((row) => row.connectorId === OUTBOX_CONNECTOR_FACTORY_ID)
      .map((row) => ({ ...row, enableTokenStorage: false, ...OUTBOX_FACTORY }));
  });

  router.delete('/connectors/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from connectors where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
