import { body, CREATE, CREATE_INPUT, gql, JSON_HEADERS, range, stream, type HostileCase, type HostileContext } from './requests.js';

function inlineNest(depth: number): string {
  let inner = 'leaf';
  for (let j = depth - 1; j >= 0; j--) inner = `... on Query { f${j} { ${inner} } }`;
  return inner;
}

/** Deep nesting: invalid fields too, since depth is refused before graphql validates names. */
function deepNesting(): HostileCase[] {
  const nest = (depth: number, open: (i: number) => string) => `{ ${range(depth).map(open).join(' { ')} ${'} '.repeat(depth - 1)}}`;
  return [
    ...range(12).map((i) => ({ name: `${13 + i * 4} nested fields`, request: gql(nest(13 + i * 4, (j) => `f${j}`)), code: 'LIMIT_EXCEEDED', limit: 'maxDepth' })),
    ...range(6).map((i) => ({ name: `${20 + i * 10} nested through inline fragments`, request: gql(`{ ${inlineNest(20 + i * 10)} }`), code: 'LIMIT_EXCEEDED', limit: 'maxDepth' })),
    ...range(6).map((i) => {
      const depth = 14 + i * 5;
      const fragments = range(depth).map((j) => `fragment D${j} on Query { f${j} { ...D${j + 1} } }`).join('\n');
      return { name: `${depth} nested through named fragments`, request: gql(`{ ...D0 }\n${fragments}\nfragment D${depth} on Query { leaf }`), code: 'LIMIT_EXCEEDED', limit: 'maxDepth' };
    }),
    // Valid fields: a problem's solutions' problems' solutions ..., the cycle the schema has.
    ...[7, 9, 12, 16].map((pairs) => ({
      name: `problems and solutions nested ${pairs * 2 + 2} deep`,
      request: gql(`{ problems(first: 1) { edges { node { ${'solutions { problems { '.repeat(pairs)}id${' } }'.repeat(pairs)} } } } }`), code: 'LIMIT_EXCEEDED', limit: 'maxDepth',
    })),
    ...[1, 2, 3].map((pairs) => ({
      name: `100 problems with their solutions' problems ${pairs} times over`,
      request: gql(`{ problems(first: 100) { edges { node { ${'solutions { problems { '.repeat(pairs + 1)}id${' } }'.repeat(pairs + 1)} } } } }`), code: 'LIMIT_EXCEEDED', limit: 'maxCost',
    })),
    ...[700, 2_000, 5_000, 20_000, 100_000, 400_000].map((depth) => ({
      name: `${depth} levels of braces`, request: gql(nest(depth, () => 'a')), code: 'LIMIT_EXCEEDED', limit: /maxTokens|maxQueryLength|maxBodyBytes/,
    })),
  ];
}

function aliasBombs(): HostileCase[] {
  const aliases = (n: number, field: string) => `{ ${range(n).map((i) => `a${i}: ${field}`).join(' ')} }`;
  return [
    ...[31, 50, 100, 200, 400, 600].map((n) => ({ name: `${n} aliases of __typename`, request: gql(aliases(n, '__typename')), code: 'LIMIT_EXCEEDED', limit: 'maxAliases' })),
    ...[31, 60, 120].map((n) => ({ name: `${n} aliased listings`, request: gql(aliases(n, 'problems(first: 100) { edges { node { id } } }')), code: 'LIMIT_EXCEEDED', limit: /maxAliases|maxTokens/ })),
    ...range(10).map((i) => ({ name: `aliases hidden in a fragment spread ${2 + i} times`, request: gql(`{ ${range(2 + i).map((j) => `v${j}: viewer { ...A }`).join(' ')} } fragment A on Viewer { ${range(16).map((k) => `m${k}: member { name }`).join(' ')} }`), code: 'LIMIT_EXCEEDED', limit: 'maxAliases' })),
    ...range(10).map((i) => ({ name: `${31 + i * 40} aliased node lookups`, request: gql(aliases(31 + i * 40, 'node(id: "x") { id }')), code: 'LIMIT_EXCEEDED', limit: /maxAliases|maxTokens/ })),
  ];
}

function fragmentBombs(): HostileCase[] {
  const chain = (levels: number, leaf: string) => {
    let fragments = `fragment F0 on Query { ${leaf} }\n`;
    for (let i = 1; i <= levels; i++) fragments += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
    return `{ ...F${levels} }\n${fragments}`;
  };
  return [
    ...range(10).map((i) => ({ name: `doubling chain of ${10 + i * 3} with aliases`, request: gql(chain(10 + i * 3, 'x: __typename y: __typename')), code: 'LIMIT_EXCEEDED', limit: 'maxAliases' })),
    ...range(10).map((i) => ({ name: `doubling chain of ${8 + i * 3} over a listing`, request: gql(chain(8 + i * 3, 'problems(first: 50) { edges { node { council { name } } } }')), code: 'LIMIT_EXCEEDED', limit: 'maxCost' })),
    ...range(5).map((i) => ({ name: `fragment cycle of ${2 + i}`, request: gql(`{ ...C0 } ${range(2 + i).map((j) => `fragment C${j} on Query { viewer { __typename } ...C${(j + 1) % (2 + i)} }`).join(' ')}`), code: 'GRAPHQL_VALIDATION_FAILED' })),
    ...range(5).map((i) => ({ name: `spread of unknown fragment ${i}`, request: gql(`{ ...Missing${i} }`), code: 'GRAPHQL_VALIDATION_FAILED' })),
  ];
}

function directiveBombs(): HostileCase[] {
  return [
    ...[51, 100, 300, 600].map((n) => ({ name: `${n} @skip directives`, request: gql(`{ __typename ${'@skip(if: false) '.repeat(n)}}`), code: 'LIMIT_EXCEEDED', limit: /maxDirectives|maxTokens/ })),
    ...[51, 200, 900].map((n) => ({ name: `${n} unknown directives`, request: gql(`{ __typename ${'@evil '.repeat(n)}}`), code: 'LIMIT_EXCEEDED', limit: 'maxDirectives' })),
    ...[9, 20, 40].map((n) => ({ name: `two directives on ${n} fields of a fragment spread 3 times`, request: gql(`{ ...D ...D ...D } fragment D on Query { ${range(n).map((i) => `f${i}: __typename @include(if: true) @skip(if: false)`).join(' ')} }`), code: 'LIMIT_EXCEEDED', limit: /maxDirectives|maxAliases/ })),
  ];
}

function hugeInputs(context: HostileContext): HostileCase[] {
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${context.token}` };
  return [
    ...[2_100, 3_000, 6_000].map((n) => ({ name: `${n} tokens`, request: gql(`{ ${'__typename '.repeat(n)}}`), code: 'LIMIT_EXCEEDED', limit: /maxTokens|maxQueryLength/ })),
    ...[20_001, 50_000, 500_000].map((n) => ({ name: `a ${n}-character query`, request: gql(`{ __typename } # ${'x'.repeat(n)}`), code: 'LIMIT_EXCEEDED', limit: 'maxQueryLength' })),
    ...[25_000, 200_000].map((n) => ({ name: `a ${n}-character string literal`, request: gql(`{ council(slug: "${'s'.repeat(n)}") { name } }`), code: 'LIMIT_EXCEEDED', limit: 'maxQueryLength' })),
    ...[1_000, 100_000, 900_000].map((n) => ({ name: `a ${n}-character title`, request: gql(CREATE, { input: { ...CREATE_INPUT, title: 't'.repeat(n) } }, auth), code: 'VALIDATION_FAILED' })),
    ...[101, 1_000].map((n) => ({ name: `${n} tags`, request: gql(CREATE, { input: { ...CREATE_INPUT, tags: range(n).map((i) => `tag ${i}`) } }, auth), code: 'VALIDATION_FAILED' })),
    // Past MAX_LIST_INPUT (1,000) a list is refused before the mutation runs.
    { name: '50000 tags', request: gql(CREATE, { input: { ...CREATE_INPUT, tags: range(50_000).map((i) => `tag ${i}`) } }, auth), code: 'LIMIT_EXCEEDED', limit: 'maxListInput' },
    ...[1_200_000, 5_000_000, 20_000_000].map((n) => ({ name: `a ${n}-byte body`, request: gql(CREATE, { input: { ...CREATE_INPUT, body: 'b'.repeat(n) } }, auth), code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', status: 413 })),
    ...[1_100_000, 3_000_000].map((n) => ({ name: `a ${n}-byte chunked body without a length`, request: () => ({ method: 'POST', headers: JSON_HEADERS, body: stream(body('{ __typename }', { pad: 'p'.repeat(n) })) }), code: 'LIMIT_EXCEEDED', limit: 'maxBodyBytes', status: 413 })),
    ...[3_000, 5_000, 40_000].map((n) => ({ name: `nodes() for ${n} ids`, request: gql('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Problem { council { name } author { name council { name } } } } }', { ids: range(n).map(() => context.problemId) }), code: 'LIMIT_EXCEEDED', limit: /maxCost|maxBodyBytes|maxListInput/ })),
    ...[2_500, 6_000].map((n) => ({ name: `a list literal of ${n} items`, request: gql(`{ problems(first: 1, filter: { tags: [${range(n).map((i) => `"t${i}"`).join(',')}] }) { edges { node { id } } } }`), code: 'LIMIT_EXCEEDED', limit: /maxTokens|maxQueryLength/ })),
    { name: 'a NUL character in a variable', request: gql('query($slug: String!) { council(slug: $slug) { name } }', { slug: 'fen\u0000land' }), code: 'BAD_USER_INPUT' },
    { name: 'a NUL character deep in a list variable', request: gql('query($f: ProblemFilterInput) { problems(first: 1, filter: $f) { edges { node { id } } } }', { f: { tags: ['ok', 'still ok', 'n\u0000l'] } }), code: 'BAD_USER_INPUT' },
    { name: 'a NUL character in a mutation input', request: gql(CREATE, { input: { ...CREATE_INPUT, body: 'line\u0000break' } }, auth), code: /BAD_USER_INPUT|VALIDATION_FAILED/ },
    ...[1e6, 2 ** 31 - 1].map((n) => ({ name: `first: ${n} over nested lists`, request: gql(`{ problems(first: ${n}) { edges { node { council { name } author { council { name } } } } } }`), code: 'LIMIT_EXCEEDED', limit: 'maxCost' })),
  ];
}

/** Documents built to cost: nesting, aliases, fragments, directives and sheer size. */
export function documentCases(context: HostileContext): HostileCase[] {
  return [...deepNesting(), ...aliasBombs(), ...fragmentBombs(), ...directiveBombs(), ...hugeInputs(context)];
}
