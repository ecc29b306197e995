import type { SearchEngine } from '../server/search/engine.js';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from '../server/webhooks/config.js';
import type { ResolvedAddress } from '../server/webhooks/http-post.js';
import { createWebhookSender } from '../server/webhooks/sender.js';
import { createNotificationsConsumer } from './notifications.js';
import { createEmailSender, type EmailSenderDeps } from './email-sender.js';
import { createFreshnessNudges } from './freshness-nudges.js';
import { DEFAULT_NUDGE_CONFIG, type NudgeConfig } from '../server/freshness/nudger.js';
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
  /** Email: the transport, links and settings; absent, nothing is emailed (the inbox still fills). */
  readonly email?: Pick<EmailSenderDeps, 'mailer' | 'links' | 'config' | 'clock'>;
  /** Freshness nudges. @default DEFAULT_NUDGE_CONFIG */
  readonly nudges?: NudgeConfig;
  /** The nudger's clock (tests). @default () => new Date() */
  readonly nudgeClock?: () => Date;
}

/**
 * Every outbox consumer, built the same way in-process (embedded mode, server/app.ts) and
 * in the worker process (server mode, workers/main.ts), and the webhook dispatcher, which
 * sends what the `webhooks` consumer queues.
 */
export function createWorkers(deps: WorkersDeps) {
  const db = deps.database.db;
  const config = deps.webhooks ?? DEFAULT_WEBHOOK_CONFIG;
  const sender = createWebhookSender({ db, config, logger: deps.logger, onEvent: () => deps.signal.notify(), ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}) });
  const dispatcher = createWebhookDispatcher({ ...deps, sender, config });
  // Inbox rows and queued emails ring every process: live inboxes listen, the email sender sends.
  const notifications = createConsumerWorker(createNotificationsConsumer({
    db, engine: deps.searchEngine, onAdded: () => deps.signal.notify(), queueEmail: deps.email !== undefined,
  }), deps);
  const workers: ConsumerWorker[] = [
    // Notifications wait for the index (saved searches ask it), so the indexer wakes them.
    createConsumerWorker(createSearchIndexer({ db, engine: deps.searchEngine }), { ...deps, onAdvanced: notifications.wake }),
    createConsumerWorker(createWebhookFanout({ db, onQueued: dispatcher.wake }), deps),
    notifications,
    dispatcher,
    ...(deps.email ? [createEmailSender({ ...deps, ...deps.email })] : []),
    createFreshnessNudges({ ...deps, config: deps.nudges ?? DEFAULT_NUDGE_CONFIG, queueEmail: deps.email !== undefined, ...(deps.nudgeClock ? { clock: deps.nudgeClock } : {}) }),
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
