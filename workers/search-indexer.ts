import type { Kysely } from 'kysely';
import type { Database } from '../server/db/database.js';
import type { StoredEvent } from '../server/events/catalogue.js';
import { loadCouncilDocuments, loadDocuments } from '../server/search/documents.js';
import { SEARCH_INDEXER, SEARCH_KINDS, type SearchEngine, type SearchKind } from '../server/search/engine.js';
import type { Consumer } from './runtime.js';

/**
 * Keeps the search index in step with the outbox. An event says only "this item changed":
 * the indexer loads the item's current state and writes that (or removes the item), so
 * replays, duplicates and out-of-date payloads are harmless. Several events about one item
 * in a batch cost one write.
 */
export function createSearchIndexer({ db, engine }: { db: Kysely<Database>; engine: SearchEngine }): Consumer {
  return {
    name: SEARCH_INDEXER,
    prepare: () => engine.ensureSettings(),

    async handle(events: readonly StoredEvent[], midBatch) {
      const items = new Map<string, SearchKind>();
      const councils = new Set<string>();
      for (const event of events) {
        if ((SEARCH_KINDS as readonly string[]).includes(event.subjectType)) items.set(event.subjectId, event.subjectType as SearchKind);
        // The council's name, region and kind are part of each of its documents; its systems are not.
        else if (event.type === 'council.updated' && !changedOnlySystems(event.payload)) councils.add(event.subjectId);
      }
      const current = await loadDocuments(db, [...items].map(([id, kind]) => ({ id, kind })));
      const upserts = new Map([...current].flatMap(([id, doc]) => (doc ? [[id, doc] as const] : [])));
      for (const doc of await loadCouncilDocuments(db, [...councils])) upserts.set(doc.id, doc);
      const deletes = [...current].filter(([, doc]) => doc === null).map(([id]) => id);
      // Both resolve only once the engine has the change durably (Meilisearch: task succeeded).
      await engine.delete(deletes);
      await midBatch();
      await engine.upsert([...upserts.values()]);
    },
  };
}

function changedOnlySystems(payload: Readonly<Record<string, unknown>>): boolean {
  return Array.isArray(payload.changed) && payload.changed.length === 1 && payload.changed[0] === 'systems';
}
