import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema/index.js';

// Every GraphQL document a page module exports is valid against the schema, so a schema
// change that a page did not follow fails here rather than as a 500 on that page.
const WEB = fileURLToPath(new URL('../../web', import.meta.url));
const modules = readdirSync(WEB, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
const OPERATION = /^\s*(query|mutation|subscription|\{)/;

describe('the web pages\' exported GraphQL documents', () => {
  const schema = buildSchema();
  it.each(modules)('%s', async (file) => {
    const exports = await import(join(WEB, file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'string' || !OPERATION.test(value)) continue;
      const errors = validate(schema, parse(value)).map((e) => e.message);
      expect(errors, `${relative(WEB, join(WEB, file))}: ${name}`).toEqual([]);
    }
    // Module-private documents too: every template literal that is a whole operation.
    for (const [, text] of readFileSync(join(WEB, file), 'utf8').matchAll(/`((?:query|mutation|subscription)\b[^`]*)`/g)) {
      if (text!.includes('${')) continue;
      expect(validate(schema, parse(text!)).map((e) => e.message), `${file}: ${text!.slice(0, 60)}`).toEqual([]);
    }
  });
});
