import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTextArray, parseTimestamptz, TEXT_ARRAY_OID, TIMESTAMPTZ_OID } from '../../server/db/type-parsers.js';
import { postgresDatabase, type TestDatabaseHandle } from '../support/databases.js';

const pgTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => unknown;
const pgTextArray = pg.types.getTypeParser(TEXT_ARRAY_OID, 'text') as (value: string) => unknown;

// PostgreSQL only: the point is to read exactly what a PostgreSQL server prints (PGlite's
// driver has its own parsers and does not use these).
describe('fast timestamptz and text[] parsers read what PostgreSQL prints as pg does', () => {
  let database: TestDatabaseHandle;
  let client: pg.Client;

  beforeAll(async () => {
    database = await postgresDatabase.create();
    // Raw text, so each parser sees the server's own output.
    client = new pg.Client({ connectionString: database.url, types: { getTypeParser: () => (value: string) => value } as never });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.close();
  });

  const printed = async (sqlText: string, values: unknown[]) => (await client.query<{ v: string }>(sqlText, values)).rows.map((r) => r.v);

  it('timestamps in any era, precision and session time zone', async () => {
    for (const zone of ['UTC', 'Europe/London', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Africa/Monrovia']) {
      await client.query(`set time zone '${zone}'`);
      const millis = fc.sample(fc.integer({ min: Date.UTC(-3000, 0, 1), max: Date.UTC(9999, 11, 31) }), 400);
      const micros = fc.sample(fc.integer({ min: 0, max: 999 }), 400);
      const texts = await printed(
        `select (to_timestamp(m::float8 / 1000) + make_interval(secs => u::float8 / 1e6))::timestamptz::text as v
         from unnest($1::bigint[], $2::int[]) as t(m, u)
         union all select unnest(array['infinity', '-infinity', '0099-06-01 12:00:00+00', '1901-12-13 20:45:52+00',
           '2026-11-27 12:25:00+00', '2026-11-27 12:25:00.5+00', '1969-12-31 23:59:59.999999+00'])::timestamptz::text`,
        [millis, micros],
      );
      for (const text of texts) {
        // pg reads infinity as the number Infinity, not a Date.
        const time = (v: unknown) => (v instanceof Date ? v.getTime() : v);
        expect(time(parseTimestamptz(text)), `${zone}: ${text}`).toEqual(time(pgTimestamptz(text)));
      }
    }
  });

  it('text arrays with any characters, NULLs, empty strings and nesting', async () => {
    const element = fc.oneof(fc.string(), fc.constantFrom('NULL', 'null', '', ' ', '{', '}', ',', '"', '\\', 'a b', 'damp and mould'), fc.stringMatching(/^[a-z -]{1,12}$/));
    const arrays = fc.sample(fc.array(element.map((s) => s.replaceAll('\u0000', '')), { maxLength: 8 }), 400);
    const texts = await printed(
      `select array(select jsonb_array_elements_text(a))::text as v from jsonb_array_elements($1::jsonb) as t(a)
       union all select unnest(array['{}', '{NULL}', '{a,NULL,b}', '{{a,b},{c,d}}', '{"a,b",c}'])::text`,
      [JSON.stringify(arrays)],
    );
    for (const text of texts) expect(parseTextArray(text), text).toEqual(pgTextArray(text));
  });
});
