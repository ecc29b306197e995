import { createRequire } from 'node:module';
import WebSocket from 'ws';

// The p99 latency of a normal client while an attacker runs each finding of issue 12, against
// the hub with its protections on (bench/limits.ts). Every client shares 127.0.0.1, so the
// bench hub lifts the rate limits: each attacker runs back to back, harder than the limit
// would let one address, and what is measured is the budgets that remain (costs, caps,
// per-event charges, replay pacing).

interface Result { latency: { p99: number; p50: number }; requests: { average: number }; non2xx: number; errors: number }
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => Promise<Result>;

const post = (url: string, query: string, variables: Record<string, unknown> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then((r) => r.json() as Promise<any>);

/** Finding 1: deep plain lists (links of links of links), several connections back to back. */
async function unboundedLists(url: string, signal: AbortSignal): Promise<string> {
  const id = (await post(url, '{ problems(first: 1) { edges { node { id } } } }')).data.problems.edges[0].node.id;
  const query = 'query($id: ID!) { node(id: $id) { ... on Problem { solutions { problems { solutions { problems { solutions { id } } } } } } } }';
  let sent = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (!signal.aborted) { await post(url, query, { id }); sent++; }
  }));
  return `${sent} requests from 4 connections`;
}

function socket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    ws.on('message', function ack(data) {
      if (JSON.parse(String(data)).type === 'connection_ack') { ws.off('message', ack); resolve(ws); }
    });
  });
}

/** A distinct subscription document per index: the same work, a different text (aliases). */
const distinct = (i: number, after = '') => `subscription { events${after} { position a${i}: type subject { ... on Problem { title solutions { id title } council { name region } } } } }`;

/** Finding 2: two sockets, 20 distinct documents each, resubscribing whenever one is ended. */
async function distinctSubscriptions(url: string, signal: AbortSignal): Promise<string> {
  const sockets = await Promise.all([socket(url), socket(url)]);
  let events = 0;
  let ended = 0;
  let next = 0;
  for (const ws of sockets) {
    const subscribe = () => ws.send(JSON.stringify({ id: String(++next), type: 'subscribe', payload: { query: distinct(next % 20) } }));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'next' && !message.payload.errors) events++;
      if (message.type === 'complete' || message.type === 'error' || message.payload?.errors) { ended++; if (!signal.aborted) subscribe(); }
    });
    for (let i = 0; i < 20; i++) subscribe();
  }
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  for (const ws of sockets) ws.close();
  return `${events} events delivered, ${ended} subscriptions ended by their allowance`;
}

/** Finding 3: replays from position 0 with distinct documents, four at a time. */
async function replays(url: string, signal: AbortSignal): Promise<string> {
  let replayed = 0;
  let events = 0;
  let index = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (!signal.aborted) {
      const ws = await socket(url);
      const i = ++index;
      await new Promise<void>((resolve) => {
        // One abort listener per replay, removed when the replay ends: they would pile up on
        // the shared signal otherwise (one per replay for the whole attack).
        const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
        const timer = setTimeout(done, 3_000);
        ws.on('message', (data) => {
          const message = JSON.parse(String(data));
          if (message.type === 'next') events++;
          if (message.type === 'complete' || message.type === 'error' || message.payload?.errors) done();
        });
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: distinct(i, '(after: 0)') } }));
        signal.addEventListener('abort', done, { once: true });
      });
      ws.close();
      replayed++;
    }
  }));
  return `${replayed} replays, ${events} events replayed`;
}

export const ATTACKS = {
  'finding 1: deep plain lists': unboundedLists,
  'finding 2: 2 sockets x 20 distinct subscriptions': distinctSubscriptions,
  'finding 3: replays from 0, distinct documents': replays,
} as const;

/** The normal client: a typical page, two connections; its p99 and p50 latency in ms. */
export async function normalClient(url: string, query: string, seconds: number): Promise<Result> {
  return autocannon({ url, method: 'POST', connections: 2, duration: seconds, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
}

/** Runs `attack` while the normal client measures; the attack stops when the client does. */
export async function underAttack(url: string, query: string, seconds: number, attack?: (url: string, signal: AbortSignal) => Promise<string>) {
  const stop = new AbortController();
  const attacking = attack ? attack(url, stop.signal) : Promise.resolve('');
  // Let the attack reach its pace before measuring.
  if (attack) await new Promise((resolve) => setTimeout(resolve, 1_000));
  const measured = await normalClient(url, query, seconds);
  stop.abort();
  return { measured, attack: await attacking };
}
