import { parseCursorConnectionArgs } from '@pothos/plugin-relay';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { canEdit } from '../server/auth/viewer.js';
import type { ContentSummary } from '../server/domain/content.js';
import type { Loaders } from '../server/context.js';
import { encodeCursor, OPTIONAL_COLUMNS, type CursorKeys, type Listed, type ListFilter, type OptionalColumn, type PageRequest, type SortColumn } from '../server/domain/listing.js';
import { defined } from '../server/kernel/must.js';
import { InputChecker, LIMITS } from '../server/domain/input-checker.js';
import { NATIONS_AND_REGIONS } from '../server/domain/councils.js';
import { checkRegions } from '../server/domain/region-filter.js';
import { CouncilKindEnum } from './council.js';
import { builder } from './builder.js';
import { must } from '../server/kernel/must.js';
import { ServiceAreaEnum } from './service-area.js';
import { ContentRef, CouncilRef, MemberRef } from './refs.js';

/** What the content inputs accept, said once: create and update inputs of every kind use these. */
export const CONTENT_INPUT = {
  title: `One line, at most ${LIMITS.title} characters`,
  summary: `Plain text, at most ${LIMITS.summary} characters`,
  body: `Markdown, at most ${LIMITS.body} characters`,
  serviceArea: 'The service area it belongs to',
  tags: `At most ${LIMITS.tags}; each 1 to 50 letters, digits, spaces, hyphens or apostrophes, kept in lower case without repeats`,
  url: `An http or https address, at most ${LIMITS.url} characters; null clears it`,
} as const;

export const VisibilityEnum = builder.enumType('Visibility', {
  description: 'Who can see an item',
  values: {
    DRAFT: { value: 'draft', description: 'Visible to members of the owning council only' },
    PUBLISHED: { value: 'published', description: 'Visible to everyone' },
    HIDDEN: { value: 'hidden', description: 'Published, then hidden by a platform admin (moderation): visible to the owning council and platform admins only. Events are never HIDDEN' },
  } as const,
});

ContentRef.implement({
  description: 'What problems, solutions and case studies have in common',
  interfaces: [builder.nodeInterfaceRef()],
  resolveType: (item) => ({ problem: 'Problem', solution: 'Solution', case_study: 'CaseStudy' })[item.subject],
  fields: (t) => ({
    title: t.exposeString('title', { description: 'One line' }),
    summary: t.exposeString('summary', { description: 'A paragraph of plain text' }),
    body: t.string({ description: 'Markdown; empty when there is none', resolve: (item) => listed(item.body, 'body') }),
    serviceArea: t.field({ type: ServiceAreaEnum, description: 'The service area it belongs to', resolve: (item) => item.serviceArea }),
    tags: t.stringList({ description: `Lower-case words or phrases (at most ${LIMITS.tags})`, resolve: (item) => listed(item.tags, 'tags') }),
    visibility: t.field({ type: VisibilityEnum, description: 'DRAFT (its council only), PUBLISHED, or HIDDEN by moderators (its council and platform admins only)', resolve: (item) => item.visibility }),
    version: t.exposeInt('version', { description: 'Send this back with an update; a stale one is a conflict' }),
    council: t.field({ type: CouncilRef, description: 'The council that owns it', resolve: (item, _, ctx) => ctx.loaders.council.load(item.councilId).then(must) }),
    author: t.field({ type: MemberRef, description: 'The member who created it', resolve: (item, _, ctx) => ctx.loaders.member.load(item.authorId).then(must) }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created (as a draft)' }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed', resolve: (item) => listed(item.updatedAt, 'updatedAt') }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was published; null for a draft', resolve: (item) => listed(item.publishedAt, 'publishedAt') }),
    sample: t.exposeBoolean('sample', { description: 'Part of the sample data loaded to try the hub (the demo), not a council\'s own account' }),
    viewerCanEdit: t.boolean({ description: 'Whether your token may edit it (an editor or admin of its council)', resolve: (item, _, ctx) => canEdit(ctx.viewer, item.councilId) }),
  }),
});

/** A listing reads a column only when a field needing it is selected (COLUMN_OF_FIELD, below). */
const listed = <T>(value: T | undefined, field: string) => defined(value, `the column of ${field}: add it to COLUMN_OF_FIELD`);

const NEWEST = { value: 'created_at', description: 'Newest first, by when it was created' } as const;
const MOST_ADOPTED = { value: 'adoption_count' } as const;

/** One order enum per listing, so a value a listing cannot sort by is not in its argument's type. */
export const ProblemOrderEnum = builder.enumType('ProblemOrder', {
  description: 'How `problems` is ordered',
  values: {
    NEWEST,
    MOST_SHARED: { value: 'supporter_count', description: 'Most councils saying "we have this too" first (then newest)' },
    MOST_ADOPTED: { ...MOST_ADOPTED, description: 'Most councils that adopted (stage ADOPTED) a solution linked to it first (then newest)' },
  } as const,
});

export const SolutionOrderEnum = builder.enumType('SolutionOrder', {
  description: 'How `solutions` is ordered',
  values: { NEWEST, MOST_ADOPTED: { ...MOST_ADOPTED, description: 'Most councils that adopted it (stage ADOPTED) first (then newest)' } } as const,
});

export const CaseStudyOrderEnum = builder.enumType('CaseStudyOrder', {
  description: 'How `caseStudies` is ordered',
  values: { NEWEST } as const,
});

/** Filter fields every content listing accepts; each kind adds its own status values. */
export function commonFilterFields(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) {
  return {
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Owned by any of these councils' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'In any of these service areas' }),
    regions: t.stringList({ description: `Owned by councils in any of these regions, spelled as \`Council.region\` is (${NATIONS_AND_REGIONS.length} values; another is a \`VALIDATION_FAILED\` error)` }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Owned by councils of any of these kinds' }),
    tags: t.stringList({ description: 'Carrying any of these tags (compared in lower case)' }),
    includeDrafts: t.boolean({ description: "Also list your own council's drafts" }),
    draftsOnly: t.boolean({ description: "Only your own council's drafts (nothing without a member's token)" }),
  };
}

/** The freshness filter problems and solutions have (case studies are a record of the past). */
export function freshnessFilterFields(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) {
  return {
    mayBeOutOfDate: t.boolean({ description: 'true: only items that may be out of date (a freshness nudge went unanswered)' }),
  };
}

export function toListFilter(filter: {
  councilIds?: { id: string }[] | null;
  serviceAreas?: string[] | null;
  regions?: string[] | null;
  councilKinds?: string[] | null;
  tags?: string[] | null;
  statuses?: string[] | null;
  includeDrafts?: boolean | null;
  draftsOnly?: boolean | null;
  mayBeOutOfDate?: boolean | null;
} | null | undefined): ListFilter {
  const check = new InputChecker();
  const regions = checkRegions(check, 'filter.regions', filter?.regions);
  check.check();
  return {
    councilIds: filter?.councilIds?.map((c) => c.id),
    serviceAreas: filter?.serviceAreas,
    regions,
    councilKinds: filter?.councilKinds,
    tags: filter?.tags?.map((tag) => tag.trim().toLowerCase()),
    statuses: filter?.statuses,
    includeDrafts: filter?.includeDrafts,
    draftsOnly: filter?.draftsOnly,
    mayBeOutOfDate: filter?.mayBeOutOfDate,
  };
}

/**
 * Resolves a keyset-paginated connection (at most 100 per page) over a content listing, as
 * Pothos's resolveCursorConnection does, except that cursors are encoded only when asked for:
 * most pages never select them, and encoding one per row was a visible share of a page's cost.
 * The councils the listing brought along go into this request's council loader (councils are
 * public, so any viewer may see them), where `council` fields find them without a statement.
 */
export async function resolveContentConnection<T extends ContentSummary & CursorKeys>(
  args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null },
  sort: SortColumn,
  loaders: Pick<Loaders, 'council'>,
  info: GraphQLResolveInfo,
  load: (page: PageRequest) => Promise<Listed<T>>,
) {
  const { before, after, limit, inverted, expectedSize, hasPreviousPage, hasNextPage } = parseCursorConnectionArgs({ args });
  const { items: nodes, councils } = await load({ before, after, limit, inverted, omit: omittedColumns(info) });
  for (const council of councils) loaders.council.prime(council.id, council);
  const trimmed = nodes.slice(0, expectedSize);
  if (inverted) trimmed.reverse();
  const edges = trimmed.map((node) => new ContentEdge(node, sort));
  const given = args.after ?? args.before ?? '';
  return {
    edges,
    pageInfo: {
      get startCursor() { return edges[0]?.cursor ?? given; },
      get endCursor() { return edges.at(-1)?.cursor ?? given; },
      hasPreviousPage: hasPreviousPage(nodes.length),
      hasNextPage: hasNextPage(nodes.length),
    },
  };
}

/**
 * The only fields that read a listing's optional columns. A field added later that reads one
 * of them must be listed here: listed-columns.test.ts compares every field of every content
 * type between a listing and `nodes`, so one that is missing fails there.
 */
const COLUMN_OF_FIELD: Readonly<Record<string, OptionalColumn>> = {
  body: 'body', tags: 'tags', updatedAt: 'updated_at', publishedAt: 'published_at',
};

/** The optional columns no field in the connection's `edges { node }` selects (fragments included). */
function omittedColumns(info: GraphQLResolveInfo): OptionalColumn[] {
  const wanted = new Set<OptionalColumn>();
  const visit = (set: SelectionSetNode | undefined, path: readonly string[]): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, path);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) visit(info.fragments[selection.name.value]?.selectionSet, path);
      else if (path.length) { if (selection.name.value === path[0]) visit(selection.selectionSet, path.slice(1)); }
      else if (COLUMN_OF_FIELD[selection.name.value]) wanted.add(COLUMN_OF_FIELD[selection.name.value]!);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, ['edges', 'node']);
  return OPTIONAL_COLUMNS.filter((column) => !wanted.has(column));
}

class ContentEdge<T extends ContentSummary & CursorKeys> {
  constructor(readonly node: T, private readonly sort: SortColumn) {}

  get cursor(): string {
    return encodeCursor(this.node, this.sort);
  }
}
