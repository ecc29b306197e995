import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { EventType, StoredEvent } from '../events/catalogue.js';

const PUBLISHED: ReadonlySet<EventType> = new Set(['problem.published', 'solution.published', 'case_study.published']);

/**
 * Events a follower may want to hear of: what happens to published content and its
 * comments. Creating a draft is nobody's news, and councils, members, tokens and webhook
 * endpoints are administration, not content.
 */
export function notable(type: EventType): boolean {
  // A nudge goes to its council's admins (server/freshness), not to followers.
  if (type.endsWith('.created') || type.endsWith('.nudged') || type.endsWith('.marked_out_of_date')) return false;
  // Moderation is not news: followers of a hidden item simply stop hearing of it.
  if (type.endsWith('.hidden') || type.endsWith('.restored')) return false;
  return type.startsWith('problem.') || type.startsWith('solution.') || type.startsWith('case_study.') || type === 'comment.added';
}

/** What one event is about, in the terms each kind of follow asks. */
export interface EventAbout {
  /** Service area of a newly published item. */
  readonly publishedInArea: string | null;
  readonly publishedByCouncil: string | null;
  /** Items whose followers hear of this event: its subject and its target (a comment's item). */
  readonly items: readonly string[];
  /** Problems for which this event is a solution or case study appearing. */
  readonly outcomeFor: readonly string[];
  /** A newly published item that saved searches are asked about. */
  readonly searchItem: string | null;
}

export interface FollowedTargets {
  readonly byEvent: ReadonlyMap<number, EventAbout>;
  readonly serviceAreas: string[];
  readonly councilIds: string[];
  readonly itemIds: string[];
  readonly outcomeProblemIds: string[];
  readonly searchItemIds: string[];
}

/**
 * Works out what a batch is about. A solution or case study published after it was linked
 * to a problem carries no problem in its event (the link happened while it was a draft), so
 * its links are read from the tables as they are now.
 */
export async function followedTargets(db: Kysely<Database>, events: readonly StoredEvent[]): Promise<FollowedTargets> {
  const published = (type: string) => events.filter((e) => e.type === type).map((e) => e.subjectId);
  const publishedAt = new Map(events.filter((e) => PUBLISHED.has(e.type)).map((e) => [e.subjectId, e.createdAt]));
  const [solutionLinks, caseStudyLinks] = await Promise.all([
    published('solution.published').length
      ? db.selectFrom('solution_problems').select(['solution_id as id', 'problem_id', 'created_at']).where('solution_id', 'in', published('solution.published')).execute()
      : [],
    published('case_study.published').length
      ? db.selectFrom('case_study_problems').select(['case_study_id as id', 'problem_id']).where('case_study_id', 'in', published('case_study.published')).execute()
      : [],
  ]);
  const linked = new Map<string, string[]>();
  for (const row of [...solutionLinks, ...caseStudyLinks]) {
    // A link made after the publish has its own event (solution.linked): one notification, not two.
    if ('created_at' in row && (row.created_at as Date) > publishedAt.get(row.id)!) continue;
    linked.set(row.id, [...(linked.get(row.id) ?? []), row.problem_id]);
  }
  const byEvent = new Map<number, EventAbout>();
  for (const event of events) {
    const isPublished = PUBLISHED.has(event.type);
    const outcomeFor = event.type === 'solution.linked' && typeof event.payload.problemId === 'string'
      ? [event.payload.problemId]
      : isPublished && event.subjectType !== 'problem' ? (linked.get(event.subjectId) ?? []) : [];
    byEvent.set(event.position, {
      publishedInArea: isPublished && typeof event.payload.serviceArea === 'string' ? event.payload.serviceArea : null,
      publishedByCouncil: isPublished ? event.councilId : null,
      items: event.target ? [event.subjectId, event.target.id] : [event.subjectId],
      outcomeFor,
      searchItem: isPublished ? event.subjectId : null,
    });
  }
  const all = [...byEvent.values()];
  const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  return {
    byEvent,
    serviceAreas: unique(all.map((a) => a.publishedInArea)),
    councilIds: unique(all.map((a) => a.publishedByCouncil)),
    itemIds: unique(all.flatMap((a) => a.items)),
    outcomeProblemIds: unique(all.flatMap((a) => a.outcomeFor)),
    searchItemIds: unique(all.map((a) => a.searchItem)),
  };
}
