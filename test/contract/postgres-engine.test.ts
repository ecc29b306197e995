import { describe } from 'vitest';
import { createPostgresEngine } from '../../server/search/postgres-engine.js';
import { testDatabases } from '../support/databases.js';
import { searchEngineContract } from './search-engine-contract.js';
import { testEmbedder } from '../support/embedder.js';

describe.each(testDatabases())('the Postgres search engine on $engine', (engine) => {
  searchEngineContract(async () => {
    const database = await engine.create();
    return { engine: createPostgresEngine(database.db, { embedder: await testEmbedder() }), close: () => database.close() };
  });
});
