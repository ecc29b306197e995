import type { Kysely } from 'kysely';
import type { Database, WebhookDeliveryRow } from '../db/database.js';
import { canAdminister, type Actor } from '../auth/viewer.js';
import { requireActor } from './actor.js';
import { ForbiddenError, NotFoundError } from '../kernel/errors.js';
import { isUuid } from './ids.js';
import { inIdOrder } from './in-id-order.js';
import { generateWebhookId } from '../webhooks/signing.js';
import type { WebhookSender } from '../webhooks/sender.js';
import { toDelivery, type WebhookDelivery } from '../webhooks/model.js';

export interface DeliveryLogDeps {
  readonly db: Kysely<Database>;
  readonly sender: WebhookSender;
  /** Wakes the dispatcher (wherever it runs) after a change that makes deliveries due. */
  readonly notify: () => void;
}

/** The delivery log of an endpoint, and the admin's levers on it: redeliver and test. */
export function createDeliveryLogService({ db, sender, notify }: DeliveryLogDeps) {
  async function withAttempts(rows: readonly WebhookDeliveryRow[]): Promise<WebhookDelivery[]> {
    if (rows.length === 0) return [];
    const attempts = await db.selectFrom('webhook_attempts').selectAll()
      .where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('id').execute();
    return rows.map((row) => toDelivery(row, attempts.filter((a) => a.delivery_id === row.id)));
  }

  async function reload(id: string): Promise<WebhookDelivery> {
    const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await withAttempts([row]))[0]!;
  }

  async function requireAdmin(actor: Actor, endpointId: string): Promise<void> {
    requireActor(actor);
    const endpoint = isUuid(endpointId)
      ? await db.selectFrom('webhook_endpoints').select('council_id').where('id', '=', endpointId).executeTakeFirst()
      : undefined;
    if (!endpoint) throw new NotFoundError('webhook endpoint', endpointId);
    if (!canAdminister(actor, endpoint.council_id)) throw new ForbiddenError('only the council\'s admins may manage its webhook endpoints');
  }

  /** After a manual attempt: a success released the endpoint's backlog, so wake the dispatcher. */
  async function attemptNow(deliveryId: string): Promise<WebhookDelivery> {
    const result = await sender.attempt(deliveryId, 'manual');
    if (result?.error === null) notify();
    return reload(deliveryId);
  }

  return {
    /** Newest first; null unless the actor administers the endpoint's council. */
    /** For node(id:): each delivery to an endpoint the actor administers, null for any other. */
    async findMany(actor: Actor, ids: readonly string[]): Promise<(WebhookDelivery | null)[]> {
      const wanted = ids.filter(isUuid);
      if (wanted.length === 0) return ids.map(() => null);
      const rows = await db.selectFrom('webhook_deliveries as d').innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
        .selectAll('d').select('e.council_id').where('d.id', 'in', wanted).execute();
      const allowed = new Set(rows.filter((r) => canAdminister(actor, r.council_id)).map((r) => r.id));
      return inIdOrder(ids, await withAttempts(rows.filter((r) => allowed.has(r.id))));
    },

    async list(actor: Actor, endpointId: string, offset: number, limit: number): Promise<WebhookDelivery[] | null> {
      const endpoint = await db.selectFrom('webhook_endpoints').select('council_id').where('id', '=', endpointId).executeTakeFirst();
      if (!endpoint || !canAdminister(actor, endpoint.council_id)) return null;
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId)
        .orderBy('created_at', 'desc').orderBy('event_position', 'desc').offset(offset).limit(limit).execute();
      return withAttempts(rows);
    },

    /**
     * A pending delivery is made due now (it still waits for the ones before it: order per
     * endpoint holds). A delivered or failed one is sent again at once, with its webhook-id.
     */
    async redeliver(actor: Actor, deliveryId: string): Promise<WebhookDelivery> {
      requireActor(actor);
      const row = isUuid(deliveryId) ? await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst() : undefined;
      if (!row) throw new NotFoundError('webhook delivery', deliveryId);
      await requireAdmin(actor, row.endpoint_id);
      if (row.status !== 'pending') return attemptNow(row.id);
      await db.updateTable('webhook_deliveries').set({ next_attempt_at: new Date() }).where('id', '=', row.id).where('status', '=', 'pending').execute();
      notify();
      return reload(row.id);
    },

    /** Sends a signed `webhook.test` event now and returns its delivery with the attempt. */
    async sendTestEvent(actor: Actor, endpointId: string): Promise<WebhookDelivery> {
      await requireAdmin(actor, endpointId);
      // Never pending: test deliveries stay out of the ordered queue.
      const row = await db.insertInto('webhook_deliveries')
        .values({ endpoint_id: endpointId, webhook_id: generateWebhookId(), status: 'failed' })
        .returning('id').executeTakeFirstOrThrow();
      return attemptNow(row.id);
    },
  };
}

export type DeliveryLogService = ReturnType<typeof createDeliveryLogService>;
