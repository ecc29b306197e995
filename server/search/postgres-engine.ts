import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { documentText, type Embedder } from './embeddings/embedder.js';
import type { IndexRebuild, SearchDocument, SearchEngine, SimilarHit, SimilarRequest } from './engine.js';
import { buildSynonymIndex, normalizeWords } from './query-plan.js';
import { searchPostgres, type BroadSearchOptions } from './postgres-search.js';
import { createVectorIndex } from './vector-index.js';
import { createWordCache } from './word-cache.js';

// The weighted document vector: title (A), tags and summary (B), body (C), council name (D).
const DOCUMENT_VECTOR = sql`
  setweight(to_tsvector('english', d.title), 'A')
  || setweight(to_tsvector('english', array_to_string(d.tags, ' ')), 'B')
  || setweight(to_tsvector('english', d.summary), 'B')
  || setweight(to_tsvector('english', d.body), 'C')
  || setweight(to_tsvector('english', d.council_name), 'D')`;

export interface PostgresEngineOptions extends BroadSearchOptions {
  /** Turns documents and queries into vectors (server/search/embeddings). */
  readonly embedder: Embedder;
}

/**
 * Postgres full-text search: the index is the `search_documents` table (weighted tsvector,
 * GIN, and each document's vector), queried with the same synonyms as Meilisearch and
 * trigram-corrected words, fused with semantic search over the vectors.
 * Writes commit before they resolve, so "upserted" means "searchable".
 */
export function createPostgresEngine(db: Kysely<Database>, options: PostgresEngineOptions): SearchEngine {
  const synonyms = buildSynonymIndex();
  const { embedder } = options;
  const vectors = createVectorIndex(db, embedder.dimensions);
  const words = createWordCache(() => vectors);

  async function upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    // Sorted, so two writers (the indexer and a reindex) lock rows in the same order.
    const sorted = [...documents].sort((a, b) => (a.id < b.id ? -1 : 1));
    const rows = sorted.map((doc) => ({
      id: doc.id, kind: doc.kind, council_id: doc.councilId, council_name: doc.councilName, title: doc.title,
      summary: doc.summary, body: doc.body, service_area: doc.serviceArea, tags: doc.tags, status: doc.status,
      region: doc.region, council_kind: doc.councilKind, phase: doc.phase, outcome: doc.outcome,
      published_at: doc.publishedAt, updated_at: doc.updatedAt, out_of_date: doc.outOfDate === true,
    }));
    // The indexer's one costly step per document (about 0.1 ms).
    const embeddings = sorted.map((doc) => Buffer.from(embedder.embed(documentText(doc)).buffer).toString('base64'));
    const words = [...new Set(documents.flatMap((doc) => normalizeWords(`${doc.title} ${doc.summary} ${doc.tags.join(' ')}`)))]
      .filter((w) => w.length >= 3 && w.length <= 40 && !/^\d+$/.test(w))
      .sort();
    await db.transaction().execute(async (trx) => {
      await sql`
        insert into search_documents (id, kind, council_id, council_name, title, summary, service_area, tags,
          status, region, council_kind, phase, outcome, published_at, updated_at, out_of_date, indexed_at, search)
        select d.id, d.kind, d.council_id, d.council_name, d.title, d.summary, d.service_area, d.tags, d.status,
          d.region, d.council_kind, d.phase, d.outcome, to_timestamp(d.published_at / 1000.0), to_timestamp(d.updated_at / 1000.0), d.out_of_date, now(), ${DOCUMENT_VECTOR}
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(id uuid, kind text, council_id uuid,
          council_name text, title text, summary text, body text, service_area text, tags text[], status text,
          region text, council_kind text, phase text, outcome text, published_at double precision, updated_at double precision, out_of_date boolean)
        order by d.id
        on conflict (id) do update set kind = excluded.kind, council_id = excluded.council_id,
          council_name = excluded.council_name, title = excluded.title, summary = excluded.summary,
          service_area = excluded.service_area, tags = excluded.tags, status = excluded.status,
          region = excluded.region, council_kind = excluded.council_kind, phase = excluded.phase, outcome = excluded.outcome,
          published_at = excluded.published_at, updated_at = excluded.updated_at, out_of_date = excluded.out_of_date, indexed_at = excluded.indexed_at,
          search = excluded.search`.execute(trx);
      await sql`
        insert into search_vectors (id, kind, embedding)
        select v.id, v.kind, decode(v.embedding, 'base64')
        from unnest(${sql.val(rows.map((row) => row.id))}::uuid[], ${sql.val(rows.map((row) => row.kind))}::text[], ${sql.val(embeddings)}::text[]) as v(id, kind, embedding)
        on conflict (id) do update set kind = excluded.kind, embedding = excluded.embedding, indexed_xid = pg_current_xact_id(), deleted_at = null`.execute(trx);
      if (words.length > 0) {
        await sql`insert into search_words (word) select unnest(${sql.val(words)}::text[]) on conflict do nothing`.execute(trx);
      }
    });
  }

  /**
   * Deleted documents' vectors: emptied and stamped, so that each process's vector index
   * (which reads only rows changed since it last looked) drops them too. Deletions older than
   * an hour are gone for good: an index that has not looked for that long reloads in full.
   */
  async function forgetVectors(trx: Transaction<Database>, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) {
      await sql`update search_vectors set embedding = null, deleted_at = now(), indexed_xid = pg_current_xact_id()
        where id = any(${sql.val([...ids])}::uuid[])`.execute(trx);
    }
    await sql`delete from search_vectors where deleted_at < now() - interval '1 hour'`.execute(trx);
  }

  return {
    name: 'postgres',
    // Cosine from which meaning alone marks a near-duplicate (bench:relevance's labelled pairs);
    // the duplicate warning itself weighs shared words too (likeness.ts).
    duplicateThreshold: 0.6,

    // The migration creates the table and indexes; synonyms apply at query time.
    async ensureSettings() {},

    upsert,

    async delete(ids) {
      if (ids.length === 0) return;
      await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: string }>`delete from search_documents where id = any(${sql.val([...ids])}::uuid[]) returning id`.execute(trx);
        await forgetVectors(trx, rows.map((row) => row.id));
      });
    },

    search: (request) => searchPostgres(db, synonyms, { embedder, vectors, words }, request, options),

    // Exact nearest neighbours of the text's vector; the score is their cosine similarity.
    // Fresh: an item indexed a moment ago must count (a draft checked just after it).
    async moreLikeThis(request: SimilarRequest): Promise<SimilarHit[]> {
      const vector = embedder.embed(request.text);
      if (vector.every((x) => x === 0)) return [];
      const nearest = await vectors.nearest(vector, { limit: request.limit, floor: 0, kinds: request.kinds, excludeIds: request.excludeIds, fresh: true });
      if (nearest.length === 0) return [];
      const rows = await db.selectFrom('search_documents')
        .select(['id', 'kind', 'council_id', 'council_name', 'title', 'summary', 'service_area', 'tags', 'status', 'region', 'council_kind', 'phase', 'outcome', 'published_at', 'updated_at'])
        .where('id', 'in', nearest.map((n) => n.id)).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return nearest.flatMap(({ id, similarity }) => {
        const r = byId.get(id);
        if (!r) return [];
        return [{
          score: Math.round(Math.max(0, similarity) * 1000) / 1000,
          document: {
            id: r.id, kind: r.kind, councilId: r.council_id, councilName: r.council_name, title: r.title, summary: r.summary,
            serviceArea: r.service_area, tags: r.tags, status: r.status,
            region: r.region ?? '', councilKind: r.council_kind ?? '', phase: r.phase, outcome: r.outcome,
            publishedAt: r.published_at ? new Date(r.published_at).getTime() : null, updatedAt: new Date(r.updated_at).getTime(),
          },
        }];
      });
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
          await db.transaction().execute(async (trx) => {
            const { rows } = await sql<{ id: string }>`delete from search_documents where indexed_at < ${started}::timestamptz returning id`.execute(trx);
            await forgetVectors(trx, rows.map((row) => row.id));
          });
          await onSwapEnqueued?.();
          await sql`alter index search_documents_search_idx set (fastupdate = off)`.execute(db);
          await sql`select gin_clean_pending_list('search_documents_search_idx')`.execute(db);
          // Every row changed: vacuum reclaims the old versions and marks the pages visible to
          // all, so the first searches after a rebuild do not pay for that (a search after a
          // 100,000-document rebuild took a third longer until autovacuum came by); fresh
          // statistics keep the planner on the GIN index.
          await sql`vacuum (analyze) search_documents`.execute(db);
        },
      };
    },
  };
}
