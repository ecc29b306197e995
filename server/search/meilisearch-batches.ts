import { MeilisearchApiError } from 'meilisearch';
import { SearchEngineError } from './engine.js';

/**
 * Meilisearch refuses a request body over its payload limit (100 MB by default, set by
 * `--http-payload-size-limit`) with 413, and the same batch would fail on every retry. So
 * documents go in batches whose JSON stays under `maxBytes`, and a batch refused with 413
 * anyway (the server's limit is lower) is halved and sent again.
 */
export async function sendInBatches<T>(documents: readonly T[], maxBytes: number, send: (batch: T[]) => Promise<void>): Promise<void> {
  for (const batch of splitBySize(documents, maxBytes)) await sendHalving(batch, send);
}

/** Consecutive batches, each of whose JSON array is at most `maxBytes` (a lone larger document goes alone). */
export function splitBySize<T>(documents: readonly T[], maxBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 2; // []
  for (const document of documents) {
    const size = Buffer.byteLength(JSON.stringify(document)) + 1; // and its comma
    if (current.length > 0 && bytes + size > maxBytes) {
      batches.push(current);
      [current, bytes] = [[], 2];
    }
    current.push(document);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function sendHalving<T>(batch: T[], send: (batch: T[]) => Promise<void>): Promise<void> {
  try {
    await send(batch);
  } catch (error) {
    if (!(error instanceof MeilisearchApiError) || error.response.status !== 413) throw error;
    if (batch.length === 1) throw new SearchEngineError('a single document is larger than Meilisearch\'s payload limit (raise --http-payload-size-limit)', { cause: error });
    const middle = Math.ceil(batch.length / 2);
    await sendHalving(batch.slice(0, middle), send);
    await sendHalving(batch.slice(middle), send);
  }
}
