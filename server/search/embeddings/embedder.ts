import type { SearchDocument } from '../engine.js';
import { normalizeWords } from '../query-plan.js';
import type { WordVectors } from './word-vectors.js';

/**
 * Sentence vectors from word vectors: the smooth-inverse-frequency average (Arora et al.,
 * 2017) with the common component removed, normalised to length 1 so a dot product is
 * the cosine. Rare words weigh most; "the", "council" and "service" say little.
 */
export interface Embedder {
  readonly dimensions: number;
  /** The vector of a text; all zeros when no word of it is known. */
  embed(text: string): Float32Array;
  /** Whether a word (lower case) is an English word the model knows. */
  knows(word: string): boolean;
  /** A known word's frequency rank, 0 being the commonest. */
  rank(word: string): number | undefined;
}

// SIF's smoothing constant: words with a probability well above it count for little.
const SIF_A = 1e-3;
// Words ranked in the vocabulary's first few dozen are function words whatever SIF says.
const IGNORED_RANKS = 40;
// Vocabulary size GloVe was trained on, for a Zipf estimate of each word's probability.
const TRAINED_VOCABULARY = 400_000;

export function createEmbedder(vectors: WordVectors, expansions: ReadonlyMap<string, string> = new Map()): Embedder {
  const { dimensions } = vectors;
  const harmonic = Math.log(TRAINED_VOCABULARY) + 0.5772;
  const weight = (rank: number) => (rank < IGNORED_RANKS ? 0 : SIF_A / (SIF_A + 1 / ((rank + 1) * harmonic)));
  const common = commonComponent(vectors, weight);

  function embed(text: string): Float32Array {
    const out = new Float32Array(dimensions);
    for (const word of expand(normalizeWords(text), expansions)) {
      const row = vectors.rows.get(word);
      if (row !== undefined) vectors.addTo(out, row, weight(row));
    }
    // Removing the common component is what makes averages of unrelated texts differ.
    let along = 0;
    for (let d = 0; d < dimensions; d++) along += out[d]! * common[d]!;
    for (let d = 0; d < dimensions; d++) out[d]! -= along * common[d]!;
    return normalise(out);
  }

  return { dimensions, embed, knows: (word) => vectors.rows.has(word), rank: (word) => vectors.rows.get(word) };
}

/** Abbreviations are spelled out (kept too) so that "EHCP" means its words. */
function expand(words: string[], expansions: ReadonlyMap<string, string>): string[] {
  if (expansions.size === 0) return words;
  const out: string[] = [];
  for (const word of words) {
    out.push(word);
    const spelled = expansions.get(word);
    if (spelled) out.push(...spelled.split(' '));
  }
  return out;
}

export function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) return v;
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < v.length; d++) v[d]! *= inv;
  return v;
}

export function dot(a: Float32Array, b: Float32Array, bOffset = 0): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[bOffset + d]!;
  return sum;
}

/**
 * The first principal direction of the vocabulary's weighted word vectors: the direction
 * every average leans towards. SIF takes it from the corpus; taken from the vocabulary it
 * is fixed, so a document's vector never changes when other documents do.
 */
function commonComponent(vectors: WordVectors, weight: (rank: number) => number): Float32Array {
  const { dimensions } = vectors;
  const sample = Math.min(vectors.rows.size, 30_000);
  const matrix = new Float32Array(sample * dimensions);
  for (let row = 0; row < sample; row++) {
    const v = new Float32Array(dimensions);
    vectors.addTo(v, row, weight(row) === 0 ? 0 : 1);
    matrix.set(normalise(v), row * dimensions);
  }
  let direction = normalise(new Float32Array(dimensions).fill(1));
  for (let iteration = 0; iteration < 20; iteration++) {
    const next = new Float32Array(dimensions);
    for (let row = 0; row < sample; row++) {
      const along = dot(direction, matrix, row * dimensions);
      for (let d = 0; d < dimensions; d++) next[d]! += along * matrix[row * dimensions + d]!;
    }
    direction = normalise(next);
  }
  return direction;
}

/** What a document's vector is made of: the title twice (it says most), then the rest. */
export function documentText(doc: Pick<SearchDocument, 'title' | 'summary' | 'tags' | 'body'>): string {
  return `${doc.title}\n${doc.title}\n${doc.summary}\n${doc.tags.join(', ')}\n${doc.body}`;
}
