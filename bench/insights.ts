import { sql } from 'kysely';
import { connectDatabase } from '../server/db/connect.js';
import { SERVICE_AREA_CODES } from '../server/domain/service-areas.js';
import { INSIGHTS_QUERY } from '../web/pages/insights-query.js';
import { createBenchDatabase, seedProblems } from './bench-database.js';
import { hubPort, startChildServer } from './child-server.js';

/**
 * The insights page at size: npm run bench:insights -- [items=100000] [repeats=30] [rounds=3]
 * A throw-away PostgreSQL database holds `items` problems (seedProblems: about 85% public),
 * up to four supporting councils on each public problem but one in five, items / 10
 * solutions with adoptions and items / 10 case studies. The hub runs in its own process and
 * is used once /readyz answers. Each round requests, interleaved and sequentially over
 * loopback, GET /insights (the page), POST /graphql with the page's own query (its data
 * alone) and GET /api (a page with no data: the floor, the baseline in the same run); each
 * round's p95, then the median of the rounds. The figures are kept until the log head moves,
 * so GET /insights is also timed just after an event is appended (the figures computed
 * afresh). Goal: the page's p95 < 200 ms at 100,000 items.
 */
const [items = 100_000, repeats = 30, rounds = 3] = process.argv.slice(2).map(Number);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]!;

const database = await createBenchDatabase();
let stop: (() => Promise<void>) | undefined;
try {
  const seeded = performance.now();
  await seedProblems(database.url, items);
  await seedActivity(database.url, Math.round(items / 10));
  console.log(`${items} problems, their supports, ${Math.round(items / 10)} solutions and case studies written in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);
  const server = await startChildServer('server/main.ts', {
    DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', IN_PROCESS_WORKERS: 'false', MEILISEARCH_URL: '', LOG_LEVEL: 'info',
  }, hubPort, [], 300_000); // the first start may convert the word-vector model (about half a minute)
  stop = server.stop;
  const base = `http://127.0.0.1:${server.port}`;
  while ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 100));

  // "cold": the page just after an event, when the kept figures no longer match the log head.
  const { db, close } = await connectDatabase({ url: database.url, poolSize: 1 });
  const council = await db.selectFrom('councils').select('id').limit(1).executeTakeFirstOrThrow();
  const appendEvent = () => sql`insert into outbox_events (type, subject_type, subject_id, council_id, visibility, payload)
    values ('council.updated', 'council', ${council.id}, ${council.id}, 'published', ${JSON.stringify({ v: 1, changed: ['website'] })}::jsonb)`.execute(db);
  const requests = {
    page: () => fetch(`${base}/insights`),
    graphql: () => fetch(`${base}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: INSIGHTS_QUERY }),
    }),
    floor: () => fetch(`${base}/api`),
  };
  const timed = async (request: () => Promise<Response>) => {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return performance.now() - started;
  };
  for (const request of Object.values(requests)) await timed(request); // warm-up
  const p95s = { page: [] as number[], cold: [] as number[], graphql: [] as number[], floor: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const times = { page: [] as number[], cold: [] as number[], graphql: [] as number[], floor: [] as number[] };
    for (let i = 0; i < repeats; i++) {
      for (const name of (i + round) % 2 ? ['cold', 'page', 'graphql', 'floor'] as const : ['floor', 'graphql', 'page', 'cold'] as const) {
        if (name === 'cold') await appendEvent();
        times[name].push(await timed(name === 'cold' ? requests.page : requests[name]));
      }
    }
    for (const name of Object.keys(times) as (keyof typeof times)[]) p95s[name].push(percentile(times[name], 0.95));
    console.log(`round ${round + 1}: p95 /insights ${p95s.page.at(-1)!.toFixed(1)} ms, just after an event ${p95s.cold.at(-1)!.toFixed(1)} ms, its GraphQL query ${p95s.graphql.at(-1)!.toFixed(1)} ms, /api ${p95s.floor.at(-1)!.toFixed(1)} ms`);
  }
  console.log(`/insights at ${items} items, p95 of ${repeats} requests each, median of ${rounds} rounds:`);
  console.log(`  GET /insights (the page):              ${median(p95s.page).toFixed(1)} ms (goal < 200 ms)`);
  console.log(`  GET /insights just after an event:      ${median(p95s.cold).toFixed(1)} ms (the figures computed afresh)`);
  console.log(`  POST /graphql (the page's query alone): ${median(p95s.graphql).toFixed(1)} ms`);
  console.log(`  GET /api (a page with no data: floor):  ${median(p95s.floor).toFixed(1)} ms`);
  await close();
} finally {
  await stop?.();
  await database.drop();
}

/** Supports, solutions, adoptions and case studies in bulk, in SQL: what the insights count. */
async function seedActivity(url: string, count: number): Promise<void> {
  const { db, close } = await connectDatabase({ url });
  try {
    await sql`insert into problem_supporters (problem_id, council_id, member_id, created_at)
      select p.id, m.council_id, m.id, p.created_at + interval '1 day'
      from (select id, council_id, created_at, row_number() over (order by created_at) as n from problems where visibility = 'published') p
      cross join lateral (select id, council_id from members where council_id <> p.council_id order by md5(p.id::text || members.id::text) limit (p.n % 5)) m`.execute(db);
    for (const [table, extra] of [['solutions', sql`, kind, phase`], ['case_studies', sql`, outcome`]] as const) {
      const values = table === 'solutions' ? sql`, 'software', 'live'` : sql`, (array['worked','partly_worked','did_not_work','too_early_to_tell'])[1 + n % 4]`;
      await sql`insert into ${sql.table(table)} (council_id, author_id, title, summary, body, service_area, tags, visibility, created_at, published_at${extra})
        select m.council_id, m.id, 'Bench item ' || n, 'A summary.', '', (array[${sql.join(SERVICE_AREA_CODES.map((c) => sql.lit(c)))}])[1 + n % ${SERVICE_AREA_CODES.length}], '{}',
          'published', now() - (n || ' hours')::interval, now() - (n || ' hours')::interval${values}
        from generate_series(1, ${count}) n cross join lateral (select id, council_id from members order by md5(n::text || id::text) limit 1) m`.execute(db);
    }
    await sql`insert into adoptions (solution_id, council_id, member_id, stage, created_at, updated_at)
      select s.id, m.council_id, m.id, (array['considering','piloting','adopted','adopted'])[1 + (abs(hashtext(s.id::text || m.id::text)) % 4)], s.published_at, s.published_at + interval '7 days'
      from solutions s cross join lateral (select id, council_id from members where council_id <> s.council_id order by md5(s.id::text || members.id::text) limit 3) m`.execute(db);
    await sql`analyze`.execute(db);
  } finally {
    await close();
  }
}
