import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * Settings for tests: deliveries to loopback allowed, and a retry schedule of milliseconds
 * that never gives up, so a receiver can be down for a while without the test taking long.
 */
export const WEBHOOK_TEST_ENV: Readonly<Record<string, string>> = {
  WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_POLL_INTERVAL_MS: '50',
  WEBHOOKS_RETRY_INITIAL_MS: '50', WEBHOOKS_RETRY_MAX_MS: '250', WEBHOOKS_MAX_ATTEMPTS: '100000',
};

/** The same for a hub that runs its workers in-process. */
export const IN_PROCESS_WEBHOOK_ENV = { ...WEBHOOK_TEST_ENV, IN_PROCESS_WORKERS: 'true', EVENT_POLL_INTERVAL_MS: '50' };

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly receivedAt: number;
}

/**
 * A real HTTP receiver on loopback that records every request it answers. `answer` sets
 * the status it answers with; `stop()` closes the port (connection refused) and `start()`
 * opens the same port again. `connections` counts TCP connections, even ones that never
 * become an HTTP request, so a test can prove nothing reached it at all.
 */
export async function startWebhookReceiver(options: { status?: number } = {}) {
  const received: ReceivedWebhook[] = [];
  let status = options.status ?? 204;
  let connections = 0;
  let port = 0;
  let server: Server | undefined;

  async function listen(): Promise<void> {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
        response.writeHead(status).end();
      });
    });
    server.on('connection', () => { connections++; });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }
  await listen();

  return {
    received,
    get port() { return port; },
    get url() { return `http://127.0.0.1:${port}/hooks`; },
    get connections() { return connections; },
    answer(next: number) { status = next; },
    /** Closes the port: later deliveries meet "connection refused". */
    async stop(): Promise<void> {
      const closing = server;
      server = undefined;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start: listen,
    /** Each delivery's body, verified against the secret(s) with the standardwebhooks package. */
    verified(secret: string): { id: string; body: any }[] {
      const webhook = new Webhook(secret);
      return received.map((r) => ({
        id: String(r.headers['webhook-id']),
        body: webhook.verify(r.body, r.headers as Record<string, string>),
      }));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * The deliveries a receiver saw, de-duplicated by webhook-id and kept in order of first
 * arrival: at-least-once delivery may repeat one (a worker killed after sending, before
 * recording), never reorder.
 */
export function firstArrivals(received: readonly ReceivedWebhook[]): { id: string; position: number; type: string }[] {
  const seen = new Set<string>();
  const out: { id: string; position: number; type: string }[] = [];
  for (const r of received) {
    const id = String(r.headers['webhook-id']);
    if (seen.has(id)) continue;
    seen.add(id);
    const body = JSON.parse(r.body) as { type: string; data: { position: number } };
    out.push({ id, position: body.data.position, type: body.type });
  }
  return out;
}
