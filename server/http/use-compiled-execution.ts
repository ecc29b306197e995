import {
  BREAK, getOperationAST, getVariableValues, GraphQLError, visit,
  type DocumentNode, type ExecutionArgs, type ExecutionResult, type Source, type VariableDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

export interface CompiledExecutionOptions {
  /**
   * Runs of a document on graphql-js's interpreter before it is compiled: compiling costs
   * several executions' worth, so one-off documents (and a client inventing new ones) never
   * pay for it. @default 2
   */
  readonly compileAfter?: number | undefined;
}

interface Compiled {
  readonly query: CompiledQuery;
  readonly variables: readonly VariableDefinitionNode[];
  readonly source: Source | undefined;
}

/**
 * Executes queries and mutations through graphql-jit, which turns a document into a function
 * once and so skips graphql-js's per-request walk over the document: field collection,
 * argument coercion and result completion. The results, errors and their paths are the same,
 * so error masking and logging downstream do not change. Variables that do not fit their types
 * are left to graphql-js, which words those errors differently from graphql-jit and answers
 * them without running anything. Subscriptions stay on graphql-js:
 * shared-subscriptions.ts executes each event itself.
 *
 * Compiled functions are kept by document object, so they live exactly as long as the parser
 * cache keeps the document: that cache's budget bounds them too. Documents with string
 * literals are never compiled (see hasStringLiteral).
 */
export function useCompiledExecution(options: CompiledExecutionOptions = {}): Plugin {
  const compileAfter = options.compileAfter ?? 2;
  const runs = new WeakMap<DocumentNode, number>();
  const compiled = new WeakMap<DocumentNode, Map<string | undefined, Compiled | 'interpret'>>();

  function compiledFor(args: ExecutionArgs): Compiled | undefined {
    const operationName = args.operationName ?? undefined;
    let byOperation = compiled.get(args.document);
    const known = byOperation?.get(operationName);
    if (known !== undefined) return known === 'interpret' ? undefined : known;
    const seen = (runs.get(args.document) ?? 0) + 1;
    runs.set(args.document, seen);
    if (seen <= compileAfter) return undefined;
    const operation = hasStringLiteral(args.document) ? undefined : getOperationAST(args.document, operationName);
    const result = operation ? compileQuery(args.schema, args.document, operationName, { disablingCapturingStackErrors: true }) : undefined;
    // A document graphql-jit cannot (or must not) compile runs on the interpreter, which
    // reports its errors.
    const entry = operation && result && isCompiledQuery(result)
      ? { query: result, variables: operation.variableDefinitions ?? [], source: args.document.loc?.source }
      : 'interpret';
    if (!byOperation) compiled.set(args.document, (byOperation = new Map()));
    byOperation.set(operationName, entry);
    return entry === 'interpret' ? undefined : entry;
  }

  const fitsTypes = (args: ExecutionArgs, variables: readonly VariableDefinitionNode[]) =>
    variables.length === 0 || !getVariableValues(args.schema, variables, args.variableValues ?? {}, { maxErrors: 1 }).errors;

  return {
    onExecute({ args, setExecuteFn }) {
      const entry = compiledFor(args);
      if (!entry || !fitsTypes(args, entry.variables)) return;
      setExecuteFn(async (execution: ExecutionArgs) => {
        const result = await entry.query.query(execution.rootValue, execution.contextValue, execution.variableValues) as ExecutionResult;
        return result.errors ? { ...result, errors: result.errors.map((error) => located(error, entry.source)) } : result;
      });
    },
  };
}

/**
 * graphql-jit writes a document's literal argument values into the source of the function it
 * compiles, as JSON, and then rewrites marker strings in that JSON into code (a date marker
 * becomes `new Date(...)` around whatever follows it). A string literal that carries the
 * marker therefore runs as JavaScript on the server. So a document with any string literal
 * (in arguments, input objects, lists, variable defaults or directives) is never compiled;
 * numbers, booleans, enum values and null cannot carry code. Clients that pass strings as
 * variables, as generated clients do, still get compiled execution.
 */
function hasStringLiteral(document: DocumentNode): boolean {
  let found = false;
  visit(document, { StringValue: () => { found = true; return BREAK; } });
  return found;
}

/**
 * graphql-jit's errors carry `locations` but not the source positions graphql-js builds them
 * from, and every later copy of an error (masking, yoga's serializer) rebuilds it from those:
 * the locations would vanish. Rebuilt here as graphql-js would have made it.
 */
function located(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (error.nodes || error.positions || !error.locations || !source) return error;
  const lineStarts = [0];
  for (const match of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(match.index + match[0].length);
  const positions = error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1);
  return new GraphQLError(error.message, {
    source, positions, path: error.path, originalError: error.originalError, extensions: error.extensions,
  });
}
