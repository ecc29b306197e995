import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../server/db/connect.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { createSmtpMailer } from '../server/email/smtp-mailer.js';
import { createEmailLinks } from '../server/email/links.js';
import { digestPeriod, planDigests } from '../server/email/digest-plan.js';
import { createLocalSignal } from '../server/events/signal.js';
import { createLogger } from '../server/logger.js';
import { createEmailSender } from '../workers/email-sender.js';
import { createBenchDatabase } from './bench-database.js';

// npm run bench:notifications -- [members] [followsPerMember] [events] [publishes]
// 1. publish -> inbox row latency through the real hub (in-process workers, PostgreSQL), run second;
// 2. one daily digest run (first, in its own database) for `members` members with `followsPerMember` follows each over
//    `events` events: planning, composing and sending every digest to a local SMTP server.
const [members = 10_000, followsEach = 20, events = 5_000, publishes = 200] = process.argv.slice(2).map(Number);
const COUNCILS = 1_000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

// The mail server runs in a process of its own (bench/smtp-sink.ts).
const sink = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const sinkPort = await new Promise<number>((resolve) => sink.once('message', (m: any) => resolve(m.port)));
const smtpUrl = `smtp://127.0.0.1:${sinkPort}`;
const sinkReport = () => new Promise<{ received: number; peakRss: number }>((resolve) => {
  sink.once('message', (m: any) => resolve(m));
  sink.send('report');
});
try {
  // The digest run goes first, in its own database, so its peak RSS is not that of the
  // latency part's hub (its embedding model stays in the heap after close()).
  await measure(digestRun);
  if (publishes > 0) await measure(latency);
} finally {
  const exited = new Promise((resolve) => sink.once('exit', resolve));
  sink.send('stop');
  await exited;
}

async function measure(part: (url: string) => Promise<void>): Promise<void> {
  const bench = await createBenchDatabase();
  try {
    await part(bench.url);
  } finally {
    await bench.drop();
  }
}

/** 1. publish -> inbox row latency through the real hub. */
async function latency(url: string): Promise<void> {
  // Imported here, after the digest run: the whole hub's modules (about 130 MB of RSS once
  // loaded) are not what a digest run needs, so they are not part of its peak.
  const [{ createApp }, { loadConfig }, { createFollowService }, { createTwoCouncils, createMember }] = await Promise.all([
    import('../server/app.js'), import('../server/config.js'), import('../server/notifications/follows.js'), import('../test/support/factories.js'),
  ]);
  const config = loadConfig({ DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', SEED: 'false', LOG_LEVEL: 'silent', IN_PROCESS_WORKERS: 'true', SMTP_URL: smtpUrl });
  const app = await createApp(config);
  const port = await app.listen();
  while ((await fetch(`http://127.0.0.1:${port}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
  const people = await createTwoCouncils(app.db);
  const follows = createFollowService({ db: app.db });
  for (let i = 0; i < 100; i++) await follows.follow((await createMember(app.db, people.b.council.id, 'member')).viewer, { serviceArea: 'waste' });
  const latencies: number[] = [];
  for (let i = 0; i < publishes; i++) {
    const draft = await app.services.problems.create(people.a.editor.viewer, { title: `Latency problem ${i}`, summary: 'bench', serviceArea: 'waste' });
    await app.services.problems.publish(people.a.editor.viewer, draft.id);
    const published = performance.now();
    for (;;) {
      const row = await sql<{ n: number }>`select count(*)::int as n from notifications n join outbox_events e on e.position = n.event_position
        where e.subject_id = ${draft.id} and e.type = 'problem.published'`.execute(app.db);
      if (row.rows[0]!.n === 100) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    latencies.push(performance.now() - published);
  }
  await app.close();
  latencies.sort((a, b) => a - b);
  console.log(`publish -> inbox rows (100 followers, ${publishes} publishes, from the publish's commit): p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (goal p95 < 1000 ms)`);

}

/** 2. One daily digest run. */
async function digestRun(url: string): Promise<void> {
  const database = await connectDatabase({ url: url, poolSize: 10 });
  const db = database.db;
  await migrateToLatest(db);
  const setupStarted = performance.now();
  await sql`insert into councils (slug, name, kind, region) select 'bench-' || i, 'Bench Council ' || i, 'district', 'Bench' from generate_series(1, ${COUNCILS}) i`.execute(db);
  await sql`create temporary table bench_councils as select id, row_number() over (order by slug) - 1 as i from councils where slug like 'bench-%'`.execute(db);
  await sql`insert into members (council_id, name, email, role)
    select c.id, 'Officer ' || m, 'officer' || m || '@bench.example.gov.uk', 'member'
    from generate_series(0, ${members - 1}) m join bench_councils c on c.i = m % ${COUNCILS}`.execute(db);
  await sql`create temporary table bench_members as select id, row_number() over (order by email) - 1 as i from members where email like '%@bench.example.gov.uk'`.execute(db);
  await sql`insert into follows (member_id, kind, council_id, key)
    select m.id, 'council', c.id, 'council:' || c.id from bench_members m cross join generate_series(0, ${followsEach - 1}) k
    join bench_councils c on c.i = (m.i * 7 + k * 53) % ${COUNCILS} on conflict do nothing`.execute(db);
  const head = Number((await sql<{ p: number }>`select coalesce(max(position), 0) as p from outbox_events`.execute(db)).rows[0]!.p);
  await sql`insert into outbox_events (type, subject_type, subject_id, council_id, visibility, payload)
    select 'problem.published', 'problem', gen_random_uuid(), c.id, 'published', jsonb_build_object('v', 1, 'title', 'Bench problem ' || e, 'serviceArea', 'waste')
    from generate_series(0, ${events - 1}) e join bench_councils c on c.i = e % ${COUNCILS}`.execute(db);
  // What the notifications consumer would have written: one row per follower and event.
  await sql`insert into notifications (member_id, event_position, follow_id)
    select f.member_id, e.position, f.id from outbox_events e join follows f on f.kind = 'council' and f.council_id = e.council_id
    where e.position > ${head} on conflict do nothing`.execute(db);
  const rows = Number((await sql<{ n: number }>`select count(*)::int as n from notifications where event_position > ${head}`.execute(db)).rows[0]!.n);
  await sql`insert into consumer_cursors (consumer, position) values ('notifications', (select max(position) from outbox_events))
    on conflict (consumer) do update set position = excluded.position`.execute(db);
  await sql`analyze`.execute(db);
  console.log(`digest set-up: ${members} members x ${followsEach} follows, ${events} events, ${rows} inbox rows (${((performance.now() - setupStarted) / 1000).toFixed(1)} s)`);

  const mailer = createSmtpMailer({ url: smtpUrl, from: 'Bench <bench@example.gov.uk>', maxConnections: 8 });
  const links = createEmailLinks({ db, publicUrl: 'https://commons.example.gov.uk', signingKey: 'bench' });
  const tomorrow = new Date(Date.now() + 86_400_000);
  const sender = createEmailSender({
    database, signal: createLocalSignal(), logger: createLogger('silent'), mailer, links, clock: () => tomorrow,
    config: { digestHour: 7, weeklyDigestDay: 1, retryInitialMs: 1_000, retryMaxMs: 10_000, concurrency: 8, pollIntervalMs: 100 },
  });
  const before = (await sinkReport()).received;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
  const baseRss = process.memoryUsage().rss;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  // Yesterday's run is the start of this one's range.
  await planDigests(db, 'daily', digestPeriod('daily', new Date(), 7, 1)).catch(() => null);
  sender.start();
  let plannedAt: number | undefined;
  for (;;) {
    const pending = Number((await sql<{ n: number }>`select count(*)::int as n from email_sends where status = 'pending'`.execute(db)).rows[0]!.n);
    const planned = Number((await sql<{ n: number }>`select count(*)::int as n from email_digest_runs where kind = 'daily'`.execute(db)).rows[0]!.n);
    if (planned >= 2 && plannedAt === undefined) plannedAt = performance.now();
    if (planned >= 2 && pending === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await sender.stop();
  await mailer.close();
  await database.close();
  const report = await sinkReport();
  const sent = report.received - before;
  console.log(`daily digest run: ${sent} digests sent in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s), `
    + `planned in ${((plannedAt! - started) / 1000).toFixed(1)} s, sender CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, `
    + `peak RSS ${(peakRss / 1048576).toFixed(0)} MB (${(baseRss / 1048576).toFixed(0)} MB at the start; the SMTP sink, a process of its own, peaked at ${(report.peakRss / 1048576).toFixed(0)} MB) `
    + `(goals < 60 s, < 500 MB); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
