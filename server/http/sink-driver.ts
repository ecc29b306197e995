import type { ExecutionResult } from 'graphql';
import type { SubscriptionSink } from '../context.js';

export interface SinkDriverOptions {
  readonly source: AsyncIterator<unknown>;
  readonly sink: SubscriptionSink;
  /** The result of one event, shared with the subscriber's group (shared-subscriptions.ts). */
  readonly resultOf: (payload: unknown) => Promise<ExecutionResult>;
  /** The last result of a stream that failed: why, and where to resume. */
  readonly failure: (error: unknown) => ExecutionResult;
  readonly onDelivered: () => void;
  /** Ends the source and leaves the group; safe to call more than once. */
  readonly finish: () => Promise<void>;
}

/** Events one subscriber takes from its queue at once. */
const MAX_EVENTS_PER_SEND = 64;

/**
 * Sends a subscriber's results straight into its transport's sink, and gives the transport
 * an iterator that only ends (then the transport says `complete`). Per batch of events and
 * subscriber this costs one wait for the source and one per shared result: a fan-out to
 * thousands of sockets spends its time writing to them, not passing each result through
 * envelop's and graphql-ws's layers of promises.
 *
 * Events found queued together are taken together: their executions start in one turn (one
 * loader scope, see shared-subscriptions.ts) and their results are sent in one go, so they
 * leave in one write per socket.
 */
export function driveIntoSink(options: SinkDriverOptions): AsyncGenerator<ExecutionResult> {
  const { source, sink, resultOf, failure, onDelivered, finish } = options;
  // The event feed's streams (push-iterator.ts) say how many events wait behind this one.
  const queued = hasQueue(source) ? () => source.size : () => 0;
  const ended = (async () => {
    try {
      for (;;) {
        const item = await source.next();
        if (item.done) return;
        // Whatever was taken is sent before the stream's end or failure: a subscriber told
        // to resume after its last position must have had every event up to it.
        const results = [resultOf(item.value)];
        let stop: { readonly error?: unknown } | undefined;
        while (!stop && queued() > 0 && results.length < MAX_EVENTS_PER_SEND) {
          try {
            const more = await source.next();
            if (more.done) stop = {};
            else results.push(resultOf(more.value));
          } catch (error) {
            stop = { error };
          }
        }
        for (const result of results) {
          onDelivered();
          const flushed = sink.next(await result);
          // A socket that failed mid-write is closing: its subscription ends with it.
          if (flushed && !(await flushed.then(() => true, () => false))) return;
        }
        if (stop && 'error' in stop) throw stop.error;
        if (stop) return;
      }
    } catch (error) {
      sink.next(failure(error))?.catch(() => {});
    } finally {
      await finish();
    }
  })();
  const done = async (): Promise<IteratorResult<ExecutionResult>> => ({ done: true, value: undefined });
  const driven: AsyncGenerator<ExecutionResult> = {
    next: () => ended.then(done),
    return: () => finish().then(done),
    async throw(error) { await finish(); throw error; },
    [Symbol.asyncIterator]() { return driven; },
  };
  return driven;
}

function hasQueue(source: object): source is { readonly size: number } {
  return typeof (source as { size?: unknown }).size === 'number';
}
