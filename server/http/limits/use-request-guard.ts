import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../../config-hardening.js';
import { limitError } from './limit-error.js';

/**
 * Makes request parsing fail as the client's error, never ours, and with a body saying why.
 * Yoga answers an unknown content type with an empty 415, lets a JSON.parse SyntaxError from
 * a GET's `variables=` escape as an unexpected error, and does not name the batch limit.
 * Batching is off unless MAX_BATCH_SIZE allows it; each operation of a batch is then parsed,
 * limited, costed and rate-charged on its own, as if it came alone.
 *
 * A POST body is read once, under the size cap, and refused unless it is UTF-8: JSON must be
 * (RFC 8259), and decoding would otherwise turn bad bytes silently into U+FFFD.
 */
export function useRequestGuard({ maxBodyBytes, maxBatchSize }: RequestLimits): Plugin {
  const tooLarge = (size?: number) =>
    limitError('maxBodyBytes', size ? `The request body has ${size} bytes` : 'The request body is too large', maxBodyBytes, 413, false);

  // Counts bytes as they arrive, so a chunked body without a length is cut off at the cap too.
  // (Yoga's own size limit pipes every body through a TransformStream: that costs more than the
  // rest of request parsing, so it is turned off in yoga.ts and enforced here alone.)
  // One wrapper per parser of yoga's (there are a handful), not one per request.
  const wrapped = new WeakMap<RequestParser, RequestParser>();
  const readUtf8 = (parse: RequestParser): RequestParser => {
    let reader = wrapped.get(parse);
    if (!reader) wrapped.set(parse, (reader = readUtf8Body(parse)));
    return reader;
  };
  const readUtf8Body = (parse: RequestParser): RequestParser => async (request) => {
    const bytes = await readAtMost(request, maxBodyBytes);
    if (bytes === undefined) throw tooLarge();
    if (!isUtf8(bytes)) throw badRequest('The request body is not valid UTF-8');
    return parse(new BodyRead(request, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Partial<Request> as Request);
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
    onRequestParse({ request, requestParser, setRequestParser }) {
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
      const length = request.headers.get('content-length');
      if (length !== null && !/^\d+$/.test(length)) throw badRequest('The Content-Length header is not a byte count');
      const declared = Number(length);
      if (length !== null && declared > maxBodyBytes) throw tooLarge(declared);
      setRequestParser(readUtf8(requestParser));
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult) || requestParserResult.length <= maxBatchSize) return;
          // 400, not 413: the body may be small; what the hub refuses is its shape or length.
          // limitError's spec: false keeps the 400 for legacy `application/json` clients too (yoga would answer 200).
          if (maxBatchSize === 1) throw badRequest('Batched requests are not supported: send each operation in its own request, as a JSON object rather than an array');
          throw limitError('maxBatchSize', `The batch has ${requestParserResult.length} operations`, maxBatchSize, 400, false);
        },
      };
    },
  };
}

/**
 * The whole body, or undefined as soon as it grows past `max` bytes. An oversized body is left
 * unread rather than cancelled: cancelling resets the connection before the 413 goes out.
 *
 * A request yoga made from Node's own IncomingMessage (whatwg-node keeps it as `bodyInit`) is
 * read from that stream directly: going through `request.body` wraps it in a web
 * ReadableStream and a reader, which costs more per request than the rest of the guard.
 * Anything else (the pages' in-process requests, a runtime's native Request) is read through
 * `request.body`.
 */
function readAtMost(request: Request, max: number): Promise<Uint8Array | undefined> {
  const init = (request as Request & { bodyInit?: unknown }).bodyInit;
  if (init instanceof Readable && !init.readableDidRead) return readStreamAtMost(init, max);
  return readWebStreamAtMost(request.body, max);
}

function readStreamAtMost(stream: Readable, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => new StreamRead(stream, max, resolve, reject));
}

/**
 * Reads one body from a Node stream (readAtMost). A class rather than closures: this runs per
 * request, and tsx's keepNames gives every closure a defineProperty call.
 */
class StreamRead {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly stream: Readable,
    private readonly max: number,
    private readonly resolve: (bytes: Uint8Array | undefined) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.onData = this.onData.bind(this);
    this.onEnd = this.onEnd.bind(this);
    this.onError = this.onError.bind(this);
    this.onClose = this.onClose.bind(this);
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
    stream.on('close', this.onClose);
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.byteLength;
    if (this.size > this.max) {
      this.done();
      this.stream.pause();
      this.resolve(undefined);
      return;
    }
    this.chunks.push(chunk);
  }

  private onEnd(): void {
    this.done();
    this.resolve(this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size));
  }

  private onError(error: Error): void {
    this.done();
    this.reject(error);
  }

  /** The client went away before the body ended: nobody is left to answer. */
  private onClose(): void {
    this.done();
    this.reject(new Error('the client closed the connection before its request body ended'));
  }

  private done(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onError);
    this.stream.off('close', this.onClose);
  }
}

async function readWebStreamAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array | undefined> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.releaseLock();
      return undefined;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/**
 * The request as yoga's body parsers see it, with the body already read: they take its
 * method, URL and headers and call `json()` or `text()` (multipart is off). Cheaper than a
 * new Request around the bytes, which would be read through one more stream.
 */
class BodyRead {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;

  constructor(request: Request, private readonly content: string) {
    this.method = request.method;
    this.url = request.url;
    this.headers = request.headers;
  }

  text(): Promise<string> {
    return Promise.resolve(this.content);
  }

  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.content));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

type RequestParser = (request: Request) => Promise<GraphQLParams | GraphQLParams[] | Response> | GraphQLParams | GraphQLParams[] | Response;

/**
 * A 400 for every client: yoga answers a legacy `application/json` client 200 only for an
 * error marked `spec: true` (graphql-yoga's getResponseInitByRespectingErrors).
 */
function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
