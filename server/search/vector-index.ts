import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { SEARCH_KINDS, type SearchKind } from './engine.js';
import { createDotProducts } from './wasm/dot-products.js';

/**
 * The Postgres engine's semantic index: every document's vector in one packed array in
 * this process, searched exactly by brute force (100,000 documents × 100 dimensions is
 * 40 MB and about 2 ms a search, in WebAssembly SIMD: wasm/dot-products.ts). PostgreSQL
 * (search_vectors) stays the source of truth: before a search the index reads the rows
 * indexed since it last looked, so any server process sees what the indexer wrote. Past a
 * few hundred thousand documents, an approximate index (pgvector's HNSW where the database
 * has it, or Meilisearch's) is the path on.
 */
export interface VectorHit {
  readonly id: string;
  readonly similarity: number;
}

export interface VectorIndex {
  /**
   * The `limit` nearest documents with a similarity of at least `floor`, nearest first.
   * `fresh` reads what was indexed up to now even if the index caught up a moment ago: the
   * duplicate warning must see an item published just before the draft it checks.
   */
  /** Reads what was indexed since the last catch-up (at most one read per interval). */
  catchUp(): Promise<void>;
  /** How many documents catch-ups have read so far: grows whenever the index changes. */
  readonly changes: number;
  /** Documents in the index. */
  readonly size: number;
  nearest(query: Float32Array, options: { limit: number; floor: number; kinds?: readonly SearchKind[] | undefined; excludeIds?: readonly string[] | undefined; fresh?: boolean }): Promise<VectorHit[]>;
}

// At most one catch-up read per interval; publish → searchable stays well under a second.
const SYNC_INTERVAL_MS = 200;
// The whole index is re-read now and then: that reclaims deleted documents' slots, and a
// process that has not looked for longer than deletions are kept (an hour) starts afresh.
const FULL_RELOAD_MS = 10 * 60_000;

export function createVectorIndex(db: Kysely<Database>, dimensions: number): VectorIndex {
  let ids: string[] = [];
  // Each slot's kind as a bit (0 once deleted): a kind filter is one AND per scored slot.
  let kindBits = new Uint8Array(1024);
  const matrix = createDotProducts(dimensions);
  let slots = new Map<string, number>();
  // The database snapshot of the last catch-up: a row is new here when the transaction that
  // last wrote it (indexed_xid) was not visible in that snapshot, having committed since or
  // still been running then. Exact, however long a writer's transaction runs, and a quiet
  // index reads nothing (a window of time stamps would re-read a whole reindex for a while).
  let seen: string | undefined;
  let lastSync = 0;
  let lastFull = 0;
  let syncing: Promise<void> | undefined;
  let changes = 0;

  // A deleted document's slot is never matched again (no kind bit) and is reclaimed by the
  // next full reload.
  function remove(id: string) {
    const slot = slots.get(id);
    if (slot === undefined) return;
    kindBits[slot] = 0;
    slots.delete(id);
  }

  function put(id: string, kind: SearchKind, embedding: Uint8Array) {
    let slot = slots.get(id);
    if (slot === undefined) {
      slot = ids.length;
      slots.set(id, slot);
      ids.push(id);
      if (slot >= kindBits.length) {
        const grownKinds = new Uint8Array(kindBits.length * 2);
        grownKinds.set(kindBits);
        kindBits = grownKinds;
      }
    }
    kindBits[slot] = kindBit(kind);
    matrix.setRow(slot, new Float32Array(embedding.buffer.slice(embedding.byteOffset, embedding.byteOffset + dimensions * 4)));
  }

  async function sync(fresh: boolean) {
    const now = Date.now();
    if (!fresh && now - lastSync < SYNC_INTERVAL_MS) return;
    const full = seen === undefined || now - lastFull > FULL_RELOAD_MS;
    // Taken before the read, so whatever the read cannot see yet is invisible in it too, and
    // the next catch-up reads it.
    const { rows: [taken] } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db);
    const since = full ? sql`v.embedding is not null`
      : sql`v.indexed_xid >= pg_snapshot_xmin(${seen}::pg_snapshot) and not pg_visible_in_snapshot(v.indexed_xid, ${seen}::pg_snapshot)`;
    // A deleted document's row comes without its vector (see postgres-engine.ts).
    const { rows } = await sql<{ id: string; kind: SearchKind; embedding: Uint8Array | null }>`
      select v.id, v.kind, v.embedding from search_vectors v where ${since}`.execute(db);
    if (full) {
      ids = [];
      slots = new Map();
      lastFull = now;
    }
    for (const row of rows) {
      if (row.embedding) put(row.id, row.kind, row.embedding);
      else remove(row.id);
    }
    changes += rows.length;
    seen = taken!.snapshot;
    lastSync = Date.now();
  }

  async function catchUp(fresh: boolean) {
    // A catch-up already running may have read before the caller's latest write committed.
    if (fresh) await syncing;
    // One catch-up at a time; searches arriving meanwhile wait for the same one.
    syncing ??= sync(fresh).finally(() => { syncing = undefined; });
    await syncing;
  }

  return {
    catchUp: () => catchUp(false),
    get changes() { return changes; },
    get size() { return slots.size; },
    async nearest(query, { limit, floor, kinds: onlyKinds, excludeIds, fresh = false }) {
      await catchUp(fresh);
      const excluded = new Set(excludeIds ?? []);
      const wanted = onlyKinds?.length ? onlyKinds.reduce((bits, kind) => bits | kindBit(kind), 0) : 0xff;
      const best: VectorHit[] = [];
      let worst = floor;
      const count = ids.length;
      // The whole cost of a search is the dot products (10 million multiplications at
      // 100,000 documents, in SIMD); every other check is made only for a document near
      // enough to be kept.
      const similarities = matrix.dots(query, count);
      for (let slot = 0; slot < count; slot++) {
        const similarity = similarities[slot]!;
        if (similarity < worst || (kindBits[slot]! & wanted) === 0 || excluded.has(ids[slot]!)) continue;
        best.push({ id: ids[slot]!, similarity });
        if (best.length > limit * 2) {
          best.sort((a, b) => b.similarity - a.similarity);
          best.length = limit;
          worst = best[limit - 1]!.similarity;
        }
      }
      return best.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
    },
  };
}

function kindBit(kind: SearchKind): number {
  return 1 << SEARCH_KINDS.indexOf(kind);
}
