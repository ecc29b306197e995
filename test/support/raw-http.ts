import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A string or bytes are sent with a Content-Length; a stream is sent chunked. */
  body?: string | Uint8Array | ReadableStream<Uint8Array>;
}

/**
 * One request on its own connection, with no client-side checks: fetch refuses to send a
 * malformed Content-Length, and a keep-alive pool would let one hostile request's aftermath
 * (a server that stops reading an oversized upload) land on the next request.
 */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(req.path ?? '/graphql', baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: req.method ?? 'POST', headers: req.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer (413) and close before an oversized upload is finished: that is
    // its right, so a write error after the response has started is not a failure.
    outgoing.on('error', (error) => (outgoing.headersSent && (error as NodeJS.ErrnoException).code === 'EPIPE') ? undefined : reject(error));
    const { body } = req;
    if (body === undefined) outgoing.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
    else Readable.fromWeb(body as never).pipe(outgoing);
  });
}
