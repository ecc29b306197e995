import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How long `npm start` takes to serve its first GraphQL request: on a fresh machine state
 * (empty DATA_DIR: PGlite initdb, migrations, seed data) and on a restart over the data it
 * left. Each run polls /readyz, then a GraphQL query, from the moment the process spawns.
 * Env: STARTUP_RUNS (default 3) of each kind.
 */
const RUNS = Number(process.env.STARTUP_RUNS ?? 3);
const RUN_TIMEOUT_MS = 90_000;
// One poll may not hang the run: a server that accepts but never answers is retried.
const POLL_TIMEOUT_MS = 5_000;
const QUERY = '{ problems(first: 5) { edges { node { title council { name } } } } }';

interface Timing {
  /** The first HTTP answer of any kind (/healthz): the process is listening. */
  listeningMs: number;
  readyMs: number;
  firstQueryMs: number;
}

async function startOnce(dataDir: string): Promise<Timing> {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so npm and the server it starts are stopped together.
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    await until(started, async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) })).status === 200, () => child.exitCode !== null);
    const listeningMs = performance.now() - started;
    await until(started, async () => (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(POLL_TIMEOUT_MS) })).status === 200, () => child.exitCode !== null);
    const readyMs = performance.now() - started;
    await until(started, async () => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }), signal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
      const body = (await response.json()) as { data?: { problems: { edges: unknown[] } } };
      return response.status === 200 && (body.data?.problems.edges.length ?? 0) > 0;
    }, () => child.exitCode !== null);
    return { listeningMs, readyMs, firstQueryMs: performance.now() - started };
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // npm exits at once; the server it started is still closing the database. The next run
    // starts when the whole group is gone, so each run times its own start alone.
    await until(performance.now(), async () => !groupAlive(child.pid!), () => false);
  }
}

/** Whether any process of the group is left (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls every 20 ms; connection refusals count as "not yet". */
async function until(started: number, ok: () => Promise<boolean>, died: () => boolean): Promise<void> {
  for (;;) {
    if (died()) throw new Error('npm start exited before serving');
    if (performance.now() - started > RUN_TIMEOUT_MS) throw new Error(`not serving after ${RUN_TIMEOUT_MS} ms`);
    if (await ok().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const dirs: string[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-startup-'));
  dirs.push(dir);
  return join(dir, 'data');
};

const loadAverage = () => loadavg().map((l) => l.toFixed(1)).join(' ');

try {
  console.log(`machine: ${cpus().length} cores, load average ${loadAverage()}`);
  const fresh: Timing[] = [];
  const restart: Timing[] = [];
  let seeded = '';
  for (let i = 0; i < RUNS; i++) {
    seeded = newDataDir();
    fresh.push(await startOnce(seeded));
    console.log(`fresh ${i + 1}: listening ${seconds(fresh.at(-1)!.listeningMs)}, ready ${seconds(fresh.at(-1)!.readyMs)}, first query ${seconds(fresh.at(-1)!.firstQueryMs)}`);
  }
  for (let i = 0; i < RUNS; i++) {
    restart.push(await startOnce(seeded));
    console.log(`restart ${i + 1}: listening ${seconds(restart.at(-1)!.listeningMs)}, ready ${seconds(restart.at(-1)!.readyMs)}, first query ${seconds(restart.at(-1)!.firstQueryMs)}`);
  }
  console.log(`\nmedian of ${RUNS} runs, from spawning \`npm start\` to the first answer`);
  console.log('| start | first answer (/healthz) | /readyz 200 | first GraphQL query |\n| --- | ---: | ---: | ---: |');
  for (const [name, runs] of [['fresh (empty DATA_DIR)', fresh], ['restart (existing DATA_DIR)', restart]] as const) {
    console.log(`| ${name} | ${seconds(median(runs.map((r) => r.listeningMs)))} | ${seconds(median(runs.map((r) => r.readyMs)))} | ${seconds(median(runs.map((r) => r.firstQueryMs)))} |`);
  }
  console.log(`load average at the end: ${loadAverage()}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
