import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The "fast local receiver" of bench/webhooks.ts, in a process of its own so that neither
// the hub's worker nor the baseline loop shares its event loop. It answers 204 at once and
// records when each delivery arrived (epoch milliseconds, sub-millisecond precision, the
// same clock as the bench process). On an IPC message 'report' it sends and forgets them.
interface Arrival { id: string; title: string | null; at: number }
let arrivals: Arrival[] = [];
const now = () => performance.timeOrigin + performance.now();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const at = now();
    response.writeHead(204).end();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { payload?: { title?: string } } };
    arrivals.push({ id: String(request.headers['webhook-id']), title: body.data?.payload?.title ?? null, at });
  });
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (message) => {
  if (message === 'report') {
    process.send!({ arrivals });
    arrivals = [];
  } else if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
