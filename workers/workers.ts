import type { SearchEngine } from '../server/search/engine.js';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from '../server/webhooks/config.js';
import type { ResolvedAddress } from '../server/webhooks/http-post.js';
import { createWebhookSender } from '../server/webhooks/sender.js';
import { createConsumerWorker, type ConsumerWorker, type WorkerOptions } from './runtime.js';
import { createSearchIndexer } from './search-indexer.js';
import { createWebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookFanout } from './webhook-fanout.js';

export interface WorkersDeps extends WorkerOptions {
  readonly searchEngine: SearchEngine;
  /** @default DEFAULT_WEBHOOK_CONFIG */
  readonly webhooks?: WebhookConfig;
  /** DNS for webhook hosts (tests point names at loopback). @default the system resolver */
  readonly resolveHost?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

/**
 * Every outbox consumer, built the same way in-process (embedded mode, server/app.ts) and
 * in the worker process (server mode, workers/main.ts), and the webhook dispatcher, which
 * sends what the `webhooks` consumer queues.
 */
export function createWorkers(deps: WorkersDeps) {
  const db = deps.database.db;
  const config = deps.webhooks ?? DEFAULT_WEBHOOK_CONFIG;
  const sender = createWebhookSender({ db, config, onEvent: () => deps.signal.notify(), ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}) });
  const dispatcher = createWebhookDispatcher({ ...deps, sender, config });
  const workers: ConsumerWorker[] = [
    createConsumerWorker(createSearchIndexer({ db, engine: deps.searchEngine }), deps),
    createConsumerWorker(createWebhookFanout({ db, onQueued: dispatcher.wake }), deps),
    dispatcher,
  ];
  return {
    workers,
    start(): void {
      for (const worker of workers) worker.start();
    },
    async stop(): Promise<void> {
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
