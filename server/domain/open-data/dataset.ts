import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import { cellSql } from './copy-encode.js';
import { toRecord, type Column, type OpenDataRecord } from './columns.js';

/** A column as the dictionary and the JSON Schema describe it (without how it is read). */
export type ColumnInfo = Omit<Column<never>, 'value' | 'source'>;

/** One downloadable file: its stable name, its version, its columns and how its public rows are read. */
export interface OpenDataset {
  readonly name: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly columns: readonly ColumnInfo[];
  /** The public rows in key order, `size` at a time, read inside the caller's snapshot. */
  batches(trx: Transaction<Database>, size: number): AsyncIterable<OpenDataRecord[]>;
  /**
   * The same rows, in the same order, as one statement of ready cells (no bound parameters,
   * so COPY can run it), for PostgreSQL to encode (copy-encode.ts). Absent: read in batches.
   */
  cellsQuery?(db: Kysely<Database>): string;
}

export interface DatasetSpec<Row> extends Omit<OpenDataset, 'columns' | 'batches'> {
  readonly columns: readonly Column<Row>[];
  /**
   * The next `limit` public rows after `after` (null: from the start), in key order. Keyset
   * paging, not OFFSET: each batch costs the same however deep into the file it is.
   */
  page(trx: Transaction<Database>, after: Row | null, limit: number): Promise<Row[]>;
  /** Every public row in key order, before its columns are chosen; with a `source` on every column. */
  rows?(db: Kysely<Database>): SelectQueryBuilder<any, any, object>;
}

export function defineDataset<Row>(spec: DatasetSpec<Row>): OpenDataset {
  return {
    name: spec.name,
    version: spec.version,
    title: spec.title,
    description: spec.description,
    columns: spec.columns.map(({ value: _value, source: _source, ...info }) => info),
    ...(spec.rows ? { cellsQuery: (db: Kysely<Database>) => cellsQuery(spec, spec.rows!(db)) } : {}),
    async *batches(trx, size) {
      let after: Row | null = null;
      for (;;) {
        const rows = await spec.page(trx, after, size);
        if (rows.length > 0) yield rows.map((row) => toRecord(spec.columns, row));
        if (rows.length < size) return;
        after = rows[rows.length - 1]!;
      }
    },
  };
}

function cellsQuery<Row>(spec: DatasetSpec<Row>, rows: SelectQueryBuilder<any, any, object>): string {
  const { sql: text, parameters } = rows.select(spec.columns.map((column) => sql.raw(cellSql(column)).as(column.name))).compile();
  if (parameters.length > 0) throw new Error(`${spec.name}: COPY takes no bound parameters (use sql.lit)`);
  return text;
}

/** `problems-v1`: the file name without its extension. */
export function fileStem(dataset: Pick<OpenDataset, 'name' | 'version'>): string {
  return `${dataset.name}-v${dataset.version}`;
}
