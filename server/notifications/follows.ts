import { createHash } from 'node:crypto';
import { anyContentTable, TABLE_OF } from '../domain/content-rows.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { EmailMode, FollowEmail, FollowKind } from '../db/notification-tables.js';
import { canSee, type Viewer } from '../auth/viewer.js';
import { requireMember } from '../domain/content.js';
import { NotFoundError, ValidationError } from '../kernel/errors.js';
import { isUuid } from '../domain/ids.js';
import { InputChecker } from '../domain/input-checker.js';
import { CASE_STUDY_OUTCOMES } from '../domain/case-studies.js';
import { COUNCIL_KINDS } from '../domain/councils.js';
import { checkRegions } from '../domain/region-filter.js';
import { SOLUTION_PHASES } from '../domain/solution-input.js';
import { SEARCH_KINDS, type SearchKind } from '../search/engine.js';
import {
  DEFAULT_EMAIL_MODE, MAX_FILTER_VALUES as FILTER_VALUES, MAX_FOLLOWS, MAX_SAVED_SEARCHES, toFollow, type Follow, type SavedSearch,
} from './follow-model.js';

const EMAIL_MODES = ['immediate', 'daily', 'weekly', 'off'] as const;
const FOLLOW_EMAILS = ['default', ...EMAIL_MODES] as const;
/** Characters in a saved search's query. */
export const QUERY_LIMIT = 200;

/** Exactly one of these says what to follow. */
export interface FollowInput {
  serviceArea?: string | null;
  councilId?: string | null;
  item?: { kind: SearchKind; id: string } | null;
  search?: { query: string; filter?: Partial<SavedSearch['filter']> | null } | null;
  /** A problem: follow the solutions and case studies that appear for it. */
  outcomesOf?: string | null;
  email?: string | null;
}

/** Follows and email settings: each member manages their own, nobody else's. */
export function createFollowService({ db }: { db: Kysely<Database> }) {
  async function loadOwn(viewer: Viewer, id: string): Promise<Follow> {
    const member = requireMember(viewer);
    const row = isUuid(id)
      ? await db.selectFrom('follows').selectAll().where('id', '=', id).where('member_id', '=', member.memberId).executeTakeFirst()
      : undefined;
    if (!row) throw new NotFoundError('follow', id);
    return toFollow(row);
  }

  async function requireVisible(viewer: Viewer, kind: SearchKind, id: string, field: string): Promise<void> {
    const row = isUuid(id)
      ? await db.selectFrom(anyContentTable(db, TABLE_OF[kind], 'content')).select(['council_id', 'visibility']).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!row || !canSee(viewer, { councilId: row.council_id, visibility: row.visibility })) {
      throw new ValidationError([{ field, message: `no ${kind.replace('_', ' ')} ${id} that you can see` }]);
    }
  }

  return {
    /** Follows something; following the same thing again returns the existing follow. */
    async follow(viewer: Viewer, input: FollowInput): Promise<Follow> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const email = check.oneOf('email', input.email, FOLLOW_EMAILS, false) ?? 'default';
      const given = (['serviceArea', 'councilId', 'item', 'search', 'outcomesOf'] as const).filter((k) => input[k] != null);
      if (given.length !== 1) check.fail('input', 'give exactly one of serviceArea, council, item, search or solutionsFor');
      check.check();
      if (input.councilId != null) {
        const council = isUuid(input.councilId)
          ? await db.selectFrom('councils').select('id').where('id', '=', input.councilId).executeTakeFirst() : undefined;
        if (!council) throw new ValidationError([{ field: 'council', message: `no council ${input.councilId}` }]);
      }
      const target = await describe(viewer, input, check, requireVisible);
      check.check();
      const { kind, key } = target!;
      const existing = await db.selectFrom('follows').selectAll().where('member_id', '=', member.memberId).where('key', '=', key).executeTakeFirst();
      if (existing) return toFollow(existing);
      // The cap is checked and the row inserted in one statement, so two requests at once
      // cannot both slip under it.
      const inserted = await db.insertInto('follows')
        .columns(['member_id', 'kind', 'service_area', 'council_id', 'subject_type', 'subject_id', 'query', 'filter', 'email', 'key', 'from_position'])
        .expression(sql`select ${member.memberId}::uuid, ${kind}, ${target!.serviceArea}, ${target!.councilId}::uuid,
            ${target!.subjectType}, ${target!.subjectId}::uuid, ${target!.query}, ${target!.filter}::jsonb, ${email}, ${key},
            (select coalesce(max(position), 0) from outbox_events)
          where (select count(*) from follows where member_id = ${member.memberId}) < ${MAX_FOLLOWS}
            and (${kind} <> 'saved_search'
              or (select count(*) from follows where member_id = ${member.memberId} and kind = 'saved_search') < ${MAX_SAVED_SEARCHES})`)
        .onConflict((oc) => oc.columns(['member_id', 'key']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) return toFollow(inserted);
      const raced = await db.selectFrom('follows').selectAll().where('member_id', '=', member.memberId).where('key', '=', key).executeTakeFirst();
      if (raced) return toFollow(raced);
      throw new ValidationError([{
        field: 'input',
        message: kind === 'saved_search'
          ? `you may keep at most ${MAX_SAVED_SEARCHES} saved searches (and ${MAX_FOLLOWS} follows): unfollow one first`
          : `you may follow at most ${MAX_FOLLOWS} things: unfollow one first`,
      }]);
    },

    async unfollow(viewer: Viewer, id: string): Promise<Follow> {
      const follow = await loadOwn(viewer, id);
      await db.deleteFrom('follows').where('id', '=', follow.id).execute();
      return follow;
    },

    async setFollowEmail(viewer: Viewer, id: string, email: string): Promise<Follow> {
      const follow = await loadOwn(viewer, id);
      const check = new InputChecker();
      const mode = check.oneOf('email', email, FOLLOW_EMAILS, true) as FollowEmail;
      check.check();
      const row = await db.updateTable('follows').set({ email: mode }).where('id', '=', follow.id).returningAll().executeTakeFirstOrThrow();
      return toFollow(row);
    },

    /** The viewer's follows, newest first (at most MAX_FOLLOWS, so never paged). */
    async list(viewer: Viewer): Promise<Follow[] | null> {
      if (viewer.kind !== 'member') return null;
      const rows = await db.selectFrom('follows').selectAll().where('member_id', '=', viewer.memberId)
        .orderBy('created_at', 'desc').orderBy('id').limit(MAX_FOLLOWS).execute();
      return rows.map(toFollow);
    },

    async memberEmail(viewer: Viewer): Promise<EmailMode | null> {
      if (viewer.kind !== 'member') return null;
      const row = await db.selectFrom('member_email_settings').select('email').where('member_id', '=', viewer.memberId).executeTakeFirst();
      return row?.email ?? DEFAULT_EMAIL_MODE;
    },

    async setMemberEmail(viewer: Viewer, email: string): Promise<EmailMode> {
      const member = requireMember(viewer);
      const check = new InputChecker();
      const mode = check.oneOf('email', email, EMAIL_MODES, true)!;
      check.check();
      await db.insertInto('member_email_settings').values({ member_id: member.memberId, email: mode })
        .onConflict((oc) => oc.column('member_id').doUpdateSet({ email: mode, updated_at: new Date() })).execute();
      return mode;
    },
  };
}

interface Target {
  kind: FollowKind;
  key: string;
  serviceArea: string | null;
  councilId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  query: string | null;
  filter: string | null;
}

/** Checks what is to be followed and names it by a key (one row per member and key). */
async function describe(
  viewer: Viewer,
  input: FollowInput,
  check: InputChecker,
  requireVisible: (viewer: Viewer, kind: SearchKind, id: string, field: string) => Promise<void>,
): Promise<Target | undefined> {
  const none = { serviceArea: null, councilId: null, subjectType: null, subjectId: null, query: null, filter: null };
  if (input.serviceArea != null) {
    const area = check.serviceArea('serviceArea', input.serviceArea, true);
    return area ? { ...none, kind: 'service_area', key: `service_area:${area}`, serviceArea: area } : undefined;
  }
  if (input.councilId != null) {
    return { ...none, kind: 'council', key: `council:${input.councilId}`, councilId: input.councilId };
  }
  if (input.item != null) {
    await requireVisible(viewer, input.item.kind, input.item.id, 'item');
    return { ...none, kind: 'item', key: `item:${input.item.id}`, subjectType: input.item.kind, subjectId: input.item.id };
  }
  if (input.outcomesOf != null) {
    await requireVisible(viewer, 'problem', input.outcomesOf, 'solutionsFor');
    return { ...none, kind: 'problem_outcomes', key: `problem_outcomes:${input.outcomesOf}`, subjectType: 'problem', subjectId: input.outcomesOf };
  }
  const search = input.search!;
  const query = check.text('search.query', search.query, QUERY_LIMIT) ?? '';
  const f = search.filter ?? {};
  for (const [field, list] of Object.entries(f)) {
    if (Array.isArray(list) && list.length > FILTER_VALUES) check.fail(`search.filter.${field}`, `may hold at most ${FILTER_VALUES} values`);
  }
  const kinds = f.kinds?.filter((k) => (SEARCH_KINDS as readonly string[]).includes(k));
  const serviceAreas = f.serviceAreas?.map((a, i) => check.serviceArea(`search.filter.serviceAreas.${i}`, a, true) ?? a);
  const tags = check.tags('search.filter.tags', f.tags);
  const regions = checkRegions(check, 'search.filter.regions', f.regions);
  const oneOf = (field: string, list: readonly string[] | undefined, allowed: readonly string[]) =>
    list?.map((value, i) => check.oneOf(`search.filter.${field}.${i}`, value, allowed, true) ?? value);
  const councilKinds = oneOf('councilKinds', f.councilKinds, COUNCIL_KINDS);
  const phases = oneOf('phases', f.phases, SOLUTION_PHASES);
  const outcomes = oneOf('outcomes', f.outcomes, CASE_STUDY_OUTCOMES);
  const facets = { kinds, serviceAreas, councilIds: f.councilIds, tags, regions, councilKinds, phases, outcomes };
  if (query === '' && Object.values(facets).every((list) => !list?.length)) {
    check.fail('search', 'a saved search needs words or a filter');
  }
  const filter = Object.fromEntries(Object.entries(facets)
    .filter(([, v]) => v && v.length > 0).map(([k, v]) => [k, [...v!].sort()]));
  const json = JSON.stringify(filter);
  const key = `saved_search:${createHash('sha256').update(`${query.toLowerCase()}\n${json}`).digest('hex').slice(0, 32)}`;
  return { ...none, kind: 'saved_search', key, query, filter: json };
}
