import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { IndexRebuild, SearchDocument, SearchEngine, SimilarHit, SimilarRequest } from './engine.js';
import { buildSynonymIndex, keyWords, normalizeWords } from './query-plan.js';
import { searchPostgres, type BroadSearchOptions } from './postgres-search.js';

// The weighted document vector: title (A), tags and summary (B), body (C), council name (D).
const DOCUMENT_VECTOR = sql`
  setweight(to_tsvector('english', d.title), 'A')
  || setweight(to_tsvector('english', array_to_string(d.tags, ' ')), 'B')
  || setweight(to_tsvector('english', d.summary), 'B')
  || setweight(to_tsvector('english', d.body), 'C')
  || setweight(to_tsvector('english', d.council_name), 'D')`;

const MLT_CANDIDATES = 50;

/**
 * Postgres full-text search: the index is the `search_documents` table (weighted tsvector,
 * GIN), queried with the same synonyms as Meilisearch and trigram-corrected words.
 * Writes commit before they resolve, so "upserted" means "searchable".
 */
export function createPostgresEngine(db: Kysely<Database>, options: BroadSearchOptions = {}): SearchEngine {
  const synonyms = buildSynonymIndex();

  async function upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    // Sorted, so two writers (the indexer and a reindex) lock rows in the same order.
    const rows = [...documents].sort((a, b) => (a.id < b.id ? -1 : 1)).map((doc) => ({
      id: doc.id, kind: doc.kind, council_id: doc.councilId, council_name: doc.councilName, title: doc.title,
      summary: doc.summary, body: doc.body, service_area: doc.serviceArea, tags: doc.tags, status: doc.status,
      published_at: doc.publishedAt, updated_at: doc.updatedAt,
    }));
    const words = [...new Set(documents.flatMap((doc) => normalizeWords(`${doc.title} ${doc.summary} ${doc.tags.join(' ')}`)))]
      .filter((w) => w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w))
      .sort();
    await db.transaction().execute(async (trx) => {
      await sql`
        insert into search_documents (id, kind, council_id, council_name, title, summary, service_area, tags,
          status, published_at, updated_at, indexed_at, search)
        select d.id, d.kind, d.council_id, d.council_name, d.title, d.summary, d.service_area, d.tags, d.status,
          to_timestamp(d.published_at / 1000.0), to_timestamp(d.updated_at / 1000.0), now(), ${DOCUMENT_VECTOR}
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(id uuid, kind text, council_id uuid,
          council_name text, title text, summary text, body text, service_area text, tags text[], status text,
          published_at double precision, updated_at double precision)
        order by d.id
        on conflict (id) do update set kind = excluded.kind, council_id = excluded.council_id,
          council_name = excluded.council_name, title = excluded.title, summary = excluded.summary,
          service_area = excluded.service_area, tags = excluded.tags, status = excluded.status,
          published_at = excluded.published_at, updated_at = excluded.updated_at, indexed_at = excluded.indexed_at,
          search = excluded.search`.execute(trx);
      if (words.length > 0) {
        await sql`insert into search_words (word) select unnest(${sql.val(words)}::text[]) on conflict do nothing`.execute(trx);
      }
    });
  }

  return {
    name: 'postgres',
    duplicateThreshold: 0.25,

    // The migration creates the table and indexes; synonyms apply at query time.
    async ensureSettings() {},

    upsert,

    async delete(ids) {
      if (ids.length === 0) return;
      await sql`delete from search_documents where id = any(${sql.val([...ids])}::uuid[])`.execute(db);
    },

    search: (request) => searchPostgres(db, synonyms, request, options),

    async moreLikeThis(request: SimilarRequest): Promise<SimilarHit[]> {
      const words = keyWords(request.text, 30);
      if (words.length === 0) return [];
      const kinds = request.kinds?.length ? sql`and d.kind = any(${sql.val([...request.kinds])}::text[])` : sql``;
      const excluded = request.excludeIds?.length ? sql`and d.id <> all(${sql.val([...request.excludeIds])}::uuid[])` : sql``;
      // Candidates by rank over any shared word, then scored by the overlap of their title
      // and summary with the text (Jaccard over stemmed words): near-duplicates score high
      // whatever their length, items that merely share a common word score low.
      const { rows } = await sql<{ id: string; kind: SearchDocument['kind']; council_id: string; council_name: string; title: string;
        summary: string; service_area: string; tags: string[]; status: string; published_at: Date | null; updated_at: Date; score: number }>`
        with q as materialized (
          select websearch_to_tsquery('english', ${words.join(' or ')}) as query,
                 tsvector_to_array(to_tsvector('english', ${request.text})) as lexemes
        ),
        candidates as (
          select d.id, ts_rank_cd(d.search, q.query) as rank from search_documents d, q
          where d.search @@ q.query ${kinds} ${excluded}
          order by rank desc limit ${MLT_CANDIDATES}
        )
        select d.id, d.kind, d.council_id, d.council_name, d.title, d.summary, d.service_area, d.tags, d.status,
               d.published_at, d.updated_at,
               (o.common::float / greatest(1, cardinality(q.lexemes) + cardinality(l.lexemes) - o.common)) as score
        from candidates c
        join search_documents d on d.id = c.id
        cross join q
        cross join lateral (select tsvector_to_array(to_tsvector('english', d.title || ' ' || d.summary)) as lexemes) l
        cross join lateral (select count(*)::int as common from unnest(l.lexemes) x where x = any(q.lexemes)) o
        order by score desc, c.rank desc, d.id
        limit ${request.limit}`.execute(db);
      return rows.map((r) => ({
        score: Math.round(r.score * 1000) / 1000,
        document: {
          id: r.id, kind: r.kind, councilId: r.council_id, councilName: r.council_name, title: r.title, summary: r.summary,
          serviceArea: r.service_area, tags: r.tags, status: r.status,
          publishedAt: r.published_at ? new Date(r.published_at).getTime() : null, updatedAt: new Date(r.updated_at).getTime(),
        },
      }));
    },

    // Rebuilt in place: every current item is rewritten (search keeps serving throughout),
    // then rows the rebuild did not touch are stale and go. The start time is kept as text
    // because a JavaScript date would drop its microseconds. While it runs, the GIN index
    // buffers new entries in its pending list (fastupdate), which makes a bulk rewrite
    // several times faster; the list is merged and buffering turned off again at the end.
    async beginRebuild(): Promise<IndexRebuild> {
      const { rows } = await sql<{ started: string }>`select now()::text as started`.execute(db);
      const started = rows[0]!.started;
      await sql`alter index search_documents_search_idx set (fastupdate = on)`.execute(db);
      return {
        upsert,
        async finish(onSwapEnqueued) {
          await sql`delete from search_documents where indexed_at < ${started}::timestamptz`.execute(db);
          await onSwapEnqueued?.();
          await sql`alter index search_documents_search_idx set (fastupdate = off)`.execute(db);
          await sql`select gin_clean_pending_list('search_documents_search_idx')`.execute(db);
          // Every row changed: fresh statistics keep the planner on the GIN index.
          await sql`analyze search_documents`.execute(db);
        },
      };
    },
  };
}
