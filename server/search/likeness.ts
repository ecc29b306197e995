import type { SearchKind, SimilarHit } from './engine.js';
import { keyWords } from './query-plan.js';

/**
 * What the duplicate warning says about an item found near a draft. The engines only
 * rank by similarity; this decides what a similarity means, with a second signal where
 * similarity alone misleads: a council's own later phase of a piece of work reads just
 * like a duplicate of it, so an item from the same council, or already linked, is shown
 * as related work, never as a duplicate.
 */
export type Likeness = 'duplicate' | 'likely_about' | 'related';

/** The most shared words a verdict lists. */
export const MAX_SHARED_WORDS = 8;

export interface LikenessVerdict {
  readonly hit: SimilarHit;
  /** 0 to 1: meaning and shared words together, compared with the duplicate line. */
  readonly likenessScore: number;
  readonly likeness: Likeness;
  /** Why it was flagged, in words a reader can check. */
  readonly reasons: readonly string[];
  /** Words of the draft the item's title or summary shares. */
  readonly sharedWords: readonly string[];
}

export interface LikenessContext {
  readonly draftKind: SearchKind;
  readonly draftText: string;
  /** The drafting council: its own items are its earlier or parallel work. */
  readonly councilId?: string | undefined;
  /** Items the draft is already linked to. */
  readonly linkedIds?: ReadonlySet<string> | undefined;
  /** Likeness from which an item is the same thing. @default DUPLICATE_LINE */
  readonly threshold?: number;
  /** How far below the line an item is still shown, as related. @default RELATED_MARGIN */
  readonly relatedMargin?: number;
}

/**
 * Calibrated on the labelled pairs of `npm run bench:relevance`: meaning alone puts true
 * duplicates (cosine 0.60 to 0.90) and confusable items (0.43 to 0.73) in overlapping
 * bands, while the key words they share separate them (duplicates 0.13 to 0.44 Jaccard,
 * confusable 0 to 0.14). Half the cosine plus one and a half times the overlap splits them
 * at 0.5.
 */
export const DUPLICATE_LINE = 0.5;
export const RELATED_MARGIN = 0.12;

export function likenessScore(meaning: number, draftWords: ReadonlySet<string>, itemText: string): { score: number; shared: string[] } {
  const itemWords = new Set(keyWords(itemText, 60));
  const shared = [...itemWords].filter((w) => draftWords.has(w));
  const overlap = shared.length / Math.max(1, new Set([...draftWords, ...itemWords]).size);
  return { score: Math.min(1, 0.5 * Math.max(0, meaning) + 1.5 * overlap), shared };
}

export function judgeLikeness(hits: readonly SimilarHit[], context: LikenessContext): LikenessVerdict[] {
  const draftWords = new Set(keyWords(context.draftText, 60));
  const line = context.threshold ?? DUPLICATE_LINE;
  const margin = context.relatedMargin ?? RELATED_MARGIN;
  const verdicts: LikenessVerdict[] = [];
  for (const hit of hits) {
    const { score, shared } = likenessScore(hit.score, draftWords, `${hit.document.title} ${hit.document.summary}`);
    if (score < line - margin) continue;
    const sharedWords = shared.slice(0, MAX_SHARED_WORDS);
    const reasons = [`${Math.round(hit.score * 100)}% alike in meaning`];
    if (sharedWords.length > 0) reasons.push(`shares the words ${sharedWords.map((w) => `"${w}"`).join(', ')}`);
    const sameCouncil = context.councilId !== undefined && hit.document.councilId === context.councilId;
    const linked = context.linkedIds?.has(hit.document.id) ?? false;
    let likeness: Likeness;
    if (score < line) {
      likeness = 'related';
      reasons.push('close in topic, below the duplicate line');
    } else if (sameCouncil || linked) {
      likeness = 'related';
      if (sameCouncil) reasons.push('your own council\'s work: an earlier phase or the same work');
      if (linked) reasons.push('already linked to this draft');
    } else {
      likeness = hit.document.kind === context.draftKind ? 'duplicate' : 'likely_about';
      reasons.push(likeness === 'duplicate' ? `another council's ${hit.document.kind.replace('_', ' ')} on the same thing` : `what this ${context.draftKind.replace('_', ' ')} is likely about`);
    }
    verdicts.push({ hit, likenessScore: Math.round(score * 1000) / 1000, likeness, reasons, sharedWords });
  }
  return verdicts.sort((a, b) => b.likenessScore - a.likenessScore);
}

/** Which kinds of item a draft of each kind is compared with. */
export const COMPARED_KINDS: Record<SearchKind, readonly SearchKind[]> = {
  problem: ['problem'],
  solution: ['solution'],
  case_study: ['problem', 'solution'],
};
