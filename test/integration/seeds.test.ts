import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../server/auth/tokens.js';
import { createTransact } from '../../server/db/transact.js';
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
    expect(note.note).toMatch(/NI HMO Unit/);
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

  it('does nothing the second time, and hands back the same demo token', async () => {
    const tables = ['councils', 'members', 'problems', 'problem_supporters', 'api_tokens', 'outbox_events', 'solutions', 'adoptions', 'case_studies', 'comments'] as const;
    const before = await Promise.all(tables.map(count));
    const second = await seed();
    expect(second).toEqual({ created: false, counts: {}, demoToken: first.demoToken });
    const after = await Promise.all(tables.map(count));
    expect(after).toEqual(before);
  });
});
