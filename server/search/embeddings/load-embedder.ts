import { SYNONYM_GROUPS } from '../synonyms.js';
import { normalizeWords } from '../query-plan.js';
import { createEmbedder, type Embedder } from './embedder.js';
import { loadWordVectors } from './word-vectors.js';

/** The hub's embedder: GloVe vectors (converted into `cacheDir` on first use) and its abbreviations. */
export async function loadEmbedder(cacheDir: string): Promise<Embedder> {
  return createEmbedder(await loadWordVectors(cacheDir), abbreviationExpansions());
}

/**
 * Each one-word term of a synonym group ("ehcp", "asc", "ctax") mapped to the group's
 * longest phrase: the model knows the words of "education health and care plan", rarely
 * the abbreviation, and sometimes something else by it ("asc" is a stock ticker).
 */
export function abbreviationExpansions(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of groups) {
    const phrases = group.map((p) => normalizeWords(p).join(' '));
    const longest = phrases.reduce((a, b) => (b.split(' ').length > a.split(' ').length ? b : a));
    if (longest.split(' ').length < 2) continue;
    for (const phrase of phrases) if (!phrase.includes(' ') && !map.has(phrase)) map.set(phrase, longest);
  }
  return map;
}
