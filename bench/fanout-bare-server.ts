import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The fan-out baseline: a bare `ws` server that sends each POSTed body, unchanged, to every
 * connected socket. No GraphQL, no database: the limit the hub's fan-out is measured against.
 */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const message = Buffer.concat(chunks).toString('utf8');
    for (const socket of wss.clients) socket.send(message);
    res.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server, perMessageDeflate: false });
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'bare broadcast is serving', port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close(() => process.exit(0));
});
