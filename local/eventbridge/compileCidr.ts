import { InvalidEventPatternError } from './errors';
import type { LeafPredicate } from './LeafValue';
import { parseIpAddress } from './parseIpAddress';

/**
 * Compiles a `cidr` operand (`"10.0.0.0/24"`, `"2001:db8::/64"`) into a test of event values.
 * Only strings that are IP addresses of the same family inside the block match.
 *
 * @throws {InvalidEventPatternError} when the block is malformed, with AWS's reason.
 */
export function compileCidr(cidr: string): LeafPredicate {
  // Java's String.split drops trailing empty strings, so "10.0.0.0/" has a single part, like in AWS.
  const parts = cidr.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = parts;
  if (!/^[+-]?\d+$/.test(maskText) || !Number.isSafeInteger(Number(maskText))) {
    throw new InvalidEventPatternError('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new InvalidEventPatternError('Malformed CIDR, mask bits must not be negative');

  const parsed = parseIpAddress(address);
  if (parsed.kind === 'not-an-ip') throw new InvalidEventPatternError(`Nonstandard IP address: ${address}`);
  if (parsed.kind === 'invalid') throw new InvalidEventPatternError(`Invalid IP address: ${address}`);
  const network = parsed.bytes;
  // AWS rejects a full-length mask: a single address is written as a plain string instead.
  if (network.length === 4 && maskBits > 31)
    throw new InvalidEventPatternError('IPv4 mask bits must be < 32');
  if (network.length === 16 && maskBits > 127)
    throw new InvalidEventPatternError('IPv6 mask bits must be < 128');

  return (value) => {
    if (typeof value !== 'string') return false;
    const candidate = parseIpAddress(value);
    if (candidate.kind !== 'ip' || candidate.bytes.length !== network.length) return false;
    return samePrefix(candidate.bytes, network, maskBits);
  };
}

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const fullBytes = Math.floor(bits / 8);
  for (let i = 0; i < fullBytes; i++) {
    if (a[i] !== b[i]) return false;
  }
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[fullBytes] ?? 0) & mask) === ((b[fullBytes] ?? 0) & mask);
}
