import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/db/connect.js';
import type { MemberViewer } from '../server/auth/viewer.js';
import { seedIfEmpty } from '../seeds/seed.js';

// One hub for bench/limits.ts, with its protections on or off. The rate limits are on but
// far above what the bench sends: their bookkeeping is measured, never a refusal.
const protections = process.argv[2] !== 'off';
const database = await connectDatabase({});
const config = loadConfig({
  PORT: '0', HOST: '127.0.0.1', SEED: 'false', LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_PER_TOKEN: '1000000',
});
const app = await createApp(config, { database, protections });
const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
await seedIfEmpty({ db: app.db, transact: app.transact, dataDir });
rmSync(dataDir, { recursive: true, force: true });
await addProblems(40);
const port = await app.listen();
process.stdout.write(`${JSON.stringify({ port, protections })}\n`);
let publishing: NodeJS.Timeout | undefined;
process.on('SIGTERM', () => { clearInterval(publishing); app.close(100).then(() => database.close()).then(() => process.exit(0)); });
// SIGUSR2: publish a problem every 250 ms from now on, so subscribers have live events.
process.on('SIGUSR2', () => {
  let busy = false;
  publishing ??= setInterval(() => {
    if (busy) return;
    busy = true;
    addProblems(1).finally(() => { busy = false; });
  }, 250);
});

/** Enough published problems that the bench's page of 20 is full whatever the seed holds. */
async function addProblems(count: number): Promise<void> {
  const council = await app.db.selectFrom('councils').select('id').orderBy('name').executeTakeFirstOrThrow();
  const member = await app.db.selectFrom('members').select('id').where('email', '=', 'bench@example.gov.uk').executeTakeFirst()
    ?? await app.db.insertInto('members')
      .values({ council_id: council.id, name: 'Bench editor', email: 'bench@example.gov.uk', role: 'editor' })
      .returning('id').executeTakeFirstOrThrow();
  const viewer: MemberViewer = { kind: 'member', memberId: member.id, councilId: council.id, role: 'editor', isPlatformAdmin: false, tokenId: 'bench' };
  for (let i = 0; i < count; i++) {
    const problem = await app.services.problems.create(viewer, {
      title: `Bench problem ${i}: paper forms re-keyed into the case system`,
      summary: 'Staff type paper forms into the case management system by hand.',
      serviceArea: 'corporate',
      tags: ['bench', 'data entry'],
    });
    await app.services.problems.publish(viewer, problem.id);
  }
}
