import { GraphQLError, Source, type DocumentNode, type ExecutionArgs, type parse as graphqlParse, type ParseOptions } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { OperationLimits } from '../../config-hardening.js';
import { limitError } from './limit-error.js';
import { operationCost } from './operation-cost.js';
import { measureOperations } from './operation-shape.js';

export interface OperationLimitOptions {
  readonly limits: OperationLimits;
  /** True for a document from the persisted-operations allow-list: reviewed, so not limited. */
  readonly isTrusted?: (source: string) => boolean;
  /** Refuse every document that is not trusted. */
  readonly trustedOnly?: boolean;
}

/**
 * Refuses over-limit operations before they run, on every transport: yoga's HTTP and SSE
 * handlers and graphql-ws all parse, validate and execute through envelop. Length and tokens
 * are checked while parsing (a huge document is never fully built), depth, aliases and
 * directives before graphql's own validation (whose overlapping-fields rule is the costly
 * one), and cost just before execution, when `first: $n` has a value.
 */
export function useOperationLimits(options: OperationLimitOptions): Plugin {
  const { limits } = options;
  const trusted = new WeakSet<DocumentNode>();
  // yoga caches parsed documents by text, so one check per distinct document is enough.
  const shapeErrors = new WeakMap<DocumentNode, GraphQLError[]>();

  const parseWith = (parse: typeof graphqlParse) =>
    (source: string | Source, parseOptions?: ParseOptions): DocumentNode => {
      const text = typeof source === 'string' ? source : source.body;
      if (options.isTrusted?.(text)) {
        const document = parse(source, parseOptions);
        trusted.add(document);
        return document;
      }
      if (options.trustedOnly) {
        throw new GraphQLError('This server runs persisted operations only: send a documentId from the allow-list', {
          extensions: { code: 'PERSISTED_OPERATION_REQUIRED', http: { status: 403 } },
        });
      }
      if (text.length > limits.maxQueryLength) {
        throw limitError('maxQueryLength', `The query is ${text.length} characters long`, limits.maxQueryLength);
      }
      try {
        return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
      } catch (error) {
        // graphql 16 says "more that N tokens"; later versions may fix the typo.
        if (error instanceof Error && /Document contains more th(?:an|at) \d+ tokens/.test(error.message)) {
          throw limitError('maxTokens', `The query has more than ${limits.maxTokens} tokens`, limits.maxTokens);
        }
        throw error;
      }
    };

  const costError = (args: ExecutionArgs): GraphQLError | undefined => {
    // Trusted documents too: their variables still come from the client.
    const longest = longestList(args.variableValues);
    if (longest > limits.maxListInput) {
      return limitError('maxListInput', `A variable holds a list of ${longest} values`, limits.maxListInput);
    }
    if (trusted.has(args.document)) return undefined;
    const cost = operationCost(args.schema, args.document, args.operationName, args.variableValues as Record<string, unknown> | undefined);
    if (cost <= limits.maxCost) return undefined;
    return limitError('maxCost', `The operation would cost ${Number.isFinite(cost) ? cost : 'more than 1e308'}`, limits.maxCost);
  };

  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn(parseWith(parseFn));
    },
    onValidate({ params, setResult }) {
      const document = params.documentAST;
      if (trusted.has(document)) return;
      let errors = shapeErrors.get(document);
      if (!errors) {
        errors = checkShape(document, limits);
        shapeErrors.set(document, errors);
      }
      // Over-limit documents skip graphql's validation altogether: that is where they would cost.
      if (errors.length > 0) setResult(errors);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = costError(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = costError(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

function checkShape(document: DocumentNode, limits: OperationLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const { name, shape } of measureOperations(document)) {
    const what = name ? `Operation ${name}` : 'The operation';
    if (shape.depth > limits.maxDepth) errors.push(limitError('maxDepth', `${what} nests ${shape.depth} fields deep`, limits.maxDepth));
    if (shape.aliases > limits.maxAliases) errors.push(limitError('maxAliases', `${what} uses ${shape.aliases} aliases`, limits.maxAliases));
    if (shape.directives > limits.maxDirectives) errors.push(limitError('maxDirectives', `${what} uses ${shape.directives} directives`, limits.maxDirectives));
  }
  return errors;
}

/**
 * The longest list anywhere in the variables. Literal lists are bounded by maxTokens; a
 * variable's list only by the body size, and 70,000 filter values overflow PostgreSQL's
 * 65,535 bind parameters.
 */
function longestList(variables: unknown): number {
  // A loop, not recursion: variables may nest deeper than the stack.
  let max = 0;
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      max = Math.max(max, value.length);
      pending.push(...value.filter((item) => item !== null && typeof item === 'object'));
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) if (item !== null && typeof item === 'object') pending.push(item);
    }
  }
  return max;
}
