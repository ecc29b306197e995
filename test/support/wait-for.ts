import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls a condition until it holds: tests wait for conditions, never for fixed times. It polls
 * on real time (performance.now and node:timers), so it still works while a test has frozen
 * Date and the global timers (frozen-time.ts).
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, { timeoutMs = 10_000, intervalMs = 10, what = 'condition' } = {}): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
