import type { Logger } from '../server/logger.js';

/**
 * The named points of a consumer's cycle where a crash is most telling: the effect is
 * durable but the cursor has not moved (`after-effect`); the cursor has moved but the next
 * batch is not read (`after-cursor`); part of a batch's effect is written (`mid-batch`).
 */
export const FAULT_POINTS = ['after-effect', 'after-cursor', 'mid-batch'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** Called at each fault point; resolves at once unless a test aimed a crash there. */
export type FaultHook = (consumer: string, point: FaultPoint) => Promise<void>;

export const noFaults: FaultHook = async () => {};

/**
 * Test only: `CC_TEST_FAULT=<consumer>:<point>` makes a worker process stop at that point of
 * its first batch — it logs `fault point reached` and never goes on — so a test can SIGKILL
 * it exactly there. It is read from the worker process's own environment, only when
 * NODE_ENV is `test` (vitest sets it), and nothing reaches it through the API.
 */
export function faultHookFromEnv(env: NodeJS.ProcessEnv, logger: Logger): FaultHook {
  const aim = env.CC_TEST_FAULT;
  if (!aim) return noFaults;
  if (env.NODE_ENV !== 'test') throw new Error('CC_TEST_FAULT is for tests only: it is refused unless NODE_ENV=test');
  const [consumer, point] = aim.split(':');
  if (!(FAULT_POINTS as readonly string[]).includes(point ?? '')) throw new Error(`CC_TEST_FAULT names no fault point: ${aim}`);
  return async (at, reached) => {
    if (at !== consumer || reached !== point) return;
    logger.warn('fault point reached', { consumer: at, point: reached });
    await new Promise<never>(() => {});
  };
}
