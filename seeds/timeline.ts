import { sql, type Transaction } from 'kysely';
import type { Database } from '../server/db/database.js';

/**
 * The sample data is a history, not a snapshot: councils join, publish problems, others say
 * "we have this too", solutions follow, then adoptions, case studies and comments, over
 * years. Every date is fixed relative to this anchor, so a load is deterministic; nothing is
 * dated after it.
 */
export const SEED_ANCHOR = Date.UTC(2026, 9, 30, 16, 0);
/** When the seeded councils joined the hub, before anything they publish. */
export const SEED_START = Date.UTC(2022, 9, 3, 9, 0);

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** `days` after `from`, at a working hour picked by `salt`, so items do not all share a minute. */
export function later(from: number, days: number, salt: number): number {
  const date = new Date(from + days * DAY);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 9 + (salt % 8), (salt * 17) % 60);
}

/** Spreads `count` slots evenly over [from, to], one per item, by index. */
export function spread(index: number, count: number, from: number, to: number): number {
  return later(from, Math.floor(((to - from) / DAY) * (index / Math.max(1, count - 1))), index);
}

/** One change of the history, run by the services at its time. */
export interface TimedStep {
  readonly at: number;
  readonly run: () => Promise<unknown>;
}

/**
 * Runs the steps in time order (stable for equal times), each at its own time: the
 * transaction's `council_commons.now` (see hub_now() in migration 0010), which column
 * defaults, the services' own timestamps and the outbox all read. So rows, their later
 * changes and their events agree, and the outbox's positions follow its times.
 */
export async function runInTimeOrder(trx: Transaction<Database>, steps: readonly TimedStep[]): Promise<void> {
  const ordered = steps.map((step, i) => ({ step, i })).sort((a, b) => a.step.at - b.step.at || a.i - b.i);
  for (const { step } of ordered) {
    if (step.at > SEED_ANCHOR) throw new Error(`seed data dated after its anchor: ${new Date(step.at).toISOString()}`);
    await setClock(trx, step.at);
    await step.run();
  }
}

export async function setClock(trx: Transaction<Database>, at: number): Promise<void> {
  await sql`select set_config('council_commons.now', ${new Date(at).toISOString()}, true)`.execute(trx);
}
