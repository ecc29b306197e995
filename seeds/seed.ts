import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/database.js';
import type { MemberViewer } from '../server/auth/viewer.js';
import { createApiToken } from '../server/auth/tokens.js';
import type { Services } from '../server/services.js';
import { COUNCILS } from './councils.js';
import { PROBLEMS } from './problems.js';

export interface SeedResult {
  created: boolean;
  counts: Record<string, number>;
  demoToken?: { council: string; role: string; token: string };
}

const DEMO_COUNCIL = 'bristol';
const DEMO_TOKEN_FILE = 'demo-token.json';

/**
 * Loads the seed data into an empty database, through the domain services so every row
 * gets its outbox event as a real publish would. The demo token is shown once by design,
 * so its secret is kept in the data directory to print again on restart.
 */
export async function seedIfEmpty(deps: { db: Kysely<Database>; services: Services; dataDir: string }): Promise<SeedResult> {
  const { db, services, dataDir } = deps;
  const existing = await db.selectFrom('councils').select('id').limit(1).executeTakeFirst();
  if (existing) return { created: false, counts: {}, ...readDemoToken(dataDir) };

  const councilIds = new Map<string, string>();
  for (const council of COUNCILS) {
    const row = await db.insertInto('councils')
      .values({ slug: council.slug, name: council.name, kind: council.kind, region: council.region, gss_code: council.gssCode, website: council.website })
      .returning('id').executeTakeFirstOrThrow();
    councilIds.set(council.slug, row.id);
  }

  const editors = new Map<string, MemberViewer>();
  async function editorOf(slug: string): Promise<MemberViewer> {
    const known = editors.get(slug);
    if (known) return known;
    const councilId = councilIds.get(slug);
    if (!councilId) throw new Error(`seed data names an unknown council: ${slug}`);
    const member = await db.insertInto('members')
      .values({ council_id: councilId, name: `Digital team, ${COUNCILS.find((c) => c.slug === slug)!.name}`, email: `digital@${slug}.example.gov.uk`, role: 'admin' })
      .returning('id').executeTakeFirstOrThrow();
    const viewer: MemberViewer = { kind: 'member', memberId: member.id, councilId, role: 'admin', isPlatformAdmin: false, tokenId: 'seed' };
    editors.set(slug, viewer);
    return viewer;
  }

  let problems = 0;
  for (const seed of PROBLEMS) {
    const viewer = await editorOf(seed.council);
    const problem = await services.problems.create(viewer, seed);
    await services.problems.publish(viewer, problem.id);
    for (const supporter of seed.supporters ?? []) {
      await services.problems.support(await editorOf(supporter.council), problem.id, supporter.note);
    }
    problems++;
  }

  const demo = await editorOf(DEMO_COUNCIL);
  const token = await createApiToken(db, demo.memberId, 'demo token printed at start-up');
  const demoToken = { council: COUNCILS.find((c) => c.slug === DEMO_COUNCIL)!.name, role: demo.role, token: token.token };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, DEMO_TOKEN_FILE), JSON.stringify(demoToken), { mode: 0o600 });
  return { created: true, counts: { councils: COUNCILS.length, problems }, demoToken };
}

function readDemoToken(dataDir: string): Pick<SeedResult, 'demoToken'> {
  try {
    return { demoToken: JSON.parse(readFileSync(join(dataDir, DEMO_TOKEN_FILE), 'utf8')) };
  } catch {
    return {};
  }
}
