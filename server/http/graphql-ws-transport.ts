import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.js';

export interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  /**
   * Sends `next` messages for subscription `id` straight to the socket, past graphql-ws's
   * per-message work (see sink-driver.ts): the same bytes graphql-ws would send,
   * with each payload object serialized once however many sockets it goes to. The returned
   * promise, when there is one, resolves once the socket's backlog has been flushed.
   */
  nextSender(id: string): (payload: object) => Promise<void> | undefined;
}

export interface GraphQLWsTransportOptions {
  readonly logger: Logger;
  /** Ping interval; a client that does not answer within one interval is dropped. @default 12000 */
  readonly keepAliveMs?: number;
  /**
   * Bytes a socket may have waiting to be written before a send waits for them to reach
   * the kernel. Below it, a send returns at once. @default 1048576
   */
  readonly highWaterMark?: number;
}

const SENT = Promise.resolve();

/**
 * graphql-ws over `ws`, in place of graphql-ws's own `use/ws` adapter, for fan-out.
 *
 * graphql-ws sends a subscriber's next result only once the previous `send` has resolved;
 * `use/ws` resolves it when the write has been flushed, so each event costs each socket a
 * write of its own, one event-loop turn apart. Here a send resolves at once while the
 * socket's backlog is under `highWaterMark` (above it, the subscriber waits for the flush,
 * as before: a slow reader still holds back only itself, and the event feed cuts it off if
 * it falls too far behind). Writes are corked until the current run of microtasks is over,
 * so the events a subscriber is handed together leave in one write.
 */
export function serveGraphQLWs<P extends Record<string, unknown> | undefined, E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<P, SocketExtra & Partial<E>>,
  wss: WebSocketServer,
  transport: GraphQLWsTransportOptions,
) {
  const { logger } = transport;
  const keepAliveMs = transport.keepAliveMs ?? 12_000;
  const highWaterMark = transport.highWaterMark ?? 1024 * 1024;
  const payloads = createPayloadCache();
  const server = makeServer(options.jsonMessageReplacer ? options : { ...options, jsonMessageReplacer: payloads.replacer });
  wss.options.handleProtocols = handleProtocols;

  wss.on('error', (error) => {
    logger.error('the WebSocket server failed; closing its sockets', { error });
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // The upgraded HTTP request's socket is the one ws writes its frames to.
    const raw: Socket = request.socket;
    let corked = false;
    const uncork = () => { corked = false; raw.uncork(); };
    const cork = () => {
      if (corked) return;
      corked = true;
      raw.cork();
      // A tick queued now runs once the pending microtasks have run: after every send
      // that the current batch of events leads to.
      process.nextTick(uncork);
    };

    socket.once('error', (error) => {
      logger.warn('a WebSocket failed; closing it', { error });
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });

    let pongWait: NodeJS.Timeout | undefined;
    const pingInterval = keepAliveMs > 0 && Number.isFinite(keepAliveMs)
      ? setInterval(() => {
        if (socket.readyState !== socket.OPEN) return;
        pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
        socket.once('pong', () => { clearTimeout(pongWait); pongWait = undefined; });
        socket.ping();
      }, keepAliveMs)
      : undefined;

    /** Undefined when the data is on its way at once; a promise when it waits for a flush. */
    const write = (data: string): Promise<void> | undefined => {
      if (socket.readyState !== socket.OPEN) return undefined;
      cork();
      if (socket.bufferedAmount < highWaterMark) {
        socket.send(data);
        return undefined;
      }
      return new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
    };
    const nextSender = (id: string) => {
      // graphql-ws's own layout of a next message: {"id":…,"type":"next","payload":…}.
      const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
      return (payload: object) => write(`${head}${payloads.serialize(payload)}}`);
    };

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (message) => write(payloads.fill(message)) ?? SENT,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) => socket.on('message', async (message: Buffer) => {
          try {
            await handle(String(message));
          } catch (error) {
            logger.error('a graphql-ws message could not be handled; closing the socket', { error });
            socket.close(CloseCode.InternalServerError, 'Internal server error');
          }
        }),
      },
      { socket, request, nextSender } as SocketExtra & Partial<E>,
    );

    socket.once('close', (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });

  return {
    async dispose(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * Serializes each result once however many sockets it goes to. A group of subscribers with
 * the same operation and visibility shares one result object per event (shared-subscriptions.ts),
 * but graphql-ws stringifies a whole message per socket. The replacer swaps a `next`
 * message's payload for a placeholder and holds the payload's JSON, cached by object; `fill`
 * puts it back into the message string that graphql-ws hands to `send` straight after
 * (stringify and send are one synchronous step there), where the payload is the last key.
 */
function createPayloadCache() {
  const PLACEHOLDER = '\u0000payload';
  const placed = `"payload":${JSON.stringify(PLACEHOLDER)}}`;
  const serialized = new WeakMap<object, string>();
  let held: string | undefined;
  const serialize = (value: object): string => {
    let json = serialized.get(value);
    if (json === undefined) {
      json = JSON.stringify(value);
      serialized.set(value, json);
    }
    return json;
  };
  return {
    serialize,
    replacer(this: unknown, key: string, value: unknown): unknown {
      if (key !== 'payload' || (this as { type?: unknown }).type !== 'next' || value === null || typeof value !== 'object') return value;
      held = serialize(value);
      return PLACEHOLDER;
    },
    fill(message: string): string {
      if (held === undefined) return message;
      const json = held;
      held = undefined;
      if (!message.endsWith(placed)) throw new Error('a graphql-ws next message did not end with its payload');
      return `${message.slice(0, -placed.length)}"payload":${json}}`;
    },
  };
}
