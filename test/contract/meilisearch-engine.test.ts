import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { describe } from 'vitest';
import { createMeilisearchEngine } from '../../server/search/meilisearch-engine.js';
import { searchEngineContract } from './search-engine-contract.js';
import { testEmbedder } from '../support/embedder.js';

const url = process.env.MEILISEARCH_URL;
const apiKey = process.env.MEILISEARCH_API_KEY;

if (!url) {
  console.warn('\n*** SKIPPED: the SearchEngine contract against Meilisearch. Set MEILISEARCH_URL (and MEILISEARCH_API_KEY) to run it.'
    + '\n*** This run checks the Meilisearch adapter only at the wire (test/contract/meilisearch-wire.test.ts).\n');
}

describe.skipIf(!url)('the Meilisearch search engine (MEILISEARCH_URL)', () => {
  searchEngineContract(async () => {
    const indexUid = `cc_contract_${randomBytes(4).toString('hex')}`;
    const engine = createMeilisearchEngine({ url: url!, apiKey, indexUid, embedder: await testEmbedder() });
    return {
      engine,
      async close() {
        const client = new Meilisearch({ host: url!, ...(apiKey ? { apiKey } : {}) });
        await client.deleteIndex(indexUid).waitTask();
      },
    };
  });
});
