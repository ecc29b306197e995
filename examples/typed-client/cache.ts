import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import introspection from './possible-types.js';

/**
 * A normalised cache must know which types implement `Node`, `Content` and `Error` and make
 * up each mutation's result union, or it drops fields selected through `... on Content` and
 * `... on Error`. The fragment-matcher plugin writes that map from the schema.
 */
export function apolloClient(url: string, token: string): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${url}/graphql`, headers: { authorization: `Bearer ${token}` } }),
    cache: new InMemoryCache({ possibleTypes: introspection.possibleTypes }),
  });
}
