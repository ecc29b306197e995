import type { Selectable } from 'kysely';
import type { EmailMode, FollowEmail, FollowKind, FollowsTable } from '../db/notification-tables.js';
import type { SearchFilter, SearchKind } from '../search/engine.js';

/** What a saved search keeps: the search's own query and filters, run again for each new item. */
export interface SavedSearch {
  readonly query: string;
  readonly filter: Pick<SearchFilter, 'kinds' | 'serviceAreas' | 'councilIds' | 'tags' | 'regions' | 'councilKinds' | 'phases' | 'outcomes'>;
}

export interface Follow {
  readonly id: string;
  readonly memberId: string;
  readonly kind: FollowKind;
  readonly serviceArea: string | null;
  readonly councilId: string | null;
  /** For `item` and `problem_outcomes` (always a problem) follows. */
  readonly subject: { readonly type: SearchKind; readonly id: string } | null;
  readonly search: SavedSearch | null;
  /** `default` follows the member's own email setting. */
  readonly email: FollowEmail;
  readonly createdAt: Date;
}

/** A member's email setting before they choose one. */
export const DEFAULT_EMAIL_MODE: EmailMode = 'daily';

/** Follows per member: each one is matched against every batch of events, saved searches with a search each. */
export const MAX_FOLLOWS = 100;
export const MAX_SAVED_SEARCHES = 20;
/** Values in each list of a saved search's filter. */
export const MAX_FILTER_VALUES = 20;

export function toFollow(row: Selectable<FollowsTable>): Follow {
  const filter = (row.filter ?? {}) as SavedSearch['filter'];
  return {
    id: row.id,
    memberId: row.member_id,
    kind: row.kind,
    serviceArea: row.service_area,
    councilId: row.council_id,
    subject: row.subject_id ? { type: row.subject_type as SearchKind, id: row.subject_id } : null,
    search: row.kind === 'saved_search' ? { query: row.query ?? '', filter } : null,
    email: row.email,
    createdAt: row.created_at,
  };
}

/**
 * The email setting that applies to a follow: the member's `off` silences everything, a
 * follow's own choice beats the member's, and `default` takes the member's.
 */
export function effectiveEmail(memberMode: EmailMode | null | undefined, followEmail: FollowEmail | null | undefined): EmailMode {
  const member = memberMode ?? DEFAULT_EMAIL_MODE;
  if (member === 'off') return 'off';
  return !followEmail || followEmail === 'default' ? member : followEmail;
}
