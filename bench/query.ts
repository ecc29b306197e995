import { deepStrictEqual } from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cpus, loadavg } from 'node:os';
import autocannon, { type Result } from 'autocannon';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createBenchDatabase, seedProblems, type BenchDatabase } from './bench-database.js';
import { processCpuMs as cpuMs } from './process-cpu.js';
import { hubPort, jsonPort, startChildServer, type ChildServer } from './child-server.js';

/**
 * Query benchmark (issue 2): a page of 20 published problems with their council and counts,
 * through the hub over HTTP against a hand-written node:http + pg handler returning the
 * same JSON. Both run as child processes on loopback; autocannon drives them in turn,
 * alternating which goes first, and the medians of the rounds are reported.
 * Env: BENCH_ROUNDS (default 5), BENCH_SECONDS per measurement (5), BENCH_CONNECTIONS (10),
 * BENCH_PROBLEMS seeded (300), BENCH_POSTGRES_URL admin connection, BENCH_CPU_PROF a directory
 * for a V8 CPU profile of the hub process.
 */
const QUERY = '{ problems(first: 20) { edges { node { id title summary serviceArea supporterCount adoptionCount council { name slug } } } } }';
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PROBLEM_COUNT = Number(process.env.BENCH_PROBLEMS ?? 300);
const DEADLINE_MS = 170_000;

const children: ChildServer[] = [];
let database: BenchDatabase | undefined;

async function main(): Promise<void> {
  database = await createBenchDatabase();
  await seedProblems(database.url, PROBLEM_COUNT);
  console.log(`seeded ${PROBLEM_COUNT} problems into a fresh database; ${ROUNDS} rounds of ${SECONDS} s, ${CONNECTIONS} connections`);
  console.log(`machine: ${cpus().length} cores, load average ${loadAverage()} (other work on the machine skews both servers alike)`);

  const statements = await statementsPerRequest(database.url);
  // Server mode throttles each client address; the load generator is one address, so the limits are
  // raised out of its way but left on: every request still pays for the limiter, as in production.
  const env = { DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', LOG_LEVEL: 'info', RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_PER_TOKEN: '1000000' };
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const hub = await startChildServer('server/main.ts', env, hubPort, profile);
  children.push(hub);
  const baseline = await startChildServer('bench/baseline-server.ts', env, jsonPort);
  children.push(baseline);
  const targets = {
    hub: { url: `http://127.0.0.1:${hub.port}/graphql`, pid: hub.child.pid! },
    baseline: { url: `http://127.0.0.1:${baseline.port}/graphql`, pid: baseline.child.pid! },
  };

  const [hubData, baselineData] = [await fetchData(targets.hub.url), await fetchData(targets.baseline.url)];
  deepStrictEqual(hubData, baselineData);
  if (JSON.stringify(hubData) !== JSON.stringify(baselineData)) throw new Error('the two responses differ in key order');
  console.log(`both return the same data: ${(hubData as any).problems.edges.length} problems, ${JSON.stringify(hubData).length} bytes`);

  // Warm-up: V8's optimizing compiler, pools, caches. The hub has far more code to optimize than
  // the baseline; 2 s left its first round well below the rest.
  for (const target of Object.values(targets)) await load(target, 5);
  const results: Record<keyof typeof targets, Measured[]> = { hub: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['hub', 'baseline'] as const) : (['baseline', 'hub'] as const);
    for (const name of order) results[name].push(await load(targets[name], SECONDS));
    console.log(`round ${round + 1}: hub ${rate(results.hub.at(-1)!)} req/s, baseline ${rate(results.baseline.at(-1)!)} req/s`);
  }
  report(results.hub, results.baseline, statements);
}

/**
 * Counts statements per hub request on an in-process hub wired to the same database. Only
 * statements run on behalf of an HTTP request count (AsyncLocalStorage from the request
 * handler down), so the event tail's own reads in the background cannot blur the figure.
 */
async function statementsPerRequest(url: string): Promise<number> {
  const scope = new AsyncLocalStorage<{ count: number }>();
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', LOG_LEVEL: 'silent' });
  const probe = await createApp(config, { onQuery: () => { const counter = scope.getStore(); if (counter) counter.count++; } });
  const handlers = probe.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  const counters: { count: number }[] = [];
  probe.server.removeAllListeners('request');
  probe.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const counter = { count: 0 };
    counters.push(counter);
    scope.run(counter, () => { for (const handler of handlers) handler.call(probe.server, req, res); });
  });
  try {
    const port = await probe.listen();
    for (let i = 0; i < 3; i++) await fetchData(`http://127.0.0.1:${port}/graphql`);
    const counts = counters.map((c) => c.count);
    if (new Set(counts).size !== 1) throw new Error(`statement counts vary between requests: ${counts.join(', ')}`);
    return counts[0]!;
  } finally {
    await probe.close(1_000);
  }
}

async function fetchData(url: string): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: requestHeaders, body: JSON.stringify({ query: QUERY }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || body.errors) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

const requestHeaders = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

type Measured = Result & { cpuMsPerRequest: number };

/** Drives one server; also reads the server process's CPU time, which load elsewhere on the machine skews less than rates. */
async function load({ url, pid }: { url: string; pid: number }, seconds: number): Promise<Measured> {
  const cpuBefore = cpuMs(pid);
  const result = await autocannon({ url, method: 'POST', headers: requestHeaders, body: JSON.stringify({ query: QUERY }), connections: CONNECTIONS, duration: seconds });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`);
  }
  return { ...result, cpuMsPerRequest: (cpuMs(pid) - cpuBefore) / result.requests.total };
}

const loadAverage = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rate = (r: Result) => Math.round(r.requests.average);

function report(hub: Measured[], baseline: Measured[], statements: number): void {
  const row = (name: string, rs: Measured[]) => ({
    name, rps: median(rs.map(rate)), p50: median(rs.map((r) => r.latency.p50)), p99: median(rs.map((r) => r.latency.p99)),
    cpu: median(rs.map((r) => r.cpuMsPerRequest)).toFixed(2),
  });
  const [h, b] = [row('hub (yoga + pothos + kysely)', hub), row('baseline (node:http + pg)', baseline)];
  const ratio = h.rps / b.rps;
  console.log(`\nmedian of ${hub.length} rounds, ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log('| server | requests/s | p50 ms | p99 ms | server CPU ms/request |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of [h, b]) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpu} |`);
  console.log(`\nhub / baseline rate: ${ratio.toFixed(2)} (goal >= 0.50) ${ratio >= 0.5 ? 'met' : 'NOT MET'}`);
  console.log(`hub / baseline server CPU per request: ${(Number(h.cpu) / Number(b.cpu)).toFixed(1)}x`);
  console.log(`SQL statements per hub request: ${statements} (goal <= 3) ${statements <= 3 ? 'met' : 'NOT MET'}`);
  console.log(`load average at the end: ${loadAverage()}`);
  if (ratio < 0.5 || statements > 3) process.exitCode = 1;
}

async function cleanUp(): Promise<void> {
  await Promise.allSettled(children.map((c) => c.stop()));
  await database?.drop();
}

const deadline = setTimeout(() => {
  console.error(`benchmark exceeded ${DEADLINE_MS / 1000} s; stopping`);
  void cleanUp().finally(() => process.exit(1));
}, DEADLINE_MS);

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  clearTimeout(deadline);
  await cleanUp();
}
