import { createClient, type Client } from 'graphql-ws';
import { afterEach } from 'vitest';
import WebSocket from 'ws';

/** What a test subscriber has received so far, and a way to stop it. */
export interface TestSubscription<T = any> {
  /** `data` of every `next` message, in arrival order. */
  readonly received: T[];
  readonly errors: unknown[];
  /** True once the server completed the stream (or it failed). */
  readonly ended: boolean;
  /** Resolves when the server has started the subscription (WebSocket: acknowledged). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** A graphql-ws client over a real WebSocket; the token goes in `connection_init`. */
export function subscribeWs<T = any>(httpUrl: string, query: string, variables: Record<string, unknown> = {}, token?: string): TestSubscription<T> & { client: Client } {
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => { acknowledged = resolve; });
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => acknowledged() },
    onNonLazyError: () => {},
  });
  const state = { received: [] as T[], errors: [] as unknown[], ended: false };
  const stop = client.subscribe<T>({ query, variables }, {
    next: (message) => {
      if (message.errors) state.errors.push(...message.errors);
      if (message.data) state.received.push(message.data);
    },
    error: (error) => { state.errors.push(error); state.ended = true; },
    complete: () => { state.ended = true; },
  });
  return {
    client,
    get received() { return state.received; },
    get errors() { return state.errors; },
    get ended() { return state.ended; },
    ready,
    async close() {
      stop();
      await client.dispose();
    },
  };
}

/**
 * A Server-Sent Events client built on fetch, as a browser's EventSource would be, but able
 * to send the Authorization header. Parses `event:`/`data:` frames as they stream in.
 */
export function subscribeSse<T = any>(httpUrl: string, query: string, variables: Record<string, unknown> = {}, token?: string): TestSubscription<T> & { status: Promise<number> } {
  const abort = new AbortController();
  const state = { received: [] as T[], errors: [] as unknown[], ended: false };
  let opened!: (status: number) => void;
  const status = new Promise<number>((resolve) => { opened = resolve; });
  const done = (async () => {
    try {
      const response = await fetch(`${httpUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: abort.signal,
      });
      opened(response.status);
      if (!response.ok || !response.body) {
        state.errors.push(await response.text());
        return;
      }
      const decoder = new TextDecoder();
      let buffered = '';
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffered += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          handleFrame(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) state.errors.push(error);
    } finally {
      state.ended = true;
      opened(0);
    }
  })();

  function handleFrame(frame: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event !== 'next' || data.length === 0) return;
    const message = JSON.parse(data.join('\n'));
    if (message.errors) state.errors.push(...message.errors);
    if (message.data) state.received.push(message.data);
  }

  return {
    status,
    get received() { return state.received; },
    get errors() { return state.errors; },
    get ended() { return state.ended; },
    // Yoga flushes the response head when the subscription has started.
    ready: status.then(() => undefined),
    async close() {
      abort.abort();
      await done;
    },
  };
}

/**
 * For a describe block: returns `track`, which records a subscription a test opens so that
 * it is closed after that test, whether the test passed or not.
 */
export function closeAfterEach(): <S extends TestSubscription>(sub: S) => S {
  const open: TestSubscription[] = [];
  afterEach(async () => { await Promise.all(open.splice(0).map((s) => s.close())); });
  return (sub) => { open.push(sub); return sub; };
}
