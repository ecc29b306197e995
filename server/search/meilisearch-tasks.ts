import { createHash } from 'node:crypto';
import { MeilisearchTaskTimeOutError, type Meilisearch, type Task, type WaitOptions } from 'meilisearch';
import { SearchEngineError } from './engine.js';

/** Writes whose task is still awaited after a timed-out wait; beyond this, the oldest is forgotten. */
const MAX_PENDING = 1_000;

/**
 * Runs Meilisearch writes and waits for their tasks. A wait that times out leaves the task
 * running in Meilisearch; when the same write is tried again (the indexer retries its batch)
 * it waits for that task rather than enqueueing the write a second time. A write is the
 * same when its key (index, operation, body) is.
 */
export function createTaskRunner(client: Meilisearch, wait: WaitOptions) {
  const pending = new Map<string, number>();

  return async function run(key: string, enqueue: () => Promise<{ taskUid: number }>, allowedErrorCode?: string): Promise<Task> {
    const hash = createHash('sha256').update(key).digest('base64url');
    const taskUid = pending.get(hash) ?? (await enqueue()).taskUid;
    let task: Task;
    try {
      task = await client.tasks.waitForTask(taskUid, wait);
    } catch (error) {
      if (error instanceof MeilisearchTaskTimeOutError) remember(pending, hash, taskUid);
      else pending.delete(hash);
      throw error;
    }
    pending.delete(hash);
    if (task.status === 'succeeded' || (allowedErrorCode && task.error?.code === allowedErrorCode)) return task;
    throw new SearchEngineError(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no reason given'}`);
  };
}

export type TaskRunner = ReturnType<typeof createTaskRunner>;

function remember(pending: Map<string, number>, hash: string, taskUid: number): void {
  pending.delete(hash);
  pending.set(hash, taskUid);
  if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
}
