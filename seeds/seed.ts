import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../server/db/database.js';
import { OPERATOR } from '../server/auth/viewer.js';
import type { Transact } from '../server/db/transact.js';
import { createServices, type Services } from '../server/services.js';
import { COUNCILS } from './councils.js';
import { PROBLEMS } from './problems.js';
import { createSeedEditors } from './editors.js';
import { problemSteps } from './load-problems.js';
import { solutionSteps } from './load-solutions.js';
import { SOLUTIONS } from './solutions.js';
import { caseStudyAndCommentSteps } from './load-case-studies.js';
import { planSeedDates } from './dates.js';
import { runInTimeOrder, SEED_ANCHOR, SEED_START, setClock } from './timeline.js';
import { CASE_STUDIES } from './case-studies.js';
import { COMMENTS } from './comments.js';

export interface SeedResult {
  created: boolean;
  counts: Record<string, number>;
  demoToken?: { council: string; role: string; token: string };
}

const DEMO_COUNCIL = 'bristol';
export const DEMO_TOKEN_FILE = 'demo-token.json';

/**
 * Loads the sample data into an empty database through the domain services, so every row
 * gets its outbox event as a real change would: councils, members and the demo token as
 * the operator (as `npm run admin` does), content as each council's own admin. Councils are
 * marked `sample`, and so is everything they own. Each change happens at its own date in
 * the past (dates.ts, timeline.ts), in time order. The demo token is shown once by design,
 * so its secret is kept in the data directory to print again on restart.
 *
 * The whole load is one transaction: the services run on it (their own `transact` joins
 * it), so a process that dies half-way leaves an empty database that the next start seeds
 * again, never a half-seeded one that "is not empty" and would stay short for good. One
 * commit instead of ~700 is also most of what seeding cost on PGlite. The events commit with
 * the rows, and the doorbell rings once after.
 */
export async function seedIfEmpty(deps: { db: Kysely<Database>; transact: Transact; dataDir: string }): Promise<SeedResult> {
  const { db, dataDir } = deps;
  const existing = await db.selectFrom('councils').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: false, counts: {}, ...readDemoToken(dataDir) };
  return deps.transact(async (trx) => {
    // A council created meanwhile (the admin CLI on PostgreSQL) means the database is in use.
    if (await trx.selectFrom('councils').select('id').limit(1).executeTakeFirst()) {
      return { created: false, counts: {}, ...readDemoToken(dataDir) };
    }
    return loadAll(trx, createServices({ db: trx, transact: (work) => work(trx) }), dataDir);
  });
}

async function loadAll(trx: Transaction<Database>, services: Services, dataDir: string): Promise<SeedResult> {
  await setClock(trx, SEED_START);
  const councilIds = new Map<string, string>();
  for (const c of COUNCILS) {
    const council = await services.councilAdmin.create(OPERATOR, {
      slug: c.slug, name: c.name, kind: c.kind, region: c.region, gssCode: c.gssCode, website: c.website,
    }, { sample: true });
    councilIds.set(c.slug, council.id);
  }
  const editorOf = createSeedEditors(services, COUNCILS, councilIds);

  const dates = planSeedDates({ problems: PROBLEMS, solutions: SOLUTIONS, caseStudies: CASE_STUDIES, comments: COMMENTS });
  const problems = problemSteps(PROBLEMS, { services, editorOf, dates: dates.problems });
  const solutions = solutionSteps(SOLUTIONS, { services, editorOf, councilIds, problemIds: problems.ids, dates: dates.solutions });
  const stories = caseStudyAndCommentSteps({ caseStudies: CASE_STUDIES, comments: COMMENTS },
    { services, editorOf, problemIds: problems.ids, solutionIds: solutions.ids, dates });
  await runInTimeOrder(trx, [...problems.steps, ...solutions.steps, ...stories.steps]);

  await setClock(trx, SEED_ANCHOR);
  const demo = await editorOf(DEMO_COUNCIL);
  const token = await services.apiTokens.create(OPERATOR, { memberId: demo.memberId, label: 'demo token printed at start-up' });
  // A platform admin, so a newcomer can try moderation from the demo sign-in (issue 13).
  await services.memberAdmin.add(OPERATOR, {
    councilId: demo.councilId, name: 'Hub moderator (demo platform admin)', email: `moderator@${DEMO_COUNCIL}.example.gov.uk`, role: 'member', platformAdmin: true,
  });
  const demoToken = { council: COUNCILS.find((c) => c.slug === DEMO_COUNCIL)!.name, role: demo.role, token: token.token };
  // Written before the commit: a seed that committed always has its token file (one that
  // did not commit leaves a file the next seed overwrites).
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, DEMO_TOKEN_FILE), JSON.stringify(demoToken), { mode: 0o600 });
  return {
    created: true,
    counts: {
      councils: councilIds.size, problems: problems.ids.size, supporters: problems.supporters,
      solutions: solutions.ids.size, solutionProblemLinks: solutions.problemLinks, adoptions: solutions.adoptions,
      caseStudies: stories.caseStudies, comments: stories.comments,
    },
    demoToken,
  };
}

function readDemoToken(dataDir: string): Pick<SeedResult, 'demoToken'> {
  try {
    return { demoToken: JSON.parse(readFileSync(join(dataDir, DEMO_TOKEN_FILE), 'utf8')) };
  } catch {
    return {};
  }
}
