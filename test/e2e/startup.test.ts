import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the real entry point (`npm start` runs `node --import tsx server/main.ts`). */
function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  child.stderr!.on('data', (chunk) => { stderr += String(chunk); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr: () => stderr, exited };
}

describe('npm start while the hub is starting', () => {
  // A "database" that accepts connections and never answers: migrations never finish, so
  // the hub stays in its starting state for as long as the test needs.
  let silent: Server;
  const sockets: Socket[] = [];
  let hub: ReturnType<typeof startMain>;
  let base: string;

  beforeAll(async () => {
    silent = createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    hub = startMain({ DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/never` });
    await waitFor(() => hub.lines.some((l) => l.includes('council commons is starting')), { timeoutMs: 30_000, what: 'the hub to listen' });
    base = JSON.parse(hub.lines.find((l) => l.includes('council commons is starting'))!).url.replace('/graphql', '').replace('localhost', '127.0.0.1');
  }, 40_000);
  afterAll(async () => {
    if (hub?.child.exitCode === null) hub.child.kill('SIGKILL');
    for (const socket of sockets) socket.destroy();
    silent?.close();
  });

  it('listens at once: /healthz is up, /readyz and GraphQL answer 503 with a reason and Retry-After', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'starting' });
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(503);
    expect(graphql.headers.get('retry-after')).toBe('2');
    const body = await graphql.json() as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(body.errors[0]!.message).toMatch(/starting/);
  });

  it('stops on SIGTERM while still starting', async () => {
    hub.child.kill('SIGTERM');
    expect(await hub.exited).not.toBeNull();
    expect(hub.stderr()).toBe('');
  });
});

describe('npm start on an embedded data directory another process holds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cc-locked-'));
    // This test process is alive, so its lock is current.
    writeFileSync(join(dir, 'council-commons.lock'), JSON.stringify({ pid: process.pid, holder: 'vitest', since: new Date().toISOString() }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one clear line, no stack trace, and exits 1', async () => {
    const hub = startMain({ DATA_DIR: dir, SEED: 'false' });
    expect(await hub.exited).toBe(1);
    const lines = hub.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^council commons cannot start: the embedded database in .* is open in process \d+ \(vitest/);
    expect(hub.stderr()).not.toMatch(/\n\s+at |\.ts:\d+/);
  }, 40_000);
});
