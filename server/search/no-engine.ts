import { SearchEngineError, type SearchEngine } from './engine.js';

/**
 * The engine of services built for work that never searches (seeding, the admin CLI):
 * anything that reaches it is a wiring mistake, reported as one.
 */
export function noSearchEngine(): SearchEngine {
  const fail = async (): Promise<never> => { throw new SearchEngineError('no search engine in this process (seeding or the admin CLI)'); };
  return {
    name: 'postgres', duplicateThreshold: 1, ensureSettings: fail, upsert: fail, delete: fail, search: fail, moreLikeThis: fail, beginRebuild: fail,
  };
}
