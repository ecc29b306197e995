import { sql, type RawBuilder } from 'kysely';
import type { Embedder } from './embeddings/embedder.js';
import type { SearchRequest } from './engine.js';
import type { QueryGroup } from './query-plan.js';
import type { VectorHit, VectorIndex } from './vector-index.js';

/**
 * The semantic half of the Postgres engine's hybrid search and how it is fused with the
 * lexical half: reciprocal rank fusion, each side weighted by the semantic ratio. Ranks,
 * not scores, are fused, so neither side's scale can swamp the other; semantic candidates
 * below a similarity floor are noise and take no part.
 */
export interface Semantic {
  readonly hits: readonly VectorHit[];
  /** 0: words only; 1: meaning only. */
  readonly ratio: number;
}

// Cosine similarity under which a document is not "about" the query at all (measured on
// the relevance bench: unrelated seed items score 0.2 to 0.35 against a query).
export const SEMANTIC_FLOOR = 0.35;
const CANDIDATES = 50;
// Averaged word vectors put most texts 0.4 to 0.55 from any query: only candidates near the
// best one are about the query rather than about "council services" in general.
export const SEMANTIC_MARGIN = 0.1;
// RRF's constant: larger flattens the difference between neighbouring positions.
const RRF_K = 20;

/** The query's text for embedding: words the model does not know give way to their corrections. */
export function semanticText(groups: readonly QueryGroup[], embedder: Embedder): string {
  return groups.map((g) => (g.text.split(' ').every((w) => embedder.knows(w)) || g.alternatives.length === 1
    ? g.text : g.alternatives.slice(1).join(' '))).join(' ');
}

export async function semanticCandidates(hybrid: { embedder: Embedder; vectors: VectorIndex }, text: string, request: SearchRequest, ratio: number): Promise<Semantic> {
  const vector = hybrid.embedder.embed(text);
  if (vector.every((x) => x === 0)) return { hits: [], ratio: Math.min(ratio, 0.999) };
  const hits = await hybrid.vectors.nearest(vector, { limit: CANDIDATES, floor: SEMANTIC_FLOOR, kinds: request.filter?.kinds });
  const best = hits[0]?.similarity ?? 1;
  return { hits: hits.filter((h) => h.similarity >= best - SEMANTIC_MARGIN), ratio };
}

export function fusedRank(semantic: Semantic, lexicalPosition: RawBuilder<unknown>, semanticPosition: RawBuilder<unknown>): RawBuilder<unknown> {
  const words = sql.lit(1 - semantic.ratio);
  const meaning = sql.lit(semantic.ratio);
  return sql`(${words} * coalesce(1.0 / (${sql.lit(RRF_K)} + ${lexicalPosition}), 0)
    + ${meaning} * coalesce(1.0 / (${sql.lit(RRF_K)} + ${semanticPosition}), 0))::float8`;
}

/**
 * What an item with every word of the query in its title gains over others with every word
 * (in a rank where meaning adds at most ratio / (RRF_K + 1)). "missed bins" put "Missed bin
 * reports reach crews a day late" fourth, behind items whose text said "bin" more often or
 * whose meaning was nearer: a title that says what was asked is what staff look for first,
 * as Meilisearch also ranks by attribute. The bonus is the words' share of the rank, so a
 * search asking mostly for meaning is still ordered by meaning.
 */
export function titleBonus(semantic: Semantic): RawBuilder<unknown> {
  return sql.lit((1 - semantic.ratio) / (RRF_K + 1) * 2);
}
