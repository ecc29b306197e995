import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { createContext, type Context } from '../context.js';
import { DomainError, toGraphQLError } from '../kernel/errors.js';
import type { Logger } from '../logger.js';
import { isUnexpected, maskError } from './error-masking.js';
import type { Metrics } from '../kernel/metrics.js';
import { budgetSpentResult, createExecutionBudget } from './limits/execution-budget.js';
import { operationCost } from './limits/operation-cost.js';
import { createResultCache, type ResultCache } from './result-cache.js';
import { driveIntoSink } from './sink-driver.js';
import { createSubscriptionKeys, executionKey, selectsMemberScopedField, visibilityScope } from './subscription-key.js';

export interface SharedSubscriptionOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Recent results each group keeps for its slower members. @default 256 */
  readonly cacheSize?: number;
  /** Characters of JSON those results may hold, per group. @default 1048576 (1 MiB of ASCII) */
  readonly cacheChars?: number;
}

interface Group {
  readonly args: ExecutionArgs;
  /** What one event costs each member (operation-cost.ts), charged as it is delivered. */
  readonly cost: number;
  readonly context: Context;
  readonly results: ResultCache;
  /**
   * The visibility scope whose turn context (loaders) the group's shared executions use, or
   * undefined when its document selects member-scoped fields: then its own context's.
   */
  readonly loaderScope: string | undefined;
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
const costOf = (args: ExecutionArgs) =>
  operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);

export function useSharedSubscriptions(options: SharedSubscriptionOptions): Plugin<Context> {
  const { logger, metrics } = options;
  const cacheLimits = { maxEntries: options.cacheSize ?? 256, maxChars: options.cacheChars ?? 1_048_576 };
  const groups = new Map<string, Group>();
  const keyOf = createSubscriptionKeys();

  function join(key: string, args: ExecutionArgs, context: Context): Group {
    let group = groups.get(key);
    if (!group) {
      const loaderScope = selectsMemberScopedField(args.schema, args.document) ? undefined : visibilityScope(context.viewer);
      group = { args, cost: costOf(args), context, results: createResultCache(cacheLimits), loaderScope, members: 0 };
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
   *
   * Groups of one visibility scope whose documents select no member-scoped field share that
   * turn's context too (`scope`): their results are the same for every viewer of the scope
   * already, so their loaders' rows are as well, and twenty distinct documents over one event
   * load each row once, not twenty times.
   */
  const turnContexts = new Map<Context | string, Context>();
  function executionContext(base: Context, scope?: string): Context {
    const key = scope ?? base;
    let context = turnContexts.get(key);
    if (!context) {
      if (turnContexts.size === 0) process.nextTick(() => turnContexts.clear());
      context = createContext(base.services, base.viewer, base.requestId);
      turnContexts.set(key, context);
    }
    return context;
  }

  function leave(key: string, group: Group): void {
    if (--group.members === 0 && groups.get(key) === group) groups.delete(key);
  }

  function resultFor(group: Group, payload: unknown, subscriber: Context): Promise<ExecutionResult> {
    // Every member pays for every event it receives, shared or not; a spent allowance throws,
    // which ends this subscriber's stream with the reason (errorResult).
    subscriber.chargeEvent?.(group.cost);
    const execution = executionKey(payload, subscriber.viewer);
    const cached = execution && group.results.get(execution.key);
    if (cached) return cached;
    // A per-member execution runs as that member; a shared one as any member of the group.
    const shared = execution !== undefined && !execution.perMember;
    const context = shared ? group.context : subscriber;
    metrics.increment('cc_subscription_executions_total', 'Subscription events executed (once per group of identical subscribers)');
    // Each event gets the budget a query gets: one event cannot build an unbounded result.
    const budget = context.eventBudget ? createExecutionBudget(context.eventBudget) : undefined;
    const base = executionContext(context, shared ? group.loaderScope : undefined);
    const result = Promise.resolve(execute({
      ...group.args,
      rootValue: payload,
      contextValue: budget ? { ...base, budget } : base,
    })).then((done) => budget?.spent ? budgetSpentResult(budget) : masked(done, context));
    if (execution) group.results.set(execution.key, result);
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

  function errorResult(error: unknown, context: Context): ExecutionResult {
    if (error instanceof DomainError) {
      return { errors: [toGraphQLError(error)] };
    }
    logger.error('a subscription stream failed', { requestId: context.requestId, error });
    return { errors: [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
  }

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const context = args.contextValue as Context;
        // A replay (`after:`) reads the log only as far as the subscriber's allowance can pay
        // for at this document's cost per event (event-feed.ts): charged before the read,
        // not discovered spent after it.
        const { affordEvents } = context;
        const source = await createSourceEventStream(affordEvents ? {
          ...args,
          contextValue: { ...context, replayAllowance: () => affordEvents(costOf(args)) } satisfies Context,
        } : args);
        if (!(Symbol.asyncIterator in source)) return source;
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
        if (context.sink) {
          return driveIntoSink({
            source: iterator,
            sink: context.sink,
            resultOf: (payload) => resultFor(group, payload, context),
            failure: (error) => errorResult(error, context),
            onDelivered: () => metrics.increment('cc_subscription_deliveries_total', 'Subscription events delivered to subscribers'),
            finish,
          });
        }
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
