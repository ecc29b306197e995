import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for the typed client example (examples/typed-client): the client
 * preset types every document written with `graphql(...)`, and the fragment-matcher plugin
 * writes the `possibleTypes` a normalised cache needs. `npx graphql-codegen` regenerates;
 * test/e2e/typed-client.test.ts fails when the committed output is stale.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['examples/typed-client/*.ts'],
  generates: {
    'examples/typed-client/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        // Only the types the example's documents use, so unrelated schema changes leave it alone.
        onlyOperationTypes: true,
        // NodeNext resolution wants '.js' on relative imports.
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', Position: 'number' },
      },
    },
    'examples/typed-client/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
