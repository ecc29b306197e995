import type { Plugin } from 'graphql-yoga';
import type { HardeningConfig } from '../../config-hardening.js';
import { usePersistedOperations, type PersistedOperations } from '../persisted-operations.js';
import { useRequestGuard } from './use-request-guard.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useNulGuard } from './use-nul-guard.js';
import { useOperationLimits } from './operation-limits.js';
import type { RateLimiter } from './rate-limiter.js';
import { useRateLimit } from './use-rate-limit.js';

/** The yoga plugins that protect the hub, in the order they act on a request. */
export function hardeningPlugins(config: HardeningConfig, limiter: RateLimiter, persisted?: PersistedOperations): Plugin<any, any>[] {
  return [
    ...(limiter.enabled ? [useRateLimit(limiter)] : []),
    ...(config.csrfPrevention === 'off' ? [] : [useCsrfPrevention(config.csrfPrevention)]),
    useRequestGuard(config.requestLimits),
    ...(persisted ? [usePersistedOperations(persisted)] : []),
    useOperationLimits({
      limits: config.operationLimits,
      ...(persisted ? { isTrusted: persisted.includes, trustedOnly: config.persistedOperationsOnly } : {}),
    }),
    useNulGuard(),
  ];
}
