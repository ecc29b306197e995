import { resolve } from 'node:path';
import type { Embedder } from '../../server/search/embeddings/embedder.js';
import { loadEmbedder } from '../../server/search/embeddings/load-embedder.js';

/** Where tests and benches keep the converted model (built once by the global set-up). */
export const TEST_MODEL_DIR = resolve('node_modules/.cache/council-commons/models');

let loaded: Promise<Embedder> | undefined;

/** The real embedder, loaded once per process. */
export function testEmbedder(): Promise<Embedder> {
  loaded ??= loadEmbedder(TEST_MODEL_DIR);
  return loaded;
}
