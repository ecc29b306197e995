// `npm run schema:lint`: lints the printed SDL (schema/schema.graphql) with graphql-eslint's
// schema rules; test/unit/schema-lint.test.ts runs it, so CI fails on any finding.
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

export default [
  {
    files: ['schema/schema.graphql'],
    languageOptions: {
      parser: graphqlPlugin.parser,
      // Rules that look across types (unreachable types, Relay shapes) read the whole schema.
      parserOptions: { graphQLConfig: { schema: 'schema/schema.graphql' } },
    },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      ...graphqlPlugin.configs['flat/schema-relay'].rules,
      // Everything an integrator reads: types, fields, arguments, input fields, enum values.
      '@graphql-eslint/require-description': ['error', {
        types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true,
        EnumValueDefinition: true, DirectiveDefinition: true,
      }],
      // Each mutation takes one `input: <Mutation>Input!`; type names are PascalCase, so the
      // mutation's name is matched without its case (createProblem → CreateProblemInput).
      '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false }],
      '@graphql-eslint/relay-edge-types': ['error', {
        // Plain lists are short and capped per parent (server/domain/list-caps.ts, charged at
        // their cap by the cost model); only lists that grow without bound are connections.
        listTypeCanWrapOnlyEdgeType: false,
        // Two connections list things that are not objects with an id: the event log (an event
        // is named by its position, which is its cursor) and search hits (a view of a problem,
        // solution or case study, which `SearchItem.contentId` and `content` name).
        shouldImplementNode: false,
      }],
      // `comments` pages forwards only (oldest first, keyset cursor): no `last`/`before`.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
      '@graphql-eslint/strict-id-in-types': ['error', {
        acceptedIdNames: ['id'],
        acceptedIdTypes: ['ID'],
        // Objects with an identity have `id: ID!` and implement Node. These are not objects
        // of their own: mutation payloads and errors, connection plumbing, and values that
        // belong to the parent that returns them (a facet count, an adoption of a solution by
        // a council, a webhook attempt, the viewer), never fetched or cached on their own.
        exceptions: {
          suffixes: ['Payload', 'Error', 'Connection', 'Edge', 'Facet'],
          types: [
            'Adoption', 'AllNotificationsRead', 'CouncilCounts', 'EmailSettings', 'Event', 'FieldProblem', 'IndexerStatus',
            'NotificationsRead', 'PageInfo', 'PossibleDuplicate', 'ProblemSupport', 'SavedSearch', 'SavedSearchFilter',
            'SearchFacets', 'SearchHighlights', 'SearchItem', 'ServiceAreaInfo', 'EsdFunction', 'SimilarItem', 'SolutionProblemLink',
            'Viewer', 'WebhookAttempt', 'WebhookEventFilter',
            // Insights: figures computed for the whole hub, and a problem's shared systems.
            'Insights', 'ServiceAreaDemand', 'RegionDemand', 'SharedProblemInsight', 'MonthCount', 'AdoptionFlow',
            'CaseStudyOutcomeCount', 'MonthActivity', 'SharedSystem', 'SharedSystemCouncil',
            // Who to call: a member's consent as their item or council shows it (the member has the id).
            'Contact', 'ContactSettings',
          ],
        },
      }],
    },
  },
];
