import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BenchProcess {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point in its own Node process, so servers never share an event
 * loop (or a core's time slice) with the load generator, and resolves with the port that
 * `portOf` finds in one of its JSON log lines.
 */
export function startProcess(
  cwd: string,
  entry: string,
  env: Record<string, string>,
  portOf: (entry: Record<string, unknown>) => number | undefined,
  timeoutMs = 60_000,
): Promise<BenchProcess> {
  const extra = entry.startsWith('server/') && process.env.HUB_NODE_ARGS ? process.env.HUB_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', entry], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`${entry} did not start within ${timeoutMs} ms`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${entry} exited with ${code} before listening`)); });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let parsed: Record<string, unknown>;
      try { parsed = JSON.parse(line); } catch { return; }
      const port = portOf(parsed);
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ port, pid: child.pid!, stop });
    });
  });
}
