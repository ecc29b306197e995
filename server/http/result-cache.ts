import type { ExecutionResult } from 'graphql';

export interface ResultCacheLimits {
  /** Results kept. @default 256 */
  readonly maxEntries: number;
  /** Characters of the kept results' JSON, together. @default 1048576 */
  readonly maxChars: number;
}

interface Entry {
  readonly result: Promise<ExecutionResult>;
  /** JSON length once the result is ready; 0 while it runs. */
  chars: number;
}

/**
 * The recent results of one group of subscribers (shared-subscriptions.ts), kept for its
 * members that are behind, oldest out first. Bounded by count and by the size of the
 * results' JSON: a few events with large selections cannot hold more memory than small
 * ones would. A result larger than the whole budget is handed to whoever asked but not kept.
 */
export function createResultCache(limits: ResultCacheLimits) {
  const entries = new Map<string, Entry>();
  let chars = 0;

  const evict = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    chars -= entry.chars;
  };
  const trim = (): void => {
    while (entries.size > limits.maxEntries || (chars > limits.maxChars && entries.size > 0)) evict(entries.keys().next().value!);
  };

  return {
    get: (key: string): Promise<ExecutionResult> | undefined => entries.get(key)?.result,

    set(key: string, result: Promise<ExecutionResult>): void {
      evict(key);
      const entry: Entry = { result, chars: 0 };
      entries.set(key, entry);
      trim();
      // Measured once, when ready, for the group rather than for each subscriber.
      result.then((done) => {
        if (entries.get(key) !== entry) return;
        entry.chars = JSON.stringify(done).length;
        chars += entry.chars;
        if (entry.chars > limits.maxChars) evict(key);
        trim();
      }, () => evict(key));
    },

    get size(): number {
      return entries.size;
    },
    /** Characters of JSON the ready results hold. */
    get chars(): number {
      return chars;
    },
  };
}

export type ResultCache = ReturnType<typeof createResultCache>;
