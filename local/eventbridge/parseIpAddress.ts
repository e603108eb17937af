import { isIPv4, isIPv6 } from 'node:net';

// EventBridge only treats a string as an IP address when it has one of these shapes; anything else
// (host names, zone ids, dotted IPv6 tails) is never an IP, neither in a pattern nor in an event.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** The outcome of reading a string as an IP address. */
export type IpParseResult =
  | { readonly kind: 'ip'; readonly bytes: Uint8Array }
  | { readonly kind: 'not-an-ip' }
  | { readonly kind: 'invalid' };

/**
 * Reads `text` as an IPv4 or IPv6 address, in network byte order. An IPv4-mapped IPv6 address
 * (`::ffff:a.b.c.d` written in hex) is returned as its 4 IPv4 bytes, as EventBridge compares it.
 *
 * `not-an-ip`: the text does not look like an address; `invalid`: it looks like one but is not
 * (e.g. `999.1.1.1`).
 */
export function parseIpAddress(text: string): IpParseResult {
  if (IPV4_SHAPE.test(text)) {
    if (!isIPv4(text)) return { kind: 'invalid' };
    return { kind: 'ip', bytes: Uint8Array.from(text.split('.').map(Number)) };
  }
  if (IPV6_SHAPE.test(text)) {
    if (!isIPv6(text)) return { kind: 'invalid' };
    const bytes = ipv6Bytes(text);
    const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    return { kind: 'ip', bytes: mapped ? bytes.slice(12) : bytes };
  }
  return { kind: 'not-an-ip' };
}

function ipv6Bytes(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}
