import { codeValues } from './columns.js';
import type { ColumnInfo, OpenDataset } from './dataset.js';
import { fileStem } from './dataset.js';

type JsonSchema = { readonly [key: string]: unknown };

// Global ids are base64url("Typename:uuid") (server/kernel/global-id.ts).
const GLOBAL_ID = '^[A-Za-z0-9_-]+={0,2}$';

function valueSchema(column: ColumnInfo): JsonSchema {
  switch (column.type) {
    case 'id': return { type: 'string', pattern: GLOBAL_ID };
    case 'text': return { type: 'string' };
    case 'integer': return { type: 'integer' };
    case 'boolean': return { type: 'boolean' };
    case 'datetime': return { type: 'string', format: 'date-time' };
    case 'url': return { type: 'string', format: 'uri' };
    case 'code': return { type: 'string', enum: codeValues(column) };
    case 'tags': return { type: 'array', items: { type: 'string' } };
  }
}

function columnSchema(column: ColumnInfo): JsonSchema {
  const schema = valueSchema(column);
  if (!column.nullable) return { description: column.description, ...schema };
  const nullable = 'enum' in schema ? { ...schema, enum: [...(schema.enum as string[]), null] } : schema;
  return { description: column.description, ...nullable, type: [schema.type, 'null'] };
}

/** JSON Schema (2020-12) of one record: a line of the .jsonl file, a row of the .csv file. */
export function jsonSchemaOf(dataset: OpenDataset): JsonSchema {
  const stem = fileStem(dataset);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${stem}.schema.json`,
    title: `${dataset.title} (version ${dataset.version})`,
    description: `${dataset.description} Each line of ${stem}.jsonl is one such object. ${stem}.csv has the same columns in the same order as text: null is an empty cell, booleans are true or false, tags are joined by "; ", and a text cell starting with = + - @ tab or carriage return starts with an apostrophe so spreadsheets do not run it. Open Government Licence v3.0.`,
    type: 'object',
    additionalProperties: false,
    required: dataset.columns.map((column) => column.name),
    properties: Object.fromEntries(dataset.columns.map((column) => [column.name, columnSchema(column)])),
  };
}
