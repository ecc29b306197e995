import { stringify } from 'csv-stringify/sync';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Cell, OpenDataRecord } from './columns.js';
import type { OpenDataset } from './dataset.js';

/** Rows per read: enough to amortise a round trip, few enough that memory stays flat. */
export const EXPORT_BATCH_ROWS = 1_000;

export const TAG_SEPARATOR = '; ';

/**
 * CSV that is safe to open in a spreadsheet: a text cell starting with = + - @ tab or CR (or
 * their full-width forms) gets a leading apostrophe, as OWASP's CSV injection guidance says,
 * so it is shown as text rather than run as a formula (csv-stringify's `escape_formulas`;
 * numbers are left alone). Every text cell is quoted; null is an empty, unquoted cell.
 * CRLF line ends (RFC 4180) and a byte order mark, so spreadsheets read UTF-8.
 */
const CSV_OPTIONS = {
  escape_formulas: true,
  quoted_string: true,
  record_delimiter: 'windows',
  cast: { boolean: (value: boolean) => (value ? 'true' : 'false') },
} as const;

function csvCell(cell: Cell): string | number | boolean | null {
  return Array.isArray(cell) ? cell.join(TAG_SEPARATOR) : (cell as string | number | boolean | null);
}

function csvChunk(dataset: OpenDataset, records: readonly OpenDataRecord[]): string {
  return stringify(records.map((record) => dataset.columns.map((column) => csvCell(record[column.name] ?? null))), CSV_OPTIONS);
}

/** The byte order mark and the header record. */
export function csvHeader(dataset: Pick<OpenDataset, 'columns'>): string {
  return '\uFEFF' + stringify([dataset.columns.map((column) => column.name)], CSV_OPTIONS);
}

/** The whole file as text chunks, one per batch, read from `trx` (the caller's snapshot). */
export async function* encodeDataset(dataset: OpenDataset, format: 'csv' | 'jsonl', trx: Transaction<Database>): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader(dataset);
  for await (const records of dataset.batches(trx, EXPORT_BATCH_ROWS)) {
    yield format === 'csv' ? csvChunk(dataset, records) : records.map((record) => JSON.stringify(record)).join('\n') + '\n';
  }
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/jsonl; charset=utf-8',
  schema: 'application/schema+json; charset=utf-8',
} as const;
