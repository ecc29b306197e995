import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { Database, WebhookDeliveriesTable } from '../db/database.js';
import type { StoredEvent } from '../events/catalogue.js';
import { appendEvent, toStoredEvent } from '../events/outbox.js';
import { mentionsOf, withdrawnIds, withoutWithdrawn } from '../events/withdrawn.js';
import { endpointEvent, toEndpoint } from './model.js';
import type { WebhookConfig } from './config.js';
import { postWebhook, type PostResult, type ResolvedAddress } from './http-post.js';
import { eventBody, testEventBody } from './payload.js';
import { itemUrl } from '../public-url.js';
import { retryDelayMs, retryWindowMs } from './retry-schedule.js';
import { createSecretBox, SecretUnreadableError } from './secret-box.js';
import { signDelivery } from './signing.js';
import type { Logger } from '../logger.js';

export interface SenderDeps {
  readonly db: Kysely<Database>;
  readonly config: WebhookConfig;
  /** DNS for webhook hosts (tests point names at loopback). @default the system resolver */
  readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
  /** The outbox doorbell, rung after an endpoint is disabled (that appends an event). */
  readonly onEvent?: () => void;
  /** Where a refused target's internal detail goes, which the council's delivery log never shows. */
  readonly logger?: Logger;
}

/**
 * `queue`: the dispatcher's turn for an endpoint's oldest pending delivery; a failure is
 * scheduled for retry (or, once the schedule is spent, fails it and disables the endpoint).
 * `manual`: an extra attempt an admin asked for (a test event, a redelivery); a failure
 * changes no schedule.
 */
export type AttemptMode = 'queue' | 'manual';

/** Sends one attempt of a delivery and records it; shared by the dispatcher and the API. */
export function createWebhookSender({ db, config, resolveHost, onEvent, logger }: SenderDeps) {
  const postOptions = { ...config, ...(resolveHost ? { resolveHost } : {}) };
  const secrets = createSecretBox(config.secretsKey);

  /**
   * Signs and posts; a secret this process cannot open is an attempt that failed here, with
   * the reason, rather than an unsigned request or a crash.
   */
  async function post(delivery: Loaded, body: string, sentAt: Date): Promise<PostResult> {
    let headers;
    try {
      headers = signDelivery(delivery.webhook_id, sentAt, body, (delivery.secrets ?? []).map((s) => secrets.open(delivery.endpoint_id, s)));
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      return { statusCode: null, error: `not sent: ${error.message}`, durationMs: 0 };
    }
    return postWebhook(delivery.url, { ...headers }, body, postOptions);
  }

  /** A delivery with all it takes to send it (URL, secrets, event), in one query. */
  function loadQuery() {
    return db.selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .leftJoin('outbox_events as o', 'o.position', 'd.event_position')
      .leftJoin('councils as c', 'c.id', 'o.council_id')
      .selectAll('d').select(['e.url', 'o.type', 'o.subject_type', 'o.subject_id', 'o.council_id', 'o.visibility', 'o.payload', 'o.created_at as occurred_at', 'c.name as council_name'])
      .select(sql<string[] | null>`(select array_agg(s.secret order by s.created_at desc) from webhook_secrets s
        where s.endpoint_id = d.endpoint_id and (s.expires_at is null or s.expires_at > now()))`.as('secrets'));
  }
  type Loaded = NonNullable<Awaited<ReturnType<ReturnType<typeof loadQuery>['executeTakeFirst']>>>;

  // Built at each attempt: a retry after the item was hidden (or the comment deleted) leaves
  // out the words the hub no longer shows (events/withdrawn.ts).
  async function bodyOf(d: Loaded): Promise<string> {
    if (d.event_position === null || d.type === null) return testEventBody(d.endpoint_id, d.created_at);
    const event = toStoredEvent({
      position: Number(d.event_position), type: d.type, subject_type: d.subject_type!, subject_id: d.subject_id!,
      council_id: d.council_id!, visibility: d.visibility!, payload: d.payload!, created_at: d.occurred_at!,
    });
    const withdrawn = await withdrawnIds(db, mentionsOf(event));
    return eventBody({ ...event, ...withoutWithdrawn(event, withdrawn) } as StoredEvent,
      { councilName: d.council_name, url: itemUrl(config.publicUrl, d.subject_type!, d.subject_id!) });
  }

  /** Sends a loaded delivery once; resolves when the attempt and its consequences are recorded. */
  async function send(delivery: Loaded, mode: AttemptMode): Promise<PostResult> {
    const body = await bodyOf(delivery);
    const sentAt = new Date();
    const result = await post(delivery, body, sentAt);
    if (result.detail) logger?.warn('webhook target refused', { endpointId: delivery.endpoint_id, deliveryId: delivery.id, detail: result.detail });
    const attempts = delivery.attempts + 1;
    const attemptRow = {
      delivery_id: delivery.id, status_code: result.statusCode, duration_ms: result.durationMs, error: result.error?.slice(0, 1_000) ?? null,
    };
    // The attempt and the delivery's new state in one statement: the common cases cost one
    // round trip.
    const record = (changes: Updateable<WebhookDeliveriesTable>, onlyPending: boolean) => {
      let update = db.with('attempt', (w) => w.insertInto('webhook_attempts').values(attemptRow).returning('id'))
        .updateTable('webhook_deliveries').set({ attempts, last_attempt_at: sentAt, ...changes }).where('id', '=', delivery.id);
      if (onlyPending) update = update.where('status', '=', 'pending');
      return update.execute();
    };
    if (result.error === null) {
      await record({ status: 'succeeded', next_attempt_at: null }, false);
      // In the queue only this delivery can have been waiting on a back-off, and it is done;
      // a manual success may find the endpoint's head waiting.
      if (mode === 'manual') await releaseBacklog(db, delivery.endpoint_id);
    } else if (mode === 'manual') {
      await record({}, false);
    } else if (attempts < config.maxAttempts) {
      await record({ next_attempt_at: new Date(Date.now() + retryDelayMs(attempts, config)) }, true);
    } else {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('webhook_attempts').values(attemptRow).execute();
        await trx.updateTable('webhook_deliveries').set({ status: 'failed', attempts, last_attempt_at: sentAt, next_attempt_at: null })
          .where('id', '=', delivery.id).where('status', '=', 'pending').execute();
        await disable(trx, delivery.endpoint_id, `${attempts} attempts over ${hours(retryWindowMs(config))} failed; the last one: ${result.error}`);
      });
      onEvent?.();
    }
    return result;
  }

  return {
    /** Sends the delivery once, whatever its state (a test event, a redelivery). */
    async attempt(deliveryId: string, mode: AttemptMode): Promise<PostResult | undefined> {
      const delivery = await loadQuery().where('d.id', '=', deliveryId).executeTakeFirst();
      return delivery && send(delivery, mode); // undefined: deleted with its endpoint meanwhile
    },
    /**
     * Sends the endpoint's oldest pending delivery if it is due and the endpoint active;
     * undefined when there is none to send. Reading and sending the head in one step keeps
     * a draining backlog at two statements per delivery.
     */
    async sendHead(endpointId: string): Promise<PostResult | undefined> {
      const head = await loadQuery().where('d.endpoint_id', '=', endpointId).where('d.status', '=', 'pending').where('e.active', '=', true)
        .orderBy('d.event_position').limit(1).executeTakeFirst();
      if (!head || (head.next_attempt_at && head.next_attempt_at.getTime() > Date.now())) return undefined;
      return send(head, 'queue');
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;

/**
 * The endpoint answered: whatever of its queue waits on a back-off goes now. Only the oldest
 * pending delivery is ever scheduled into the future (deliveries go one at a time, in
 * order), so this lets the whole backlog drain at once instead of hours later.
 */
export async function releaseBacklog(trx: Kysely<Database>, endpointId: string): Promise<void> {
  const now = new Date();
  await trx.updateTable('webhook_deliveries').set({ next_attempt_at: now })
    .where('endpoint_id', '=', endpointId).where('status', '=', 'pending').where('next_attempt_at', '>', now).execute();
}

/** Disables the endpoint and says so in the event log, where its council's members can follow it. */
async function disable(trx: Transaction<Database>, endpointId: string, reason: string): Promise<void> {
  const row = await trx.updateTable('webhook_endpoints')
    .set({ active: false, disabled_reason: reason.slice(0, 1_000), disabled_at: new Date(), updated_at: new Date() })
    .where('id', '=', endpointId).returningAll().executeTakeFirst();
  if (row) await appendEvent(trx, endpointEvent('webhook_endpoint.disabled', toEndpoint(row), null));
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} hours` : ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${(ms / 1000).toFixed(1)} seconds`;
}
