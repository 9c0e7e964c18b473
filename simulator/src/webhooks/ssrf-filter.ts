import { lookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * ssrf_filter's blacklist (the gem behind Chatwoot's SafeFetch, ≥ 4.14): the IPv4 ranges, the
 * IPv6 ones, and every IPv4 range again as IPv4-compatible (::a.b.c.d) and IPv4-mapped
 * (::ffff:a.b.c.d) IPv6.
 */
const IPV4_RANGES: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['255.255.255.255', 32],
];
const IPV6_RANGES: [string, number][] = [
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 32],
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

const blocked = new net.BlockList();
for (const [address, prefix] of IPV4_RANGES) {
  blocked.addSubnet(address, prefix, 'ipv4');
  blocked.addSubnet(`::${address}`, 96 + prefix, 'ipv6');
  blocked.addSubnet(`::ffff:${address}`, 96 + prefix, 'ipv6');
}
for (const [address, prefix] of IPV6_RANGES) blocked.addSubnet(address, prefix, 'ipv6');

/** An IP address ssrf_filter refuses to connect to (loopback, private, link-local, reserved…). */
export function isUnsafeAddress(address: string): boolean {
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  return family === null ? true : blocked.check(address, family);
}

export type SafeTarget = { address: string; family: 4 | 6 } | { refused: string };

/**
 * Where ssrf_filter would connect for `hostname`: an IP literal as it is, a name resolved to all
 * its addresses and the first public one taken (refused when there is none), so the connection
 * goes to the address that was checked.
 */
export async function safeTarget(hostname: string): Promise<SafeTarget> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIPv4(host) ? 4 : 6 }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (addresses.length === 0) return { refused: `Could not resolve hostname '${host}'` };
  const safe = addresses.find((entry) => !isUnsafeAddress(entry.address));
  if (!safe) return { refused: `Hostname '${host}' has no public ip addresses` };
  return { address: safe.address, family: safe.family === 6 ? 6 : 4 };
}
