import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * PostgreSQL text cannot hold U+0000: a string carrying it reaches the database as an error
 * ("invalid byte sequence"), which the client would see as an unexpected one. Refuse it up
 * front, wherever it hides: in a variable (at any depth, keys included) or a string literal.
 */
export function useNulGuard(): Plugin {
  const literalErrors = new WeakMap<DocumentNode, GraphQLError | null>();

  const inLiterals = (document: DocumentNode): GraphQLError | null => {
    let found: GraphQLError | null = null;
    visit(document, {
      StringValue(node) {
        if (!found && node.value.includes('\u0000')) found = nulError('a string in the query', node);
      },
    });
    return found;
  };

  const check = (args: ExecutionArgs): GraphQLError | undefined => {
    let literal = literalErrors.get(args.document);
    if (literal === undefined) {
      literal = inLiterals(args.document);
      literalErrors.set(args.document, literal);
    }
    if (literal) return literal;
    const variable = findNul(args.variableValues);
    return variable ? nulError(`variable $${variable}`) : undefined;
  };

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** The name of the first variable holding a NUL anywhere inside it. Iterative: variables may nest deeply. */
function findNul(variables: Readonly<Record<string, unknown>> | null | undefined): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
      const item = pending.pop();
      if (typeof item === 'string') {
        if (item.includes('\u0000')) return name;
      } else if (Array.isArray(item)) {
        for (const inner of item) pending.push(inner);
      } else if (item !== null && typeof item === 'object') {
        for (const [key, inner] of Object.entries(item)) {
          if (key.includes('\u0000')) return name;
          pending.push(inner);
        }
      }
    }
  }
  return undefined;
}

function nulError(where: string, node?: ASTNode): GraphQLError {
  return new GraphQLError(`Text may not contain the NUL character (U+0000): found in ${where}`, {
    ...(node ? { nodes: [node] } : {}),
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400, spec: true } },
  });
}
