import { sql, type Selectable } from 'kysely';
import type { DatabaseHandle } from '../server/db/connect.js';
import type { EmailSendsTable } from '../server/db/notification-tables.js';
import type { EventSignal } from '../server/events/signal.js';
import type { Logger } from '../server/logger.js';
import { composeEmails, createEventLines } from '../server/email/compose.js';
import type { EmailConfig } from '../server/email/config.js';
import { digestPeriod, planDigests, type DigestKind } from '../server/email/digest-plan.js';
import type { EmailLinks } from '../server/email/links.js';
import type { Mailer, OutgoingEmail } from '../server/email/mailer.js';
import { createWorkerLoop } from './worker-loop.js';

export const EMAIL_SENDER = 'email-sender';

export interface EmailSenderDeps {
  readonly database: DatabaseHandle;
  readonly signal: EventSignal;
  readonly logger: Logger;
  readonly mailer: Mailer;
  readonly links: EmailLinks;
  readonly config: Pick<EmailConfig, 'digestHour' | 'weeklyDigestDay' | 'retryInitialMs' | 'retryMaxMs' | 'concurrency' | 'pollIntervalMs'>;
  /** The time now; tests move it by hand. @default () => new Date() */
  readonly clock?: () => Date;
  /** @default 2000 */
  readonly standbyRetryMs?: number;
}

/** Rows taken per page. */
const PAGE = 200;

type Composed = Map<string, OutgoingEmail | null> | Error;

/**
 * Sends what the sent-log (`email_sends`) owes, everything due in pages of `PAGE` rows,
 * `concurrency` at a time, and plans each digest period once when it comes. A row is marked sent right after the
 * transport accepted its email, and never sent again after that; a failure leaves it
 * pending with a later `next_attempt_at` (doubling, capped), so a dead mail server delays
 * email and drops none. One instance is active across processes (advisory lock).
 *
 * What is left is the gap between the transport's acceptance and the mark: a worker killed
 * inside it sends that one email again on restart, with the same Message-ID (SMTP) or
 * reference (Notify), which receivers and Notify's dashboards can de-duplicate on.
 */
export function createEmailSender({ database, signal, logger, mailer, links, config, clock = () => new Date(), standbyRetryMs = 2_000 }: EmailSenderDeps) {
  const db = database.db;
  const planned: Record<DigestKind, string | undefined> = { daily: undefined, weekly: undefined };

  async function planDue(): Promise<void> {
    for (const kind of ['daily', 'weekly'] as const) {
      const period = digestPeriod(kind, clock(), config.digestHour, config.weeklyDigestDay);
      if (planned[kind] === period) continue;
      const queued = await planDigests(db, kind, period);
      planned[kind] = period;
      if (queued !== null) logger.info('digests planned', { kind, period, queued });
    }
  }

  const marks = createMarkBatcher(async (status, keys) => {
    await db.updateTable('email_sends').set({ status, sent_at: clock(), last_error: null }).where('key', 'in', keys).execute();
  });

  async function sendOne(row: Selectable<EmailSendsTable>, email: OutgoingEmail | null | Error): Promise<void> {
    try {
      if (email instanceof Error) throw email;
      if (email) await mailer.send(email);
      await marks.mark(row.key, email ? 'sent' : 'empty');
    } catch (error) {
      const attempts = row.attempts + 1;
      const delay = Math.min(config.retryMaxMs, config.retryInitialMs * 2 ** (attempts - 1));
      const message = error instanceof Error ? error.message : String(error);
      logger.warn('email not sent; will retry', { key: row.key, attempts, retryInMs: delay, error: message });
      await db.updateTable('email_sends')
        .set({ attempts, next_attempt_at: new Date(clock().getTime() + delay), last_error: message.slice(0, 1_000) })
        .where('key', '=', row.key).where('status', '=', 'pending').execute();
    }
  }

  /** Each event's digest line, read once per run rather than once per page. */
  const lines = createEventLines();

  /** The next page of rows due at `now`, after `after` in key order (a keyset cursor). */
  async function duePage(now: Date, after: string): Promise<Selectable<EmailSendsTable>[]> {
    return db.selectFrom('email_sends').selectAll()
      .where('status', '=', 'pending').where('next_attempt_at', '<=', now).where('key', '>', after)
      .orderBy('key').limit(PAGE).execute();
  }

  /** A page and its emails (composeEmails is set-based); a compose failure fails each row's send, not the step. */
  async function nextPage(now: Date, after: string): Promise<{ rows: Selectable<EmailSendsTable>[]; emails: Composed }> {
    const rows = await duePage(now, after);
    const emails = await composeEmails(db, links, rows, lines).catch((error: unknown) => error instanceof Error ? error : new Error(String(error)));
    return { rows, emails };
  }

  /**
   * Sends a page on `concurrency` lanes that each take the next row as soon as their last is
   * marked: no lane waits for a slow neighbour, and at most `concurrency` emails are between
   * acceptance and their mark.
   */
  async function sendPage(due: readonly Selectable<EmailSendsTable>[], emails: Composed): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < due.length && !loop.stopping) {
        const row = due[next++]!;
        await sendOne(row, emails instanceof Error ? emails : emails.get(row.key) ?? null);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, lane));
  }

  const loop = createWorkerLoop({
    name: EMAIL_SENDER, database, signal, logger: logger.child({ consumer: EMAIL_SENDER }),
    standbyRetryMs, initialBackoffMs: 100, maxBackoffMs: 30_000,
    async step() {
      loop.takeRings();
      await planDue();
      // Everything due at the step's start, page by page in key order: the next page is read
      // and composed while this one sends, so the database and the mail server work at once.
      // A row that fails moves its next attempt past `now`, so the cursor cannot meet it again.
      const now = clock();
      let page = await nextPage(now, '');
      while (page.rows.length > 0 && !loop.stopping) {
        const ahead = page.rows.length === PAGE ? nextPage(now, page.rows.at(-1)!.key) : undefined;
        // Held, so a failed read ahead is not an unhandled rejection while this page sends.
        ahead?.catch(() => {});
        await sendPage(page.rows, page.emails);
        if (!ahead) break;
        page = await ahead;
      }
      const next = await db.selectFrom('email_sends').select(sql<Date>`min(next_attempt_at)`.as('at'))
        .where('status', '=', 'pending').executeTakeFirst();
      const wait = next?.at ? new Date(next.at).getTime() - clock().getTime() : config.pollIntervalMs;
      // Also wake for the next digest time: polls are at most pollIntervalMs apart.
      return loop.idle(Math.max(10, Math.min(config.pollIntervalMs, wait)));
    },
  });

  return {
    name: EMAIL_SENDER,
    wake: loop.ring,
    start: loop.start,
    /** Lets the emails in flight finish and record, releases leadership; idempotent. */
    stop: loop.stop,
    status: () => ({ ...loop.status(), position: null }),
  };
}

/**
 * Marks sent-log rows with one UPDATE for all the lanes that ask while the previous UPDATE
 * runs, rather than one round trip per email. Each caller still waits for its own row's
 * mark before its lane takes the next row, so a kill can repeat no more emails than before
 * (those accepted and not yet marked: at most one per lane).
 */
function createMarkBatcher(write: (status: 'sent' | 'empty', keys: string[]) => Promise<void>) {
  type Waiting = { key: string; status: 'sent' | 'empty'; done: () => void; failed: (error: unknown) => void };
  let waiting: Waiting[] = [];
  let running = false;
  async function flush(): Promise<void> {
    running = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      for (const status of ['sent', 'empty'] as const) {
        const group = batch.filter((w) => w.status === status);
        if (group.length === 0) continue;
        try {
          await write(status, group.map((w) => w.key));
          for (const w of group) w.done();
        } catch (error) {
          for (const w of group) w.failed(error);
        }
      }
    }
    running = false;
  }
  return {
    mark(key: string, status: 'sent' | 'empty'): Promise<void> {
      return new Promise<void>((done, failed) => {
        waiting.push({ key, status, done, failed });
        if (!running) void flush();
      });
    },
  };
}
