import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestDatabaseHandle } from '../support/databases.js';
import type { TestApp } from '../support/test-app.js';

// GraphQL documents and helpers shared by the solution suites.

export const SOLUTION_FIELDS = `id title summary serviceArea tags kind phase licence url costBand status visibility version
  adoptionCount problemCount council { slug } author { name } partners { id slug }`;
export const ERROR_FIELDS = `__typename ... on Error { code message } ... on ValidationError { fields { field message } } ... on ConflictError { currentVersion }`;
const LINK_FIELDS = `link { solution { id problemCount adoptionCount } problem { id solutionCount adoptionCount } }`;

const mutation = (name: string, input: string, data: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ... on ${name[0]!.toUpperCase()}${name.slice(1)}Payload { ${data} } ${ERROR_FIELDS} } }`;

export const CREATE = mutation('createSolution', 'CreateSolutionInput', `solution { ${SOLUTION_FIELDS} }`);
export const UPDATE = mutation('updateSolution', 'UpdateSolutionInput', `solution { ${SOLUTION_FIELDS} }`);
export const PUBLISH = mutation('publishSolution', 'PublishSolutionInput', `solution { ${SOLUTION_FIELDS} }`);
export const ARCHIVE = mutation('archiveSolution', 'ArchiveSolutionInput', `solution { ${SOLUTION_FIELDS} }`);
export const ADOPT = mutation('recordAdoption', 'RecordAdoptionInput',
  `solution { id adoptionCount adoptions { council { slug } stage note updatedAt } }`);
export const LINK = mutation('linkSolutionToProblem', 'LinkSolutionToProblemInput', LINK_FIELDS);
export const UNLINK = mutation('unlinkSolutionFromProblem', 'UnlinkSolutionFromProblemInput', LINK_FIELDS);
export const CREATE_PROBLEM = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } ${ERROR_FIELDS} } }`;
export const PUBLISH_PROBLEM = `mutation($input: PublishProblemInput!) { publishProblem(input: $input) { ... on PublishProblemPayload { problem { id } } ${ERROR_FIELDS} } }`;

export const validSolution = {
  title: 'Online housing repairs form that writes straight into the repairs system',
  summary: 'Tenants report repairs online; jobs land in the housing management system with no re-keying.',
  body: 'Built on our forms platform with an API connector. Open source, documented for other councils.',
  serviceArea: 'HOUSING',
  tags: ['Housing Repairs', 'forms'],
  kind: 'SOFTWARE',
  phase: 'LIVE',
  licence: 'MIT',
  url: 'https://github.com/example-council/repairs-form',
  costBand: 'UNDER_10K',
};

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
export const rawId = (globalID: string) => Buffer.from(globalID, 'base64url').toString().split(':')[1]!;

/** The payload of a one-field mutation result, whatever its name. */
export const payloadOf = (res: { data?: any }) => Object.values(res.data ?? {})[0] as any;

export function solutionHelpers(hub: () => TestApp, database: () => TestDatabaseHandle) {
  async function ok(query: string, input: Record<string, unknown>, token: string) {
    const res = await hub().gql(query, { input }, token);
    expect(res.errors).toBeUndefined();
    const payload = payloadOf(res);
    expect(payload.__typename, JSON.stringify(payload)).toMatch(/Payload$/);
    return payload;
  }
  return {
    ok,
    async createSolution(token: string, overrides: Record<string, unknown> = {}) {
      return (await ok(CREATE, { ...validSolution, ...overrides }, token)).solution;
    },
    async publishedSolution(author: string, editor: string, overrides: Record<string, unknown> = {}) {
      const created = (await ok(CREATE, { ...validSolution, ...overrides }, author)).solution;
      return (await ok(PUBLISH, { id: created.id }, editor)).solution;
    },
    async createProblem(token: string, publishWith?: string) {
      const problem = (await ok(CREATE_PROBLEM, {
        title: 'Repairs requests arrive by phone, email and web', summary: 'No single view of repairs.', serviceArea: 'HOUSING',
      }, token)).problem;
      if (publishWith) await ok(PUBLISH_PROBLEM, { id: problem.id }, publishWith);
      return problem;
    },
    eventCount: async () => Number((await database().db.selectFrom('outbox_events')
      .select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    eventsOf: async (globalID: string) => database().db.selectFrom('outbox_events')
      .select(['type', 'council_id', 'visibility', 'payload', sql<string>`xmin::text`.as('xmin')])
      .where('subject_id', '=', rawId(globalID)).orderBy('position').execute(),
    /** The transaction that last wrote a row: equal for rows written by one transaction. */
    xminOf: async (table: 'solutions' | 'problems', globalID: string) => (await database().db.selectFrom(table)
      .select(sql<string>`xmin::text`.as('xmin')).where('id', '=', rawId(globalID)).executeTakeFirstOrThrow()).xmin,
  };
}
