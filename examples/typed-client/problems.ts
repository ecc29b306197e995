import { Client, fetchExchange } from '@urql/core';
import { graphql } from './gql/index.js';

// Written once with graphql(...); `npx graphql-codegen` gives each document its types.
const CreateProblem = graphql(`
  mutation CreateProblem($input: CreateProblemInput!) {
    createProblem(input: $input) {
      __typename
      ... on CreateProblemPayload { problem { id title visibility } }
      ... on ValidationError { fields { field message } }
      ... on Error { code message }
    }
  }
`);

export function hubClient(url: string, token: string): Client {
  return new Client({ url: `${url}/graphql`, exchanges: [fetchExchange], fetchOptions: { headers: { authorization: `Bearer ${token}` } } });
}

/** Drafts a problem; every other answer is a typed error, and the switch covers them all. */
export async function draftProblem(client: Client, title: string, summary: string): Promise<string> {
  const { data, error } = await client.mutation(CreateProblem, { input: { title, summary, serviceArea: 'WASTE' } }).toPromise();
  if (!data) throw error;
  const result = data.createProblem;
  switch (result.__typename) {
    case 'CreateProblemPayload': return result.problem.id;
    case 'ValidationError': throw new Error(result.fields.map((f) => `${f.field}: ${f.message}`).join('; '));
    case 'ConflictError': case 'ForbiddenError': case 'NotFoundError': case 'UnauthenticatedError':
      throw new Error(`${result.code}: ${result.message}`);
    default: return result satisfies never;
  }
}
