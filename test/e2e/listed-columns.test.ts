import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCouncil, createMember } from '../support/factories.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { globalId } from '../support/content-rows.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A listing fetches the body, tags and two timestamps only when the query selects a field
 * that reads them (schema/content.ts). Every field of every content type must therefore
 * answer the same from a listing as from `nodes`, which always loads whole rows: a field
 * added later that reads a left-out column, without saying so, fails here.
 */
const LISTINGS = [
  { typename: 'Problem', listing: 'problems' },
  { typename: 'Solution', listing: 'solutions' },
  { typename: 'CaseStudy', listing: 'caseStudies' },
] as const;

interface IntrospectedField {
  name: string;
  args: { type: { kind: string } }[];
  type: { kind: string; ofType: IntrospectedField['type'] | null };
}

describe.each(testDatabases())('content listings fetch the columns their fields read, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let statements: string[] = [];
  const ids = new Map<string, string>();

  beforeAll(async () => {
    database = await engine.create({ onQuery: (sql) => statements.push(sql) });
    hub = await startTestApp(database, { MAX_QUERY_COST: '1000000' });
    const { db } = database;
    const council = await createCouncil(db);
    const author = await createMember(db, council.id);
    const common = {
      council_id: council.id, author_id: author.id, summary: 'A summary', body: '## Background\n\nTenants report damp.',
      service_area: 'housing', tags: ['damp', 'repairs'], visibility: 'published' as const,
      created_at: new Date('2026-01-01T10:00:00Z'), updated_at: new Date('2026-02-01T10:00:00.123Z'), published_at: new Date('2026-01-02T10:00:00Z'),
    };
    const problem = await db.insertInto('problems').values({ ...common, title: 'Damp in tower blocks' }).returning('id').executeTakeFirstOrThrow();
    const solution = await db.insertInto('solutions').values({
      ...common, title: 'Damp sensors', kind: 'software', phase: 'live', licence: 'MIT', url: 'https://example.org/damp', cost_band: 'free',
    }).returning('id').executeTakeFirstOrThrow();
    const caseStudy = await db.insertInto('case_studies').values({
      ...common, title: 'Sensors in 200 flats', outcome: 'worked', lessons: 'Start with the worst blocks', cost_pounds: 12000,
    }).returning('id').executeTakeFirstOrThrow();
    ids.set('Problem', problem.id).set('Solution', solution.id).set('CaseStudy', caseStudy.id);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  it.each(LISTINGS)('every field of $typename answers the same in `$listing` as in `nodes`', async ({ typename, listing }) => {
    const introspected = await hub.gql(`{ __type(name: "${typename}") { fields {
      name args { type { kind } } type { kind ofType { kind ofType { kind ofType { kind ofType { kind } } } } } } } }`);
    const fields = (introspected.data.__type.fields as IntrospectedField[]).filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'));
    expect(fields.map((f) => f.name)).toEqual(expect.arrayContaining(['body', 'tags', 'updatedAt', 'publishedAt', 'title']));
    const id = globalId(typename, ids.get(typename)!);

    for (const field of fields) {
      const selection = isLeaf(field.type) ? field.name : `${field.name} { __typename }`;
      const listed = await hub.gql(`{ ${listing}(first: 10) { edges { node { id ${selection} } } } }`);
      const loaded = await hub.gql(`{ nodes(ids: ["${id}"]) { ... on ${typename} { id ${selection} } } }`);
      expect(listed.errors, field.name).toBeUndefined();
      expect(loaded.errors, field.name).toBeUndefined();
      expect(listed.data[listing].edges.map((e: { node: unknown }) => e.node), field.name).toEqual(loaded.data.nodes);
    }
  });

  it('leaves the body out of the statement unless a field, fragment or inline fragment selects it', async () => {
    const cases = [
      { query: '{ problems(first: 5) { edges { node { id title tags } } } }', body: false },
      { query: '{ problems(first: 5) { edges { node { id body } } } }', body: true },
      { query: '{ problems(first: 5) { edges { node { id ...Text } } } } fragment Text on Problem { body }', body: true },
      { query: '{ problems(first: 5) { edges { ... on QueryProblemsConnectionEdge { node { ... on Content { body } } } } } }', body: true },
      { query: '{ problems(first: 5) { edges { node { id council { name } author { name } } } } }', body: false },
    ];
    for (const { query, body } of cases) {
      statements = [];
      const res = await hub.gql(query);
      expect(res.errors, query).toBeUndefined();
      const listingStatement = statements.find((sql) => sql.includes('"owner"'));
      expect(listingStatement, query).toBeDefined();
      expect(/"body"|"item"\.\*/.test(listingStatement!), query).toBe(body);
      if (body) expect(res.data.problems.edges[0].node.body).toBe('## Background\n\nTenants report damp.');
    }
  });
});

function isLeaf(type: IntrospectedField['type']): boolean {
  let t: IntrospectedField['type'] | null = type;
  while (t && (t.kind === 'NON_NULL' || t.kind === 'LIST')) t = t.ofType;
  return t?.kind === 'SCALAR' || t?.kind === 'ENUM';
}
