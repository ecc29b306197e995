import { SYNONYM_GROUPS, synonymMap } from './synonyms.js';

/**
 * A query as the Postgres engine runs it: every group must match (AND), and a group
 * matches when any of its alternatives does (OR). Synonyms are expanded here, once, from
 * the shared list; misspellings are corrected later against the index's own words.
 */
export interface QueryGroup {
  /** The words the user typed for this group, normalised. */
  readonly text: string;
  /** Phrases any of which satisfies the group; the first is `text`. */
  readonly alternatives: readonly string[];
  /** Single words that matched no synonym may be misspellings worth correcting. */
  readonly correctable: boolean;
}

/** Meilisearch reads at most ten query words; the Postgres engine keeps the same bound. */
export const MAX_QUERY_WORDS = 10;

/** Lower case, accents removed, punctuation turned into spaces. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

export interface SynonymIndex {
  readonly byPhrase: ReadonlyMap<string, readonly string[]>;
  readonly longest: number;
}

export function buildSynonymIndex(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): SynonymIndex {
  const normalizedGroups = groups.map((g) => [...new Set(g.map((p) => normalizeWords(p).join(' ')))]);
  const map = synonymMap(normalizedGroups);
  const byPhrase = new Map(Object.entries(map));
  const longest = Math.max(1, ...[...byPhrase.keys()].map((p) => p.split(' ').length));
  return { byPhrase, longest };
}

/** What the language model knows of a word: whether it is English, and how common. */
export interface Vocabulary {
  /** Frequency rank (0 is the commonest word), or undefined for a word it does not know. */
  rank(word: string): number | undefined;
}

/**
 * Synonyms first, so "lac" is "looked after children" and never "lack"; stop words go;
 * English words are never marked correctable. A query of more than MAX_QUERY_WORDS groups
 * keeps its rarest ones, which say the most.
 */
export function planQuery(query: string, synonyms: SynonymIndex, vocabulary?: Vocabulary): QueryGroup[] {
  const groups: QueryGroup[] = [];
  // A quoted phrase is taken literally: no synonyms, no corrections.
  const unquoted = query.replace(/"([^"]*)"/g, (_, phrase: string) => {
    const words = normalizeWords(phrase);
    if (words.length > 0) groups.push({ text: words.join(' '), alternatives: [words.join(' ')], correctable: false });
    return ' ';
  });
  const words = normalizeWords(unquoted);
  for (let i = 0; i < words.length;) {
    let matched = false;
    for (let length = Math.min(synonyms.longest, words.length - i); length >= 1 && !matched; length--) {
      const phrase = words.slice(i, i + length).join(' ');
      const others = synonyms.byPhrase.get(phrase);
      if (others) {
        groups.push({ text: phrase, alternatives: [phrase, ...others], correctable: false });
        i += length;
        matched = true;
      }
    }
    if (!matched) {
      const word = words[i]!;
      const english = vocabulary?.rank(word) !== undefined;
      if (!STOP_WORDS.has(word)) groups.push({ text: word, alternatives: [word], correctable: !english && word.length >= 4 && /\p{L}/u.test(word) });
      i += 1;
    }
  }
  if (groups.length <= MAX_QUERY_WORDS) return groups;
  const rarity = (g: QueryGroup) => (g.alternatives.length > 1 || !vocabulary ? Infinity : vocabulary.rank(g.text) ?? Infinity);
  const kept = new Set([...groups].sort((a, b) => rarity(b) - rarity(a)).slice(0, MAX_QUERY_WORDS));
  return groups.filter((g) => kept.has(g));
}

/** Adds corrections (and their synonyms) as further alternatives of the groups they fix. */
export function withCorrections(groups: readonly QueryGroup[], corrections: ReadonlyMap<string, readonly string[]>, synonyms: SynonymIndex): QueryGroup[] {
  return groups.map((group) => {
    const fixes = group.correctable ? corrections.get(group.text) ?? [] : [];
    if (fixes.length === 0) return group;
    const expanded = fixes.flatMap((fix) => [fix, ...(synonyms.byPhrase.get(fix) ?? [])]);
    return { ...group, alternatives: [...new Set([...group.alternatives, ...expanded])] };
  });
}

const STOP_WORDS = new Set([
  'a', 'about', 'after', 'all', 'also', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can',
  'could', 'do', 'does', 'each', 'for', 'from', 'get', 'had', 'has', 'have', 'how', 'in', 'into', 'is', 'it', 'its',
  'more', 'most', 'no', 'not', 'of', 'on', 'one', 'or', 'other', 'our', 'out', 'over', 'so', 'some', 'such', 'than',
  'that', 'the', 'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'too', 'up', 'us', 'very',
  'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who', 'will', 'with', 'would', 'you', 'your',
]);

/** A small English stop-word list; Meilisearch gets it as its `stopWords` setting. */
export const ENGLISH_STOP_WORDS: readonly string[] = [...STOP_WORDS];

/** The distinctive words of a text, in order of first appearance, for "more like this". */
export function keyWords(text: string, max: number): string[] {
  const seen = new Set<string>();
  for (const word of normalizeWords(text)) {
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    seen.add(word);
    if (seen.size >= max) break;
  }
  return [...seen];
}
