import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// The mail server of bench/notifications.ts, in a process of its own, so the digest run's
// time and peak RSS are the sender's and not a mail server's sharing its event loop. It
// accepts and discards every message. On an IPC message 'report' it sends how many it has
// received and its own peak RSS; on 'stop' it exits.
let received = 0;
let peakRss = process.memoryUsage().rss;
setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50).unref();
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _session, done) {
    stream.on('data', () => {});
    stream.on('end', () => { received++; done(); });
  },
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as AddressInfo).port }));
process.on('message', (message) => {
  if (message === 'report') process.send!({ received, peakRss });
  else if (message === 'stop') server.close(() => process.exit(0));
});
