import { isIPv4, isIPv6 } from 'node:net';

/**
 * Why a webhook may not connect to an address, or null when it may: only globally routable
 * unicast addresses are allowed, so a council's endpoint cannot make the hub reach into its
 * own network, the cloud metadata service or anything else that trusts "internal" callers.
 * Pure: it looks at the address only, never the network.
 */
export function refusedAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return ipv4Reason(ipv4ToNumber(bare));
  if (isIPv6(bare)) return ipv6Reason(ipv6ToGroups(bare));
  return 'is not an IP address';
}

type Range = readonly [base: number, prefix: number, reason: string];

const IPV4_RANGES: readonly Range[] = [
  [ip4('0.0.0.0'), 8, 'is in 0.0.0.0/8 ("this network")'],
  [ip4('10.0.0.0'), 8, 'is a private address (10.0.0.0/8)'],
  [ip4('100.64.0.0'), 10, 'is a carrier-grade NAT address (100.64.0.0/10)'],
  [ip4('127.0.0.0'), 8, 'is a loopback address (127.0.0.0/8)'],
  [ip4('169.254.0.0'), 16, 'is a link-local address (169.254.0.0/16, cloud metadata lives here)'],
  [ip4('172.16.0.0'), 12, 'is a private address (172.16.0.0/12)'],
  [ip4('192.0.0.0'), 24, 'is an IETF protocol address (192.0.0.0/24)'],
  [ip4('192.0.2.0'), 24, 'is a documentation address (192.0.2.0/24)'],
  [ip4('192.88.99.0'), 24, 'is a 6to4 relay address (192.88.99.0/24)'],
  [ip4('192.168.0.0'), 16, 'is a private address (192.168.0.0/16)'],
  [ip4('198.18.0.0'), 15, 'is a benchmarking address (198.18.0.0/15)'],
  [ip4('198.51.100.0'), 24, 'is a documentation address (198.51.100.0/24)'],
  [ip4('203.0.113.0'), 24, 'is a documentation address (203.0.113.0/24)'],
  [ip4('224.0.0.0'), 4, 'is a multicast address (224.0.0.0/4)'],
  [ip4('240.0.0.0'), 4, 'is a reserved or broadcast address (240.0.0.0/4)'],
];

function ip4(text: string): number {
  return ipv4ToNumber(text);
}

function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function ipv4Reason(value: number): string | null {
  for (const [base, prefix, reason] of IPV4_RANGES) {
    const size = 2 ** (32 - prefix);
    if (value >= base && value < base + size) return reason;
  }
  return null;
}

/** Eight 16-bit groups; an IPv4 tail ("::ffff:1.2.3.4") becomes the last two. */
function ipv6ToGroups(text: string): number[] {
  let body = text.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4) {
    const n = ipv4ToNumber(v4[1]!);
    body = `${body.slice(0, -v4[1]!.length)}${Math.floor(n / 65_536).toString(16)}:${(n % 65_536).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const gap = body.indexOf('::');
  if (gap < 0) return parse(body);
  const front = parse(body.slice(0, gap));
  const back = parse(body.slice(gap + 2));
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address in groups 6 and 7 (mapped, compatible, NAT64). */
const embedded = (g: number[]) => g[6]! * 65_536 + g[7]!;

function ipv6Reason(g: number[]): string | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'is the unspecified address (::)';
  if (zeroUpTo(7) && g[7] === 1) return 'is the loopback address (::1)';
  if (zeroUpTo(5) && g[5] === 0xffff) {
    const reason = ipv4Reason(embedded(g));
    return reason && `maps an IPv4 address that ${reason}`;
  }
  if (zeroUpTo(6)) return 'is an IPv4-compatible address (::/96, deprecated)';
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    const reason = ipv4Reason(embedded(g));
    return reason && `translates (NAT64) to an IPv4 address that ${reason}`;
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'is a local-use NAT64 address (64:ff9b:1::/48)';
  if (g[0] === 0x100 && g.slice(1, 4).every((x) => x === 0)) return 'is a discard address (100::/64)';
  if (g[0] === 0x2001 && g[1] === 0) return 'is a Teredo address (2001::/32)';
  if (g[0] === 0x2001 && g[1] === 0xdb8) return 'is a documentation address (2001:db8::/32)';
  if (g[0] === 0x2002) {
    const reason = ipv4Reason(g[1]! * 65_536 + g[2]!);
    return reason && `is a 6to4 address for an IPv4 address that ${reason}`;
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return 'is a unique local address (fc00::/7)';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'is a link-local address (fe80::/10)';
  if ((g[0]! & 0xffc0) === 0xfec0) return 'is a site-local address (fec0::/10, deprecated)';
  if ((g[0]! & 0xff00) === 0xff00) return 'is a multicast address (ff00::/8)';
  // Everything outside 2000::/3 is unassigned or special-purpose.
  if ((g[0]! & 0xe000) !== 0x2000) return 'is not a global unicast address (outside 2000::/3)';
  return null;
}
