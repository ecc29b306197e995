import { pipeline, Transform } from 'node:stream';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../../db/database.js';
import { ENUM_NAME_EXCEPTIONS } from '../../kernel/enum-name.js';
import type { Column } from './columns.js';
import type { OpenDataset } from './dataset.js';
import { csvHeader, TAG_SEPARATOR } from './encode.js';

/*
 * PostgreSQL encodes the big files itself, and COPY ... TO STDOUT hands the text over as
 * Buffers that go to the client as they are. Read as rows instead, every cell becomes a string
 * on the JavaScript heap, and enough of them outlive a minor GC that the old space grew by
 * 150 MB or more per download before a full GC gave it back (bench/export.ts). The SQL below
 * spells out what encode.ts does with csv-stringify and JSON.stringify, and a test compares
 * the two byte for byte (test/integration/open-data-copy.test.ts).
 */

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A cell as the JSON Lines file has it, from the column's `source`. */
export function cellSql(column: Pick<Column<never>, 'type' | 'idOf' | 'source' | 'name'>): string {
  const source = column.source;
  if (!source) throw new Error(`column ${column.name} has no source`);
  switch (column.type) {
    // encodeGlobalId: base64url of "Typename:uuid", unpadded (short enough for one base64 line).
    case 'id': return `translate(rtrim(encode(convert_to(${literal(`${column.idOf}:`)} || ${source}, 'UTF8'), 'base64'), '='), '+/', '-_')`;
    // enumName
    case 'code': return `case ${source} ${Object.entries(ENUM_NAME_EXCEPTIONS).map(([stored, name]) => `when ${literal(stored)} then ${literal(name)}`).join(' ')} else upper(${source}) end`;
    // isoDate: Date.toISOString(), to the millisecond.
    case 'datetime': return `to_char(${source} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    default: return source;
  }
}

// csv-stringify's escape_formulas (encode.ts): text starting with one of these gets an apostrophe.
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'].map(literal).join(', ');
const inert = (text: string) => `case when left(${text}, 1) in (${FORMULA_STARTS}) then '''' || ${text} else ${text} end`;

/** A JSON Lines cell (`t.name`) as encode.ts writes it in CSV: text quoted, numbers and yes/no not. */
function csvCell(column: Pick<Column<never>, 'type' | 'name'>): { sql: string; quoted: boolean } {
  const cell = `t."${column.name}"`;
  switch (column.type) {
    case 'integer': return { sql: cell, quoted: false };
    case 'boolean': return { sql: `case when ${cell} then 'true' when not ${cell} then 'false' end`, quoted: false };
    case 'tags': return { sql: inert(`array_to_string(${cell}, ${literal(TAG_SEPARATOR)})`), quoted: true };
    default: return { sql: inert(cell), quoted: true };
  }
}

/**
 * COPY's CSV is RFC 4180 like csv-stringify's, except that NULL is the only unquoted empty
 * cell, FORCE_QUOTE names the quoted columns, and records end in LF (crlfRecords adds the CR).
 * JSON Lines is one to_json text per line: JSON has no raw control characters, so with quote
 * and delimiter set to two of them COPY's CSV never quotes or splits the line.
 */
export function copyStatement(dataset: OpenDataset, format: 'csv' | 'jsonl', db: Kysely<Database>): string {
  const cells = dataset.cellsQuery!(db);
  if (format === 'jsonl') return `copy (select to_json(t)::text from (${cells}) t) to stdout with (format csv, quote e'\\x01', delimiter e'\\x02')`;
  const columns = dataset.columns.map((column) => ({ name: column.name, ...csvCell(column) }));
  return `copy (select ${columns.map((c) => `${c.sql} as "${c.name}"`).join(', ')} from (${cells}) t) to stdout `
    + `with (format csv, force_quote (${columns.filter((c) => c.quoted).map((c) => `"${c.name}"`).join(', ')}))`;
}

/** LF → CRLF at the end of each CSV record; a line break inside a quoted cell stays as it is. */
export function crlfRecords(): Transform {
  let quoted = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const ends: number[] = [];
      for (let at = 0; at < chunk.length; at++) {
        const byte = chunk[at];
        // A quote inside a cell is doubled, so every quote character flips the state.
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) ends.push(at);
      }
      if (ends.length === 0) return done(null, chunk);
      const out = Buffer.allocUnsafe(chunk.length + ends.length);
      let from = 0;
      let to = 0;
      for (const end of ends) {
        to += chunk.copy(out, to, from, end);
        out[to++] = 0x0d;
        from = end;
      }
      chunk.copy(out, to, from);
      done(null, out);
    },
  });
}

/** The whole file as PostgreSQL encodes it, read on `client` (the caller's snapshot). */
export async function* copyDataset(client: pg.ClientBase, db: Kysely<Database>, dataset: OpenDataset, format: 'csv' | 'jsonl'): AsyncGenerator<Buffer> {
  const copy = client.query(copyTo(copyStatement(dataset, format, db)));
  // The caller ends the connection when the download ends, finished or not; a COPY cut short
  // by a client that went away then fails on a stream no one reads: not an uncaught error.
  // While the file is read, the iteration below still fails with it.
  copy.on('error', () => {});
  if (format === 'jsonl') return yield* copy;
  yield Buffer.from(csvHeader(dataset));
  // pipeline rather than pipe, so that a failed COPY fails the CSV too.
  yield* pipeline(copy, crlfRecords(), () => {});
}
