import type { WebhookConfig } from './config.js';

/**
 * How long to wait after the `attempts`-th failed attempt: the first retry after
 * `retryInitialMs`, each later one 4 times longer, capped at `retryMaxMs`, with ±20% jitter
 * so endpoints that failed together do not retry together. With the defaults (10 s, 10 h,
 * 9 attempts) the waits are about 10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 10 h and 10 h:
 * a delivery is given up about a day after it first failed.
 */
export function retryDelayMs(attempts: number, config: Pick<WebhookConfig, 'retryInitialMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const base = Math.min(config.retryMaxMs, config.retryInitialMs * 4 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The whole schedule without jitter: what the README and the disable reason quote. */
export function retryWindowMs(config: Pick<WebhookConfig, 'retryInitialMs' | 'retryMaxMs' | 'maxAttempts'>): number {
  let total = 0;
  for (let attempts = 1; attempts < config.maxAttempts; attempts++) total += retryDelayMs(attempts, config, () => 0.5);
  return total;
}
