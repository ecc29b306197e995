import type { Kind } from '../vocabulary.js';

const MAX_WORDS = 6;

export interface Suggestions {
  /** Shorter searches that do find something, best first. */
  readonly shorter: { q: string; count: number }[];
  /** Items worded like the search, for a query none of whose words matched together. */
  readonly related: { id: string; kind: Kind; title: string; council: { name: string } }[];
}

/**
 * For a search that found nothing: the same search with each word left out in turn (one
 * request, one aliased search per word), and the items most like the words typed.
 */
export function suggestionsRequest(q: string, filter: unknown): { document: string; variables: Record<string, unknown> } | null {
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const shorter = words.length > 1 ? words.slice(0, MAX_WORDS).map((_, i) => words.filter((__, j) => j !== i).join(' ')) : [];
  // GraphQL refuses a declared variable that goes unused: $filter only with shorter searches.
  const variables: Record<string, unknown> = shorter.length ? { q, filter } : { q };
  shorter.forEach((text, i) => { variables[`q${i}`] = text; });
  const document = `query Suggestions($q: String!${shorter.length ? ', $filter: SearchFilterInput' : ''}${shorter.map((_, i) => `, $q${i}: String!`).join('')}) {
    ${shorter.map((_, i) => `s${i}: search(query: $q${i}, filter: $filter, first: 1) { totalCount }`).join('\n    ')}
    similar(text: $q, first: 3) { item { id: contentId kind title council { name } } }
  }`;
  return { document, variables };
}

/** The answer to suggestionsRequest's document: a count per shorter search `s<i>`, and `similar`. */
export type SuggestionsData = { similar: { item: Suggestions['related'][number] }[] } & { [alias: `s${number}`]: { totalCount: number } | undefined };

export function readSuggestions(request: { variables: Record<string, unknown> }, data: SuggestionsData): Suggestions {
  const shorter = Object.entries(request.variables).filter(([k]) => /^q\d+$/.test(k))
    .map(([k, q]) => ({ q: String(q), count: data[`s${Number(k.slice(1))}`]?.totalCount ?? 0 }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 3);
  return { shorter, related: data.similar.map((s) => s.item) };
}
