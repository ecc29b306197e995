import { readFileSync, writeFileSync } from 'node:fs';
import { connectDatabase } from '../server/db/connect.js';
import { PROBLEMS } from '../server/domain/open-data/content-datasets.js';
import { inSnapshot } from '../server/domain/open-data/snapshot.js';
import { createBenchDatabase, seedProblems } from './bench-database.js';
import { hubPort, startChildServer } from './child-server.js';

/**
 * Open data export at size: npm run bench:export -- [items=100000] [rounds=3]
 * A throw-away PostgreSQL database holds `items` problems (about 85% of them public), the hub
 * runs in its own process, and is used once /readyz answers. Each round downloads
 * problems-v1.csv and problems-v1.jsonl over loopback and, as the baseline in the same run,
 * reads the same rows in the same keyset batches straight from the database in this process
 * (no encoding, no HTTP). The exporting process's memory is its peak RSS (VmHWM, reset
 * before each download through /proc/<pid>/clear_refs) less its RSS just before.
 * Medians of the rounds. Goal: < 10 s and < 100 MB RSS growth at 100,000 items.
 */
const [items = 100_000, rounds = 3] = process.argv.slice(2).map(Number);
const signed = (mb: number) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kib = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

const database = await createBenchDatabase();
let stop: (() => Promise<void>) | undefined;
try {
  const seeded = performance.now();
  await seedProblems(database.url, items);
  console.log(`${items} problems written in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);
  const server = await startChildServer('server/main.ts', {
    DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', IN_PROCESS_WORKERS: 'false', MEILISEARCH_URL: '', LOG_LEVEL: 'info',
  }, hubPort, [], 300_000); // the first start may convert the word-vector model (about half a minute)
  stop = server.stop;
  const base = `http://127.0.0.1:${server.port}`;
  while ((await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) !== 200) await new Promise((r) => setTimeout(r, 100));
  const pid = server.child.pid!;

  const { db, close } = await connectDatabase({ url: database.url, poolSize: 1 });
  const baseline = async () => {
    const started = performance.now();
    let rows = 0;
    await inSnapshot(db, async (trx) => { for await (const batch of PROBLEMS.batches(trx, 1_000)) rows += batch.length; });
    return { ms: performance.now() - started, rows };
  };
  const download = async (format: 'csv' | 'jsonl') => {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    const before = kib(pid, 'VmRSS');
    const started = performance.now();
    const response = await fetch(`${base}/data/problems-v1.${format}`);
    let bytes = 0;
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
    const ms = performance.now() - started;
    return { ms, bytes, growthMb: (kib(pid, 'VmHWM') - before) / 1024, status: response.status };
  };

  await download('csv'); await baseline(); // warm-up
  const results = { baseline: [] as number[], csv: [] as number[], jsonl: [] as number[], csvMb: [] as number[], jsonlMb: [] as number[] };
  let rows = 0;
  let sizes = { csv: 0, jsonl: 0 };
  for (let round = 0; round < rounds; round++) {
    const base = await baseline();
    rows = base.rows;
    const csv = await download('csv');
    const jsonl = await download('jsonl');
    if (csv.status !== 200 || jsonl.status !== 200) throw new Error(`download answered ${csv.status}/${jsonl.status}`);
    results.baseline.push(base.ms); results.csv.push(csv.ms); results.jsonl.push(jsonl.ms);
    results.csvMb.push(csv.growthMb); results.jsonlMb.push(jsonl.growthMb);
    sizes = { csv: csv.bytes, jsonl: jsonl.bytes };
    console.log(`round ${round + 1}: baseline ${base.ms.toFixed(0)} ms, csv ${csv.ms.toFixed(0)} ms (${signed(csv.growthMb)} MB RSS), jsonl ${jsonl.ms.toFixed(0)} ms (${signed(jsonl.growthMb)} MB RSS)`);
  }
  await close();
  console.log(`problems-v1 at ${items} items (${rows} public rows; csv ${(sizes.csv / 1e6).toFixed(0)} MB, jsonl ${(sizes.jsonl / 1e6).toFixed(0)} MB), median of ${rounds} rounds:`);
  console.log(`  baseline (same rows, same batches, read in process): ${median(results.baseline).toFixed(0)} ms`);
  console.log(`  csv download:   ${median(results.csv).toFixed(0)} ms, exporting process RSS growth ${median(results.csvMb).toFixed(1)} MB (goal < 10000 ms, < 100 MB)`);
  console.log(`  jsonl download: ${median(results.jsonl).toFixed(0)} ms, exporting process RSS growth ${median(results.jsonlMb).toFixed(1)} MB (goal < 10000 ms, < 100 MB)`);
} finally {
  await stop?.();
  await database.drop();
}
