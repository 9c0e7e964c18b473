import net from 'node:net';
import { parseFetchOrigin, type FetchOrigin } from '../config/sections/media.js';

/**
 * Addresses an attachment URL must never reach unless explicitly allowed: loopback, private
 * networks, link-local (169.254.169.254 is every cloud's metadata service), CGNAT, multicast and
 * the reserved ranges. IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked as the IPv4 it carries.
 */
const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach any IPv4, including the ones above
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    // WHATWG URL writes ::ffff:169.254.169.254 as ::ffff:a9fe:a9fe.
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
    if (hex) {
      const high = parseInt(hex[1]!, 16);
      const low = parseInt(hex[2]!, 16);
      return blocked.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
    }
    return blocked.check(address, 'ipv6');
  }
  // Not an IP at all: refuse rather than guess.
  return true;
}

/**
 * Whether a URL's origin is in an allow-list: same scheme, same port, and the same host (an
 * exact match, or any subdomain of a `*.` entry, never its apex). Entries that do not parse are
 * ignored (the configuration schema refuses them at load).
 */
export function originAllowed(target: FetchOrigin, entries: readonly string[]): boolean {
  return entries.some((raw) => {
    const entry = parseFetchOrigin(raw);
    if (!entry || entry.scheme !== target.scheme || entry.port !== target.port) return false;
    if (entry.host.startsWith('*.'))
      return target.host.endsWith(entry.host.slice(1)) && target.host.length > entry.host.length - 1;
    return target.host === entry.host;
  });
}
