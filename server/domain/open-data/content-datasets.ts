import type { Kysely, Transaction } from 'kysely';
import type { CaseStudyRow, Database, ProblemRow, SolutionRow } from '../../db/database.js';
import { encodeGlobalId } from '../../kernel/global-id.js';
import { CASE_STUDY_OUTCOMES, CASE_STUDY_STATUSES } from '../case-studies.js';
import type { ContentTable } from '../content-rows.js';
import { PROBLEM_STATUSES } from '../problems.js';
import { COUNCIL_KINDS } from '../councils.js';
import { SERVICE_AREA_CODES } from '../service-areas.js';
import { COST_BANDS, SOLUTION_KINDS, SOLUTION_PHASES } from '../solution-input.js';
import { SOLUTION_STATUSES } from '../solution-model.js';
import { isoDate, type Column } from './columns.js';
import { defineDataset } from './dataset.js';
import { isPublic, shownStatuses } from '../public-rows.js';

/** The owning council's region and kind, joined to every content row (the facets of issue 16). */
interface OwnerFacts {
  council_region: string;
  council_kind: string;
}

type ContentRow = (ProblemRow | SolutionRow | CaseStudyRow) & OwnerFacts;

/**
 * Published, unarchived rows by id: drafts never leave their council, and archived items are
 * hidden from listings and search, so they are hidden here too (see isPublic in ../public-rows.ts).
 */
function publishedRows(db: Kysely<Database>, table: ContentTable) {
  return db
    .selectFrom(table as 'problems')
    .innerJoin('councils as owner', 'owner.id', `${table as 'problems'}.council_id`)
    .where(isPublic(table as 'problems'))
    .orderBy(`${table as 'problems'}.id`);
}

function publishedPage<Row extends ContentRow>(table: ContentTable) {
  return (trx: Transaction<Database>, after: Row | null, limit: number) => publishedRows(trx, table)
    .selectAll(table as 'problems')
    .select(['owner.region as council_region', 'owner.kind as council_kind'])
    .$if(after !== null, (q) => q.where(`${table as 'problems'}.id`, '>', after!.id))
    .limit(limit)
    .execute() as Promise<Row[]>;
}

/** The columns problems, solutions and case studies share, in the API's words. */
function contentColumns<Row extends ContentRow>(typename: string, table: ContentTable, statuses: readonly string[]) {
  const head: Column<Row>[] = [
    { name: 'id', type: 'id', idOf: typename, description: `The ${typename}'s global id in the API (node(id:)), also the last part of its page address`, value: (r) => encodeGlobalId(typename, r.id), source: `${table}.id` },
    { name: 'council_id', type: 'id', idOf: 'Council', description: 'The council that published it (councils file, id)', value: (r) => encodeGlobalId('Council', r.council_id), source: `${table}.council_id` },
    { name: 'title', type: 'text', description: 'Title', value: (r) => r.title, source: `${table}.title` },
    { name: 'summary', type: 'text', description: 'Summary, plain text', value: (r) => r.summary, source: `${table}.summary` },
    { name: 'body', type: 'text', description: 'The full text, in Markdown', value: (r) => r.body, source: `${table}.body` },
    { name: 'service_area', type: 'code', values: SERVICE_AREA_CODES, description: 'Service area (the hub\'s one taxonomy; the API\'s ServiceArea enum)', value: (r) => r.service_area, source: `${table}.service_area` },
    { name: 'tags', type: 'tags', description: 'Tags, lower case; in CSV separated by "; "', value: (r) => r.tags, source: `${table}.tags` },
    { name: 'status', type: 'code', values: shownStatuses(statuses), description: 'Status (archived items are left out)', value: (r) => r.status, source: `${table}.status` },
  ];
  const tail: Column<Row>[] = [
    { name: 'sample', type: 'boolean', description: 'Part of the sample data loaded to try the hub (a demo), not a council\'s own account', value: (r) => r.sample, source: `${table}.sample` },
    { name: 'created_at', type: 'datetime', description: 'When it was first written', value: (r) => isoDate(r.created_at), source: `${table}.created_at` },
    { name: 'published_at', type: 'datetime', description: 'When it was published', value: (r) => isoDate(r.published_at), source: `${table}.published_at` },
    { name: 'updated_at', type: 'datetime', description: 'When it last changed', value: (r) => isoDate(r.updated_at), source: `${table}.updated_at` },
    // Added after v1 shipped, at the end so that the columns before keep their places.
    { name: 'council_region', type: 'text', description: 'The region of the council that published it, spelled as the councils file spells it (region), as of the download', value: (r) => r.council_region, source: 'owner.region' },
    { name: 'council_kind', type: 'code', values: COUNCIL_KINDS, description: 'The type of the council that published it (councils file, kind), as of the download', value: (r) => r.council_kind, source: 'owner.kind' },
  ];
  return { head, tail };
}

const problem = contentColumns<ProblemRow & OwnerFacts>('Problem', 'problems', PROBLEM_STATUSES);
export const PROBLEMS = defineDataset<ProblemRow & OwnerFacts>({
  name: 'problems', version: 1, title: 'Problems',
  description: 'Every published problem: what councils share and need solved.',
  columns: [
    ...problem.head,
    { name: 'supporter_count', type: 'integer', description: 'Councils that said "we have this too" (supports file)', value: (r) => r.supporter_count, source: 'problems.supporter_count' },
    { name: 'solution_count', type: 'integer', description: 'Published solutions linked to it, archived ones included (the API\'s solutionCount)', value: (r) => r.solution_count, source: 'problems.solution_count' },
    { name: 'adoption_count', type: 'integer', description: 'Councils that adopted one of those solutions', value: (r) => r.adoption_count, source: 'problems.adoption_count' },
    { name: 'source_url', type: 'url', nullable: true, description: 'A public page where it was published before', value: (r) => r.source_url, source: 'problems.source_url' },
    ...problem.tail,
  ],
  page: publishedPage<ProblemRow & OwnerFacts>('problems'),
  rows: (db) => publishedRows(db, 'problems'),
});

const solution = contentColumns<SolutionRow & OwnerFacts>('Solution', 'solutions', SOLUTION_STATUSES);
export const SOLUTIONS = defineDataset<SolutionRow & OwnerFacts>({
  name: 'solutions', version: 1, title: 'Solutions',
  description: 'Every published solution: software, service patterns, processes, data standards, procurement routes and guidance councils can reuse.',
  columns: [
    ...solution.head,
    { name: 'kind', type: 'code', values: SOLUTION_KINDS, description: 'What sort of solution it is', value: (r) => r.kind, source: 'solutions.kind' },
    { name: 'phase', type: 'code', values: SOLUTION_PHASES, description: 'Its phase, in the GOV.UK service phases', value: (r) => r.phase, source: 'solutions.phase' },
    { name: 'licence', type: 'text', nullable: true, description: 'Its licence, e.g. MIT or OGL-UK-3.0', value: (r) => r.licence, source: 'solutions.licence' },
    { name: 'url', type: 'url', nullable: true, description: 'Where to find it', value: (r) => r.url, source: 'solutions.url' },
    { name: 'cost_band', type: 'code', values: COST_BANDS, nullable: true, description: 'Rough first-year cost for one council to adopt it', value: (r) => r.cost_band, source: 'solutions.cost_band' },
    { name: 'adoption_count', type: 'integer', description: 'Councils that recorded a stage with it (adoptions file)', value: (r) => r.adoption_count, source: 'solutions.adoption_count' },
    { name: 'problem_count', type: 'integer', description: 'Published problems it addresses, archived ones included (the API\'s problemCount)', value: (r) => r.problem_count, source: 'solutions.problem_count' },
    { name: 'source_url', type: 'url', nullable: true, description: 'A public page where it was published before', value: (r) => r.source_url, source: 'solutions.source_url' },
    ...solution.tail,
  ],
  page: publishedPage<SolutionRow & OwnerFacts>('solutions'),
  rows: (db) => publishedRows(db, 'solutions'),
});

const caseStudy = contentColumns<CaseStudyRow & OwnerFacts>('CaseStudy', 'case_studies', CASE_STUDY_STATUSES);
export const CASE_STUDIES = defineDataset<CaseStudyRow & OwnerFacts>({
  name: 'case-studies', version: 1, title: 'Case studies',
  description: 'Every published case study: what a council did, how it turned out and what it learned.',
  columns: [
    ...caseStudy.head,
    { name: 'outcome', type: 'code', values: CASE_STUDY_OUTCOMES, description: 'What happened', value: (r) => r.outcome, source: 'case_studies.outcome' },
    { name: 'lessons', type: 'text', description: 'What the council learned, in Markdown', value: (r) => r.lessons, source: 'case_studies.lessons' },
    { name: 'cost_pounds', type: 'integer', nullable: true, description: 'What it cost, in pounds, as the council states it', value: (r) => r.cost_pounds, source: 'case_studies.cost_pounds' },
    { name: 'savings_claimed_pounds', type: 'integer', nullable: true, description: 'Savings the council claims, in pounds', value: (r) => r.savings_claimed_pounds, source: 'case_studies.savings_claimed_pounds' },
    { name: 'evidence_url', type: 'url', nullable: true, description: 'A public page that backs it', value: (r) => r.evidence_url, source: 'case_studies.evidence_url' },
    ...caseStudy.tail,
  ],
  page: publishedPage<CaseStudyRow & OwnerFacts>('case_studies'),
  rows: (db) => publishedRows(db, 'case_studies'),
});
