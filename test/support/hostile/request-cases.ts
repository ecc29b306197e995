import { randomBytes } from 'node:crypto';
import { b64, body, CREATE, CREATE_INPUT, gql, JSON_HEADERS, post, range, UPDATE, type HostileCase, type HostileContext } from './requests.js';

function invalidUtf8(): HostileCase[] {
  const sequences = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf8, 0x88, 0x80, 0x80, 0x80],
    [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xbf], [0xf4, 0x90, 0x80, 0x80], [0xc1, 0xbf], [0xfc, 0x80, 0x80, 0x80, 0x80, 0x80]];
  const cases = sequences.map((bad, i) => {
    const where = i % 3 === 0 ? ['{"query":"{ council(slug: \\"', '\\") { name } }"}'] : i % 3 === 1 ? ['{"query":"{ __typename }","variables":{"x":"', '"}}'] : ['{"query":"{ __typename # ', '\\n }"}'];
    return { name: `invalid UTF-8 bytes ${bad.map((b) => b.toString(16)).join(' ')}`, request: post(Buffer.concat([Buffer.from(where[0]!), Buffer.from(bad), Buffer.from(where[1]!)])), code: 'BAD_REQUEST', status: 400 };
  });
  const latin1 = { name: 'a Latin-1 body', request: post(Buffer.from('{"query":"{ council(slug: \\"caf\u00e9\\") { name } }"}', 'latin1')), code: 'BAD_REQUEST', status: 400 };
  const utf16 = { name: 'a UTF-16 body', request: post(Buffer.from('{"query":"{ __typename }"}', 'utf16le')), code: 'BAD_REQUEST', status: 400 };
  const nul = { name: 'NUL bytes in the body', request: post(Buffer.from('{"query":"{ __typename }"}\u0000\u0000')), code: 'BAD_REQUEST', status: 400 };
  const bom = { name: 'random bytes', request: post(randomBytes(512)), code: 'BAD_REQUEST', status: 400 };
  const graphqlBody = { name: 'invalid UTF-8 as application/graphql', request: post(Buffer.from([0x7b, 0x20, 0xff, 0x20, 0x7d]), { 'content-type': 'application/graphql' }), code: /BAD_REQUEST/, status: 400 };
  return [...cases, latin1, utf16, nul, bom, graphqlBody];
}

function malformedRequests(): HostileCase[] {
  const bodies: [string, string][] = [
    ['truncated JSON', '{"query":"{ __typename }"'], ['JSON null', 'null'], ['a JSON number', '42'], ['a JSON string', '"{ __typename }"'],
    ['an empty batch', '[]'], ['a batch of two', '[{"query":"{ __typename }"},{"query":"{ __typename }"}]'], ['a batch of 1000', JSON.stringify(range(1_000).map(() => ({ query: '{ __typename }' })))],
    ['no query', '{}'], ['a numeric query', '{"query":42}'], ['an object query', '{"query":{"a":1}}'], ['an array query', '{"query":["{ __typename }"]}'],
    ['string variables', '{"query":"{ __typename }","variables":"{}"}'], ['list variables', '{"query":"{ __typename }","variables":[1]}'],
    ['string extensions', '{"query":"{ __typename }","extensions":"x"}'], ['list extensions', '{"query":"{ __typename }","extensions":[]}'],
    ['a numeric operationName', '{"query":"{ __typename }","operationName":7}'], ['an unexpected parameter', '{"query":"{ __typename }","rootValue":{"admin":true}}'],
    ['an empty body', ''], ['whitespace', '   \n  '], ['JSON with a trailing comma', '{"query":"{ __typename }",}'], ['single quotes', "{'query':'{ __typename }'}"],
    ['a prototype-polluting body', '{"query":"{ __typename }","__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'],
    ['deeply nested JSON variables', `{"query":"query($v: String!) { council(slug: $v) { name } }","variables":{"v":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`],
  ];
  const cases: HostileCase[] = bodies.map(([name, text]) => ({ name, request: post(text), code: /BAD_REQUEST|BAD_USER_INPUT|OPERATION_RESOLUTION_FAILURE|GRAPHQL_PARSE_FAILED|LIMIT_EXCEEDED/, status: /^4\d\d$/ }));
  return [
    ...cases,
    { name: 'no content type', request: { method: 'POST', body: body('{ __typename }') }, code: 'CSRF_PREVENTED', status: 403 },
    { name: 'a text/plain post', request: post(body('{ __typename }'), { 'content-type': 'text/plain' }), code: 'CSRF_PREVENTED', status: 403 },
    { name: 'a form post', request: post('query=%7B__typename%7D', { 'content-type': 'application/x-www-form-urlencoded' }), code: 'CSRF_PREVENTED', status: 403 },
    { name: 'a multipart post', request: post('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }), code: 'CSRF_PREVENTED', status: 403 },
    { name: 'an XML body', request: post('<query>{ __typename }</query>', { 'content-type': 'application/xml' }), code: 'BAD_REQUEST', status: 415 },
    { name: 'a mutation over GET', request: { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { withdrawSupport(input: { problemId: "x" }) { __typename } }')}` }, code: /BAD_REQUEST|GRAPHQL/, status: 405 },
    { name: 'GET with malformed variables', request: { method: 'GET', path: '/graphql?query=%7B__typename%7D&variables=%7Bnot-json' }, code: /BAD_REQUEST/, status: 400 },
    { name: 'a PUT', request: { method: 'PUT', headers: JSON_HEADERS, body: body('{ __typename }') }, code: /BAD_REQUEST|METHOD/, status: 405 },
    { name: 'a DELETE', request: { method: 'DELETE', headers: JSON_HEADERS }, code: /BAD_REQUEST|METHOD/, status: 405 },
    { name: 'a Content-Length that is not a number', request: post(body('{ __typename }'), { ...JSON_HEADERS, 'content-length': 'ten' }), code: 'BAD_REQUEST', status: 400 },
    { name: 'two Content-Lengths', request: post(body('{ __typename }'), { ...JSON_HEADERS, 'content-length': '26, 5' }), code: 'BAD_REQUEST', status: 400 },
    { name: '40 KB of headers', request: post(body('{ __typename }'), { ...JSON_HEADERS, 'x-padding': 'p'.repeat(40_000) }), code: 'BAD_REQUEST', status: 431 },
  ];
}

function wrongVariableTypes(context: HostileContext): HostileCase[] {
  const auth = { ...JSON_HEADERS, authorization: `Bearer ${context.token}` };
  const update = (input: unknown) => gql(UPDATE, { input }, auth);
  const base = { id: context.problemId, version: 1 };
  const inputs: [string, unknown][] = [
    ['a numeric title', { ...base, title: 42 }], ['a list title', { ...base, title: ['a'] }], ['an object title', { ...base, title: { $gt: '' } }],
    ['a string version', { ...base, version: '1' }], ['a fractional version', { ...base, version: 1.5 }], ['a version past Int', { ...base, version: 2 ** 40 }],
    ['a negative-infinity version', { ...base, version: -1e309 }], ['a null version', { ...base, version: null }], ['no version', { id: context.problemId }],
    ['a numeric id', { ...base, id: 123 }], ['a null id', { ...base, id: null }], ['a boolean id', { ...base, id: true }],
    ['an unknown service area', { ...base, serviceArea: 'ROCKET_SCIENCE' }], ['a lower-case enum', { ...base, serviceArea: 'waste' }], ['a numeric enum', { ...base, serviceArea: 3 }],
    ['numeric tags', { ...base, tags: [1, 2] }], ['nested tag lists', { ...base, tags: [['a']] }], ['object tags', { ...base, tags: [{}] }],
    ['an unknown status', { ...base, status: 'DELETED' }], ['an unknown input field', { ...base, councilId: context.councilId }], ['__proto__ in input', JSON.parse(`{"id":"${context.problemId}","version":1,"__proto__":{"x":1}}`)],
    ['a string input', 'title=x'], ['a list input', [base]], ['a null input', null],
  ];
  const queries: [string, string, unknown][] = [
    ['first as a string', 'query($n: Int) { problems(first: $n) { edges { node { id } } } }', { n: 'ten' }],
    ['first as a float', 'query($n: Int) { problems(first: $n) { edges { node { id } } } }', { n: 2.5 }],
    ['a Boolean as "yes"', 'query($d: Boolean) { problems(first: 1, filter: { includeDrafts: $d }) { edges { node { id } } } }', { d: 'yes' }],
    ['an undeclared variable', '{ problems(first: $n) { edges { node { id } } } }', { n: 1 }],
    ['a variable of the wrong type', 'query($n: String) { problems(first: $n) { edges { node { id } } } }', { n: '1' }],
    ['a missing required variable', 'query($slug: String!) { council(slug: $slug) { name } }', {}],
  ];
  return [
    // A malformed id inside a mutation's input is a typed ValidationError in its payload.
    ...inputs.map(([name, input]) => ({ name, request: update(input), code: /BAD_USER_INPUT|INVALID_ID|VALIDATION_FAILED/ })),
    ...queries.map(([name, query, variables]) => ({ name, request: gql(query, variables), code: /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/ })),
  ];
}

function unknownOperations(): HostileCase[] {
  const docs: [string, string, string | undefined, string | RegExp][] = [
    ['an operationName not in the document', 'query A { __typename }', 'B', 'OPERATION_RESOLUTION_FAILURE'],
    ['two operations without a name to pick', 'query A { __typename } query B { __typename }', undefined, 'OPERATION_RESOLUTION_FAILURE'],
    ['duplicate operation names', 'query A { __typename } query A { viewer { __typename } }', 'A', 'GRAPHQL_VALIDATION_FAILED'],
    ['anonymous among named', '{ __typename } query B { __typename }', 'B', 'GRAPHQL_VALIDATION_FAILED'],
    ['a subscription the schema lacks', 'subscription { dropAllTables { id } }', undefined, /BAD_REQUEST|GRAPHQL_VALIDATION_FAILED/],
    ['an unknown field', '{ adminPasswords }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown type condition', '{ ... on Secret { id } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown argument', '{ problems(first: 1, sql: "drop table problems") { edges { node { id } } } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a field on a scalar', '{ viewer { member { name { first } } } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an object without a selection', '{ viewer }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an SDL document', 'type Query { hacked: String }', undefined, /GRAPHQL_VALIDATION_FAILED|OPERATION_RESOLUTION_FAILURE/],
    ['a schema definition', 'schema { query: Query }', undefined, /GRAPHQL_VALIDATION_FAILED|OPERATION_RESOLUTION_FAILURE/],
    ['an empty document', '', undefined, /BAD_REQUEST|GRAPHQL_PARSE_FAILED/],
    ['a comment only', '# nothing', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a keyword only', 'query', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['unbalanced braces', '{ viewer { member { name }', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['an unterminated string', '{ council(slug: "abc) { name } }', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a block string bomb', `{ council(slug: """${'\\"""'.repeat(6_000)}""") { name } }`, undefined, 'LIMIT_EXCEEDED'],
    ['control characters', '{ __typename \u0007 }', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['a NUL escape in a string literal', `{ council(slug: "${'\\u0000'.repeat(3_000)}") { name } }`, undefined, 'BAD_USER_INPUT'],
    ['an invalid escape', '{ council(slug: "\\x41") { name } }', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['variables defined twice', 'query($a: Int, $a: Int) { __typename }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unused variable with a bad default', 'query($a: Int = "x") { __typename }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a mutation field in a query', '{ createProblem(input: {}) { __typename } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an interface without a type', '{ node(id: "x") }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a directive in the wrong place', 'query @skip(if: true) { __typename }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a conflicting alias', '{ x: viewer { __typename } x: council(slug: "a") { name } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['an int overflow literal', '{ problems(first: 99999999999999999999) { edges { node { id } } } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a negative page size', '{ problems(first: -5) { edges { node { id } } } }', undefined, /BAD_USER_INPUT|VALIDATION_FAILED|GRAPHQL/],
    ['a garbage cursor', '{ problems(first: 1, after: "\' OR 1=1 --") { edges { node { id } } } }', undefined, 'VALIDATION_FAILED'],
  ];
  return docs.map(([name, query, operationName, code]) => ({ name, request: post(body(query, undefined, operationName ? { operationName } : {})), code }));
}

function malformedIds(context: HostileContext): HostileCase[] {
  const ids = [
    '', ' ', 'x', '1', '-1', 'null', 'undefined', '../../etc/passwd', "' OR 1=1 --", '<script>', '%00', '\u0007',
    b64('Problem'), b64('Problem:'), b64(':' + context.problemId.slice(0, 8)), b64('Problem:not-a-uuid'), b64('problem:00000000-0000-4000-8000-000000000000'),
    b64('Problem:00000000-0000-4000-8000-00000000000'), b64('Problem:00000000-0000-4000-8000-0000000000000'), b64('Problem:00000000-0000-4000-8000-000000000000:extra'),
    b64('Secret:00000000-0000-4000-8000-000000000000'), b64('Problem:' + "0'; drop table problems; --"), b64('A'.repeat(65) + ':00000000-0000-4000-8000-000000000000'),
    'A'.repeat(201), '====', '@@@@', b64('\u0000Problem:00000000-0000-4000-8000-000000000000'), b64('Prob lem:00000000-0000-4000-8000-000000000000'),
    Buffer.from('Problem:00000000-0000-4000-8000-000000000000').toString('hex'), 'x'.repeat(100_000),
  ];
  return ids.map((id, i) => ({
    name: `malformed global ID #${i} (${JSON.stringify(id.slice(0, 24))})`,
    request: i % 2 === 0 ? gql('query($id: ID!) { node(id: $id) { id } }', { id }) : gql(UPDATE, { input: { id, version: 1, title: 'x' } }, { ...JSON_HEADERS, authorization: `Bearer ${context.token}` }),
    // node(id:) answers INVALID_ID; a mutation names the field in a ValidationError payload.
    code: i % 2 === 0 ? 'INVALID_ID' : 'VALIDATION_FAILED',
  }));
}

function forgedTokens(): HostileCase[] {
  const headers = [
    ...range(18).map(() => `Bearer cc_${randomBytes(32).toString('base64url')}`),
    'Bearer', 'Bearer ', 'bearer cc_', 'Basic YWRtaW46YWRtaW4=', 'Token cc_abc', 'cc_' + 'A'.repeat(43), 'Bearer cc_' + 'A'.repeat(42), 'Bearer cc_' + 'A'.repeat(44),
    'Bearer cc_' + 'A'.repeat(43) + ' extra', 'Bearer  cc_' + '_'.repeat(43), 'Bearer eyJhbGciOiJub25lIn0.eyJhZG1pbiI6dHJ1ZX0.', 'Bearer ' + 'x'.repeat(8_000),
    'Bearer cc_' + '!'.repeat(43), 'Bearer null', 'Bearer undefined', 'Bearer ../../../../etc/passwd', `Bearer cc_${'A'.repeat(43)}, Bearer cc_${'B'.repeat(43)}`, 'Bearer %00',
  ];
  return headers.map((authorization, i) => ({
    name: `forged token #${i} (${authorization.slice(0, 20)})`,
    request: gql(i % 2 === 0 ? '{ viewer { member { name } } }' : CREATE, i % 2 === 0 ? undefined : { input: CREATE_INPUT }, { ...JSON_HEADERS, authorization }),
    code: 'UNAUTHENTICATED', status: 401,
  }));
}

/** Malformed requests: bad bytes, bodies, variables, operations, IDs and tokens. */
export function requestCases(context: HostileContext): HostileCase[] {
  return [...invalidUtf8(), ...malformedRequests(), ...wrongVariableTypes(context), ...unknownOperations(), ...malformedIds(context), ...forgedTokens()];
}
