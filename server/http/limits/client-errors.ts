import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * Requests Node's HTTP parser rejects (a malformed Content-Length, oversized headers, a
 * broken request line) never reach yoga. Node would answer them with a bare status line;
 * this answers in the same JSON shape as every other error, then closes the connection.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const [status, reason] = STATUS[error.code ?? ''] ?? [400, 'Bad Request'];
    const body = JSON.stringify({ errors: [{ message: `The HTTP request is malformed: ${reason.toLowerCase()}`, extensions: { code: 'BAD_REQUEST' } }] });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
