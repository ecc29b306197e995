import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSchema } from './breaking-changes.js';
import { printSchemaSdl } from './index.js';

// `npm run schema:check`: fails on a breaking change against schema/baseline/schema.graphql
// (the last tagged schema) that CHANGELOG.md's Unreleased section does not list.
const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const result = await checkSchema(read('./baseline/schema.graphql'), printSchemaSdl(), read('../CHANGELOG.md'));
for (const change of result.dangerous) console.log(`dangerous: ${change.message}`);
for (const change of result.marked) console.log(`breaking (in CHANGELOG): ${change.message}`);
for (const change of result.unmarked) console.log(`BREAKING, not in CHANGELOG: ${change.message} [${change.path}]`);
if (result.unmarked.length > 0) {
  console.log(`${result.unmarked.length} unmarked breaking change(s): list each path under "## Unreleased" in CHANGELOG.md, or keep the old form`);
  process.exitCode = 1;
} else {
  console.log('schema check passed');
}
