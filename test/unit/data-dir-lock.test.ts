import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../server/db/data-dir-lock.js';

describe('the embedded data directory lock', () => {
  let dir: string;
  const lockFile = () => join(dir, 'council-commons.lock');

  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'cc-lock-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in at a time, naming the holder to the one refused', () => {
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`is open in process ${process.pid}`);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock left by a process that has died', () => {
    // A pid that certainly existed and has certainly exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(lockFile(), JSON.stringify({ pid: dead, holder: 'main.ts', since: '2026-01-01T00:00:00.000Z' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats an unreadable lock file as stale rather than refusing forever', () => {
    writeFileSync(lockFile(), 'not json');
    lockDataDir(dir).release();
  });

  it('releases only its own lock, once', () => {
    const lock = lockDataDir(dir);
    const someoneElse = { pid: process.pid + 1_000_000, holder: 'other', since: new Date().toISOString() };
    writeFileSync(lockFile(), JSON.stringify(someoneElse));
    lock.release();
    expect(existsSync(lockFile())).toBe(true);
    lock.release();
  });
});
