import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../server/auth/tokens.js';
import { createTransact } from '../../server/db/transact.js';
import { OPERATOR } from '../../server/auth/viewer.js';
import { createServices } from '../../server/services.js';
import { COUNCIL_KINDS } from '../../server/domain/councils.js';
import { COUNCILS } from '../../seeds/councils.js';
import { PROBLEMS } from '../../seeds/problems.js';
import { SOLUTIONS } from '../../seeds/solutions.js';
import { CASE_STUDIES } from '../../seeds/case-studies.js';
import { COMMENTS } from '../../seeds/comments.js';
import { DEMO_TOKEN_FILE, seedIfEmpty, type SeedResult } from '../../seeds/seed.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';

// Seeding runs about 5,600 statements in one transaction, here twice (once interrupted near
// its end); in a full parallel run on two busy cores the hook took over a minute per engine.
const SEED_TIMEOUT_MS = 300_000;
class RolledBack extends Error {}
const seededSupporters = PROBLEMS.reduce((n, p) => n + (p.supporters?.length ?? 0), 0);

describe.each(testDatabases())('seeding on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let dataDir: string;
  let first: SeedResult;

  const count = async (table: 'councils' | 'members' | 'problems' | 'problem_supporters' | 'api_tokens' | 'outbox_events'
    | 'solutions' | 'solution_problems' | 'solution_partners' | 'adoptions' | 'case_studies' | 'case_study_solutions'
    | 'case_study_problems' | 'comments') =>
    Number((await database.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const seed = () => {
    const { db } = database;
    return seedIfEmpty({ db, transact: createTransact(db), dataDir });
  };

  let interrupted: { error: unknown; councils: number; events: number };

  beforeAll(async () => {
    database = await engine.create();
    dataDir = mkdtempSync(join(tmpdir(), 'cc-seed-'));
    // A seed that dies near its end (here: the database refuses the comments, loaded last)...
    await sql`create function refuse_comments() returns trigger language plpgsql as $$
      begin raise exception 'seed interrupted'; end $$`.execute(database.db);
    await sql`create trigger refuse_comments before insert on comments for each row execute function refuse_comments()`.execute(database.db);
    const error = await seed().then(() => undefined, (e: unknown) => e);
    interrupted = { error, councils: await count('councils'), events: await count('outbox_events') };
    await sql`drop trigger refuse_comments on comments`.execute(database.db);
    // ...and the next start, which must still find an empty database to seed.
    first = await seed();
  }, SEED_TIMEOUT_MS);
  afterAll(async () => {
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves nothing behind when it fails half-way, so the next start seeds in full', () => {
    expect(String(interrupted.error)).toMatch(/seed interrupted/);
    expect(interrupted).toMatchObject({ councils: 0, events: 0 });
    expect(first.created).toBe(true);
  });

  it('loads at least 45 councils of every kind into an empty database', async () => {
    expect(first.created).toBe(true);
    const councils = await database.db.selectFrom('councils').select(['slug', 'kind', 'gss_code']).execute();
    expect(councils.length).toBe(COUNCILS.length);
    expect(councils.length).toBeGreaterThanOrEqual(45);
    expect(new Set(councils.map((c) => c.kind))).toEqual(new Set(COUNCIL_KINDS));
    expect(councils.find((c) => c.slug === 'glasgow')?.gss_code).toBe('S12000049');
    // Councils and their members went through the admin services, each with its event.
    const events = await database.db.selectFrom('outbox_events').select('type')
      .where('type', 'in', ['council.created', 'member.added']).execute();
    expect(events.filter((e) => e.type === 'council.created').length).toBe(COUNCILS.length);
    expect(events.filter((e) => e.type === 'member.added').length).toBe(await count('members'));
  });

  it('publishes at least 40 problems through the problem service, with their statuses', async () => {
    const problems = await database.db.selectFrom('problems').select(['title', 'visibility', 'status', 'supporter_count']).execute();
    expect(problems.length).toBe(PROBLEMS.length);
    expect(problems.length).toBeGreaterThanOrEqual(40);
    expect(problems.every((p) => p.visibility === 'published')).toBe(true);
    for (const seeded of PROBLEMS) {
      const row = problems.find((p) => p.title === seeded.title);
      expect(row?.status, seeded.key).toBe(seeded.status ?? 'open');
      expect(row?.supporter_count, seeded.key).toBe(seeded.supporters?.length ?? 0);
    }
    // The service wrote every publish to the outbox; a direct insert would have written none.
    const published = await database.db.selectFrom('outbox_events').select('subject_id')
      .where('type', '=', 'problem.published').execute();
    expect(published.length).toBe(PROBLEMS.length);
  });

  it('records every supporter with its note', async () => {
    expect(await count('problem_supporters')).toBe(seededSupporters);
    expect(first.counts).toMatchObject({ councils: COUNCILS.length, problems: PROBLEMS.length, supporters: seededSupporters });
    const note = await database.db.selectFrom('problem_supporters as s')
      .innerJoin('councils as c', 'c.id', 's.council_id')
      .innerJoin('problems as p', 'p.id', 's.problem_id')
      .select('s.note').where('c.slug', '=', 'belfast').where('p.title', 'like', 'Three thousand HMO%')
      .executeTakeFirstOrThrow();
    expect(note.note).toMatch(/Certificate checks/);
  });

  it('publishes solutions through the solution service, with partners, problem links and adoptions', async () => {
    const sum = (n: (s: (typeof SOLUTIONS)[number]) => number) => SOLUTIONS.reduce((total, s) => total + n(s), 0);
    const rows = await database.db.selectFrom('solutions').select('visibility').execute();
    expect(rows.length).toBe(SOLUTIONS.length);
    expect(rows.every((r) => r.visibility === 'published')).toBe(true);
    expect(await count('solution_partners')).toBe(sum((s) => s.partners?.length ?? 0));
    expect(await count('solution_problems')).toBe(sum((s) => s.problems.length));
    expect(await count('adoptions')).toBe(sum((s) => s.adoptions?.length ?? 0));
    expect(first.counts).toMatchObject({ solutions: SOLUTIONS.length, adoptions: sum((s) => s.adoptions?.length ?? 0) });
    // Counts are the service's derived figures: BOPS addresses one problem and nobody has adopted it outright.
    const bops = await database.db.selectFrom('solutions').select(['problem_count', 'adoption_count'])
      .where('url', '=', 'https://github.com/unboxed/bops').executeTakeFirstOrThrow();
    expect(bops).toEqual({ problem_count: 1, adoption_count: 0 });
    const adopted = await database.db.selectFrom('outbox_events').select('subject_id').where('type', '=', 'solution.adopted').execute();
    expect(adopted.length).toBe(sum((s) => s.adoptions?.length ?? 0));
  });

  it('publishes case studies with their links, then the comments from other councils', async () => {
    const rows = await database.db.selectFrom('case_studies').select(['visibility', 'outcome']).execute();
    expect(rows.length).toBe(CASE_STUDIES.length);
    expect(rows.every((r) => r.visibility === 'published')).toBe(true);
    expect(rows.filter((r) => r.outcome === 'did_not_work').length).toBe(CASE_STUDIES.filter((c) => c.outcome === 'did_not_work').length);
    expect(await count('case_study_solutions')).toBe(CASE_STUDIES.reduce((n, c) => n + c.solutions.length, 0));
    expect(await count('case_study_problems')).toBe(CASE_STUDIES.reduce((n, c) => n + c.problems.length, 0));
    expect(await count('comments')).toBe(COMMENTS.length);
    const bySubject = await database.db.selectFrom('comments').select('subject_type').execute();
    expect(new Set(bySubject.map((c) => c.subject_type))).toEqual(new Set(['problem', 'solution', 'case_study']));
    expect(first.counts).toMatchObject({ caseStudies: CASE_STUDIES.length, comments: COMMENTS.length });
  });

  it('writes a demo token to the data directory that authenticates as a Bristol admin', async () => {
    const file = join(dataDir, DEMO_TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toEqual(first.demoToken);
    expect(saved.council).toBe('Bristol City Council');
    const viewer = await authenticate(database.db, `Bearer ${saved.token}`);
    const bristol = await database.db.selectFrom('councils').select('id').where('slug', '=', 'bristol').executeTakeFirstOrThrow();
    expect(viewer).toMatchObject({ kind: 'member', councilId: bristol.id, role: 'admin' });
  });

  it('marks every seeded council and item as sample data, and nothing a council writes outside it', async () => {
    for (const table of ['councils', 'problems', 'solutions', 'case_studies'] as const) {
      const rows = await database.db.selectFrom(table).select('sample').execute();
      expect(rows.length, table).toBeGreaterThan(0);
      expect(rows.every((r) => r.sample), table).toBe(true);
    }
    await database.db.transaction().execute(async (trx) => {
      const services = createServices({ db: trx, transact: (work) => work(trx) });
      const council = await services.councilAdmin.create(OPERATOR, { slug: 'not-sample', name: 'Not Sample Council', kind: 'district', region: 'London' });
      const member = await services.memberAdmin.add(OPERATOR, { councilId: council.id, name: 'Editor', email: 'editor@not-sample.example.gov.uk', role: 'admin' });
      const viewer = { kind: 'member', memberId: member.id, councilId: council.id, role: 'admin', isPlatformAdmin: false, tokenId: 't' } as const;
      const problem = await services.problems.create(viewer, { title: 'A real problem', summary: 'Written by a council outside the sample.', serviceArea: 'waste' });
      expect({ council: council.sample, problem: problem.sample }).toEqual({ council: false, problem: false });
      const bristol = await trx.selectFrom('members').innerJoin('councils', 'councils.id', 'members.council_id')
        .select(['members.id', 'members.council_id']).where('councils.slug', '=', 'bristol').executeTakeFirstOrThrow();
      const demo = { ...viewer, memberId: bristol.id, councilId: bristol.council_id };
      expect((await services.problems.create(demo, { title: 'Tried in the demo', summary: 'A sample council writes sample data.', serviceArea: 'waste' })).sample).toBe(true);
      // Leave the seeded database as it was for the other tests.
      throw new RolledBack();
    }).catch((error: unknown) => { if (!(error instanceof RolledBack)) throw error; });
  });

  it('dates the history in a consistent order, in the past, with its events at the same times', async () => {
    const now = Date.now();
    for (const table of ['problems', 'solutions', 'case_studies'] as const) {
      const rows = await database.db.selectFrom(table).select(['created_at', 'published_at', 'updated_at']).execute();
      for (const r of rows) {
        expect(r.published_at!.getTime(), table).toBeGreaterThan(r.created_at.getTime());
        expect(r.updated_at.getTime(), table).toBeGreaterThanOrEqual(r.published_at!.getTime());
        expect(r.updated_at.getTime(), table).toBeLessThan(now);
      }
    }
    const late = async (query: string) => Number((await sql<{ n: string }>`${sql.raw(query)}`.execute(database.db)).rows[0]!.n);
    expect(await late(`select count(*) as n from problem_supporters s join problems p on p.id = s.problem_id where s.created_at <= p.published_at`)).toBe(0);
    expect(await late(`select count(*) as n from adoptions a join solutions s on s.id = a.solution_id where a.created_at <= s.published_at`)).toBe(0);
    expect(await late(`select count(*) as n from solution_problems l join problems p on p.id = l.problem_id where l.created_at <= p.published_at`)).toBe(0);
    expect(await late(`select count(*) as n from comments c left join problems p on p.id = c.subject_id left join solutions s on s.id = c.subject_id
      left join case_studies k on k.id = c.subject_id where c.created_at <= coalesce(p.published_at, s.published_at, k.published_at)`)).toBe(0);
    // The outbox's positions follow its times, and each publish event carries the item's publishing time.
    expect(await late(`select count(*) as n from (select created_at < lag(created_at) over (order by position) as back from outbox_events) e where back`)).toBe(0);
    expect(await late(`select count(*) as n from outbox_events e join problems p on p.id = e.subject_id
      where e.type = 'problem.published' and e.created_at <> p.published_at`)).toBe(0);
    expect(await late(`select count(*) as n from outbox_events where created_at > now()`)).toBe(0);
  });

  it('lists the newest items with dates spread over months, not all from the load', async () => {
    for (const table of ['problems', 'solutions', 'case_studies'] as const) {
      const newest = await database.db.selectFrom(table).select('created_at').where('visibility', '=', 'published')
        .orderBy('created_at', 'desc').limit(20).execute();
      const months = new Set(newest.map((r) => r.created_at.toISOString().slice(0, 7)));
      expect(months.size, table).toBeGreaterThanOrEqual(4);
    }
  });

  it('does nothing the second time, and hands back the same demo token', async () => {
    const tables = ['councils', 'members', 'problems', 'problem_supporters', 'api_tokens', 'outbox_events', 'solutions', 'adoptions', 'case_studies', 'comments'] as const;
    const before = await Promise.all(tables.map(count));
    const second = await seed();
    expect(second).toEqual({ created: false, counts: {}, demoToken: first.demoToken });
    const after = await Promise.all(tables.map(count));
    expect(after).toEqual(before);
  });
});
