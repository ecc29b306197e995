import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, fetchExchange, stringifyDocument } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createTwoCouncils } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
// With __typename already on every selection, as the clients' caches would add it, so each
// client hashes the text it sends; urql and Apollo print it differently: both are listed.
const LISTED = gql`query Councils { councils(first: 5) { __typename edges { __typename node { __typename id name } } } }`;
const UNLISTED = gql`query Problems { problems(first: 1) { __typename edges { __typename node { __typename id } } } }`;

/** What each request the client sent carried: a hash, the text, or both. */
type Sent = { hash: boolean; query: boolean };

function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : {};
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const extensions = body.extensions ?? (url.searchParams.has('extensions') ? JSON.parse(url.searchParams.get('extensions')!) : undefined);
    sent.push({ hash: extensions?.persistedQuery !== undefined, query: Boolean(body.query ?? url.searchParams.get('query')) });
    return fetch(input, init);
  };
}

function apollo(hub: TestApp, sent: Sent[], apq: boolean) {
  const http = new HttpLink({ uri: `${hub.url}/graphql`, fetch: recordingFetch(sent) });
  const link = apq ? ApolloLink.from([new PersistedQueryLink({ sha256 }), http]) : http;
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

function urql(hub: TestApp, sent: Sent[], apq: boolean) {
  return new Client({
    url: `${hub.url}/graphql`,
    fetch: recordingFetch(sent),
    requestPolicy: 'network-only',
    exchanges: apq ? [persistedExchange({ preferGetForPersistedQueries: false }), fetchExchange] : [fetchExchange],
  });
}

describe.each(testDatabases())('automatic persisted queries with real clients on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let plain: TestApp;
  let listing: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'cc-apq-'));

  beforeAll(async () => {
    database = await engine.create();
    await createTwoCouncils(database.db);
    const file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify(Object.fromEntries([...new Set([print(LISTED), stringifyDocument(LISTED), LISTED.loc!.source.body])].map((text) => [sha256(text), text]))));
    plain = await startTestApp(database);
    listing = await startTestApp(database, { PERSISTED_OPERATIONS_FILE: file });
  });
  afterAll(async () => {
    await plain?.close();
    await listing?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each([
    { client: 'Apollo Client', run: async (hub: TestApp, sent: Sent[], apq: boolean, query = UNLISTED) => (await apollo(hub, sent, apq).query({ query, fetchPolicy: 'network-only' })).data as any },
    { client: 'urql', run: async (hub: TestApp, sent: Sent[], apq: boolean, query = UNLISTED) => {
      const result = await urql(hub, sent, apq).query(query, {}).toPromise();
      if (result.error) throw result.error;
      return result.data;
    } },
  ])('$client', ({ run }) => {
    it('without APQ, sends the text and gets data from either hub', async () => {
      for (const hub of [plain, listing]) {
        const sent: Sent[] = [];
        expect((await run(hub, sent, false)).problems.edges).toEqual([]);
        expect(sent).toEqual([{ hash: false, query: true }]);
      }
    });

    it('on a hub without an allow-list, is told PersistedQueryNotSupported and falls back to the text', async () => {
      const sent: Sent[] = [];
      expect((await run(plain, sent, true)).problems.edges).toEqual([]);
      // The client switches APQ off for this hub: the retry carries the text alone.
      expect(sent).toEqual([{ hash: true, query: false }, { hash: false, query: true }]);
    });

    it('with an allow-list, runs a listed hash at once and resends an unknown one with its text', async () => {
      const listed: Sent[] = [];
      expect((await run(listing, listed, true, LISTED)).councils.edges.length).toBe(2);
      expect(listed).toEqual([{ hash: true, query: false }]);
      const unknown: Sent[] = [];
      expect((await run(listing, unknown, true)).problems.edges).toEqual([]);
      expect(unknown).toEqual([{ hash: true, query: false }, { hash: true, query: true }]);
    });
  });

  it('answers a bare hash as the APQ protocol words it', async () => {
    const post = async (hub: TestApp) => {
      const res = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } } }),
      });
      return (await res.json()).errors[0];
    };
    expect(await post(plain)).toMatchObject({ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } });
    expect(await post(listing)).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  });
});
