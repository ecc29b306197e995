import type { RawRequest } from '../raw-http.js';

/** One hostile or malformed request and what a clear answer to it looks like. */
export interface HostileCase {
  readonly name: string;
  /** A function where the request has a one-shot body (a stream). */
  readonly request: RawRequest | (() => RawRequest);
  /** The error code (in `errors[].extensions.code` or a typed payload's `code`) it must carry. */
  readonly code: string | RegExp;
  /** For LIMIT_EXCEEDED: the limit it must name. */
  readonly limit?: string | RegExp;
  readonly status?: number | RegExp;
}

export interface HostileContext {
  readonly token: string;
  readonly problemId: string;
  readonly councilId: string;
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
export const body = (query: string, variables?: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ query, variables, ...extra });
export const post = (payload: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS): RawRequest => ({ method: 'POST', headers, body: payload });
export const gql = (query: string, variables?: unknown, headers: Record<string, string> = JSON_HEADERS) => post(body(query, variables), headers);
export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

export const UPDATE = `mutation($input: UpdateProblemInput!) { updateProblem(input: $input) { __typename ... on Error { code message } } }`;
export const CREATE = `mutation($input: CreateProblemInput!) { createProblem(input: $input) { __typename ... on Error { code message } } }`;
export const CREATE_INPUT = { title: 'Streetlight faults reported twice', summary: 'Residents report the same lamp on two channels.', serviceArea: 'HIGHWAYS_TRANSPORT' };

/** A body sent in 64 KiB chunks with no Content-Length. */
export function stream(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + 65_536));
      at += 65_536;
    },
  });
}
