import { parse } from 'csv-parse/sync';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = { [key: string]: JsonValue };
interface ColumnSchema { type: string | string[]; items?: unknown }
export interface FileSchema { required: string[]; properties: Record<string, ColumnSchema> }

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export function validatorFor(schema: FileSchema): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

export async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers: { connection: 'close', ...headers } });
  return { response, text: await response.text() };
}

export function parseJsonLines(text: string): JsonRecord[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as JsonRecord);
}

/** Parses CSV with a real parser, header row first. */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = parse(text, { bom: true, relax_column_count: false }) as string[][];
  return { header: header!, rows };
}

const FORMULA_START = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A CSV row as the typed record the schema describes (empty cell → null where allowed,
 * numbers, true/false, tags split on "; "), and with the spreadsheet guard's apostrophe
 * taken off, so it can be compared with the JSON Lines record.
 */
export function typedCsvRow(schema: FileSchema, header: string[], row: string[]): { typed: JsonRecord; unguarded: JsonRecord } {
  const typed: JsonRecord = {};
  const unguarded: JsonRecord = {};
  header.forEach((name, i) => {
    const cell = row[i]!;
    const types = ([] as string[]).concat(schema.properties[name]!.type);
    let value: JsonValue;
    if (cell === '' && types.includes('null')) value = null;
    else if (types.includes('integer')) value = Number(cell);
    else if (types.includes('boolean')) value = cell === 'true' ? true : cell === 'false' ? false : cell;
    else if (types.includes('array')) value = cell === '' ? [] : cell.split('; ');
    else value = cell;
    typed[name] = value;
    unguarded[name] = typeof value === 'string' && FORMULA_START.test(value) ? value.slice(1) : value;
  });
  return { typed, unguarded };
}
