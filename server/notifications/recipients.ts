import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { FollowKind } from '../db/notification-tables.js';
import type { MemberViewer, Role } from '../auth/viewer.js';
import type { EventType, StoredEvent } from '../events/catalogue.js';
import { canSeeEvent } from '../events/filter.js';
import type { SearchEngine } from '../search/engine.js';
import { followedTargets, notable, type FollowedTargets } from './event-targets.js';

/** One inbox row to write: this member hears of this event because of this follow. */
export interface Recipient {
  readonly memberId: string;
  readonly position: number;
  readonly followId: string;
}

interface FollowRow {
  id: string;
  member_id: string;
  kind: FollowKind;
  service_area: string | null;
  council_id: string | null;
  subject_id: string | null;
  query: string | null;
  filter: Record<string, unknown> | null;
  from_position: number;
  member_council_id: string;
  role: Role;
  is_platform_admin: boolean;
}

/** When one event matches several of a member's follows, the inbox names the most specific. */
const PRIORITY: Record<FollowKind, number> = { item: 0, problem_outcomes: 1, saved_search: 2, council: 3, service_area: 4 };

/**
 * Who hears of each event in a batch, with the rules subscriptions follow (filter.ts): a
 * draft's events reach only members of its council, and nobody hears of their own action.
 * Saved searches ask the search engine itself, once per distinct search and batch, whether
 * the batch's new items match, so synonyms and typo tolerance apply as they do in search.
 */
export function createRecipientFinder({ db, engine }: { db: Kysely<Database>; engine: SearchEngine }) {
  async function loadFollows(targets: FollowedTargets): Promise<FollowRow[]> {
    const { serviceAreas, councilIds, itemIds, outcomeProblemIds, searchItemIds } = targets;
    if (!serviceAreas.length && !councilIds.length && !itemIds.length && !outcomeProblemIds.length && !searchItemIds.length) return [];
    return db.selectFrom('follows as f').innerJoin('members as m', 'm.id', 'f.member_id')
      .select(['f.id', 'f.member_id', 'f.kind', 'f.service_area', 'f.council_id', 'f.subject_id', 'f.query', 'f.filter', 'f.from_position',
        'm.council_id as member_council_id', 'm.role', 'm.is_platform_admin'])
      .where('m.removed_at', 'is', null)
      .where((eb) => eb.or([
        ...(serviceAreas.length ? [eb.and([eb('f.kind', '=', 'service_area'), eb('f.service_area', 'in', serviceAreas)])] : []),
        ...(councilIds.length ? [eb.and([eb('f.kind', '=', 'council'), eb('f.council_id', 'in', councilIds)])] : []),
        ...(itemIds.length ? [eb.and([eb('f.kind', '=', 'item'), eb('f.subject_id', 'in', itemIds)])] : []),
        ...(outcomeProblemIds.length ? [eb.and([eb('f.kind', '=', 'problem_outcomes'), eb('f.subject_id', 'in', outcomeProblemIds)])] : []),
        ...(searchItemIds.length ? [eb('f.kind', '=', 'saved_search')] : []),
      ]))
      .execute() as Promise<FollowRow[]>;
  }

  /** Item ids each saved search matches among `ids`: one engine query per distinct search. */
  async function matchSearches(follows: readonly FollowRow[], ids: readonly string[]): Promise<Map<string, Set<string>>> {
    const bySearch = new Map<string, FollowRow[]>();
    for (const f of follows) {
      if (f.kind !== 'saved_search') continue;
      const key = `${f.query ?? ''}\n${JSON.stringify(f.filter ?? {})}`;
      bySearch.set(key, [...(bySearch.get(key) ?? []), f]);
    }
    const matches = new Map<string, Set<string>>();
    for (const group of bySearch.values()) {
      const { query, filter } = group[0]!;
      const result = await engine.search({
        query: query ?? '', filter: { ...(filter ?? {}), ids }, offset: 0, limit: ids.length, facets: false,
      });
      const hits = new Set(result.hits.map((hit) => hit.document.id));
      for (const f of group) matches.set(f.id, hits);
    }
    return matches;
  }

  return async function findRecipients(events: readonly StoredEvent[]): Promise<Recipient[]> {
    const candidates = events.filter((event) => notable(event.type as EventType));
    if (candidates.length === 0) return [];
    const targets = await followedTargets(db, candidates);
    const follows = await loadFollows(targets);
    if (follows.length === 0) return [];
    const searchHits = targets.searchItemIds.length ? await matchSearches(follows, targets.searchItemIds) : new Map<string, Set<string>>();
    const index = indexFollows(follows, searchHits);
    const chosen = new Map<string, Recipient & { priority: number }>();
    for (const event of candidates) {
      const about = targets.byEvent.get(event.position)!;
      const matching = [
        ...(about.publishedInArea ? index.byArea.get(about.publishedInArea) ?? [] : []),
        ...(about.publishedByCouncil ? index.byCouncil.get(about.publishedByCouncil) ?? [] : []),
        ...about.items.flatMap((id) => index.byItem.get(id) ?? []),
        ...about.outcomeFor.flatMap((id) => index.byOutcome.get(id) ?? []),
        ...(about.searchItem ? index.bySearchHit.get(about.searchItem) ?? [] : []),
      ];
      for (const f of matching) {
        if (event.position <= Number(f.from_position) || event.payload.actorMemberId === f.member_id || !canSeeEvent(viewerOf(f), event)) continue;
        const key = `${f.member_id}:${event.position}`;
        const priority = PRIORITY[f.kind];
        const current = chosen.get(key);
        if (!current || priority < current.priority) chosen.set(key, { memberId: f.member_id, position: event.position, followId: f.id, priority });
      }
    }
    return [...chosen.values()].map(({ memberId, position, followId }) => ({ memberId, position, followId }));
  };
}

/** Follows by what they follow, so each event looks up its followers rather than scanning them all. */
function indexFollows(follows: readonly FollowRow[], searchHits: ReadonlyMap<string, ReadonlySet<string>>) {
  const index = {
    byArea: new Map<string, FollowRow[]>(), byCouncil: new Map<string, FollowRow[]>(), byItem: new Map<string, FollowRow[]>(),
    byOutcome: new Map<string, FollowRow[]>(), bySearchHit: new Map<string, FollowRow[]>(),
  };
  const add = (map: Map<string, FollowRow[]>, key: string | null, f: FollowRow) => {
    if (key === null) return;
    const list = map.get(key);
    if (list) list.push(f);
    else map.set(key, [f]);
  };
  for (const f of follows) {
    if (f.kind === 'service_area') add(index.byArea, f.service_area, f);
    else if (f.kind === 'council') add(index.byCouncil, f.council_id, f);
    else if (f.kind === 'item') add(index.byItem, f.subject_id, f);
    else if (f.kind === 'problem_outcomes') add(index.byOutcome, f.subject_id, f);
    else for (const id of searchHits.get(f.id) ?? []) add(index.bySearchHit, id, f);
  }
  return index;
}

function viewerOf(f: FollowRow): MemberViewer {
  return { kind: 'member', memberId: f.member_id, councilId: f.member_council_id, role: f.role, isPlatformAdmin: f.is_platform_admin, tokenId: '' };
}
