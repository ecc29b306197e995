import WebSocket from 'ws';

const POSITION = Buffer.from('"position":');

/**
 * Many WebSocket subscribers in one process, kept cheap so the load generator is not the
 * bottleneck: each message is searched for its `"position":` rather than parsed, and only
 * (position, arrival time) is recorded. The same code reads the hub and the bare baseline,
 * which send byte-identical messages.
 */
export interface ClientPool {
  readonly size: number;
  /** Forgets what was received, before a round. */
  reset(): void;
  /** Arrivals since the last reset: positions[i] arrived at times[i] (performance.now()) on socket sockets[i]. */
  readonly positions: number[];
  readonly times: number[];
  readonly sockets: number[];
  /** The raw text of the first message each position arrived in (for the baseline's payloads). */
  readonly samples: Map<number, string>;
  close(): void;
}

export interface GraphQLSubscribe {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** Connects `count` sockets; with `subscribe`, each speaks graphql-transport-ws and subscribes. */
export async function connectPool(url: string, count: number, subscribe?: GraphQLSubscribe): Promise<ClientPool> {
  const sockets: WebSocket[] = [];
  const pool = { positions: [] as number[], times: [] as number[], sockets: [] as number[], samples: new Map<number, string>() };

  const onSocketMessage = (socket: number, data: Buffer) => {
    const at = data.indexOf(POSITION);
    if (at < 0) return;
    let position = 0;
    for (let i = at + POSITION.length; i < data.length; i++) {
      const digit = data[i]! - 48;
      if (digit < 0 || digit > 9) break;
      position = position * 10 + digit;
    }
    pool.positions.push(position);
    pool.times.push(performance.now());
    pool.sockets.push(socket);
    if (!pool.samples.has(position)) pool.samples.set(position, data.toString('utf8'));
  };

  const open = (index: number) => new Promise<WebSocket>((resolve, reject) => {
    const onMessage = (data: Buffer) => onSocketMessage(index, data);
    const socket = new WebSocket(url, subscribe ? 'graphql-transport-ws' : undefined, { perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('open', () => {
      if (!subscribe) { socket.on('message', onMessage); return resolve(socket); }
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      socket.once('message', (ack: Buffer) => {
        if (!ack.toString().includes('connection_ack')) return reject(new Error(`no ack: ${ack}`));
        // The same subscription id everywhere, so every subscriber's messages are identical.
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: subscribe }));
        socket.on('message', onMessage);
        resolve(socket);
      });
    });
  });

  for (let i = 0; i < count; i += 100) {
    sockets.push(...await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, j) => open(i + j))));
  }
  return {
    size: count,
    get positions() { return pool.positions; },
    get times() { return pool.times; },
    get sockets() { return pool.sockets; },
    get samples() { return pool.samples; },
    reset() { pool.positions = []; pool.times = []; pool.sockets = []; },
    close() { for (const socket of sockets) socket.terminate(); },
  };
}
