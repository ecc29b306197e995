import type { IncomingMessage } from 'node:http';
import { isIPv6, type Socket } from 'node:net';

/**
 * The address a request came from, as the key its limits are kept under. Behind one reverse
 * proxy (TRUST_PROXY), that is the last X-Forwarded-For entry, the one the proxy itself
 * appended; earlier entries are the client's own claims and cannot be trusted. IPv6 clients
 * are keyed by their /64: one subscriber line holds at least a /64, so keying on the whole
 * address would give each client 2^64 allowances.
 */
export function clientAddress(req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req?.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    if (last) return addressKey(last);
  }
  const socket = req?.socket;
  if (!socket) return 'unknown';
  // A keep-alive connection sends many requests from one address: work its key out once.
  let key = socketKeys.get(socket);
  if (key === undefined) socketKeys.set(socket, (key = addressKey(socket.remoteAddress ?? 'unknown')));
  return key;
}

const socketKeys = new WeakMap<Socket, string>();

/** IPv4 as it is (also when IPv4-mapped, `::ffff:192.0.2.1`); IPv6 as its /64 prefix. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.toLowerCase().split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
