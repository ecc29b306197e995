/**
 * What the Postgres engine learns about a query's words from the index, kept per process:
 * their spelling corrections and their weights. Each costs a statement (a trigram search of
 * the index's words; a count over a sample of the documents) that gives the same answer
 * until the index changes, so an answer is kept while the index is unchanged: a correction
 * until any document is indexed (it may bring the word itself), a weight until the index
 * has changed by more than a hundredth of its size (a weight is the logarithm of a sampled
 * share, which a few documents do not move).
 */
export interface WordCache {
  /** The corrections of each word, computing only the ones not known at this version of the index. */
  corrections(words: readonly string[], compute: (words: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>): Promise<Map<string, readonly string[]>>;
  /** The weights of a query's groups (`key` names the groups), computed once per state of the index. */
  weights(key: string, compute: () => Promise<number[]>): Promise<number[]>;
}

export interface IndexChanges {
  /** Documents indexed so far, as seen by this process; grows with every change. */
  readonly changes: number;
  /** Documents in the index. */
  readonly size: number;
}

/** Entries kept before the oldest half is dropped. @default 10000 */
const MAX_ENTRIES = 10_000;

export function createWordCache(index: () => IndexChanges, maxEntries = MAX_ENTRIES): WordCache {
  const corrections = new Map<string, { at: number; fixes: readonly string[] }>();
  const weights = new Map<string, { at: number; weights: number[] }>();
  function remember<V>(map: Map<string, V>, key: string, value: V) {
    if (map.size >= maxEntries) [...map.keys()].slice(0, maxEntries / 2).forEach((k) => map.delete(k));
    map.set(key, value);
  }
  return {
    async corrections(words, compute) {
      const at = index().changes;
      const known = new Map<string, readonly string[]>();
      const missing: string[] = [];
      for (const word of words) {
        const entry = corrections.get(word);
        if (entry?.at === at) known.set(word, entry.fixes);
        else missing.push(word);
      }
      if (missing.length > 0) {
        const found = await compute(missing);
        for (const word of missing) {
          const fixes = found.get(word) ?? [];
          known.set(word, fixes);
          remember(corrections, word, { at, fixes });
        }
      }
      return known;
    },
    async weights(key, compute) {
      const { changes, size } = index();
      const entry = weights.get(key);
      if (entry && changes - entry.at <= size / 100) return entry.weights;
      const computed = await compute();
      remember(weights, key, { at: changes, weights: computed });
      return computed;
    },
  };
}
