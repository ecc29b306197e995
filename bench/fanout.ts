import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectDatabase } from '../server/db/connect.js';
import { createBenchEditor } from './bench-database.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { connectPool, type ClientPool } from './fanout-clients.js';
import { startProcess } from './fanout-process.js';
import { processCpuMs } from './process-cpu.js';
import { summarize, printTable, type Round } from './fanout-report.js';

/**
 * Fan-out benchmark: one hub server process on PostgreSQL, 1 to 5,000 WebSocket subscribers
 * to `problemPublished`, a burst of events published through GraphQL mutations. The same
 * run measures a bare `ws` broadcast of the same payloads as the baseline, rounds A/B
 * interleaved, and prints medians. Everything listens on 127.0.0.1.
 *
 *   npm run bench:fanout            (ROUNDS=3 by default; SIZES=1,100 to run fewer sizes;
 *                                    HUB_NODE_ARGS=--cpu-prof to profile the hub process)
 */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// A burst is BURST events published through GraphQL at the same moment (one request each,
// all in flight at once). Latency runs from a publish request's start to each arrival, so
// it includes the publish itself, its share of the hub's one thread with the burst's other
// publishes and fan-outs, and the event tail's wait for the burst's transactions in flight
// (EVENT_BATCH_WAIT_MS, which the bench's environment passes on). A round is several bursts, each drained
// before the next: a longer stream would measure how long messages queue behind earlier
// bursts rather than how fast one burst reaches every subscriber.
const BURST = Number(process.env.BURST ?? 8);
const BURSTS_PER_ROUND: Record<number, number> = { 1: 10, 100: 5, 1000: 3, 5000: 2 };
const SIZES = (process.env.SIZES ?? '1,100,1000,5000').split(',').map(Number);
const SUBSCRIPTION = `subscription { problemPublished { position type occurredAt subjectId
  subject { id ... on Problem { title summary serviceArea tags status } } council { name region } payload } }`;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const name = `cc_bench_${randomBytes(6).toString('hex')}`;
await admin(`create database ${name}`);
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
const database = await connectDatabase({ url });
const processes: { stop(): Promise<void> }[] = [];
try {
  await migrateToLatest(database.db);
  const token = await createBenchEditor(database.db);

  const env = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0' };
  // One load generator on one address with one token is many clients in production: lift the
  // per-address WebSocket cap and the rate limits, which would otherwise refuse it.
  const limits = { WS_MAX_CONNECTIONS_PER_ADDRESS: '100000', RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_ADDRESS: '0', SUBSCRIPTION_COST_PER_CLIENT: '0' };
  const hub = await startProcess(ROOT, 'server/main.ts', { ...env, ...limits, DATABASE_URL: url, SEED: 'false', LOG_LEVEL: 'info', IN_PROCESS_WORKERS: 'false' },
    (entry) => entry.msg === 'council commons is serving' ? Number(new URL(String(entry.url)).port) : undefined);
  processes.push(hub);
  const bare = await startProcess(ROOT, 'bench/fanout-bare-server.ts', env, (entry) => entry.port as number | undefined);
  processes.push(bare);
  const hubUrl = `http://127.0.0.1:${hub.port}`;
  console.log(`hub on PostgreSQL (${hubUrl}, pid ${hub.pid}); bare ws broadcast on port ${bare.port} (pid ${bare.pid}); `
    + `${ROUNDS} rounds per size; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

  const gql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${hubUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const metric = async (metricName: string) => {
    const text = await (await fetch(`${hubUrl}/metrics`)).text();
    // A counter appears only once it has counted something.
    return Number(new RegExp(`^${metricName} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  };

  async function hubRound(pool: ClientPool, bursts: number): Promise<Round & { messages: string[] }> {
    const drafts = await Promise.all(Array.from({ length: bursts * BURST }, async (_, i) => {
      const data = await gql(`mutation($input: CreateProblemInput!) { createProblem(input: $input) { ... on CreateProblemPayload { problem { id } } } }`,
        { input: { title: `Bench problem ${i}`, summary: 'Residents report missed bins by phone and we re-key them.', serviceArea: 'WASTE', tags: ['bins', 'contact centre'] } });
      return data.createProblem.problem.id as string;
    }));
    const head = Number((await database.db.selectFrom('outbox_events').select((e) => e.fn.max('position').as('p')).executeTakeFirstOrThrow()).p);
    await until(async () => await metric('cc_event_tail_position') >= head, 'the hub to read the drafts');
    const executionsBefore = await metric('cc_subscription_executions_total');
    const fanOutsBefore = await metric('cc_event_tail_fanouts_total');
    const samples: Sample[] = [];
    const publishMs: number[] = [];
    const messages: string[] = [];
    const cpuBefore = processCpuMs(hub.pid);
    for (let b = 0; b < bursts; b++) {
      pool.reset();
      const sentAt = new Map<string, number>();
      const start = performance.now();
      await Promise.all(drafts.slice(b * BURST, (b + 1) * BURST).map(async (id) => {
        const sent = performance.now();
        sentAt.set(Buffer.from(id, 'base64url').toString().split(':')[1]!, sent);
        await gql(`mutation($id: ID!) { publishProblem(input: { id: $id }) { __typename } }`, { id });
        publishMs.push(performance.now() - sent);
      }));
      await until(() => pool.positions.length >= BURST * pool.size, `${BURST * pool.size} deliveries from the hub`);
      const rows = await database.db.selectFrom('outbox_events').select(['position', 'subject_id'])
        .where('type', '=', 'problem.published').where('subject_id', 'in', [...sentAt.keys()]).execute();
      const sentByPosition = new Map(rows.map((r) => [r.position, sentAt.get(r.subject_id)!]));
      samples.push(collect(pool, start, sentByPosition));
      messages.push(...[...sentByPosition.keys()].sort((x, y) => x - y).map((p) => pool.samples.get(p)!));
    }
    const cpuMs = processCpuMs(hub.pid) - cpuBefore;
    const executions = (await metric('cc_subscription_executions_total')) - executionsBefore;
    const fanOuts = (await metric('cc_event_tail_fanouts_total')) - fanOutsBefore;
    publishMs.sort((a, b) => a - b);
    return { ...measure(samples, cpuMs), executionsPerEvent: executions / drafts.length, eventsPerFanOut: drafts.length / fanOuts, publishP50: publishMs[Math.floor(publishMs.length / 2)]!, messages };
  }

  async function bareRound(pool: ClientPool, messages: string[]): Promise<Round> {
    const samples: Sample[] = [];
    const cpuBefore = processCpuMs(bare.pid);
    for (let b = 0; b * BURST < messages.length; b++) {
      pool.reset();
      const sentByPosition = new Map<number, number>();
      const start = performance.now();
      await Promise.all(messages.slice(b * BURST, (b + 1) * BURST).map(async (message) => {
        sentByPosition.set(Number(/"position":(\d+)/.exec(message)![1]), performance.now());
        await fetch(`http://127.0.0.1:${bare.port}/`, { method: 'POST', body: message });
      }));
      await until(() => pool.positions.length >= sentByPosition.size * pool.size, `${sentByPosition.size * pool.size} deliveries from the bare server`);
      samples.push(collect(pool, start, sentByPosition));
    }
    return measure(samples, processCpuMs(bare.pid) - cpuBefore);
  }

  const results = [];
  let payloadBytes = 0;
  for (const subscribers of SIZES) {
    const bursts = BURSTS_PER_ROUND[subscribers] ?? 3;
    // The previous size's subscribers detach as the server notices their sockets closing.
    await until(async () => await metric('cc_event_tail_listeners') === 0, 'the previous subscribers to detach');
    const hubPool = await connectPool(`ws://127.0.0.1:${hub.port}/graphql`, subscribers, { query: SUBSCRIPTION });
    const barePool = await connectPool(`ws://127.0.0.1:${bare.port}/`, subscribers);
    await until(async () => await metric('cc_event_tail_listeners') === subscribers, 'subscribers to attach');
    const hubRounds: Round[] = [];
    const bareRounds: Round[] = [];
    let messages: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A/B interleaved, alternating which goes first; the baseline replays the hub's bytes.
      for (const kind of round % 2 === 0 ? ['hub', 'bare'] : ['bare', 'hub']) {
        if (kind === 'hub') {
          const result = await hubRound(hubPool, bursts);
          if (messages.length === 0) messages = result.messages;
          hubRounds.push(result);
        } else {
          bareRounds.push(await bareRound(barePool, messages.length > 0 ? messages : (await hubRound(hubPool, bursts)).messages));
        }
      }
    }
    payloadBytes = Buffer.byteLength(messages[0] ?? '');
    hubPool.close();
    barePool.close();
    results.push(summarize(subscribers, BURST, bursts, hubRounds, bareRounds));
    console.log(`  ${subscribers} subscribers done`);
  }
  printTable(results, payloadBytes);
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  for (const child of processes.reverse()) await child.stop();
  await database.close();
  await admin(`drop database if exists ${name} with (force)`);
}

interface Sample {
  /** Publish-to-receive latencies of one burst, in milliseconds. */
  readonly latencies: number[];
  /** From the burst's first publish to its last arrival. */
  readonly elapsedMs: number;
}

/** One burst's latencies, after checking every subscriber got every event exactly once. */
function collect(pool: ClientPool, start: number, sentByPosition: Map<number, number>): Sample {
  const latencies: number[] = [];
  const perPosition = new Map<number, number>();
  let last = start;
  for (let i = 0; i < pool.positions.length; i++) {
    const position = pool.positions[i]!;
    const sent = sentByPosition.get(position);
    if (sent === undefined) throw new Error(`received position ${position} that was not published in this burst`);
    latencies.push(pool.times[i]! - sent);
    perPosition.set(position, (perPosition.get(position) ?? 0) + 1);
    last = Math.max(last, pool.times[i]!);
  }
  if (perPosition.size !== sentByPosition.size || [...perPosition.values()].some((n) => n !== pool.size)) {
    throw new Error('some subscriber missed an event or received one twice');
  }
  return { latencies, elapsedMs: last - start };
}

/** `cpuMs`: the server process's CPU time over the bursts (publishing included, for the hub). */
function measure(samples: Sample[], cpuMs: number): Round {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.elapsedMs, 0) / 1000;
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { ratePerSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cpuUsPerMessage: (cpuMs * 1000) / latencies.length };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try { await client.query(text); } finally { await client.end(); }
}
