import { CompiledQuery, sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { CaseStudiesTable, Database, ProblemsTable, SolutionsTable } from '../db/database.js';
import { isMember, type Viewer } from '../auth/viewer.js';
import { ValidationError } from '../kernel/errors.js';
import type { ContentTable } from './content-rows.js';
import type { SummaryRow } from './content.js';
import { toCouncil, type Council } from './councils.js';
import { isUuid } from './ids.js';

export interface ListFilter {
  councilIds?: readonly string[] | null;
  serviceAreas?: readonly string[] | null;
  /** Items of councils in any of these regions (checked values: see region-filter.ts). */
  regions?: readonly string[] | null;
  /** Items of councils of any of these kinds. */
  councilKinds?: readonly string[] | null;
  /** Items carrying any of these tags. */
  tags?: readonly string[] | null;
  /** Statuses to include; absent means every status but archived. */
  statuses?: readonly string[] | null;
  /** Include the viewer's own council's drafts alongside published items. */
  includeDrafts?: boolean | null;
  /** Only the viewer's own council's drafts; nothing for a viewer who is no member. */
  draftsOnly?: boolean | null;
  /**
   * Kind-specific columns of the table, each matching any of its values, e.g.
   * `{ kind: ['software'] }` for solutions. Column names come from code, never from clients.
   */
  columnsIn?: Readonly<Record<string, readonly string[] | null | undefined>> | null;
  /** Only items an unanswered freshness nudge marked (problems and solutions have the column). */
  mayBeOutOfDate?: boolean | null;
}

/** Which count column orders a "most ..." listing; newest orders by creation alone. */
export type SortColumn = 'created_at' | 'supporter_count' | 'adoption_count';

export interface PageRequest {
  after?: string | null | undefined;
  before?: string | null | undefined;
  limit: number;
  /** Paging backwards: fetch in reverse order; the caller reverses the rows. */
  inverted: boolean;
  /**
   * Columns to leave out because nothing will read them (the GraphQL selection decides, see
   * `omittedColumns` in schema/content.ts); the listed items have `undefined` there.
   */
  omit?: readonly OptionalColumn[];
}

/**
 * Columns a page may leave out: the Markdown body is most of a row's bytes, and timestamps
 * and tag lists are its costliest values to parse; list views seldom show any of them.
 */
export const OPTIONAL_COLUMNS = ['body', 'tags', 'updated_at', 'published_at'] as const;
export type OptionalColumn = typeof OPTIONAL_COLUMNS[number];

/** Every column of each content table; the `Exact` check fails to compile when one is missing. */
const COLUMNS = {
  problems: exact<keyof ProblemsTable>()(['id', 'council_id', 'author_id', 'title', 'summary', 'body', 'service_area', 'tags', 'visibility',
    'version', 'created_at', 'updated_at', 'published_at', 'sample', 'status', 'supporter_count', 'solution_count', 'adoption_count', 'source_url', 'same_as_id',
    'phase_ends_on', 'nudged_at', 'out_of_date']),
  solutions: exact<keyof SolutionsTable>()(['id', 'council_id', 'author_id', 'title', 'summary', 'body', 'service_area', 'tags', 'visibility',
    'version', 'created_at', 'updated_at', 'published_at', 'sample', 'status', 'kind', 'phase', 'licence', 'url', 'cost_band', 'adoption_count', 'problem_count', 'source_url',
    'phase_ends_on', 'nudged_at', 'out_of_date']),
  case_studies: exact<keyof CaseStudiesTable>()(['id', 'council_id', 'author_id', 'title', 'summary', 'body', 'service_area', 'tags', 'visibility',
    'version', 'created_at', 'updated_at', 'published_at', 'sample', 'status', 'outcome', 'lessons', 'cost_pounds', 'savings_claimed_pounds', 'evidence_url']),
} satisfies Record<ContentTable, readonly string[]>;

function exact<K extends string>() {
  return <const L extends readonly K[]>(list: L & ([Exclude<K, L[number]>] extends [never] ? unknown : { missing: Exclude<K, L[number]> })) => list;
}

type CursorValues = [number | null, string, string] | [string, string];

/** The owning council's columns a listing joins to each row (see `ownersOf`). */
interface OwnerColumns {
  owner_slug: string;
  owner_name: string;
  owner_kind: string;
  owner_region: string;
  owner_gss_code: string | null;
  owner_website: string | null;
  owner_sample: boolean;
  owner_created_at: Date;
}

/** A row of a page of `table`: every column but the omitted ones, and its owner's. */
export type ListedRow<T extends ContentTable> = SummaryRow<Selectable<Database[T]>> & OwnerColumns;

/** A page of content with the councils that own it: listings almost always show them. */
export interface Listed<T> {
  readonly items: T[];
  readonly councils: Council[];
}

/** The values of one page's statement; its shape (see `shapeOf`) fixes everything else. */
interface ListParams {
  councilId: string | null;
  draftsOnly: boolean;
  councilIds: readonly string[];
  serviceAreas: readonly string[];
  regions: readonly string[];
  councilKinds: readonly string[];
  tags: readonly string[];
  columnsIn: [column: string, values: readonly string[]][];
  statuses: readonly string[];
  outOfDate: boolean;
  after: unknown[] | undefined;
  before: unknown[] | undefined;
  limit: number;
}

/** Stands for a value in a statement built once per shape: `read` takes it from each page's parameters. */
class Slot {
  constructor(readonly read: (params: ListParams) => unknown) {}
}

/** Bounds the statements kept: filter lists of every length are so many shapes. */
const MAX_SHAPES = 200;

/**
 * Keyset pagination over one content table: a page costs one indexed statement however
 * deep it is. The cursor holds the sort key of the last row: (count?, created_at, id).
 * The same statement joins the owning councils (`owner_*` columns, see `ownersOf`), which
 * saves the page a second round trip for them.
 *
 * Building and compiling the statement with Kysely cost more than the rest of the listing's
 * own work, and a busy hub runs a handful of shapes over and over. So each shape (table,
 * order, which filters, list lengths, columns) is built and compiled once, with `Slot`s for
 * its values, and every later page of that shape only fills the values in.
 */
export function createContentListing(db: Kysely<Database>) {
  const statements = new Map<string, { sql: string; parameters: readonly unknown[] }>();
  return async function listContent<T extends ContentTable>(
    table: T,
    viewer: Viewer,
    filter: ListFilter,
    sort: SortColumn,
    page: PageRequest,
  ): Promise<ListedRow<T>[]> {
    const draftsOnly = filter.draftsOnly === true;
    if (draftsOnly && !isMember(viewer)) return [];
    const params: ListParams = {
      councilId: isMember(viewer) && (filter.includeDrafts || draftsOnly) ? viewer.councilId : null,
      draftsOnly,
      councilIds: filter.councilIds ?? [],
      serviceAreas: filter.serviceAreas ?? [],
      regions: filter.regions ?? [],
      councilKinds: filter.councilKinds ?? [],
      tags: filter.tags ?? [],
      columnsIn: Object.entries(filter.columnsIn ?? {}).filter((entry): entry is [string, readonly string[]] => !!entry[1]?.length),
      statuses: filter.statuses ?? [],
      outOfDate: filter.mayBeOutOfDate === true,
      after: decodeCursor(page.after, sort, 'after'),
      before: decodeCursor(page.before, sort, 'before'),
      limit: page.limit,
    };
    const shape = shapeOf(table, sort, page, params);
    let statement = statements.get(shape);
    if (!statement) {
      statement = buildListing(db, table, sort, page, params).compile();
      if (statements.size < MAX_SHAPES) statements.set(shape, statement);
    }
    const parameters = statement.parameters.map((value) => (value instanceof Slot ? value.read(params) : value));
    // The statement is the one buildListing compiled for this shape, so its rows are ListedRow<T>.
    const { rows } = await db.executeQuery<ListedRow<T>>(CompiledQuery.raw(statement.sql, parameters));
    return rows;
  };
}

/** Everything about a page that changes its SQL text rather than its values. */
function shapeOf(table: ContentTable, sort: SortColumn, page: PageRequest, p: ListParams): string {
  return [table, sort, page.inverted, p.councilId !== null, p.draftsOnly, p.councilIds.length, p.serviceAreas.length, p.regions.length, p.councilKinds.length, p.tags.length > 0,
    p.columnsIn.map(([column, values]) => `${column}:${values.length}`).join(','), p.statuses.length, p.outOfDate,
    p.after !== undefined, p.before !== undefined, page.omit?.join(',') ?? ''].join('|');
}

/** A value of the statement built once per shape: each page's parameters fill it in (see `Slot`). */
function slot<V>(read: (params: ListParams) => V): RawBuilder<V> {
  return sql<V>`${new Slot(read)}`;
}

function slots<V>(list: readonly V[], read: (params: ListParams) => readonly V[]): RawBuilder<V>[] {
  return list.map((_, i) => slot((params) => read(params)[i]!));
}

function buildListing(db: Kysely<Database>, table: ContentTable, sort: SortColumn, page: PageRequest, p: ListParams) {
  const keys = sort === 'created_at' ? sql`(created_at, id)` : sql`(${sql.ref(sort)}, created_at, id)`;
  const direction = page.inverted ? 'asc' : 'desc';
  // The table is known only at run time, so Kysely checks these statements against the
  // columns all three content tables share; a kind's own columns go through sql.ref.
  let query = db.selectFrom(db.dynamic.table(table).as('content')).selectAll();

  const ownCouncil = slot((params) => params.councilId!);
  if (p.draftsOnly) query = query.where('visibility', '=', 'draft').where('council_id', '=', ownCouncil);
  else if (p.councilId !== null) query = query.where((eb) => eb.or([eb('visibility', '=', 'published'), eb('council_id', '=', ownCouncil)]));
  else query = query.where('visibility', '=', 'published');
  if (p.councilIds.length) query = query.where('council_id', 'in', slots(p.councilIds, (params) => params.councilIds));
  if (p.serviceAreas.length) query = query.where('service_area', 'in', slots(p.serviceAreas, (params) => params.serviceAreas));
  // A council's region and kind live on the council: the filter is the set of its councils
  // (a few hundred rows at most), and the keyset stays on the content table.
  if (p.regions.length || p.councilKinds.length) {
    let councils = db.selectFrom('councils').select('councils.id');
    if (p.regions.length) councils = councils.where('councils.region', 'in', slots(p.regions, (params) => params.regions));
    if (p.councilKinds.length) councils = councils.where('councils.kind', 'in', slots(p.councilKinds, (params) => params.councilKinds));
    query = query.where('council_id', 'in', councils);
  }
  if (p.tags.length) query = query.where(sql<boolean>`tags && ${sql.val(new Slot((params) => [...params.tags]))}::text[]`);
  p.columnsIn.forEach(([column, values], j) => {
    query = query.where(sql.ref(column), 'in', slots(values, (params) => params.columnsIn[j]![1]));
  });
  if (p.outOfDate) query = query.where(sql.ref('out_of_date'), '=', true);
  query = p.statuses.length
    ? query.where(sql.ref('status'), 'in', slots(p.statuses, (params) => params.statuses))
    : query.where('status', '<>', 'archived');

  if (p.after) query = query.where(sql<boolean>`${keys} < (${sql.join(slots(p.after, (params) => params.after!))})`);
  if (p.before) query = query.where(sql<boolean>`${keys} > (${sql.join(slots(p.before, (params) => params.before!))})`);

  if (sort !== 'created_at') query = query.orderBy(sql.ref(sort), direction);
  const items = query.orderBy('created_at', direction).orderBy('id', direction).limit(slot((params) => params.limit));
  // The page is picked first, then joined: the filters and keyset stay on the content table
  // alone, and only the page's rows meet councils. The join does not keep their order.
  const from = db.selectFrom(items.as('item')).innerJoin('councils as owner', 'owner.id', 'item.council_id');
  let joined = (page.omit?.length ? from.select(itemColumns(db, table, page.omit)) : from.selectAll('item'))
    .select(['owner.slug as owner_slug', 'owner.name as owner_name', 'owner.kind as owner_kind', 'owner.region as owner_region',
      'owner.gss_code as owner_gss_code', 'owner.website as owner_website', 'owner.sample as owner_sample', 'owner.created_at as owner_created_at']);
  if (sort !== 'created_at') joined = joined.orderBy(sql.ref(`item.${sort}`), direction);
  return joined.orderBy('item.created_at', direction).orderBy('item.id', direction);
}

function itemColumns(db: Kysely<Database>, table: ContentTable, omit: readonly OptionalColumn[]) {
  const columns: readonly string[] = COLUMNS[table];
  return columns.filter((c) => !omit.some((o) => o === c)).map((c) => db.dynamic.ref(`item.${c}`));
}

/** The owning councils of a page from `listContent`, once each. */
export function ownersOf(rows: readonly (OwnerColumns & { council_id: string })[]): Council[] {
  const councils = new Map<string, Council>();
  for (const row of rows) {
    if (councils.has(row.council_id)) continue;
    councils.set(row.council_id, toCouncil({
      id: row.council_id, slug: row.owner_slug, name: row.owner_name, kind: row.owner_kind, region: row.owner_region,
      gss_code: row.owner_gss_code, website: row.owner_website, sample: row.owner_sample, created_at: row.owner_created_at,
    }));
  }
  return [...councils.values()];
}

/** What a cursor holds of an item: its sort key under every ordering it may be listed in. */
export interface CursorKeys {
  readonly id: string;
  readonly createdAt: Date;
  readonly supporterCount?: number;
  readonly adoptionCount?: number;
}

export function encodeCursor(item: CursorKeys, sort: SortColumn): string {
  const createdAt = item.createdAt.toISOString();
  const count = sort === 'supporter_count' ? item.supporterCount : item.adoptionCount;
  const values: CursorValues = sort === 'created_at' ? [createdAt, item.id] : [count ?? null, createdAt, item.id];
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined, sort: SortColumn, field: string): unknown[] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(values)) throw new Error('not a list');
    const [count, createdAt, id] = sort === 'created_at' ? [0, ...values] : values;
    if (!Number.isInteger(count) || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))
      || typeof id !== 'string' || !isUuid(id) || values.length !== (sort === 'created_at' ? 2 : 3)) {
      throw new Error('bad values');
    }
    const tail = [new Date(createdAt), id];
    return sort === 'created_at' ? tail : [count, ...tail];
  } catch {
    throw new ValidationError([{ field, message: 'is not a cursor from this listing and ordering' }]);
  }
}
