import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_STUDIES, PROBLEMS, SOLUTIONS } from '../../server/domain/open-data/content-datasets.js';
import { copyDataset, crlfRecords } from '../../server/domain/open-data/copy-encode.js';
import { encodeDataset } from '../../server/domain/open-data/encode.js';
import { inSnapshot, openSharedSnapshot } from '../../server/domain/open-data/snapshot.js';
import { postgresDatabase, testDatabases, type TestDatabaseHandle } from '../support/databases.js';
import { createCouncil, createMember } from '../support/factories.js';
import { waitFor } from '../support/wait-for.js';

// Every cell a spreadsheet could run, quote, split or mangle: formula starts (ASCII and
// full-width), quotes, line breaks inside a cell, control characters JSON must escape,
// characters outside the BMP, and the empty string.
const AWKWARD = [
  '=SUM(A1:A9)', '+44 lines', '-2+3', '@risk', '\tindented', '\rreturn', '\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20home',
  'She said "no", twice', 'line one\nline two\r\nline three', 'ends with a quote"', '"', 'back\\slash \\n not a break',
  'bell \u0007 and \u0001\u0002\u001f', 'emoji 🚮 and \u2028 separator', 'é ü ß £', '',
];

const collect = async (chunks: AsyncIterable<string | Buffer>) => {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
};

const hasPostgres = testDatabases().some((database) => database.engine === 'postgres');

// COPY is PostgreSQL's; PGlite reads in batches, which is the encoding compared against here.
describe.skipIf(!hasPostgres)('open data encoded by PostgreSQL (COPY) on postgres', () => {
  let database: TestDatabaseHandle;

  beforeAll(async () => {
    database = await postgresDatabase.create();
    const { db } = database;
    const council = await createCouncil(db, { region: 'North "East"', kind: 'unitary' });
    const author = await createMember(db, council.id);
    // Microseconds are cut to milliseconds, as a JavaScript Date holds them.
    const at = (i: number) => sql<Date>`${['2024-02-29 23:59:59.999999+00', '2019-06-30 12:00:00.123999+05:30', '2001-01-01 00:00:00+00'][i % 3]!}::timestamptz`;
    const content = (i: number) => ({
      council_id: council.id, author_id: author.id, visibility: 'published' as const,
      title: AWKWARD[i % AWKWARD.length]!, summary: AWKWARD[(i + 3) % AWKWARD.length]!, body: AWKWARD[(i + 7) % AWKWARD.length]!,
      service_area: 'waste', tags: i % 4 === 0 ? [] : [AWKWARD[(i + 1) % AWKWARD.length]!, 'plain'],
      sample: i % 2 === 0, created_at: at(i), updated_at: at(i + 1), published_at: i % 5 === 0 ? null : at(i + 2),
    });
    const n = AWKWARD.length * 2;
    await db.insertInto('problems').values(Array.from({ length: n }, (_, i) => ({
      ...content(i), supporter_count: i, source_url: i % 3 === 0 ? null : AWKWARD[i % AWKWARD.length]!,
      status: (['open', 'exploring', 'solved'] as const)[i % 3]!,
    }))).execute();
    await db.insertInto('solutions').values(Array.from({ length: n }, (_, i) => ({
      ...content(i), kind: 'software', phase: 'live', licence: i % 2 ? null : AWKWARD[i % AWKWARD.length]!, url: null,
      cost_band: [null, '10k_to_50k', '50k_to_250k', 'under_10k'][i % 4]!,
    }))).execute();
    await db.insertInto('case_studies').values(Array.from({ length: n }, (_, i) => ({
      ...content(i), outcome: 'partly_worked', lessons: AWKWARD[(i + 5) % AWKWARD.length]!,
      cost_pounds: i % 3 === 0 ? null : -5 + i * 1_000_003, savings_claimed_pounds: 9_007_199_254_740, evidence_url: null,
    }))).execute();
    await db.insertInto('problems').values({ ...content(1), visibility: 'draft', title: 'A draft' }).execute();
  }, 60_000);
  afterAll(() => database?.close());

  it.each([PROBLEMS, SOLUTIONS, CASE_STUDIES].flatMap((dataset) => (['csv', 'jsonl'] as const).map((format) => ({ dataset, format }))))(
    'writes $dataset.name as $format byte for byte as the batch encoding does', async ({ dataset, format }) => {
      const { db, pgConfig } = database;
      await inSnapshot(db, async (trx) => {
        const reader = await openSharedSnapshot(trx, pgConfig!);
        try {
          const batches = await collect(encodeDataset(dataset, format, trx));
          const copied = await collect(copyDataset(reader, db, dataset, format));
          expect(batches.toString()).not.toContain('A draft');
          expect(copied.toString()).toBe(batches.toString());
          expect(copied.equals(batches)).toBe(true);
        } finally {
          await reader.end();
        }
      });
    });

  describe('with a file too big to sit in socket buffers', () => {
    beforeAll(async () => {
      const { db } = database;
      const [owner] = await db.selectFrom('problems').select(['council_id', 'author_id']).limit(1).execute();
      await db.insertInto('problems').values(Array.from({ length: 3_000 }, (_, i) => ({
        ...owner!, title: `Bulk ${i}`, summary: 'Bulk', body: 'x'.repeat(4_000), service_area: 'waste', tags: [], visibility: 'published' as const, published_at: new Date(),
      }))).execute();
    }, 60_000);

    /** Reads `format` until `enough` bytes, calling `cut` after the first chunk. */
    const midway = async (format: 'csv' | 'jsonl', enough: number, cut: (reader: pg.Client) => Promise<void>) => {
      const { db, pgConfig } = database;
      return inSnapshot(db, async (trx) => {
        const reader = await openSharedSnapshot(trx, pgConfig!);
        try {
          let bytes = 0;
          for await (const chunk of copyDataset(reader, db, PROBLEMS, format)) {
            if (bytes === 0) await cut(reader);
            bytes += chunk.length;
            if (bytes >= enough) break;
          }
          return bytes;
        } finally {
          await reader.end();
        }
      });
    };

    it.each(['csv', 'jsonl'] as const)('lets a %s download stop early: ending the connection under a COPY is no uncaught error', async (format) => {
      expect(await midway(format, 1, async () => {})).toBeGreaterThan(0);
      // The backend notices the closed connection in its own time; then no COPY is left.
      await waitFor(async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where query ilike 'copy%' and datname = current_database()`.execute(database.db)).rows[0]!.n === 0, { what: 'the COPY to end' });
    });

    it.each(['csv', 'jsonl'] as const)('fails a %s download whose COPY fails midway, rather than end it short', async (format) => {
      await expect(midway(format, Infinity, async (reader) => {
        await sql`select pg_terminate_backend(${(reader as unknown as { processID: number }).processID})`.execute(database.db);
      })).rejects.toThrow();
    });
  });

  it('ends records with CRLF wherever the chunks split, and leaves line breaks inside quoted cells alone', async () => {
    const csv = '"a","b\nc",1\n"say ""hi""\n",,\n';
    const bytes = Buffer.from(csv);
    const oneByteAtATime = Readable.from(Array.from(bytes, (byte) => Buffer.of(byte)));
    expect((await collect(oneByteAtATime.pipe(crlfRecords()))).toString()).toBe('"a","b\nc",1\r\n"say ""hi""\n",,\r\n');
  });
});
