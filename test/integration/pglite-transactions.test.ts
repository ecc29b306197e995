import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDatabase, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil } from '../support/factories.js';

// PGlite has one connection. Kysely's PGlite dialect must hand it to one transaction at a
// time; if two shared it, a rollback in one would undo (or keep) the other's writes.
describe('concurrent transactions on PGlite', () => {
  let database: TestDatabaseHandle;
  beforeAll(async () => { database = await pgliteDatabase.create(); });
  afterAll(async () => { await database?.close(); });

  it('keeps a rolled-back write out while another transaction commits at the same time', async () => {
    const { db } = database;
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('councils').values({ slug: 'rolled-back', name: 'Rolled Back', kind: 'other', region: 'London' }).execute();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('roll me back');
    });
    const committing = db.transaction().execute(async (trx) => {
      await trx.insertInto('councils').values({ slug: 'committed', name: 'Committed', kind: 'other', region: 'London' }).execute();
    });
    const plain = createCouncil(db, { slug: 'outside-any-transaction' });
    const results = await Promise.allSettled([failing, committing, plain]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    const slugs = (await db.selectFrom('councils').select('slug').execute()).map((r) => r.slug);
    expect(slugs).toContain('committed');
    expect(slugs).toContain('outside-any-transaction');
    expect(slugs).not.toContain('rolled-back');
  });

  it('does not let a query from another request see an open transaction\'s uncommitted write', async () => {
    const { db } = database;
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const writer = db.transaction().execute(async (trx) => {
      await trx.insertInto('councils').values({ slug: 'uncommitted', name: 'Uncommitted', kind: 'other', region: 'London' }).execute();
      await held;
      throw new Error('abandon');
    });
    // Queued behind the writer, so it runs only after the rollback.
    const reader = sql<{ n: number }>`select count(*)::int as n from councils where slug = 'uncommitted'`.execute(db);
    setTimeout(release, 30);
    await expect(writer).rejects.toThrow('abandon');
    expect((await reader).rows[0]!.n).toBe(0);
  });
});
