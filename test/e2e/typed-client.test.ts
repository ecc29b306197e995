import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { apolloClient } from '../../examples/typed-client/cache.js';
import { draftProblem, hubClient } from '../../examples/typed-client/problems.js';
import type { People } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

describe('the typed client example (GraphQL Code Generator)', () => {
  it('is generated from the current schema: `npx graphql-codegen` changes nothing', async () => {
    const outputs = await generate({ ...config, cwd: root, silent: true }, false);
    expect(outputs.length).toBeGreaterThanOrEqual(4);
    for (const output of outputs) {
      const path = output.filename.startsWith(root) ? output.filename.slice(root.length) : output.filename;
      expect(read(path), `${path} is stale: run npx graphql-codegen`).toBe(output.content);
    }
  }, 60_000);

  it('is in the README word for word', () => {
    const readme = read('README.md');
    for (const file of ['examples/typed-client/problems.ts', 'examples/typed-client/cache.ts']) {
      expect(readme, file).toContain(`\`\`\`ts\n// ${file}\n${read(file)}\`\`\``);
    }
  });
});

describe.each(testDatabases())('the typed client example against a hub on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => ({ database, hub, people } = await openHub(engine)));
  afterAll(() => closeHub(hub, database));

  it('drafts a problem, and reports a refusal through the typed ValidationError branch', async () => {
    const client = hubClient(hub.url, people.a.editor.token);
    const id = await draftProblem(client, 'Blue badge renewals on paper', 'Residents post forms we re-key.');
    expect((await hub.gql('query($id: ID!) { node(id: $id) { ... on Problem { title } } }', { id }, people.a.editor.token)).data.node)
      .toEqual({ title: 'Blue badge renewals on paper' });
    await expect(draftProblem(client, '', 'No title')).rejects.toThrow(/^title: must not be empty/);
  });

  it('keeps fields selected through an interface in a normalised cache given possibleTypes, and loses them without', async () => {
    const id = await draftProblem(hubClient(hub.url, people.a.editor.token), 'Missed bins typed in by hand', 'Crews phone them in.');
    const query = gql`query Item($id: ID!) { node(id: $id) { id ... on Content { title visibility } } }`;
    const withTypes = await apolloClient(hub.url, people.a.editor.token).query({ query, variables: { id } });
    expect(withTypes.data).toEqual({ node: { __typename: 'Problem', id, title: 'Missed bins typed in by hand', visibility: 'DRAFT' } });
    // The same query through a cache that does not know Problem implements Content.
    const bare = new ApolloClient({
      link: new HttpLink({ uri: `${hub.url}/graphql`, headers: { authorization: `Bearer ${people.a.editor.token}` } }),
      cache: new InMemoryCache(),
    });
    const without = await bare.query({ query, variables: { id } }).catch((error: unknown) => ({ data: undefined, error }));
    expect((without.data as { node?: { title?: string } } | undefined)?.node?.title).toBeUndefined();
  });
});
