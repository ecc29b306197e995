import { execFileSync } from 'node:child_process';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// eslint.config.js lints schema/schema.graphql, which schema-drift.test.ts keeps equal to the code.
const TARGET = 'schema/schema.graphql';

describe('SDL lint (graphql-eslint schema rules, npm run schema:lint)', () => {
  const eslint = new ESLint();

  it('finds nothing in the committed schema: every description, name and Relay shape passes', async () => {
    const [result] = await eslint.lintFiles([TARGET]);
    const findings = result!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    expect(findings).toEqual([]);
    // The script CI's `npm test` stands for exits 0 on the same file.
    expect(() => execFileSync('npm', ['run', '-s', 'schema:lint'], { encoding: 'utf8' })).not.toThrow();
  }, 60_000);

  it('reports a type, field, argument or enum value without a description, and a misnamed mutation input', async () => {
    const sdl = [
      '"""q"""', 'type Query {', '  """f"""', '  thing(id: ID!): Thing', '}',
      '"""m"""', 'type Mutation {', '  """f"""', '  makeThing("""i""" input: ThingInput!): Thing', '}',
      'type Thing {', '  id: ID!', '}',
      '"""i"""', 'input ThingInput {', '  """n"""', '  name: String', '}',
      '"""k"""', 'enum Kind {', '  A', '}',
    ].join('\n');
    const [result] = await eslint.lintText(sdl, { filePath: TARGET });
    const found = result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/require-description: .*type "Thing"/),
      expect.stringMatching(/require-description: .*field "id" in type "Thing"/),
      expect.stringMatching(/require-description: .*input value "id" in field "thing"/),
      expect.stringMatching(/require-description: .*enum value "A"/),
      expect.stringMatching(/input-name: .*MakeThingInput/i),
    ]));
  }, 60_000);
});
