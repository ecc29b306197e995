import { describe, expect, it } from 'vitest';
import { refusedAddressReason } from '../../server/webhooks/address-check.js';

// Pure function only: nothing here opens a connection.
describe('the webhook address check', () => {
  it.each([
    ['127.0.0.1', /loopback/], ['127.255.255.254', /loopback/], ['0.0.0.0', /this network/], ['0.1.2.3', /this network/],
    ['10.0.0.1', /private/], ['10.255.255.255', /private/],
    ['172.16.0.1', /private/], ['172.31.255.255', /private/],
    ['192.168.0.1', /private/], ['192.168.255.255', /private/],
    ['169.254.169.254', /link-local.*metadata/], ['169.254.0.1', /link-local/],
    ['100.64.0.1', /carrier-grade/], ['100.127.255.255', /carrier-grade/],
    ['192.0.0.8', /IETF/], ['192.0.2.1', /documentation/], ['198.51.100.7', /documentation/], ['203.0.113.9', /documentation/],
    ['198.18.0.1', /benchmarking/], ['198.19.255.255', /benchmarking/],
    ['224.0.0.1', /multicast/], ['239.255.255.250', /multicast/], ['255.255.255.255', /broadcast/], ['240.0.0.1', /reserved/],
    ['::1', /loopback/], ['::', /unspecified/], ['0:0:0:0:0:0:0:1', /loopback/],
    ['::ffff:127.0.0.1', /maps.*loopback/], ['::ffff:7f00:1', /maps.*loopback/], ['::ffff:169.254.169.254', /maps.*link-local/],
    ['::ffff:10.1.2.3', /maps.*private/], ['::ffff:192.168.1.1', /maps.*private/], ['::127.0.0.1', /IPv4-compatible/],
    ['64:ff9b::10.0.0.1', /NAT64.*private/], ['64:ff9b::7f00:1', /NAT64.*loopback/], ['64:ff9b:1::1', /local-use NAT64/],
    ['fc00::1', /unique local/], ['fd12:3456:789a::1', /unique local/],
    ['fe80::1', /link-local/], ['fe80::1%eth0', /link-local/], ['febf::1', /link-local/], ['fec0::1', /site-local/],
    ['ff02::1', /multicast/], ['2001:db8::1', /documentation/], ['2001::1', /Teredo/], ['100::1', /discard/],
    ['2002:7f00:1::1', /6to4.*loopback/], ['2002:a00:1::', /6to4.*private/], ['[::1]', /loopback/],
    ['4000::1', /global unicast/], ['::2', /IPv4-compatible/],
    ['localhost', /not an IP address/], ['example.org', /not an IP address/], ['', /not an IP address/],
  ])('refuses %s', (address, reason) => {
    expect(refusedAddressReason(address)).toMatch(reason);
  });

  it.each([
    '1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0',
    '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0', '198.17.255.255',
    '198.20.0.0', '223.255.255.255', '81.2.69.160',
    '2a00:1450:4009:81f::200e', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808',
    '2002:808:808::1', '2001:db9::1',
  ])('allows the public address %s', (address) => {
    expect(refusedAddressReason(address)).toBeNull();
  });
});
