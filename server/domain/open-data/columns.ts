import { enumName } from '../../kernel/enum-name.js';

/** What one cell holds: text, a whole number, a yes/no, or (tags) a list of text. */
export type Cell = string | number | boolean | null | readonly string[];

/** A row of an open data file, keyed by column name. */
export type OpenDataRecord = Readonly<Record<string, Cell>>;

export type ColumnType = 'id' | 'text' | 'integer' | 'boolean' | 'datetime' | 'url' | 'code' | 'tags';

/**
 * One column of an open data file. Names are stable: a change to a name, a type or a meaning
 * is a new file version (`problems-v2.csv`), never an edit of v1.
 */
export interface Column<Row> {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  /** Whether the cell may be empty (null in JSON Lines). @default false */
  readonly nullable?: boolean;
  /** The codes a `code` column may hold. */
  readonly values?: readonly string[];
  /** For an `id` column: the API type whose global id it holds. */
  readonly idOf?: string;
  readonly value: (row: Row) => Cell;
  /**
   * The SQL the cell is read from when PostgreSQL encodes the file (copy-encode.ts): the
   * stored value, which the column's type then encodes as `value` does (ids, codes, dates).
   */
  readonly source?: string;
}

export function toRecord<Row>(columns: readonly Column<Row>[], row: Row): OpenDataRecord {
  return Object.fromEntries(columns.map((column) => {
    const cell = column.value(row);
    return [column.name, column.type === 'code' && typeof cell === 'string' ? enumName(cell) : cell];
  }));
}

/** The codes a `code` column may hold, spelled as the API spells its enums (`WASTE`). */
export function codeValues(column: Pick<Column<unknown>, 'values'>): string[] {
  return (column.values ?? []).map(enumName);
}

/** Dates leave as RFC 3339 in UTC with milliseconds, as the API gives them. */
export function isoDate(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
