import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { toStoredEvent } from '../events/outbox.js';
import type { WebhookConfig } from './config.js';
import { postWebhook, type PostResult, type ResolvedAddress } from './http-post.js';
import { eventBody, testEventBody } from './payload.js';
import { retryDelayMs, retryWindowMs } from './retry-schedule.js';
import { signDelivery } from './signing.js';

export interface SenderDeps {
  readonly db: Kysely<Database>;
  readonly config: WebhookConfig;
  /** DNS for webhook hosts (tests point names at loopback). @default the system resolver */
  readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

/**
 * `queue`: the dispatcher's turn for an endpoint's oldest pending delivery; a failure is
 * scheduled for retry (or, once the schedule is spent, fails it and disables the endpoint).
 * `manual`: an extra attempt an admin asked for (a test event, a redelivery); a failure
 * changes no schedule.
 */
export type AttemptMode = 'queue' | 'manual';

/** Sends one attempt of a delivery and records it; shared by the dispatcher and the API. */
export function createWebhookSender({ db, config, resolveHost }: SenderDeps) {
  const postOptions = { ...config, ...(resolveHost ? { resolveHost } : {}) };

  async function load(deliveryId: string) {
    const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
    if (!delivery) return undefined;
    const endpoint = await db.selectFrom('webhook_endpoints').select(['id', 'url']).where('id', '=', delivery.endpoint_id).executeTakeFirstOrThrow();
    const secrets = await db.selectFrom('webhook_secrets').select('secret').where('endpoint_id', '=', endpoint.id)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
      .orderBy('created_at', 'desc').execute();
    let body: string;
    if (delivery.event_position === null) body = testEventBody(endpoint.id, delivery.created_at);
    else {
      const row = await db.selectFrom('outbox_events').selectAll().where('position', '=', Number(delivery.event_position)).executeTakeFirstOrThrow();
      body = eventBody(toStoredEvent(row));
    }
    return { delivery, endpoint, secrets: secrets.map((s) => s.secret), body };
  }

  /** Sends the delivery once; resolves when the attempt and its consequences are recorded. */
  async function attempt(deliveryId: string, mode: AttemptMode): Promise<PostResult | undefined> {
    const loaded = await load(deliveryId);
    if (!loaded) return undefined; // deleted with its endpoint meanwhile
    const { delivery, endpoint, secrets, body } = loaded;
    const sentAt = new Date();
    const headers = signDelivery(delivery.webhook_id, sentAt, body, secrets);
    const result = await postWebhook(endpoint.url, { ...headers }, body, postOptions);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_attempts').values({
        delivery_id: delivery.id, status_code: result.statusCode, duration_ms: result.durationMs, error: result.error?.slice(0, 1_000) ?? null,
      }).execute();
      const attempts = delivery.attempts + 1;
      const base = trx.updateTable('webhook_deliveries').where('id', '=', delivery.id);
      if (result.error === null) {
        await base.set({ status: 'succeeded', attempts, next_attempt_at: null, last_attempt_at: sentAt }).execute();
        await releaseBacklog(trx, endpoint.id);
      } else if (mode === 'manual') {
        await base.set({ attempts, last_attempt_at: sentAt }).execute();
      } else if (attempts < config.maxAttempts) {
        const next = new Date(Date.now() + retryDelayMs(attempts, config));
        await base.where('status', '=', 'pending').set({ attempts, last_attempt_at: sentAt, next_attempt_at: next }).execute();
      } else {
        await base.where('status', '=', 'pending').set({ status: 'failed', attempts, last_attempt_at: sentAt, next_attempt_at: null }).execute();
        await disable(trx, endpoint.id, `${attempts} attempts over ${hours(retryWindowMs(config))} failed; the last one: ${result.error}`);
      }
    });
    return result;
  }

  return { attempt };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

/**
 * The endpoint answered: whatever of its queue waits on a back-off goes now. Only the oldest
 * pending delivery is ever scheduled into the future (deliveries go one at a time, in
 * order), so this lets the whole backlog drain at once instead of hours later.
 */
export async function releaseBacklog(trx: Transaction<Database>, endpointId: string): Promise<void> {
  const now = new Date();
  await trx.updateTable('webhook_deliveries').set({ next_attempt_at: now })
    .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').where('next_attempt_at', '>', now).execute();
}

async function disable(trx: Transaction<Database>, endpointId: string, reason: string): Promise<void> {
  await trx.updateTable('webhook_endpoints')
    .set({ active: false, disabled_reason: reason.slice(0, 1_000), disabled_at: new Date(), updated_at: new Date() })
    .where('id', '=', endpointId).execute();
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} hours` : ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${(ms / 1000).toFixed(1)} seconds`;
}
