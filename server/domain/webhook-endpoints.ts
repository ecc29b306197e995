import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { createSecretBox } from '../webhooks/secret-box.js';
import { canAdminister, isMember, type Actor } from '../auth/viewer.js';
import { actorMemberId, requireActor } from './actor.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { isUuid } from './ids.js';
import { inIdOrder } from './in-id-order.js';
import { InputChecker, LIMITS } from './input-checker.js';
import { EVENT_TYPES, type EventType } from '../events/catalogue.js';
import { appendEvent } from '../events/outbox.js';
import { headPosition } from '../events/reader.js';
import type { WebhookConfig } from '../webhooks/config.js';
import { refusedUrlReason, resolveTarget, TargetRefused, type ResolvedAddress } from '../webhooks/http-post.js';
import { releaseBacklog } from '../webhooks/sender.js';
import { generateSecret } from '../webhooks/signing.js';
import { endpointEvent, toEndpoint, type EndpointFilter, type EndpointWithSecret, type WebhookEndpoint } from '../webhooks/model.js';

export interface EndpointInput {
  /** Default: the actor's council. */
  readonly councilId?: string | null;
  readonly url?: string | null;
  readonly eventTypes?: readonly EventType[] | null;
  readonly filter?: EndpointFilter | null;
  readonly description?: string | null;
  readonly active?: boolean | null;
}

/** Enough for every system a council runs; a runaway script cannot fan one event out 10,000 times. */
export const MAX_ENDPOINTS_PER_COUNCIL = 20;

export interface EndpointServiceDeps {
  readonly db: Kysely<Database>;
  readonly transact: Transact;
  readonly config: WebhookConfig;
  readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

/** Council admins register, change, rotate and delete their council's webhook endpoints. */
export function createWebhookEndpointService({ db, transact, config, resolveHost }: EndpointServiceDeps) {
  const secrets = createSecretBox(config.secretsKey);
  /** Loads an endpoint the actor administers, for update; typed errors otherwise. */
  async function lockOwned(trx: Transaction<Database>, actor: Actor, id: string) {
    requireActor(actor);
    const row = isUuid(id) ? await trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
    if (!row) throw new NotFoundError('webhook endpoint', id);
    if (!canAdminister(actor, row.council_id)) throw new ForbiddenError('only the council\'s admins may manage its webhook endpoints');
    return row;
  }

  async function addSecret(trx: Transaction<Database>, endpointId: string): Promise<string> {
    const secret = generateSecret();
    await trx.insertInto('webhook_secrets').values({ endpoint_id: endpointId, secret: secrets.seal(endpointId, secret) }).execute();
    return secret;
  }

  return {
    async create(actor: Actor, input: EndpointInput): Promise<EndpointWithSecret> {
      const who = requireActor(actor);
      const councilId = input.councilId ?? (isMember(who) ? who.councilId : undefined);
      if (!councilId) throw new ValidationError([{ field: 'councilId', message: 'is required at the command line' }]);
      if (!canAdminister(who, councilId)) throw new ForbiddenError('only the council\'s admins may register webhook endpoints');
      const columns = await checkEndpoint(input, true, config, resolveHost);
      return transact(async (trx) => {
        const count = await trx.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('council_id', '=', councilId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_ENDPOINTS_PER_COUNCIL) {
          throw new ValidationError([{ field: 'councilId', message: `already has ${MAX_ENDPOINTS_PER_COUNCIL} webhook endpoints, the most a council may have` }]);
        }
        // Deliveries start after the newest event at registration, never with the history.
        const from = await headPosition(trx);
        const row = await trx.insertInto('webhook_endpoints').values({
          council_id: councilId, url: columns.url!, event_types: [...columns.eventTypes!], filter: JSON.stringify(columns.filter ?? {}),
          description: columns.description ?? '', active: columns.active ?? true, from_position: from,
        }).returningAll().executeTakeFirstOrThrow();
        const secret = await addSecret(trx, row.id);
        const endpoint = toEndpoint(row);
        await appendEvent(trx, endpointEvent('webhook_endpoint.created', endpoint, actorMemberId(who)));
        return { endpoint, secret };
      });
    },

    async update(actor: Actor, id: string, input: EndpointInput): Promise<WebhookEndpoint> {
      const columns = await checkEndpoint(input, false, config, resolveHost);
      return transact(async (trx) => {
        const current = await lockOwned(trx, actor, id);
        const enabling = columns.active === true && !current.active;
        const row = await trx.updateTable('webhook_endpoints').set({
          ...(columns.url !== undefined ? { url: columns.url } : {}),
          ...(columns.eventTypes !== undefined ? { event_types: [...columns.eventTypes] } : {}),
          ...(columns.filter !== undefined ? { filter: JSON.stringify(columns.filter) } : {}),
          ...(columns.description !== undefined ? { description: columns.description } : {}),
          ...(columns.active !== undefined ? { active: columns.active } : {}),
          ...(enabling ? { disabled_reason: null, disabled_at: null } : {}),
          updated_at: new Date(),
        }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        if (enabling) {
          // The delivery that exhausted its retries goes first again, then the rest, in order.
          await trx.updateTable('webhook_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: new Date() })
            .where('endpoint_id', '=', id).where('status', '=', 'failed').where('event_position', 'is not', null).execute();
          await releaseBacklog(trx, id);
        }
        const endpoint = toEndpoint(row);
        const changed = Object.keys(columns);
        await appendEvent(trx, endpointEvent('webhook_endpoint.updated', endpoint, memberIdOf(actor), { changed }));
        return endpoint;
      });
    },

    /**
     * A new secret signs from now on; the ones before it keep signing too until the grace
     * period ends, so a receiver can switch over without rejecting a delivery.
     */
    async rotateSecret(actor: Actor, id: string): Promise<EndpointWithSecret> {
      return transact(async (trx) => {
        const row = await lockOwned(trx, actor, id);
        const expires = new Date(Date.now() + config.secretGraceMs);
        await trx.updateTable('webhook_secrets').set({ expires_at: expires })
          .where('endpoint_id', '=', id).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', expires)])).execute();
        await trx.deleteFrom('webhook_secrets').where('endpoint_id', '=', id).where('expires_at', '<=', new Date()).execute();
        const secret = await addSecret(trx, id);
        const endpoint = toEndpoint(row);
        await appendEvent(trx, endpointEvent('webhook_endpoint.secret_rotated', endpoint, memberIdOf(actor), { previousSecretsExpireAt: expires.toISOString() }));
        return { endpoint, secret };
      });
    },

    /** Deletes the endpoint with its secrets and delivery log; undelivered events are dropped. */
    async delete(actor: Actor, id: string): Promise<WebhookEndpoint> {
      return transact(async (trx) => {
        const row = await lockOwned(trx, actor, id);
        await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
        const endpoint = toEndpoint(row);
        await appendEvent(trx, endpointEvent('webhook_endpoint.deleted', endpoint, memberIdOf(actor)));
        return endpoint;
      });
    },

    /** For node(id:): each endpoint the actor administers, null for any other. */
    async findMany(actor: Actor, ids: readonly string[]): Promise<(WebhookEndpoint | null)[]> {
      const wanted = ids.filter(isUuid);
      if (wanted.length === 0) return ids.map(() => null);
      const rows = await db.selectFrom('webhook_endpoints').selectAll().where('id', 'in', wanted).execute();
      return inIdOrder(ids, rows.map(toEndpoint), (endpoint) => canAdminister(actor, endpoint.councilId));
    },

    /** The council's endpoints, oldest first; null unless the actor administers the council. */
    async list(actor: Actor, councilId: string): Promise<WebhookEndpoint[] | null> {
      if (!canAdminister(actor, councilId)) return null;
      const rows = await db.selectFrom('webhook_endpoints').selectAll().where('council_id', '=', councilId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toEndpoint);
    },
  };
}

export type WebhookEndpointService = ReturnType<typeof createWebhookEndpointService>;

/** Who to record in an event: lockOwned has already refused the anonymous. */
const memberIdOf = (actor: Actor) => actorMemberId(requireActor(actor));

type CheckedEndpoint = { -readonly [K in keyof EndpointInput]?: NonNullable<EndpointInput[K]> };

async function checkEndpoint(input: EndpointInput, required: boolean, config: WebhookConfig, resolveHost: EndpointServiceDeps['resolveHost']): Promise<CheckedEndpoint> {
  const check = new InputChecker();
  const url = input.url === undefined || input.url === null ? undefined : check.url('url', input.url);
  if (required && !url && input.url == null) check.fail('url', 'is required');
  if (url && config.allowPrivate) {
    const reason = refusedUrlReason(new URL(url), true);
    if (reason) check.fail('url', `is refused: ${reason}`);
  } else if (url) {
    try {
      // Checked here for a clear answer now, and again at every delivery: DNS can change.
      await resolveTarget(new URL(url), { allowPrivate: false, ...(resolveHost ? { resolveHost } : {}) });
    } catch (error) {
      check.fail('url', error instanceof TargetRefused ? `is refused: ${error.publicMessage}` : 'has a host name that does not resolve');
    }
  }
  const eventTypes = input.eventTypes ?? undefined;
  if (eventTypes !== undefined) {
    if (eventTypes.length === 0) check.fail('eventTypes', 'must name at least one event type');
    eventTypes.forEach((type, i) => {
      if (!(EVENT_TYPES as readonly string[]).includes(type)) check.fail(`eventTypes.${i}`, `is not an event type: ${type}`);
    });
  } else if (required) check.fail('eventTypes', 'is required');
  const description = check.text('description', input.description, LIMITS.summary);
  check.check();
  return {
    ...(url ? { url } : {}),
    ...(eventTypes ? { eventTypes: [...new Set(eventTypes)] } : {}),
    ...(input.filter ? { filter: input.filter } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(typeof input.active === 'boolean' ? { active: input.active } : {}),
  };
}
