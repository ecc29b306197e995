import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_CONFIG } from '../../server/webhooks/config.js';
import { retryDelayMs, retryWindowMs } from '../../server/webhooks/retry-schedule.js';

describe('the webhook retry schedule', () => {
  it('backs off exponentially to the cap and gives up about a day after the first failure', () => {
    const middle = () => 0.5;
    const delays = Array.from({ length: DEFAULT_WEBHOOK_CONFIG.maxAttempts - 1 }, (_, i) => retryDelayMs(i + 1, DEFAULT_WEBHOOK_CONFIG, middle));
    expect(delays).toEqual([10_000, 40_000, 160_000, 640_000, 2_560_000, 10_240_000, 36_000_000, 36_000_000]);
    const hours = retryWindowMs(DEFAULT_WEBHOOK_CONFIG) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(30);
  });

  it('jitters each delay by at most a fifth either way', () => {
    const config = { retryInitialMs: 1_000, retryMaxMs: 1_000_000 };
    expect(retryDelayMs(3, config, () => 0)).toBe(12_800);
    expect(retryDelayMs(3, config, () => 0.999_999)).toBe(19_200);
  });
});
