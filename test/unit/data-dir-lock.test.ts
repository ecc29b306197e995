import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../server/db/data-dir-lock.js';

describe('the embedded data directory lock', () => {
  let dir: string;
  const lockFile = () => join(dir, 'council-commons.lock');
  const noWait = { waitMs: 0 };

  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cc-lock-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in at a time, naming the holder to the one refused', async () => {
    const lock = await lockDataDir(dir);
    await expect(lockDataDir(dir, noWait)).rejects.toThrow(DataDirLockedError);
    await expect(lockDataDir(dir, { waitMs: 200 })).rejects.toThrow(`is open in process ${process.pid}`);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    (await lockDataDir(dir, noWait)).release();
  });

  it('waits for a holder that releases the lock while it waits (a restart overlapping a shutdown)', async () => {
    const lock = await lockDataDir(dir);
    const waiting = lockDataDir(dir, { waitMs: 30_000 });
    let settled = false;
    void waiting.finally(() => { settled = true; });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(settled).toBe(false);
    lock.release();
    (await waiting).release();
  });

  it('waits for a holding process that exits without releasing, then takes over', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)']);
    let holderExited = false;
    const exited = new Promise((resolve) => holder.once('exit', () => { holderExited = true; resolve(undefined); }));
    writeFileSync(lockFile(), JSON.stringify({ pid: holder.pid, holder: 'main.ts', since: new Date().toISOString() }));
    const lock = await lockDataDir(dir, { waitMs: 30_000 });
    // It took the lock only once the holder had gone, not while it was alive.
    expect(holderExited).toBe(true);
    await exited;
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock left by a process that has died', async () => {
    // A pid that certainly existed and has certainly exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lockFile(), JSON.stringify({ pid: dead, holder: 'main.ts', since: '2026-01-01T00:00:00.000Z' }));
    const lock = await lockDataDir(dir, noWait);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats an unreadable lock file as stale rather than refusing forever', async () => {
    writeFileSync(lockFile(), 'not json');
    const lock = await lockDataDir(dir, noWait);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('releases only its own lock, once', async () => {
    const lock = await lockDataDir(dir);
    const someoneElse = { pid: process.pid + 1_000_000, holder: 'other', since: new Date().toISOString() };
    writeFileSync(lockFile(), JSON.stringify(someoneElse));
    lock.release();
    expect(existsSync(lockFile())).toBe(true);
    lock.release();
  });
});
