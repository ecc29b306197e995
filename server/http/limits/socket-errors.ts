import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';

/**
 * `extensions.http` is yoga's hint for the HTTP status of an error; yoga drops it from HTTP
 * responses, but graphql-ws sends errors as they are. On a socket it means nothing.
 */
export function formatSocketErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error.toJSON();
    if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
    const { http: _http, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  });
}

/** The same for a result's errors; undefined (send as is) when it has none. */
export function formatSocketResult(result: ExecutionResult): FormattedExecutionResult | undefined {
  if (!result.errors) return undefined;
  const { errors, ...rest } = result;
  return { ...rest, errors: formatSocketErrors(errors) } as FormattedExecutionResult;
}
