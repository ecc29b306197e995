import type { RateLimit } from '../../config-hardening.js';
import { DomainError } from '../../kernel/errors.js';
import { createTokenBuckets } from './token-bucket.js';

/** A subscription whose events cost more than its connection or client may spend: it ends. */
export class EventAllowanceSpentError extends DomainError {
  readonly code = 'LIMIT_EXCEEDED';
}

export interface EventAllowanceLimits {
  /** Cost units the events of one connection's subscriptions may spend. */
  readonly perConnection: RateLimit;
  /** Cost units the events of all of one API token's (or anonymous address's) connections may spend. */
  readonly perClient: RateLimit;
}

/** One connection's side of the allowances. */
export interface EventCharges {
  /** Charges one event of `cost`; throws EventAllowanceSpentError when either allowance is spent. */
  charge(cost: number): void;
  /**
   * How many events of `cost` the allowances could pay for now, without charging them (a
   * replay reads no more than that); throws EventAllowanceSpentError when not even one.
   */
  affordable(cost: number): number;
  close(): void;
}

/**
 * Subscriptions are costed once, when they start, but execute per event: each event a
 * subscriber receives is charged its subscription's cost (operation-cost.ts) against its
 * connection's allowance and its client's. Distinct documents, many connections or a burst
 * of events therefore cannot multiply the work past the client's allowance; a subscription
 * that would overspend ends with LIMIT_EXCEEDED (the client can resume from the event's
 * position, see Subscription.events(after:)).
 */
export function createEventAllowances(limits: EventAllowanceLimits, now: () => number = Date.now) {
  const connections = createTokenBuckets(limits.perConnection, now);
  const clients = createTokenBuckets(limits.perClient, now);
  let opened = 0;
  return {
    /** The charge for one connection of `client` (a token or address key), and its close. */
    open(client: string): EventCharges {
      const connection = `connection:${++opened}`;
      const spent = (who: 'connection' | 'client', cost: number) => {
        const limit = who === 'connection' ? limits.perConnection : limits.perClient;
        return new EventAllowanceSpentError(`This subscription's events cost ${cost} each; the events of this ${who === 'connection' ? 'connection' : 'API token or address'} may cost ${limit.perSecond} per second (bursts of ${limit.burst}). Subscribe again with a smaller selection, or later, from the last position you received`);
      };
      return {
        charge(cost: number): void {
          const byConnection = connections.take(connection, cost);
          const refused = !byConnection.ok ? 'connection' : !clients.take(client, cost).ok ? 'client' : undefined;
          if (refused) throw spent(refused, cost);
        },
        affordable(cost: number): number {
          const [byConnection, byClient] = [connections.available(connection), clients.available(client)];
          const count = Math.floor(Math.min(byConnection, byClient) / Math.max(cost, 1));
          if (count < 1) throw spent(byConnection < cost ? 'connection' : 'client', cost);
          return count;
        },
        close: () => connections.forget(connection),
      };
    },
  };
}

export type EventAllowances = ReturnType<typeof createEventAllowances>;
