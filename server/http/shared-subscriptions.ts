import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createContext, type Context, type SubscriptionSink } from '../context.js';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { isUnexpected, maskError } from './error-masking.js';
import type { Metrics } from './metrics.js';
import { createSubscriptionKeys, executionKey } from './subscription-key.js';

export interface SharedSubscriptionOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Recent results each group keeps for its slower members. @default 256 */
  readonly cacheSize?: number;
}

/** The event feed's streams (push-iterator.ts) say how many events wait in them. */
function hasQueue(source: object): source is { readonly size: number } {
  return typeof (source as { size?: unknown }).size === 'number';
}

/** Events one subscriber takes from its queue at once (see `drive`). */
const MAX_EVENTS_PER_SEND = 64;

interface Group {
  readonly args: ExecutionArgs;
  readonly context: Context;
  readonly results: Map<string, Promise<ExecutionResult>>;
  members: number;
}

/**
 * Runs each subscription event once per group of subscribers rather than once per
 * subscriber. Subscribers with the same document, operation, variables and visibility
 * scope (see subscription-key.ts) get identical results, so the group executes an event once and every member
 * sends that result: 5,000 subscribers to `problemPublished` cost one execution (and its
 * queries) per event, not 5,000.
 *
 * Each subscriber keeps its own source stream (its replay position, its own end), so only
 * the execution is shared, keyed by event position. Executions get fresh contexts (see
 * executionContext): per-request loaders cache rows, and a subscription lives far longer
 * than a request.
 */
export function useSharedSubscriptions(options: SharedSubscriptionOptions): Plugin<Context> {
  const { logger, metrics } = options;
  const cacheSize = options.cacheSize ?? 256;
  const groups = new Map<string, Group>();
  const keyOf = createSubscriptionKeys();

  function join(key: string, args: ExecutionArgs, context: Context): Group {
    let group = groups.get(key);
    if (!group) {
      group = { args, context, results: new Map(), members: 0 };
      groups.set(key, group);
    }
    group.members++;
    return group;
  }

  /**
   * A fresh context (fresh loaders) per turn of the event loop rather than per execution:
   * the events the tail hands over together start their executions in one turn, so their
   * loads go out as one statement per kind, and their results are ready, and written to
   * each socket, together. A turn is far shorter than a request, so nothing cached is stale.
   */
  const turnContexts = new Map<Context, Context>();
  function executionContext(base: Context): Context {
    let context = turnContexts.get(base);
    if (!context) {
      if (turnContexts.size === 0) process.nextTick(() => turnContexts.clear());
      context = createContext(base.services, base.viewer, base.requestId);
      turnContexts.set(base, context);
    }
    return context;
  }

  function leave(key: string, group: Group): void {
    if (--group.members === 0 && groups.get(key) === group) groups.delete(key);
  }

  function resultFor(group: Group, payload: unknown, subscriber: Context): Promise<ExecutionResult> {
    const execution = executionKey(payload, subscriber.viewer);
    const cached = execution && group.results.get(execution.key);
    if (cached) return cached;
    // A per-member execution runs as that member; a shared one as any member of the group.
    const context = !execution || execution.perMember ? subscriber : group.context;
    metrics.increment('cc_subscription_executions_total', 'Subscription events executed (once per group of identical subscribers)');
    const result = Promise.resolve(execute({
      ...group.args,
      rootValue: payload,
      contextValue: executionContext(context),
    })).then((done) => masked(done, context));
    if (execution) {
      group.results.set(execution.key, result);
      if (group.results.size > cacheSize) group.results.delete(group.results.keys().next().value!);
    }
    return result;
  }

  /**
   * Results sent through a sink pass no envelop hook, so they are masked here as yoga masks
   * every other result (once per shared execution; masking twice changes nothing).
   */
  function masked(result: ExecutionResult, context: Context): ExecutionResult {
    if (!result.errors) return result;
    for (const error of result.errors) {
      if (isUnexpected(error)) logger.error('unexpected error', { requestId: context.requestId, path: error.path?.join('.'), error: error.originalError });
    }
    return { ...result, errors: result.errors.map((error) => maskError(error, 'Unexpected error.') as GraphQLError) };
  }

  /**
   * Sends a subscriber's results straight into its transport's sink, and gives the transport
   * an iterator that only ends (then the transport says `complete`). Per batch of events
   * and subscriber this costs one wait for the source and one per shared result: a fan-out
   * to thousands of sockets spends its time writing to them, not passing each result
   * through envelop's and graphql-ws's layers of promises.
   */
  function drive(source: AsyncIterator<unknown>, sink: SubscriptionSink, group: Group, context: Context, finish: () => Promise<void>): AsyncGenerator<ExecutionResult> {
    // Events already queued behind the one just taken (the event feed's push iterator says).
    const queued = hasQueue(source) ? () => source.size : () => 0;
    const ended = (async () => {
      try {
        for (;;) {
          const item = await source.next();
          if (item.done) return;
          // Events that arrived together start executing together (see executionContext)
          // and are sent in one go. Whatever was taken is sent before the stream's end or
          // failure: a subscriber told to resume after its last position must have had
          // every event up to it.
          const results = [resultFor(group, item.value, context)];
          let stop: { readonly error?: unknown } | undefined;
          while (!stop && queued() > 0 && results.length < MAX_EVENTS_PER_SEND) {
            try {
              const more = await source.next();
              if (more.done) stop = {};
              else results.push(resultFor(group, more.value, context));
            } catch (error) {
              stop = { error };
            }
          }
          for (const result of results) {
            metrics.increment('cc_subscription_deliveries_total', 'Subscription events delivered to subscribers');
            const flushed = sink.next(await result);
            // A socket that failed mid-write is closing: its subscription ends with it.
            if (flushed && !(await flushed.then(() => true, () => false))) return;
          }
          if (stop && 'error' in stop) throw stop.error;
          if (stop) return;
        }
      } catch (error) {
        // The stream ends with one last result that says why (e.g. resume from here).
        sink.next(errorResult(error, context))?.catch(() => {});
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

  function errorResult(error: unknown, context: Context): ExecutionResult {
    if (error instanceof DomainError) {
      return { errors: [new GraphQLError(error.message, { extensions: { code: error.code } })] };
    }
    logger.error('a subscription stream failed', { requestId: context.requestId, error });
    return { errors: [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
  }

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return source;
        const context = args.contextValue as Context;
        const key = keyOf(args, context.viewer);
        const group = join(key, args, context);
        const iterator = source[Symbol.asyncIterator]();
        let done = false;
        const finish = async () => {
          if (done) return;
          done = true;
          leave(key, group);
          await iterator.return?.();
        };
        if (context.sink) return drive(iterator, context.sink, group, context, finish);
        const mapped: AsyncGenerator<ExecutionResult> = {
          async next() {
            if (done) return { done: true, value: undefined };
            try {
              const item = await iterator.next();
              if (item.done) { await finish(); return { done: true, value: undefined }; }
              metrics.increment('cc_subscription_deliveries_total', 'Subscription events delivered to subscribers');
              return { done: false, value: await resultFor(group, item.value, context) };
            } catch (error) {
              // The stream ends with one last result that says why (e.g. resume from here).
              await finish();
              return { done: false, value: errorResult(error, context) };
            }
          },
          async return() {
            await finish();
            return { done: true, value: undefined };
          },
          async throw(error) {
            await finish();
            throw error;
          },
          [Symbol.asyncIterator]() { return mapped; },
        };
        return mapped;
      });
    },
  };
}
