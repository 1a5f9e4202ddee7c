import { z } from 'zod';
import { generateId } from '../db/ids';
import { OUTBOX_CONNECTOR_FACTORY_ID } from '../db/outbox';
import { notFound, RequestError } from './errors';
import { type ApiContext, guard, type RouteRegistration } from './http';

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

type ConnectorRow = {
  id: string;
  syncProfile: boolean;
  connectorId: string;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

const CONNECTOR_COLUMNS = `id, sync_profile as "syncProfile", connector_id as "connectorId", config, metadata`;

/**
 * `GET/POST /connectors` and `DELETE /connectors/:id` (switching the outbox off tests the 501
 * path). The outbox is the only connector factory, so POST knows only its id.
 */
export function registerConnectorRoutes({ router, db }: RouteRegistration): void {
  const toResponse = (row: ConnectorRow) => ({ ...row, enableTokenStorage: false, ...OUTBOX_FACTORY });

  router.get('/connectors', async (ctx: ApiContext) => {
    const rows = await db.pg.query<ConnectorRow>(
      `select ${CONNECTOR_COLUMNS} from connectors order by created_at, id`,
    );
    ctx.body = rows.rows.filter((row) => row.connectorId === OUTBOX_CONNECTOR_FACTORY_ID).map(toResponse);
  });

  router.post('/connectors', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        id: z.string().min(1).max(128).optional(),
        connectorId: z.string().min(1).max(128),
        config: z.record(z.string(), z.unknown()).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
        syncProfile: z.boolean().optional(),
        enableTokenStorage: z.boolean().optional(),
      }),
    });
    if (body.connectorId !== OUTBOX_CONNECTOR_FACTORY_ID) {
      throw new RequestError({ code: 'connector.not_found_with_connector_id', status: 422 });
    }
    if (body.enableTokenStorage) {
      throw new RequestError({ code: 'connector.token_storage_not_supported', status: 422 });
    }
    // A tenant has one email connector: a new one replaces those of the same type.
    const row = await db.pg.transaction(async (tx) => {
      await tx.query(`delete from connectors where connector_id = $1`, [OUTBOX_CONNECTOR_FACTORY_ID]);
      const result = await tx.query<ConnectorRow>(
        `insert into connectors (id, connector_id, config, metadata, sync_profile)
         values ($1, $2, $3::jsonb, $4::jsonb, $5) returning ${CONNECTOR_COLUMNS}`,
        [
          body.id ?? generateId(12),
          body.connectorId,
          JSON.stringify(body.config ?? {}),
          JSON.stringify(body.metadata ?? {}),
          body.syncProfile ?? false,
        ],
      );
      return result.rows[0];
    });
    // Logto answers 200 with the connector and its factory's details.
    ctx.body = row && toResponse(row);
  });

  router.delete('/connectors/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from connectors where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
