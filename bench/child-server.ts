import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point in its own Node process (so it does not share an event
 * loop with the load generator) and resolves once `portOf` finds its port in a stdout line.
 */
export function startChildServer(
  entry: string,
  env: Record<string, string>,
  portOf: (line: string) => number | undefined,
  nodeArgs: string[] = [],
  timeoutMs = 60_000,
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`${entry} did not start within ${timeoutMs} ms`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${entry} exited with code ${code} before listening`)); });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = portOf(line);
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ port, child, stop });
    });
  });
}

/** Reads `{"port": N}`, as bench/baseline-server.ts prints it. */
export function jsonPort(line: string): number | undefined {
  try {
    const { port } = JSON.parse(line) as { port?: unknown };
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the hub's "serving" log line: `{"msg":"council commons is serving","url":"http://localhost:N/graphql"}`. */
export function hubPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'council commons is serving' && entry.url ? Number(new URL(entry.url).port) : undefined;
  } catch {
    return undefined;
  }
}
