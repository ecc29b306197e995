import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSignal, type EventSignal } from '../../server/events/signal.js';
import { createLogger } from '../../server/logger.js';
import { createWorkerLoop, type WorkerLoopOptions } from '../../workers/worker-loop.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

type Line = Record<string, unknown>;
/** Lets every callback already due run: a wait that a ring or nudge ended has resumed by then. */
const settle = async () => { for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve)); };

describe.each(testDatabases())('the worker loop on $engine', (engine) => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await engine.create(); });
  afterAll(async () => database?.close());

  /** A loop over a real logger whose lines are kept; `step` gets the loop to wait on. */
  function makeLoop(step: (loop: ReturnType<typeof createWorkerLoop>) => Promise<void>, options: Partial<WorkerLoopOptions> & { signal?: EventSignal } = {}) {
    const lines: Line[] = [];
    const logger = createLogger('debug', {}, (line) => lines.push(JSON.parse(line) as Line));
    const loop: ReturnType<typeof createWorkerLoop> = createWorkerLoop({
      name: `loop-${randomUUID()}`, database, signal: createLocalSignal(), logger,
      standbyRetryMs: 20, initialBackoffMs: 10, maxBackoffMs: 40, step: () => step(loop), ...options,
    });
    return { loop, lines };
  }

  it('activates once, runs one step at a time, and on stop settles before it lets leadership go', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let most = 0;
    const { loop, lines } = makeLoop(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      order.push('step');
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    }, {
      activate: async () => { order.push('activate'); },
      settle: async () => { order.push(`settle while leading: ${loop.leading}`); },
    });
    expect(loop.leading).toBe(false);
    expect(loop.status()).toEqual({ active: false, failures: 0, lastError: null, standbyChecks: 0 });
    loop.start();
    loop.start(); // a second start must not run a second loop
    await waitFor(() => order.filter((o) => o === 'step').length >= 20);
    expect(loop.leading).toBe(true);
    expect(loop.status().active).toBe(true);
    expect(loop.stopping).toBe(false);
    await loop.stop();
    expect(loop.stopping).toBe(true);
    expect(most).toBe(1);
    expect(order[0]).toBe('activate');
    expect(order.filter((o) => o === 'activate')).toHaveLength(1);
    expect(order.at(-1)).toBe('settle while leading: true');
    expect(loop.leading).toBe(false);
    const steps = order.length;
    loop.start(); // a stopped loop stays stopped
    await loop.stop();
    await settle();
    expect(order).toHaveLength(steps + 1); // the second stop settles again, but no step ran
    expect(lines.filter((line) => line.msg === 'worker active').map((line) => line.level)).toEqual(['info']);
  });

  it('keeps a ring that came while the step was in hand, so the next idle returns at once', async () => {
    const signal = createLocalSignal();
    let steps = 0;
    const { loop } = makeLoop(async (l) => {
      steps++;
      l.takeRings();
      if (steps === 1) signal.notify(); // lands after the step began reading
      await l.idle(60_000);
    }, { signal });
    loop.start();
    await waitFor(() => steps === 2, { what: 'the ring to end the first idle at once' });
    await settle();
    expect(steps).toBe(2);
    // A ring taken by `takeRings` is spent: this idle waits for a new one.
    signal.notify();
    await waitFor(() => steps === 3, { what: 'a new ring to end the idle' });
    await loop.stop(); // ends the idle in hand at once
    expect(steps).toBe(3);
  });

  it('rests through rings until nudged, and a ring before a rest does not cut it short', async () => {
    const signal = createLocalSignal();
    let steps = 0;
    let resting = false;
    const { loop } = makeLoop(async (l) => {
      steps++;
      resting = true;
      await l.rest(60_000);
      resting = false;
    }, { signal });
    signal.notify(); // dirty before the first rest
    loop.start();
    await waitFor(() => resting);
    signal.notify();
    loop.ring();
    await settle();
    expect([steps, resting]).toEqual([1, true]);
    loop.nudge();
    await waitFor(() => steps === 2);
    loop.nudge();
    await waitFor(() => steps === 3);
    await loop.stop();
    expect(steps).toBe(3);
  });

  it('backs off exponentially with jitter up to its cap, and recovers, whatever the step or onFailure throw', async () => {
    // What the loop reports at each failure, recorded as it happens: a poll between the fast
    // early retries (4 to 16 ms apart) could miss a state, and then wait for it forever.
    const failuresSeen: [unknown, string | null, number][] = [];
    let attempts = 0;
    const made = makeLoop(async (l) => {
      attempts++;
      if (attempts === 1) throw 'a plain string';
      if (attempts <= 6) throw new Error(`attempt ${attempts} refused`);
      await l.idle(60_000);
    }, {
      initialBackoffMs: 8, maxBackoffMs: 30,
      onFailure: async (error) => {
        failuresSeen.push([error, made.loop.status().lastError, made.loop.status().failures]);
        throw new Error('recording the failure failed too');
      },
    });
    const { loop, lines } = made;
    loop.start();
    await waitFor(() => attempts === 7);
    expect(loop.status().failures).toBe(6); // until the step in hand succeeds
    loop.nudge();
    await waitFor(() => attempts === 8);
    expect(loop.status()).toMatchObject({ failures: 0, lastError: null });
    await loop.stop();
    expect(failuresSeen[0]).toEqual(['a plain string', 'a plain string', 1]);
    expect(failuresSeen.slice(1).map(([error, lastError, failures]) => [(error as Error).message, lastError, failures]))
      .toEqual([2, 3, 4, 5, 6].map((n) => [`attempt ${n} refused`, `attempt ${n} refused`, n]));
    const logged = lines.filter((line) => line.msg === 'worker step failed; retrying');
    expect(logged.map((line) => [line.level, line.failures])).toEqual([1, 2, 3, 4, 5, 6].map((n) => ['error', n]));
    expect((logged[1]!.error as Line).message).toBe('attempt 2 refused');
    // 8 ms doubling, capped at 30, each jittered to between half and all of its step.
    const steps = [8, 16, 30, 30, 30, 30];
    logged.forEach((line, i) => {
      expect(line.retryInMs, `retry ${i + 1}`).toBeGreaterThanOrEqual(Math.floor(steps[i]! / 2));
      expect(line.retryInMs, `retry ${i + 1}`).toBeLessThanOrEqual(steps[i]!);
    });
  });

  it('backs off deaf to rings (each retry costs a connection), though a nudge or a stop ends the wait', async () => {
    const signal = createLocalSignal();
    let attempts = 0;
    const { loop } = makeLoop(async (l) => {
      attempts++;
      if (attempts === 1) throw new Error('the database is down');
      l.takeRings();
      await l.idle(60_000);
    }, { signal, initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
    loop.start();
    await waitFor(() => loop.status().failures === 1);
    for (let i = 0; i < 5; i++) signal.notify();
    // A back-off woken by the rings would have retried within a turn or two of the event loop.
    await waitFor(() => attempts > 1, { timeoutMs: 300 }).catch(() => {});
    expect(attempts).toBe(1);
    loop.nudge();
    await waitFor(() => attempts === 2);
    await loop.stop();
  });

  it('takes a nudge while a step is in hand (nothing is waiting) without failing the step', async () => {
    let steps = 0;
    const { loop } = makeLoop(async (l) => {
      steps++;
      l.takeRings();
      if (steps === 1) l.nudge(); // no wait to end: the step is running
      await l.idle(60_000);
    });
    loop.start();
    await waitFor(() => steps === 1);
    await settle();
    expect(loop.status()).toMatchObject({ failures: 0, lastError: null });
    await loop.stop();
  });

  it('takes no step until it has activated, retrying a failed activation', async () => {
    const stepsAtActivation: number[] = [];
    let steps = 0;
    const { loop, lines } = makeLoop(async (l) => { steps++; if (steps > 1) await l.idle(60_000); }, {
      activate: async () => {
        stepsAtActivation.push(steps);
        if (stepsAtActivation.length === 1) throw new Error('index settings not ready');
      },
    });
    loop.start();
    await waitFor(() => steps === 2);
    expect(stepsAtActivation).toEqual([0, 0]);
    expect(loop.status()).toMatchObject({ active: true, failures: 0 });
    expect(lines.filter((line) => line.msg === 'worker active')).toHaveLength(1);
    await loop.stop();
  });

  describe.skipIf(engine.engine === 'pglite')('leadership (PostgreSQL only: PGlite is one process, so leadership is trivially its own)', () => {
    const lockBackends = async (name: string) => (await sql<{ pid: number }>`select pid from pg_stat_activity
      where datname = current_database() and application_name = ${`cc-worker:${name}`}`.execute(database.db)).rows.map((row) => row.pid);

    it('stands by without taking steps, deaf to rings, and takes over once the leader stops', async () => {
      const name = `standby-${randomUUID()}`;
      const signal = createLocalSignal();
      const steps = { leader: 0, standby: 0 };
      // Each step takes the rings so far, as a real one does before it reads: otherwise every idle would return at once.
      const leader = makeLoop(async (l) => { steps.leader++; l.takeRings(); await l.idle(60_000); }, { name, signal }).loop;
      const standby = makeLoop(async (l) => { steps.standby++; l.takeRings(); await l.idle(60_000); }, { name, signal, standbyRetryMs: 60_000 }).loop;
      leader.start();
      await waitFor(() => leader.leading);
      standby.start();
      await waitFor(() => standby.status().standbyChecks === 1);
      // Rings wake the leader's idle, but a standby's next try waits for its own interval.
      for (let i = 0; i < 5; i++) signal.notify();
      await waitFor(() => steps.leader >= 2);
      // Give a standby that (wrongly) answered the rings time to try again: it must not have.
      await waitFor(() => standby.status().standbyChecks > 1, { timeoutMs: 300 }).catch(() => {});
      expect(standby.status()).toMatchObject({ active: false, standbyChecks: 1 });
      expect([standby.leading, steps.standby]).toEqual([false, 0]);
      await leader.stop();
      // Nudged instead of waiting a minute for its next try (again, until the server has let the lock go).
      await waitFor(() => { if (standby.leading) return true; standby.nudge(); return false; }, { intervalMs: 50, what: 'the standby to take over' });
      expect(steps.standby).toBe(1);
      await standby.stop();
    });

    it('activates again after its lock connection is killed and it has taken the lock back', async () => {
      const name = `relead-${randomUUID()}`;
      let activations = 0;
      const { loop, lines } = makeLoop(async (l) => { await l.idle(20); }, { name, activate: async () => { activations++; } });
      loop.start();
      await waitFor(() => loop.leading);
      const [pid] = await lockBackends(name);
      await sql`select pg_terminate_backend(${pid}::int)`.execute(database.db);
      await waitFor(() => activations === 2, { what: 'the loop to lead again' });
      expect(await lockBackends(name)).not.toContain(pid);
      expect(lines.filter((line) => line.msg === 'worker active')).toHaveLength(2);
      expect(lines.filter((line) => line.msg === 'lost the consumer lock connection')).toHaveLength(1);
      await loop.stop();
    });
  });
});
