import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../server/db/connect.js';
import { createBenchDatabase, createBenchEditor } from './bench-database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { connectPool, type ClientPool } from './fanout-clients.js';
import { startProcess, type BenchProcess } from './fanout-process.js';
import { processCpuMs } from './process-cpu.js';

/**
 * Scale-out benchmark: PROCESSES hub server processes on one fresh PostgreSQL database, with
 * SUBSCRIBERS WebSocket subscribers on each. Bursts of BURST concurrent publishes go either all
 * to the first process ("one") or round-robin over every process ("spread"); the two
 * scenarios alternate, round by round, and each figure is the median over ROUNDS rounds.
 * Per process it prints latency (publish request start to arrival), messages per second, CPU
 * per delivered message, fan-outs per burst and NOTIFYs sent per burst, and it checks that
 * every subscriber got every event exactly once and in position order.
 *
 *   npm run bench:scale     (PROCESSES=2 SUBSCRIBERS=1000 BURST=8 BURSTS=3 ROUNDS=3)
 */
const PROCESSES = Number(process.env.PROCESSES ?? 2);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000);
const BURST = Number(process.env.BURST ?? 8);
const BURSTS = Number(process.env.BURSTS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCENARIOS = ['one', 'spread'] as const;
const SUBSCRIPTION = `subscription { problemPublished { position type occurredAt subjectId
  subject { id ... on Problem { title summary serviceArea tags status } } council { name region } payload } }`;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProcessRound { p50: number; p99: number; rate: number; cpuUs: number; fanOuts: number; notifies: number }

const benchDatabase = await createBenchDatabase();
const { url } = benchDatabase;
const database = await connectDatabase({ url });
const hubs: BenchProcess[] = [];
const pools: ClientPool[] = [];
try {
  await migrateToLatest(database.db);
  const token = await createBenchEditor(database.db);

  // One load generator on one address with one token is many clients in production: lift the
  // per-address WebSocket cap and the rate limits, which would otherwise refuse it.
  const env = {
    NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: url, SEED: 'false', LOG_LEVEL: 'info', IN_PROCESS_WORKERS: 'false',
    WS_MAX_CONNECTIONS_PER_ADDRESS: '100000', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_ADDRESS: '0', SUBSCRIPTION_COST_PER_CLIENT: '0',
  };
  for (let i = 0; i < PROCESSES; i++) {
    hubs.push(await startProcess(ROOT, 'server/main.ts', env, (entry) => entry.msg === 'council commons is serving' ? Number(new URL(String(entry.url)).port) : undefined));
  }
  const base = (i: number) => `http://127.0.0.1:${hubs[i]!.port}`;
  for (let i = 0; i < PROCESSES; i++) await until(async () => (await fetch(`${base(i)}/readyz`)).status === 200, `process ${i} to be ready`);
  console.log(`${PROCESSES} hub processes on PostgreSQL (pids ${hubs.map((h) => h.pid).join(', ')}), ${SUBSCRIBERS} subscribers each, bursts of ${BURST}, `
    + `${BURSTS} bursts a round, ${ROUNDS} rounds per scenario; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

  const gql = async (i: number, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base(i)}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const metric = async (i: number, metricName: string) => {
    const text = await (await fetch(`${base(i)}/metrics`)).text();
    return Number(new RegExp(`^${metricName} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  };
  const metrics = (metricName: string) => Promise.all(hubs.map((_, i) => metric(i, metricName)));

  for (let i = 0; i < PROCESSES; i++) pools.push(await connectPool(`ws://127.0.0.1:${hubs[i]!.port}/graphql`, SUBSCRIBERS, { query: SUBSCRIPTION }));
  await until(async () => (await metrics('cc_event_tail_listeners')).every((n) => n === SUBSCRIBERS), 'subscribers to attach');

  let drafted = 0;
  async function round(scenario: typeof SCENARIOS[number]): Promise<ProcessRound[]> {
    const titles = Array.from({ length: BURSTS * BURST }, () => `Scale problem ${drafted++}`);
    const ids = await Promise.all(titles.map(async (title) => (await gql(0, `mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`,
      { input: { title, summary: 'Residents report missed bins by phone and we re-key them.', serviceArea: 'WASTE', tags: ['bins'] } })).createProblem.problem.id as string));
    const uuids = new Map((await database.db.selectFrom('problems').select(['id', 'title']).where('title', 'in', titles).execute()).map((r) => [r.title, r.id]));
    const head = Number((await database.db.selectFrom('outbox_events').select((e) => e.fn.max('position').as('p')).executeTakeFirstOrThrow()).p);
    await until(async () => (await metrics('cc_event_tail_position')).every((p) => p >= head), 'every process to read the drafts');

    const [fanOutsBefore, notifiesBefore] = [await metrics('cc_event_tail_fanouts_total'), await metrics('cc_event_notifies_total')];
    const cpuBefore = hubs.map((h) => processCpuMs(h.pid));
    const latencies: number[][] = hubs.map(() => []);
    const elapsed = hubs.map(() => 0);
    for (let b = 0; b < BURSTS; b++) {
      for (const pool of pools) pool.reset();
      const sentAt = new Map<string, number>();
      const start = performance.now();
      await Promise.all(ids.slice(b * BURST, (b + 1) * BURST).map(async (id, k) => {
        sentAt.set(uuids.get(titles[b * BURST + k]!)!, performance.now());
        await gql(scenario === 'one' ? 0 : k % PROCESSES, `mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`, { id });
      }));
      await until(() => pools.every((pool) => pool.positions.length >= BURST * pool.size), 'every delivery');
      const rows = await database.db.selectFrom('outbox_events').select(['position', 'subject_id'])
        .where('type', '=', 'problem.published').where('subject_id', 'in', [...sentAt.keys()]).execute();
      const sentByPosition = new Map(rows.map((r) => [r.position, sentAt.get(r.subject_id)!]));
      pools.forEach((pool, i) => {
        checkExactlyOnceInOrder(pool, sentByPosition);
        for (let m = 0; m < pool.positions.length; m++) latencies[i]!.push(pool.times[m]! - sentByPosition.get(pool.positions[m]!)!);
        elapsed[i]! += Math.max(...pool.times) - start;
      });
    }
    const [fanOutsAfter, notifiesAfter] = [await metrics('cc_event_tail_fanouts_total'), await metrics('cc_event_notifies_total')];
    return hubs.map((hub, i) => {
      const sorted = latencies[i]!.sort((x, y) => x - y);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return {
        p50: at(0.5), p99: at(0.99), rate: sorted.length / (elapsed[i]! / 1000),
        cpuUs: ((processCpuMs(hub.pid) - cpuBefore[i]!) * 1000) / sorted.length,
        fanOuts: (fanOutsAfter[i]! - fanOutsBefore[i]!) / BURSTS, notifies: (notifiesAfter[i]! - notifiesBefore[i]!) / BURSTS,
      };
    });
  }

  const results = new Map<string, ProcessRound[][]>(SCENARIOS.map((s) => [s, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const scenario of r % 2 === 0 ? SCENARIOS : [...SCENARIOS].reverse()) results.get(scenario)!.push(await round(scenario));
    console.log(`  round ${r + 1} of ${ROUNDS} done`);
  }

  console.log('\n| publishes sent to | process | p50 | p99 | msgs/s | CPU/msg | fan-outs/burst | NOTIFYs/burst | p99 vs A | CPU vs A |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [scenario, rounds] of results) {
    const med = (i: number, key: keyof ProcessRound) => median(rounds.map((r) => r[i]![key]));
    hubs.forEach((_, i) => {
      const label = String.fromCharCode(65 + i);
      console.log(`| ${scenario === 'one' ? 'A only' : 'all, round-robin'} | ${label} | ${med(i, 'p50').toFixed(1)} ms | ${med(i, 'p99').toFixed(1)} ms | `
        + `${Math.round(med(i, 'rate')).toLocaleString('en-GB')} | ${med(i, 'cpuUs').toFixed(1)} µs | ${med(i, 'fanOuts').toFixed(2)} | ${med(i, 'notifies').toFixed(2)} | `
        + `${(med(i, 'p99') / med(0, 'p99')).toFixed(2)} | ${(med(i, 'cpuUs') / med(0, 'cpuUs')).toFixed(2)} |`);
    });
  }
  console.log('\nEvery subscriber on every process got every event exactly once, in position order.');
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  for (const pool of pools) pool.close();
  for (const hub of hubs.reverse()) await hub.stop();
  await database.close();
  await benchDatabase.drop();
}

/** Each socket of the pool received each published position once, in increasing order. */
function checkExactlyOnceInOrder(pool: ClientPool, sentByPosition: Map<number, number>): void {
  const last = new Map<number, number>();
  const seen = new Map<number, number>();
  for (let m = 0; m < pool.positions.length; m++) {
    const [socket, position] = [pool.sockets[m]!, pool.positions[m]!];
    if (!sentByPosition.has(position)) throw new Error(`socket ${socket} received position ${position}, which this burst did not publish`);
    if ((last.get(socket) ?? -1) >= position) throw new Error(`socket ${socket} received position ${position} after ${last.get(socket)}: out of order or twice`);
    last.set(socket, position);
    seen.set(socket, (seen.get(socket) ?? 0) + 1);
  }
  if (seen.size !== pool.size || [...seen.values()].some((n) => n !== sentByPosition.size)) throw new Error('a subscriber missed an event');
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve().then(condition).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
