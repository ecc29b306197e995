import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_MODEL_DIR } from './embedder.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts `npm run worker` (workers/main.ts) as a real child process on the given
 * PostgreSQL database, for tests that SIGKILL it; its output is appended to `output`.
 */
export function startWorkerProcess(databaseUrl: string, output: string[], env: Record<string, string> = {}): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT,
    // The worker loads the word vectors: the copy the global set-up converted, not a fresh one.
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', MEILISEARCH_URL: '', MODEL_DIR: TEST_MODEL_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (d) => output.push(String(d)));
  worker.stderr!.on('data', (d) => output.push(String(d)));
  return worker;
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(worker: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.exitCode !== null || worker.signalCode !== null) resolve();
    else worker.once('exit', () => resolve());
  });
}
