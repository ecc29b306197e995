import { isUtf8 } from 'node:buffer';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitError } from './limit-error.js';

/**
 * Makes request parsing fail as the client's error, never ours, and with a body saying why.
 * Yoga's GET parser lets a JSON.parse SyntaxError from `variables=` or `extensions=` escape
 * as an unexpected error, and answers an unknown content type with an empty 415.
 *
 * Reads a POST body once, under the size cap, and refuses bytes that are not UTF-8: JSON
 * must be UTF-8 (RFC 8259), and decoding would otherwise turn them silently into U+FFFD.
 * Yoga's own size limit (set to the same number) still wraps this parser; its error is
 * reworded here to name the setting.
 */
export function useRequestGuard(maxBodyBytes: number): Plugin {
  const tooLarge = (size?: number) => limitError('maxBodyBytes', size ? `The request body has ${size} bytes` : 'The request body is too large', maxBodyBytes, 413, false);
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser) {
        // Yoga would answer an unknown content type with an empty 415; say what to send.
        if (request.method !== 'POST') return;
        throw new GraphQLError('Send the request as application/json (or application/graphql)', {
          extensions: { code: 'BAD_REQUEST', http: { status: 415 } },
        });
      }
      if (request.method === 'GET') {
        setRequestParser(async (req) => {
          try {
            return await requestParser(req);
          } catch (error) {
            if (error instanceof SyntaxError) throw badRequest('The variables and extensions parameters must be JSON objects');
            throw error;
          }
        });
        return;
      }
      if (request.method !== 'POST') return;
      const declared = Number(request.headers.get('content-length'));
      if (Number.isInteger(declared) && declared > maxBodyBytes) throw tooLarge(declared);
      setRequestParser(async (limited) => {
        let bytes: ArrayBuffer;
        try {
          bytes = await limited.arrayBuffer();
        } catch (error) {
          if ((error as GraphQLError).extensions?.code === 'REQUEST_ENTITY_TOO_LARGE') throw tooLarge();
          throw error;
        }
        if (!isUtf8(bytes)) throw badRequest('The request body is not valid UTF-8');
        return requestParser(new fetchAPI.Request(limited.url, { method: 'POST', headers: limited.headers, body: bytes }));
      });
    },
  };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
