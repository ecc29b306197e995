import { DomainError } from '../kernel/errors.js';

/**
 * The search engine did not answer in time or said it is overloaded: clients get the code
 * SEARCH_UNAVAILABLE (the web page says search is unavailable) instead of a masked bug.
 */
export class SearchUnavailableError extends DomainError {
  readonly code = 'SEARCH_UNAVAILABLE';
  constructor(cause: unknown) {
    super('Search is unavailable right now; try again shortly', { cause });
  }
}
