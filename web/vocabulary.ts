import { tag, type TagColour } from './components.js';
import type { SafeHtml } from './html.js';

export type Kind = 'PROBLEM' | 'SOLUTION' | 'CASE_STUDY';
export const KINDS: readonly Kind[] = ['PROBLEM', 'SOLUTION', 'CASE_STUDY'];

export const KIND_LABELS: Record<Kind, string> = { PROBLEM: 'Problem', SOLUTION: 'Solution', CASE_STUDY: 'Case study' };
export const KIND_PLURALS: Record<Kind, string> = { PROBLEM: 'Problems', SOLUTION: 'Solutions', CASE_STUDY: 'Case studies' };
export const KIND_SECTIONS = { PROBLEM: 'problem', SOLUTION: 'solution', CASE_STUDY: 'case_study' } as const;
export const KIND_COLOURS: Record<Kind, TagColour> = { PROBLEM: 'orange', SOLUTION: 'green', CASE_STUDY: 'purple' };
const KIND_PATHS: Record<Kind, string> = { PROBLEM: 'problems', SOLUTION: 'solutions', CASE_STUDY: 'case-studies' };
const TYPENAME_KINDS: Record<string, Kind> = { Problem: 'PROBLEM', Solution: 'SOLUTION', CaseStudy: 'CASE_STUDY' };

export function kindOfPath(segment: string): Kind | undefined {
  return KINDS.find((kind) => KIND_PATHS[kind] === segment);
}

export function kindOfTypename(typename: string): Kind | undefined {
  return TYPENAME_KINDS[typename];
}

/** The page of a problem, solution or case study, by its GraphQL global ID. */
export function itemPath(kind: Kind, id: string): string {
  return `/${KIND_PATHS[kind]}/${encodeURIComponent(id)}`;
}

export function councilPath(slug: string): string {
  return `/councils/${encodeURIComponent(slug)}`;
}

/** TOO_EARLY_TO_TELL or "too early to tell" → "Too early to tell". */
export function humanise(value: string): string {
  const words = value.replaceAll('_', ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export function formatDate(iso: string | null | undefined): string {
  return iso ? DATE.format(new Date(iso)) : 'Not published';
}

export function formatPounds(pounds: number | null | undefined): string | undefined {
  return pounds === null || pounds === undefined ? undefined : `£${pounds.toLocaleString('en-GB')}`;
}

export const COST_BANDS: Record<string, string> = {
  FREE: 'Free', UNDER_10K: 'Under £10,000', FROM_10K_TO_50K: '£10,000 to £50,000',
  FROM_50K_TO_250K: '£50,000 to £250,000', OVER_250K: 'Over £250,000',
};

export function adoptionStageTag(stage: string): SafeHtml {
  return tag(humanise(stage), stage === 'ADOPTED' ? 'green' : stage === 'REJECTED' ? 'red' : 'blue');
}
