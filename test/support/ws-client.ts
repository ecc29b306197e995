import WebSocket from 'ws';
import { waitFor } from './wait-for.js';

export interface WsClient {
  readonly socket: WebSocket;
  /** Every message received, parsed. */
  readonly messages: any[];
  /** Resolves with the close code and reason once the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Sends `subscribe` and resolves with what came back for that id up to `complete` or `error`. */
  operation(id: string, query: string, variables?: Record<string, unknown>): Promise<any[]>;
  close(): Promise<void>;
}

/**
 * A raw graphql-transport-ws client: it sends exactly what a test says, so limits can be
 * probed without a library's retries and validation in the way.
 */
export async function openWs(httpUrl: string, options: { token?: string; init?: boolean } = {}): Promise<WsClient> {
  const socket = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: WsClient = {
    socket, messages, closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async operation(id, query, variables) {
      client.send({ id, type: 'subscribe', payload: { query, variables } });
      await waitFor(() => messages.some((m) => m.id === id && (m.type === 'complete' || m.type === 'error')) || socket.readyState !== WebSocket.OPEN, { what: `operation ${id} to finish` });
      return messages.filter((m) => m.id === id);
    },
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close(1000);
      await closed;
    },
  };
  if (options.init !== false) {
    client.send({ type: 'connection_init', payload: options.token ? { authorization: `Bearer ${options.token}` } : {} });
    await Promise.race([
      waitFor(() => messages.some((m) => m.type === 'connection_ack'), { what: 'connection_ack' }),
      closed,
    ]);
  }
  return client;
}

export const isAcked = (client: WsClient) => client.messages.some((m) => m.type === 'connection_ack');
