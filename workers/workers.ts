import type { SearchEngine } from '../server/search/engine.js';
import { createConsumerWorker, type ConsumerWorker, type WorkerOptions } from './runtime.js';
import { createSearchIndexer } from './search-indexer.js';

export interface WorkersDeps extends WorkerOptions {
  readonly searchEngine: SearchEngine;
}

/**
 * Every outbox consumer, built the same way in-process (embedded mode, server/app.ts) and
 * in the worker process (server mode, workers/main.ts).
 */
export function createWorkers(deps: WorkersDeps) {
  const workers: ConsumerWorker[] = [
    createConsumerWorker(createSearchIndexer({ db: deps.database.db, engine: deps.searchEngine }), deps),
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
