import { sql, type Kysely } from 'kysely';
import { anyContentTable, TABLE_OF } from '../domain/content-rows.js';
import type { Database } from '../db/database.js';
import type { SearchDocument, SearchKind } from './engine.js';

/**
 * Builds search documents from the content tables: the one place that knows how a
 * problem, solution or case study becomes searchable. The indexer and the reindex both
 * load the current state from here, which is what makes replaying an event harmless.
 */


// Kind-specific text that is worth searching, appended to the body.
const EXTRA_TEXT: Record<SearchKind, string> = {
  problem: `''`,
  solution: `''`,
  case_study: `t.outcome || E'\\n' || t.lessons`,
};

// The kind's own facet columns: a solution's phase, a case study's outcome.
const PHASE: Record<SearchKind, string> = { problem: 'null::text', solution: 't.phase', case_study: 'null::text' };
const OUTCOME: Record<SearchKind, string> = { problem: 'null::text', solution: 'null::text', case_study: 't.outcome' };

interface SourceRow {
  id: string;
  council_id: string;
  council_name: string;
  region: string;
  council_kind: string;
  phase: string | null;
  outcome: string | null;
  title: string;
  summary: string;
  body: string;
  extra_text: string;
  service_area: string;
  tags: string[];
  status: string;
  visibility: 'draft' | 'published';
  published_at: Date | null;
  updated_at: Date;
  out_of_date: boolean;
}

/** Drafts stay out of the index (tenancy); archived items are kept for the record only. */
export function isSearchable(row: { visibility: string; status: string }): boolean {
  return row.visibility === 'published' && row.status !== 'archived';
}

function selectSource(db: Kysely<Database>, kind: SearchKind) {
  return db
    .selectFrom(anyContentTable(db, TABLE_OF[kind], 't'))
    .innerJoin('councils as c', 'c.id', 't.council_id')
    .select([
      't.id', 't.council_id', 'c.name as council_name', 'c.region', 'c.kind as council_kind', 't.title', 't.summary', 't.body', 't.service_area', 't.tags',
      't.status', 't.visibility', 't.published_at', 't.updated_at',
      sql<string>`${sql.raw(EXTRA_TEXT[kind])}`.as('extra_text'),
      sql<string | null>`${sql.raw(PHASE[kind])}`.as('phase'),
      sql<string | null>`${sql.raw(OUTCOME[kind])}`.as('outcome'),
      // Case studies record what happened and are never nudged (migration 0017).
      sql<boolean>`${sql.raw(kind === 'case_study' ? 'false' : 't.out_of_date')}`.as('out_of_date'),
    ]);
}

function toDocument(kind: SearchKind, row: SourceRow): SearchDocument {
  return {
    id: row.id,
    kind,
    councilId: row.council_id,
    councilName: row.council_name,
    title: row.title,
    summary: row.summary,
    body: row.extra_text ? `${row.body}\n${row.extra_text}` : row.body,
    serviceArea: row.service_area,
    tags: row.tags,
    status: row.status,
    region: row.region,
    councilKind: row.council_kind,
    phase: row.phase,
    outcome: row.outcome,
    publishedAt: row.published_at ? new Date(row.published_at).getTime() : null,
    updatedAt: new Date(row.updated_at).getTime(),
    outOfDate: row.out_of_date,
  };
}

/** The current document for each item, or null where it must not be in the index. */
export async function loadDocuments(db: Kysely<Database>, items: readonly { kind: SearchKind; id: string }[]): Promise<Map<string, SearchDocument | null>> {
  const result = new Map<string, SearchDocument | null>(items.map((i) => [i.id, null]));
  for (const kind of Object.keys(TABLE_OF) as SearchKind[]) {
    const ids = items.filter((i) => i.kind === kind).map((i) => i.id);
    if (ids.length === 0) continue;
    const rows = await selectSource(db, kind).where('t.id', 'in', ids).execute();
    for (const row of rows as SourceRow[]) result.set(row.id, isSearchable(row) ? toDocument(kind, row) : null);
  }
  return result;
}

/** Every searchable item of the given councils (a rename, or a new region or kind, changes all their documents). */
export async function loadCouncilDocuments(db: Kysely<Database>, councilIds: readonly string[]): Promise<SearchDocument[]> {
  if (councilIds.length === 0) return [];
  const documents: SearchDocument[] = [];
  for (const kind of Object.keys(TABLE_OF) as SearchKind[]) {
    const rows = await selectSource(db, kind)
      .where('t.council_id', 'in', [...councilIds])
      .where('t.visibility', '=', 'published')
      .where('t.status', '<>', 'archived')
      .execute();
    documents.push(...(rows as SourceRow[]).map((row) => toDocument(kind, row)));
  }
  return documents;
}

export async function countSearchable(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (const kind of Object.keys(TABLE_OF) as SearchKind[]) {
    const row = await db.selectFrom(anyContentTable(db, TABLE_OF[kind], 'content')).select((eb) => eb.fn.countAll<number>().as('n'))
      .where('visibility', '=', 'published').where('status', '<>', 'archived').executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  return total;
}

/**
 * Every searchable item, in pages keyed by id so each page is one indexed statement and
 * no long transaction is held (on PGlite, that would stall every request meanwhile).
 */
export async function* allDocuments(db: Kysely<Database>, pageSize: number): AsyncGenerator<SearchDocument[]> {
  for (const kind of Object.keys(TABLE_OF) as SearchKind[]) {
    let after: string | undefined;
    for (;;) {
      let query = selectSource(db, kind).where('t.visibility', '=', 'published').where('t.status', '<>', 'archived');
      if (after) query = query.where('t.id', '>', after);
      const rows = (await query.orderBy('t.id').limit(pageSize).execute()) as SourceRow[];
      if (rows.length === 0) break;
      yield rows.map((row) => toDocument(kind, row));
      after = rows[rows.length - 1]!.id;
      if (rows.length < pageSize) break;
    }
  }
}

/** An item's owner, visibility and text, for "more like this item" (drafts included). */
export async function loadItemText(db: Kysely<Database>, kind: SearchKind, id: string) {
  return db.selectFrom(anyContentTable(db, TABLE_OF[kind], 'content')).select(['council_id as councilId', 'visibility', 'title', 'summary'])
    .where('id', '=', id).executeTakeFirst();
}
