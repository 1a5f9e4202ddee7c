import type { Database, Queryable } from './database';
import { generateId } from './ids';

/** An email the tenant "sent": it lands in the outbox instead of a mail server. */
export type OutboxMessage = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The link the message carries (an invitation's `link`), for tests and the outbox page. */
  link: string | null;
  /** What the email connector would have received as template data. */
  payload: Record<string, unknown>;
  createdAt: number;
};

/** The connector factory id of the emulator's only email connector: the outbox. */
export const OUTBOX_CONNECTOR_FACTORY_ID = 'emulator-outbox-email';

/** Logto's message rate guard: at most this many sends per recipient per window. */
export const MESSAGE_RATE_LIMIT = { limit: 10, windowSeconds: 600 } as const;

/** Thrown when no email connector is configured (Logto: `501 connector.not_found`). */
export class EmailConnectorMissingError extends Error {
  constructor() {
    super('No email connector is configured.');
    this.name = 'EmailConnectorMissingError';
  }
}

/** Thrown when the recipient got too many messages lately (Logto: `429 request.message_rate_limited`). */
export class MessageRateLimitedError extends Error {
  constructor(recipient: string) {
    super(`Too many messages sent to ${recipient}.`);
    this.name = 'MessageRateLimitedError';
  }
}

/** Messages in the outbox, newest first, optionally only those to one address (any letter case). */
export async function listOutboxMessages(db: Database, o: { to?: string } = {}): Promise<OutboxMessage[]> {
  const result = await db.pg.query<OutboxMessage>(
    `select id, recipient as "to", subject, text, html, link, payload, epoch_ms(created_at) as "createdAt"
     from outbox_messages
     where $1::text is null or lower(recipient) = lower($1::text)
     order by created_at desc, id desc`,
    [o.to?.trim() || null],
  );
  return result.rows;
}

/**
 * Sends one email through the outbox connector. Runs inside the caller's transaction so that a
 * refused send rolls back whatever the caller did before (as Logto rolls back an invitation).
 * @throws {EmailConnectorMissingError} when the email connector was removed.
 * @throws {MessageRateLimitedError} when the recipient hit the per-recipient cap.
 */
export async function sendOutboxEmail(
  tx: Queryable,
  message: { to: string; subject: string; text: string; html: string; link: string | null; payload: object },
): Promise<void> {
  const connector = await tx.query(`select 1 from connectors where connector_id = $1 limit 1`, [
    OUTBOX_CONNECTOR_FACTORY_ID,
  ]);
  if (connector.rows.length === 0) throw new EmailConnectorMissingError();

  const recipient = message.to.trim().toLowerCase();
  const recent = await tx.query<{ count: number }>(
    `select count(*)::int as count from message_send_log
     where recipient = $1 and sent_at > clock_timestamp() - make_interval(secs => $2)`,
    [recipient, MESSAGE_RATE_LIMIT.windowSeconds],
  );
  if ((recent.rows[0]?.count ?? 0) >= MESSAGE_RATE_LIMIT.limit) throw new MessageRateLimitedError(recipient);

  await tx.query(`insert into message_send_log (recipient) values ($1)`, [recipient]);
  await tx.query(
    `insert into outbox_messages (id, recipient, subject, text, html, link, payload) values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      generateId(),
      message.to,
      message.subject,
      message.text,
      message.html,
      message.link,
      JSON.stringify(message.payload),
    ],
  );
}
