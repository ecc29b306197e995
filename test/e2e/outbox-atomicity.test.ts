import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';
import type { Database } from '../../server/db/database.js';
import { EVENT_TYPES } from '../../server/events/catalogue.js';
import { failEventAppends } from '../support/content-rows.js';
import { testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createMember, createTwoCouncils, type People } from '../support/factories.js';
import { STEPS, type Walk } from '../support/mutation-walk.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * What a refused mutation may still change: bookkeeping written outside the mutation's own
 * transaction, by the request around it (the rate limiter's buckets, a token's last use).
 */
const OUTSIDE_THE_TRANSACTION: Record<string, readonly string[] | 'whole table'> = {
  rate_limits: 'whole table',
  api_tokens: ['last_used_at'],
};

/** Every row of every table of ours, as one string per table. */
async function snapshot(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by 1`.execute(db);
  const rows: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const skip = OUTSIDE_THE_TRANSACTION[name];
    if (skip === 'whole table') continue;
    const drop = (skip ?? []).map((column) => sql` - ${sql.lit(column)}`);
    const result = await sql<{ rows: string | null }>`select string_agg(r, E'\n' order by r) as rows
      from (select (to_jsonb(t)${sql.join(drop, sql``)})::text as r from ${sql.table(name)} t) x`.execute(db);
    rows[name] = result.rows[0]?.rows ?? '';
  }
  return rows;
}

/** `PROBLEM_STATUS_CHANGED` → `problem.status_changed`. */
const storedType = (name: string) => {
  const type = EVENT_TYPES.find((t) => t.toUpperCase().replace('.', '_') === name);
  if (!type) throw new Error(`no event type for ${name}`);
  return type;
};

class Refused extends Error {}
const schema = buildSchema();

/**
 * Invariant 1 for every mutation that appends events (problems, solutions, case studies,
 * comments, supports, adoptions, links, contacts, same-problem, members, tokens, councils,
 * council systems, webhook endpoints, nudges' confirmations): with the outbox refusing the
 * step's last event, the mutation fails and leaves every table as it was, including the rows
 * it changed before the append and any event it appended first.
 */
describe.each(testDatabases())('a mutation whose event cannot be appended changes nothing, on $engine', (engine) => {
  let database: TestDatabaseHandle;
  let hub: TestApp;
  let people: People;

  beforeAll(async () => {
    database = await engine.create();
    hub = await startTestApp(database, { WEBHOOKS_ALLOW_PRIVATE: 'true' });
    people = await createTwoCouncils(database.db);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  it('walks every mutation with its event refused, then again with it allowed', async () => {
    const run = (mutation: string, input: Record<string, unknown>, token: string, select?: string) => {
      const field = schema.getMutationType()!.getFields()[mutation]!;
      const inputType = String(field.args.find((a) => a.name === 'input')!.type);
      const selection = select ? `... on ${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Payload { ${select} }` : '';
      return hub.gql(`mutation($input: ${inputType}) { ${mutation}(input: $input) { __typename ${selection} ... on Error { code message } } }`, { input }, token);
    };
    let refusing: string | undefined;
    let refusedCalls = 0;
    const walk: Walk = {
      hub, people, ids: {},
      platformAdmin: (await createMember(database.db, people.a.council.id, 'admin', true)).token,
      async call(mutation, input, token, select) {
        if (mutation !== refusing) {
          const res = await run(mutation, input, token, select);
          expect(res.errors, mutation).toBeUndefined();
          expect(res.data[mutation].code, `${mutation}: ${res.data[mutation].message}`).toBeUndefined();
          return res.data[mutation];
        }
        const before = await snapshot(database.db);
        const res = await run(mutation, input, token, select);
        // Masked as an unexpected error: the client is told nothing of the database's reason.
        expect(res.errors?.[0]?.extensions?.code, mutation).toBe('INTERNAL_SERVER_ERROR');
        expect(JSON.stringify(res)).not.toContain('refused by the test');
        const after = await snapshot(database.db);
        for (const table of Object.keys(before)) expect(after[table], `${mutation}: table ${table}`).toBe(before[table]);
        refusedCalls++;
        throw new Refused();
      },
    };
    let walked = 0;
    for (const step of STEPS) {
      if (step.events.length > 0) {
        const undo = await failEventAppends(database.db, storedType(step.events.at(-1)!));
        refusing = step.mutation;
        try {
          await expect(step.run(walk), step.mutation).rejects.toBeInstanceOf(Refused);
        } finally {
          refusing = undefined;
          await undo();
        }
        walked++;
      }
      await step.run(walk);
    }
    // Each step with events reached its own mutation while the append was refused.
    expect(refusedCalls).toBe(walked);
  });
});
