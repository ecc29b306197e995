import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ATTACKS, underAttack } from './limits-attacks.js';

// What the protections cost: requests per second for a typical query against two hubs, one
// with limits, rate limiting, CSRF prevention and guards on and one without, measured in
// interleaved rounds (A B, B A, ...) so drift on a shared machine falls on both alike.
// Then what they protect: a normal client's p99 latency on the protected hub, alone and while
// an attacker runs each finding of issue 12 (bench/limits-attacks.ts), with a problem
// published every 250 ms throughout so subscriptions have live events.
//   npm run bench:limits [-- rounds seconds connections attackSeconds]

interface AutocannonResult { requests: { average: number }; non2xx: number; errors: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

const [rounds = 5, seconds = 8, connections = 10, attackSeconds = 8] = process.argv.slice(2).map(Number);
const QUERIES = {
  typical: `query Newest { problems(first: 20) { edges { node { id title summary serviceArea supporterCount council { name region } } } } }`,
  // Answered without the database, so the protections' own cost is not hidden behind SQL.
  'no database': `query Me { viewer { member { name } council { name } } }`,
};
const root = fileURLToPath(new URL('..', import.meta.url));

async function startHub(mode: 'on' | 'off'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/limits-server.ts', mode], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { url: `http://127.0.0.1:${JSON.parse(line).port}/graphql`, child };
}

async function measure(url: string, query: string, duration: number): Promise<number> {
  const result = await autocannon({
    url, method: 'POST', connections, duration,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors from ${url}`);
  return result.requests.average;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const hubs = { off: await startHub('off'), on: await startHub('on') };
const ratios: [string, number][] = [];
try {
  console.log(`${connections} connections, ${seconds} s per run, ${rounds} rounds, A/B interleaved\n`);
  for (const [name, query] of Object.entries(QUERIES)) {
    const sample = await fetch(hubs.on.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    console.log(`${name}: ${query}\n  answer: ${(await sample.text()).length} bytes`);
    for (const mode of ['off', 'on'] as const) await measure(hubs[mode].url, query, 2);
    const rps: Record<'off' | 'on', number[]> = { off: [], on: [] };
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const mode of order) rps[mode].push(await measure(hubs[mode].url, query, seconds));
      console.log(`  round ${round}: off ${rps.off.at(-1)!.toFixed(0)} req/s, on ${rps.on.at(-1)!.toFixed(0)} req/s`);
    }
    const [off, on] = [median(rps.off), median(rps.on)];
    console.log(`  median: protections off ${off.toFixed(0)} req/s, on ${on.toFixed(0)} req/s, ratio on/off ${(on / off).toFixed(3)}\n`);
    ratios.push([name, on / off]);
  }
  hubs.on.child.kill('SIGUSR2');
  console.log(`normal client (typical query, 2 connections, ${attackSeconds} s each) on the protected hub, a publish every 250 ms:`);
  const alone = await underAttack(hubs.on.url, QUERIES.typical, attackSeconds);
  const rows: [string, number, number, string][] = [['no attacker', alone.measured.latency.p99, alone.measured.latency.p50, '']];
  for (const [name, attack] of Object.entries(ATTACKS)) {
    const run = await underAttack(hubs.on.url, QUERIES.typical, attackSeconds, attack);
    rows.push([name, run.measured.latency.p99, run.measured.latency.p50, run.attack]);
  }
  console.log('\nside by side:');
  for (const [name, ratio] of ratios) console.log(`  throughput with budgets on / off, ${name}: ${ratio.toFixed(3)} (goal: over 0.95)`);
  for (const [name, p99, p50, attack] of rows) {
    const versus = name === 'no attacker' ? '' : `, ${(p99 / rows[0]![1]).toFixed(2)}x alone (goal: under 2x)`;
    console.log(`  normal client p99 ${p99.toFixed(1)} ms (p50 ${p50.toFixed(1)} ms), ${name}${versus}${attack ? ` [${attack}]` : ''}`);
  }
} finally {
  for (const hub of Object.values(hubs)) hub.child.kill('SIGTERM');
}
