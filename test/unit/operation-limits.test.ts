import type { GraphQLError } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { OperationLimits } from '../../server/config-hardening.js';
import { useOperationLimits } from '../../server/http/limits/operation-limits.js';

// A schema with the cycles and connections the hub's will grow (problem → solutions →
// problems ...), so depth and cost can be exercised with valid operations.
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query { problem: Problem, problems(first: Int, last: Int): ProblemConnection!, nodes(ids: [ID!]!): [Problem]! }
    type Subscription { problemChanged: Problem! }
    type Problem { id: ID!, title: String!, council: Council!, solutions(first: Int = 2): SolutionConnection!, tags: [Tag!]! }
    type Tag { name: String! }
    type Solution { id: ID!, problems(first: Int): ProblemConnection! }
    type Council { name: String!, problem: Problem }
    type ProblemConnection { edges: [ProblemEdge!]!, pageInfo: PageInfo! }
    type ProblemEdge { node: Problem! }
    type SolutionConnection { edges: [SolutionEdge!]! }
    type SolutionEdge { node: Solution! }
    type PageInfo { hasNextPage: Boolean! }
  `,
  resolvers: {
    Query: { problem: () => problem, problems: () => ({ edges: [], pageInfo: { hasNextPage: false } }), nodes: () => [] },
    Subscription: {
      problemChanged: { subscribe: async function* changes() { yield { problemChanged: problem }; } },
    },
    Council: { name: () => 'Fenland', problem: () => problem },
    Problem: { council: () => ({}), solutions: () => ({ edges: [] }), tags: () => [] },
  },
});
const problem = { id: 'p1', title: 'Missed bins' };

const LIMITS: OperationLimits = { maxDepth: 5, maxAliases: 3, maxTokens: 200, maxDirectives: 2, maxCost: 1_000, maxQueryLength: 2_000, maxResolvedObjects: 1_000, maxListInput: 1_000 };

function yogaWith(plugin: Plugin) {
  return createYoga({ schema, plugins: [plugin], logging: false });
}

async function run(yoga: ReturnType<typeof yogaWith>, query: string, variables?: Record<string, unknown>) {
  const response = await yoga.fetch('http://hub/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...(await response.json()) } as { status: number; data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] };
}

const limited = yogaWith(useOperationLimits({ limits: LIMITS }));
const limitsOf = (res: Awaited<ReturnType<typeof run>>) => (res.errors ?? []).map((e) => e.extensions.limit);

describe('operation limits', () => {
  it('lets an operation within every limit run', async () => {
    const res = await run(limited, '{ problem { id council { name problem { title } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.problem.council.problem.title).toBe('Missed bins');
  });

  it('refuses depth past the limit, counting through fragments but not introspection', async () => {
    const deep = await run(limited, '{ problem { council { problem { council { problem { council { name } } } } } } }');
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxDepth', max: 5 } });
    expect(deep.errors?.[0]?.message).toMatch(/nests 7 fields deep.*maxDepth/);
    const viaFragments = await run(limited, `{ problem { ...A } } fragment A on Problem { council { ...B } }
      fragment B on Council { problem { council { problem { id } } } }`);
    expect(limitsOf(viaFragments)).toEqual(['maxDepth']);
    const introspection = await run(limited, '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(introspection.errors).toBeUndefined();
  });

  it('counts aliases and directives per use of a fragment', async () => {
    expect(limitsOf(await run(limited, '{ a: problem { id } b: problem { id } c: problem { id } d: problem { id } }'))).toEqual(['maxAliases']);
    const spread = await run(limited, '{ problem { ...F ...F } } fragment F on Problem { x: id y: title }');
    expect(spread.errors?.[0]?.message).toMatch(/4 aliases/);
    const directives = await run(limited, '{ problem @include(if: true) { id @skip(if: false) title @skip(if: false) } }');
    expect(limitsOf(directives)).toEqual(['maxDirectives']);
  });

  it('stops parsing at the token limit and refuses over-long documents before parsing', async () => {
    const tokens = await run(limited, `{ problem { ${'id '.repeat(300)} } }`);
    expect(tokens.errors?.[0]).toMatchObject({ extensions: { limit: 'maxTokens', max: 200 } });
    const long = await run(limited, `{ problem { id } } # ${'x'.repeat(3_000)}`);
    expect(long.errors?.[0]?.message).toMatch(/characters long.*maxQueryLength = 2000/);
  });

  it('multiplies cost by first/last and by ids, with variables, and refuses it before execution', async () => {
    let resolved = 0;
    const counting = createYoga({
      schema, logging: false,
      plugins: [useOperationLimits({ limits: { ...LIMITS, maxDepth: 12 } }), { onExecute: () => { resolved++; } } as Plugin],
    });
    // 1 (problems) + 30 edges × (1 edge + 1 node + 1 council) = 91
    const cheap = await run(counting, 'query($n: Int) { problems(first: $n) { edges { node { council { name } } } } }', { n: 30 });
    expect(cheap.errors).toBeUndefined();
    // solutions has no `first` here, so the schema's default of 2 counts:
    // 1 + 20 × (2 + 1 solutions + 2 × (2 + 1 problems + 50 × 2)) = 4,181
    const nested = `query($n: Int) { problems(last: 20) { edges { node { solutions { edges { node { problems(first: $n) { edges { node { id } } } } } } } } } }`;
    const costly = await run(counting, nested, { n: 50 });
    expect(costly.status).toBe(400);
    expect(costly.errors?.[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxCost', max: 1_000 } });
    expect(costly.errors?.[0]?.message).toMatch(/cost 4181 /);
    expect(resolved).toBe(1);
    // The same document with $n = 1 costs 1 + 20 × (3 + 2 × 5) = 261: the variable sets it.
    expect((await run(counting, nested, { n: 1 })).errors).toBeUndefined();
    expect(resolved).toBe(2);
    // A plain list counts as 5 items: 1 (problem) + 5 × 1 (tags) = 6.
    const tight = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxCost: 5 } }));
    expect((await run(tight, '{ problem { tags { name } } }')).errors?.[0]?.message).toMatch(/cost 6 /);
    expect((await run(tight, '{ problem { council { name } } }')).errors).toBeUndefined();
    const ids = Array.from({ length: 600 }, (_, i) => `p${i}`);
    expect(limitsOf(await run(counting, 'query($ids: [ID!]!) { nodes(ids: $ids) { council { name } } }', { ids }))).toEqual(['maxCost']);
  });

  it('refuses a list variable longer than maxListInput, at any depth of the variables', async () => {
    const yoga = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxListInput: 3 } }));
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
    expect((await run(yoga, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(3) })).errors).toBeUndefined();
    const refused = await run(yoga, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(4) });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxListInput', max: 3 } });
    expect(refused.errors?.[0]?.message).toMatch(/list of 4 values/);
  });

  it('keeps a fragment bomb linear to measure', async () => {
    let bomb = 'fragment F0 on Query { problems(first: 1) { edges { node { id } } } }\n';
    for (let i = 1; i <= 40; i++) bomb += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
    const roomy = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxTokens: 5_000 } }));
    const started = performance.now();
    const res = await run(roomy, `{ ...F40 }\n${bomb}`);
    expect(res.errors?.[0]?.extensions.limit).toBe('maxCost');
    expect(res.errors?.[0]?.message).toMatch(/cost 4\.\d+e\+12|cost \d{13}/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('applies to subscriptions, before the source stream starts', async () => {
    const yoga = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxCost: 2 } }));
    const { parse, validate, subscribe, schema: built } = yoga.getEnveloped({});
    const document = parse('subscription { problemChanged { council { problem { id } } } }');
    expect(validate(built, document)).toEqual([]);
    const result = await subscribe({ schema: built, document, contextValue: {} });
    expect(Symbol.asyncIterator in (result as object)).toBe(false);
    expect((result as any).errors[0].extensions).toMatchObject({ limit: 'maxCost' });
    const deep = parse('subscription { problemChanged { council { problem { council { problem { council { name } } } } } } }');
    expect(validate(built, deep).map((e: GraphQLError) => e.extensions.limit)).toEqual(['maxDepth']);
  });

  it('exempts trusted documents and, when asked, refuses every other one', async () => {
    const trustedText = '{ a: problem { id } b: problem { id } c: problem { id } d: problem { id } }';
    const yoga = yogaWith(useOperationLimits({ limits: LIMITS, isTrusted: (text) => text === trustedText, trustedOnly: true }));
    expect((await run(yoga, trustedText)).errors).toBeUndefined();
    const other = await run(yoga, '{ problem { id } }');
    expect(other.status).toBe(403);
    expect(other.errors?.[0]?.extensions.code).toBe('PERSISTED_OPERATION_REQUIRED');
  });
  it('lets each limit be reached exactly, and names the operation in what it refuses', async () => {
    // Depth 5, 3 aliases, 2 directives, 2,000 characters: each exactly at its limit.
    const atLimits = '{ problem { council { problem { council { name } } } } }';
    expect((await run(limited, atLimits)).errors).toBeUndefined();
    expect((await run(limited, '{ a: problem { id } b: problem { id } c: problem { id } }')).errors).toBeUndefined();
    expect((await run(limited, '{ problem @include(if: true) { id @skip(if: false) } }')).errors).toBeUndefined();
    const padded = `{ problem { id } } #`;
    expect((await run(limited, padded + 'x'.repeat(LIMITS.maxQueryLength - padded.length))).errors).toBeUndefined();
    // Cost exactly at the limit: 1 + 333 edges × 3 = 1,000.
    expect((await run(yogaWith(useOperationLimits({ limits: { ...LIMITS, maxDepth: 12 } })),
      'query($n: Int) { problems(first: $n) { edges { node { council { name } } } } }', { n: 333 })).errors).toBeUndefined();

    const named = await run(limited, 'query Deep { problem { council { problem { council { problem { council { name } } } } } } }');
    expect(named.errors?.[0]?.message).toMatch(/^Operation Deep nests 7 fields deep/);
    const anonymous = await run(limited, '{ problem @include(if: true) { id @skip(if: false) title @skip(if: false) } }');
    expect(anonymous.errors?.[0]?.message).toMatch(/^The operation uses 3 directives/);
    const tokens = await run(limited, `{ problem { ${'id '.repeat(300)} } }`);
    expect(tokens.errors?.[0]?.message).toMatch(/^The query has more than 200 tokens/);
    const costly = await run(yogaWith(useOperationLimits({ limits: { ...LIMITS, maxDepth: 12 } })),
      'query($n: Int) { problems(first: $n) { edges { node { council { name } } } } }', { n: 334 });
    expect(costly.errors?.[0]?.message).toMatch(/^The operation would cost 1003 /);
  });

  it('leaves other parse errors and graphql validation as they were', async () => {
    const broken = await run(limited, '{ problem { id }');
    expect(broken.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(broken.errors?.[0]?.extensions.limit).toBeUndefined();
    const unknown = await run(limited, '{ problem { colour } }');
    expect(unknown.errors?.[0]?.message).toMatch(/Cannot query field "colour"/);
  });

  it('finds a long list inside a list of objects in the variables', async () => {
    const yoga = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxListInput: 3 } }));
    const refused = await run(yoga, 'query($x: [ID!]!) { nodes(ids: $x) { id } }', { x: ['p1'], deeper: [{ ids: ['a', 'b', 'c', 'd'] }] });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ limit: 'maxListInput' });
  });

  it('runs a subscription within its limits', async () => {
    const yoga = yogaWith(useOperationLimits({ limits: LIMITS }));
    const { parse, subscribe, schema: built } = yoga.getEnveloped({});
    const result = await subscribe({ schema: built, document: parse('subscription { problemChanged { id } }'), contextValue: {} });
    const first = await (result as AsyncIterableIterator<{ data: unknown }>).next();
    expect(first.value.data).toEqual({ problemChanged: { id: 'p1' } });
  });

  it('exempts a trusted document from the cost limit, and says why it refuses an untrusted one', async () => {
    const expensive = 'query($n: Int) { problems(first: $n) { edges { node { council { name } } } } }';
    const yoga = yogaWith(useOperationLimits({ limits: { ...LIMITS, maxDepth: 12 }, isTrusted: (text) => text === expensive, trustedOnly: true }));
    expect((await run(yoga, expensive, { n: 900 })).errors).toBeUndefined();
    expect((await run(yoga, '{ problem { id } }')).errors?.[0]?.message)
      .toBe('This server runs persisted operations only: send a documentId from the allow-list');
  });
});
