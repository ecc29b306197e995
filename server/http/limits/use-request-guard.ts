import { isUtf8 } from 'node:buffer';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../../config-hardening.js';
import { limitError } from './limit-error.js';

/**
 * Makes request parsing fail as the client's error, never ours, and with a body saying why.
 * Yoga answers an unknown content type with an empty 415, lets a JSON.parse SyntaxError from
 * a GET's `variables=` escape as an unexpected error, and does not name the batch limit.
 *
 * A POST body is read once, under the size cap, and refused unless it is UTF-8: JSON must be
 * (RFC 8259), and decoding would otherwise turn bad bytes silently into U+FFFD. Yoga's own
 * size limit (set to the same number) still wraps this parser; its error is reworded here.
 */
export function useRequestGuard({ maxBodyBytes, maxBatchSize }: RequestLimits): Plugin {
  const tooLarge = (size?: number) =>
    limitError('maxBodyBytes', size ? `The request body has ${size} bytes` : 'The request body is too large', maxBodyBytes, 413, false);

  const readUtf8 = (parse: RequestParser, Request: typeof globalThis.Request): RequestParser => async (limited) => {
    let bytes: ArrayBuffer;
    try {
      bytes = await limited.arrayBuffer();
    } catch (error) {
      if ((error as GraphQLError).extensions?.code === 'REQUEST_ENTITY_TOO_LARGE') throw tooLarge();
      throw error;
    }
    if (!isUtf8(bytes)) throw badRequest('The request body is not valid UTF-8');
    return parse(new Request(limited.url, { method: 'POST', headers: limited.headers, body: bytes }));
  };

  const jsonParams = (parse: RequestParser): RequestParser => async (request) => {
    try {
      return await parse(request);
    } catch (error) {
      if (error instanceof SyntaxError) throw badRequest('The variables and extensions parameters must be JSON objects');
      throw error;
    }
  };

  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'GET') {
        if (requestParser) setRequestParser(jsonParams(requestParser));
        return;
      }
      if (request.method !== 'POST') return;
      if (!requestParser) {
        throw new GraphQLError('Send the request as application/json (or application/graphql)', {
          extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
        });
      }
      const declared = Number(request.headers.get('content-length'));
      if (Number.isInteger(declared) && declared > maxBodyBytes) throw tooLarge(declared);
      setRequestParser(readUtf8(requestParser, fetchAPI.Request));
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult) || requestParserResult.length <= maxBatchSize) return;
          const message = maxBatchSize === 1 ? 'This server does not take batched requests' : `The batch has ${requestParserResult.length} operations`;
          throw limitError('maxBatchSize', message, maxBatchSize, 413, false);
        },
      };
    },
  };
}

type RequestParser = (request: Request) => Promise<GraphQLParams | GraphQLParams[] | Response> | GraphQLParams | GraphQLParams[] | Response;

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
