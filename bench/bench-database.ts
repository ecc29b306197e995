import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { createApiToken } from '../server/auth/tokens.js';
import type { Database } from '../server/db/database.js';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { SERVICE_AREA_CODES } from '../server/domain/service-areas.js';
import { COUNCILS } from '../seeds/councils.js';
import { PROBLEMS } from '../seeds/problems.js';

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates a fresh, migrated PostgreSQL database for one benchmark run. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `cc_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * Real councils, one author each, and `count` problems of which about one in ten is a
 * draft and one in twenty archived, so the published listing has rows to skip. The counts
 * are stored columns (kept by the services), so they are written directly here.
 */
export async function seedProblems(url: string, count: number): Promise<void> {
  const { db, close } = await connectDatabase({ url });
  try {
    await migrateToLatest(db);
    const councils = await db.insertInto('councils')
      .values(COUNCILS.map((c) => ({ slug: c.slug, name: c.name, kind: c.kind, region: c.region, gss_code: c.gssCode, website: c.website })))
      .returning('id').execute();
    const authors = await db.insertInto('members')
      .values(councils.map((c, i) => ({ council_id: c.id, name: `Digital team ${i}`, email: `digital-${i}@example.gov.uk`, role: 'editor' as const })))
      .returning(['id', 'council_id']).execute();
    const start = Date.now() - count * 60_000;
    const rows = Array.from({ length: count }, (_, i) => {
      const seed = PROBLEMS[i % PROBLEMS.length]!;
      const author = authors[(i * 7) % authors.length]!;
      const createdAt = new Date(start + i * 60_000);
      const draft = i % 10 === 3;
      return {
        council_id: author.council_id, author_id: author.id,
        title: `${seed.title} (${i})`, summary: seed.summary, body: seed.body,
        service_area: SERVICE_AREA_CODES[i % SERVICE_AREA_CODES.length]!, tags: seed.tags,
        visibility: draft ? 'draft' as const : 'published' as const,
        status: i % 20 === 7 ? 'archived' as const : 'open' as const,
        created_at: createdAt, published_at: draft ? null : createdAt,
        supporter_count: i % 5, adoption_count: i % 3,
      };
    });
    // One statement holds at most 65,535 parameters (13 a row): insert in chunks.
    for (let i = 0; i < rows.length; i += 2_000) await db.insertInto('problems').values(rows.slice(i, i + 2_000)).execute();
    // Statistics, as autovacuum gathers within a minute of a bulk load on a real database:
    // without them the planner takes a keyset page for a handful of rows and reads them all.
    await sql`analyze`.execute(db);
  } finally {
    await close();
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** One council with one editor, and that editor's API token: who publishes in the fan-out benches. */
export async function createBenchEditor(db: Kysely<Database>): Promise<string> {
  const council = await db.insertInto('councils')
    .values({ slug: 'bench-borough', name: 'Bench Borough Council', kind: 'district', region: 'East of England' })
    .returning('id').executeTakeFirstOrThrow();
  const member = await db.insertInto('members')
    .values({ council_id: council.id, name: 'Bench editor', email: 'bench@example.gov.uk', role: 'editor' })
    .returning('id').executeTakeFirstOrThrow();
  return (await createApiToken(db, member.id, 'bench')).token;
}
