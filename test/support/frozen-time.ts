import { vi } from 'vitest';

/**
 * Stops the clock for rate-limiter-flexible, which reads `Date.now` and forgets a window's
 * counter with a `setTimeout` at its end: with both faked, a window ends only when the test
 * calls `advance`, however slowly a loaded machine runs the test. Other timers of a hub in
 * this process stand still too (nothing the tests here wait on). Undo with `vi.useRealTimers()`.
 */
export function freezeTime(): { advance(ms: number): void } {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  return { advance: (ms) => { vi.advanceTimersByTime(ms); } };
}
