/**
 * What the Postgres engine learns about a query from the index, kept per process: its
 * words' spelling corrections and weights, and the block sample of its matches. Each costs
 * a statement (a trigram search of the index's words; a pass over a sample of the
 * documents) that gives the same answer until the index changes, so an answer is kept while
 * the index is unchanged: a correction until any document is indexed (it may bring the word
 * itself), a weight or a sample until the index has changed by more than a hundredth of its
 * size (both are estimates from a few per cent of the documents, which a few documents do
 * not move). Paging through a search, or searching again, then skips the sample.
 */
export interface WordCache {
  /** The corrections of each word, computing only the ones not known at this version of the index. */
  corrections(words: readonly string[], compute: (words: readonly string[]) => Promise<ReadonlyMap<string, readonly string[]>>): Promise<Map<string, readonly string[]>>;
  /** The weights of a query's groups (`key` names the groups), computed once per state of the index. */
  weights(key: string, compute: () => Promise<number[]>): Promise<number[]>;
  /** A sample of a query's matches (`key` names the statement), likewise. */
  sample<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface IndexChanges {
  /** Documents indexed so far, as seen by this process; grows with every change. */
  readonly changes: number;
  /** Documents in the index. */
  readonly size: number;
}

/** Entries kept before the oldest half is dropped. @default 10000 */
const MAX_ENTRIES = 10_000;
// A sample carries its facet counts (up to a few hundred values): far fewer are kept.
const SAMPLES_PER_ENTRY = 20;

export function createWordCache(index: () => IndexChanges, maxEntries = MAX_ENTRIES): WordCache {
  const corrections = new Map<string, { at: number; fixes: readonly string[] }>();
  const weights = new Map<string, { at: number; value: number[] }>();
  const samples = new Map<string, { at: number; value: unknown }>();
  function remember<V>(map: Map<string, V>, key: string, value: V, max = maxEntries) {
    if (map.size >= max) [...map.keys()].slice(0, Math.ceil(max / 2)).forEach((k) => map.delete(k));
    map.set(key, value);
  }
  // Kept until the index has changed by more than a hundredth of its size.
  async function nearlyCurrent<T>(map: Map<string, { at: number; value: unknown }>, key: string, compute: () => Promise<T>, max: number): Promise<T> {
    const { changes, size } = index();
    const entry = map.get(key);
    if (entry && changes - entry.at <= size / 100) return entry.value as T;
    const value = await compute();
    remember(map, key, { at: changes, value }, max);
    return value;
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
    weights: (key, compute) => nearlyCurrent(weights, key, compute, maxEntries),
    sample: (key, compute) => nearlyCurrent(samples, key, compute, Math.max(1, maxEntries / SAMPLES_PER_ENTRY)),
  };
}
