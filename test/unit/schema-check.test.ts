import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../schema/breaking-changes.js';
import { printSchemaSdl } from '../../schema/index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const BASE = 'type Query { problems: [String!]! councils: [String!]! }\nenum Kind { A B }\n';

describe('schema breaking-change check', () => {
  it('passes the current schema against the committed baseline and changelog (npm run schema:check)', async () => {
    const result = await checkSchema(read('../../schema/baseline/schema.graphql'), printSchemaSdl(), read('../../CHANGELOG.md'));
    expect(result.unmarked.map((c) => c.message)).toEqual([]);
    // The script CI runs exits 0 on the same inputs.
    expect(execFileSync('npx', ['tsx', 'schema/check.ts'], { encoding: 'utf8' })).toMatch(/schema check passed/);
  });

  it('fails on a breaking change the Unreleased section does not list, and allows a listed one', async () => {
    const current = 'type Query { councils: [String!]! }\nenum Kind { A }\n';
    const unmarked = await checkSchema(BASE, current, '# Changelog\n\n## Unreleased\n\n- nothing\n\n## 0.1.0\n\n- `Query.problems` was here\n');
    expect(unmarked.unmarked.map((c) => c.path).sort()).toEqual(['Kind.B', 'Query.problems']);
    const marked = await checkSchema(BASE, current, '## Unreleased\n\n- removed `Query.problems` and `Kind.B`\n');
    expect(marked.unmarked).toEqual([]);
    expect(marked.marked).toHaveLength(2);
  });

  it('lets additions through and reports dangerous ones', async () => {
    const result = await checkSchema(BASE, `${BASE.replace('B }', 'B C }')}type Extra { x: Int }\n`, '');
    expect(result.unmarked).toEqual([]);
    expect(result.dangerous.map((c) => c.path)).toEqual(['Kind.C']);
  });
});
