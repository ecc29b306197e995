import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from '../../server/http/limits/client-address.js';

const from = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

describe('the address a client is limited by', () => {
  it('is one /64 for every IPv6 address in it, however it is written', () => {
    const keys = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:abcd::9', '2001:DB8:1:2::'].map(addressKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(keys[0]);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('is the IPv4 address itself, also when IPv4-mapped', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('takes the last forwarded entry only behind a trusted proxy, keyed the same way', () => {
    expect(clientAddress(from('10.0.0.1', '203.0.113.9, 2001:db8:5:6::77'), true)).toBe('2001:db8:5:6::/64');
    expect(clientAddress(from('2001:db8:9:9::1', '203.0.113.9'), false)).toBe('2001:db8:9:9::/64');
  });
});
