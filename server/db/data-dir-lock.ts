import { basename, join } from 'node:path';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

const LOCK_FILE = 'council-commons.lock';

export class DataDirLockedError extends Error {}

export interface DataDirLock {
  /** Idempotent; removes the lock file only while it is still ours. */
  release(): void;
}

interface Owner { pid: number; holder: string; since: string }

/** How long to wait for a live holder to let go: a restart often overlaps the old process's shutdown. */
const DEFAULT_WAIT_MS = 5_000;
const RETRY_MS = 50;

/**
 * PGlite runs Postgres inside this process with no postmaster to arbitrate, and nothing
 * stops a second process opening the same data directory: both would write its files and
 * corrupt it. So whoever opens the directory first leaves a lock file naming its pid, and
 * anyone else waits while that process lives, up to `waitMs`, then refuses to start. The wait
 * is for restarts: `npm start` exits as soon as it is signalled, while the server it started
 * is still closing the database (0.4-2 s under load), so a start right after a stop would
 * otherwise find the directory taken. A lock left by a process that died (a crash, kill -9)
 * is taken over.
 *
 * The file is written in full under a private name and then hard-linked into place: link
 * fails if the lock exists, so taking it is atomic and nobody reads a half-written owner.
 */
export async function lockDataDir(dir: string, { waitMs = DEFAULT_WAIT_MS }: { waitMs?: number } = {}): Promise<DataDirLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const taken = tryLock(dir);
    if (!('holder' in taken)) return taken;
    if (Date.now() >= deadline) {
      const { holder } = taken;
      throw new DataDirLockedError(
        `the embedded database in ${dir} is open in process ${holder.pid} (${holder.holder}, since ${holder.since}). ` +
        'Its data directory can be used by one process at a time: stop that process first (run the admin CLI while the ' +
        'server is stopped), or run the server on PostgreSQL with DATABASE_URL, which any number of processes can share.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/** Takes the lock, or names the live process holding it. */
function tryLock(dir: string): DataDirLock | { holder: Owner } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, LOCK_FILE);
  const mine = `${file}.${process.pid}`;
  const owner: Owner = { pid: process.pid, holder: basename(process.argv[1] ?? 'node'), since: new Date().toISOString() };
  writeFileSync(mine, JSON.stringify(owner), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(mine, file);
        return releaser(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const current = readOwner(file);
        if (current && isAlive(current.pid)) return { holder: current };
        removeIfPresent(file);
      }
    }
    throw new DataDirLockedError(`could not lock the embedded database in ${dir}: another process keeps taking it`);
  } finally {
    removeIfPresent(mine);
  }
}

function releaser(file: string): DataDirLock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readOwner(file)?.pid === process.pid) removeIfPresent(file);
    },
  };
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Owner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence without signalling; EPERM means alive but someone else's. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
