import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createTransact } from '../server/db/transact.js';
import { createProblemService } from '../server/domain/problems.js';
import { createPostgresSignal } from '../server/events/postgres-signal.js';
import { createLogger } from '../server/logger.js';
import { DEFAULT_WEBHOOK_CONFIG } from '../server/webhooks/config.js';
import { createWebhookEndpointService } from '../server/domain/webhook-endpoints.js';
import { postWebhook } from '../server/webhooks/http-post.js';
import { generateSecret, generateWebhookId, signDelivery } from '../server/webhooks/signing.js';
import { createTwoCouncils } from '../test/support/factories.js';
import { createBenchDatabase } from './bench-database.js';

/**
 * Webhook benchmark (PostgreSQL, the worker in its own process as in server mode):
 *   npm run bench:webhooks -- [backlog=1000] [events=200] [rate=50] [rounds=3]
 * Hub (A): the outbox → `webhooks` consumer → dispatcher → signed POST, to one fast local
 * receiver (its own process). Baseline (B), same run, same receiver: a bare loop that signs
 * and POSTs with the same guarded client, no queue. Throughput: a backlog of deliveries
 * drained (from first to last arrival). Latency: from a publish's commit to its arrival,
 * at a steady rate; the baseline POSTs right after each commit. A and B alternate within
 * each round, the order flipping each round; medians of the rounds are printed.
 */
const [backlogArg = '1000', eventsArg = '200', rateArg = '50', roundsArg = '3'] = process.argv.slice(2);
const BACKLOG = Number(backlogArg);
const EVENTS = Number(eventsArg);
const RATE = Number(rateArg);
const ROUNDS = Number(roundsArg);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const config = { ...DEFAULT_WEBHOOK_CONFIG, allowPrivate: true };
const now = () => performance.timeOrigin + performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);

const bench = await createBenchDatabase();
const receiver = spawnTsx('bench/webhook-receiver.ts', {});
const results = { hubRate: [] as number[], bareRate: [] as number[], hubP50: [] as number[], hubP99: [] as number[], bareP50: [] as number[], bareP99: [] as number[] };
try {
  const port = await new Promise<number>((resolve) => receiver.once('message', (m: any) => resolve(m.port)));
  const url = `http://127.0.0.1:${port}/hooks`;
  const database = await connectDatabase({ url: bench.url, poolSize: 4 });
  await migrateToLatest(database.db);
  const signal = createPostgresSignal({ clientConfig: database.pgConfig!, db: database.db, logger: createLogger('silent') });
  const transact = createTransact(database.db, () => signal.notify());
  const problems = createProblemService({ db: database.db, transact });
  const endpoints = createWebhookEndpointService({ db: database.db, transact, config });
  const people = await createTwoCouncils(database.db);
  const editor = people.a.editor.viewer;
  const problem = await problems.publish(editor, (await problems.create(editor, { title: 'Bench', summary: 'Benchmark subject.', serviceArea: 'waste' })).id);
  let version = problem.version;
  /** One published event; resolves at its commit with the commit time. */
  const publish = async (title: string) => {
    version = (await problems.update(editor, { id: problem.id, version, title })).version;
    return now();
  };
  const report = () => new Promise<{ id: string; title: string | null; at: number }[]>((resolve) => {
    receiver.once('message', (m: any) => resolve(m.arrivals));
    receiver.send('report');
  });

  for (let round = 1; round <= ROUNDS; round++) {
    const hubFirst = round % 2 === 1;
    for (const side of hubFirst ? ['hub', 'bare'] as const : ['bare', 'hub'] as const) {
      await report(); // forget stragglers
      if (side === 'hub') {
        const { endpoint } = await endpoints.create(people.a.admin.viewer, { url, eventTypes: ['problem.updated'] });
        for (let i = 0; i < BACKLOG; i++) await publish(`backlog ${round}-${i}`);
        const worker = spawnTsx('workers/main.ts', { DATABASE_URL: bench.url, WEBHOOKS_ALLOW_PRIVATE: 'true', LOG_LEVEL: 'warn', MEILISEARCH_URL: '' });
        const drained = await collect(report, BACKLOG);
        results.hubRate.push(rate(drained));
        const commits = await steady((i) => publish(`latency ${round}-${i}`));
        const latencies = await arrivalsAfter(report, commits, 'latency');
        results.hubP50.push(percentile(latencies, 50));
        results.hubP99.push(percentile(latencies, 99));
        await stop(worker);
        await endpoints.delete(people.a.admin.viewer, endpoint.id);
      } else {
        const secret = generateSecret();
        const post = async (title: string) => {
          const body = JSON.stringify({ type: 'problem.updated', timestamp: new Date().toISOString(), data: { payload: { title } } });
          const id = generateWebhookId();
          const result = await postWebhook(url, { ...signDelivery(id, new Date(), body, [secret]) }, body, config);
          if (result.error) throw new Error(result.error);
        };
        for (let i = 0; i < BACKLOG; i++) await post(`backlog ${round}-${i}`);
        results.bareRate.push(rate(await collect(report, BACKLOG)));
        const commits = await steady(async (i) => {
          const title = `latency ${round}-${i}`;
          const committed = await publish(title);
          await post(title);
          return committed;
        });
        const latencies = await arrivalsAfter(report, commits, 'latency');
        results.bareP50.push(percentile(latencies, 50));
        results.bareP99.push(percentile(latencies, 99));
      }
      log(`round ${round} ${side}: done`);
    }
  }
  await signal.close();
  await database.close();
} finally {
  receiver.send('stop');
  await exited(receiver);
  await bench.drop();
}

const med = (values: number[]) => percentile(values, 50);
console.log(`\nWebhooks: one endpoint, one fast local receiver (204 at once), PostgreSQL, worker process; median of ${ROUNDS} rounds`);
console.log(`backlog ${BACKLOG} deliveries; latency over ${EVENTS} publishes at ${RATE}/s\n`);
console.log('| measure | hub (outbox → consumer → dispatcher) | baseline (bare signed POST loop) |');
console.log('|---|---|---|');
console.log(`| deliveries per second (backlog drain) | ${med(results.hubRate).toFixed(0)} | ${med(results.bareRate).toFixed(0)} |`);
console.log(`| publish → delivery p50 | ${med(results.hubP50).toFixed(1)} ms | ${med(results.bareP50).toFixed(1)} ms |`);
console.log(`| publish → delivery p99 | ${med(results.hubP99).toFixed(1)} ms | ${med(results.bareP99).toFixed(1)} ms |`);
console.log(`\nper round: hub ${results.hubRate.map((r) => r.toFixed(0)).join(', ')}/s, baseline ${results.bareRate.map((r) => r.toFixed(0)).join(', ')}/s; `
  + `hub p50 ${results.hubP50.map((v) => v.toFixed(1)).join(', ')} ms, p99 ${results.hubP99.map((v) => v.toFixed(1)).join(', ')} ms`);

function spawnTsx(file: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await exited(child);
}

/** Polls the receiver until `count` arrivals are in. */
async function collect(report: () => Promise<{ id: string; title: string | null; at: number }[]>, count: number) {
  const all: { id: string; title: string | null; at: number }[] = [];
  const deadline = Date.now() + 300_000;
  while (all.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${all.length} of ${count} deliveries arrived`);
    all.push(...await report());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return all;
}

function rate(arrivals: { at: number }[]): number {
  const times = arrivals.map((a) => a.at).sort((x, y) => x - y);
  return (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
}

/** Runs `work` EVENTS times at RATE per second; returns the commit time per title index. */
async function steady(work: (i: number) => Promise<number>): Promise<number[]> {
  const commits: number[] = [];
  const start = now();
  for (let i = 0; i < EVENTS; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    commits.push(await work(i));
  }
  return commits;
}

async function arrivalsAfter(report: () => Promise<{ title: string | null; at: number; id: string }[]>, commits: number[], prefix: string): Promise<number[]> {
  const arrivals = await collect(report, commits.length);
  return arrivals.filter((a) => a.title?.startsWith(prefix)).map((a) => a.at - commits[Number(a.title!.split('-').at(-1))]!);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}


