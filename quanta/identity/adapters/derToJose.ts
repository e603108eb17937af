/** Byte length of one ES256 signature component (r or s). */
const P256_COMPONENT = 32;

/**
 * Converts an ECDSA signature from DER (ASN.1 `SEQUENCE { INTEGER r, INTEGER s }`, what KMS returns)
 * to the JOSE form JWTs use: r and s as fixed-width 32-byte big-endian integers, concatenated.
 * Rejects anything that is not a well-formed P-256 signature.
 *
 * @example
 * ```ts
 * const jose = derToJose(kmsResponse.Signature); // 64 bytes
 * ```
 */
export function derToJose(der: Uint8Array): Uint8Array {
  let offset = 0;
  const byte = (): number => {
    const b = der[offset++];
    if (b === undefined) throw new Error('DER signature is truncated');
    return b;
  };
  if (byte() !== 0x30) throw new Error('DER signature must start with a SEQUENCE (0x30)');
  const sequenceLength = readLength(byte);
  if (sequenceLength !== der.length - offset) {
    throw new Error(
      `DER sequence length ${sequenceLength} does not match the remaining ${der.length - offset} bytes`,
    );
  }
  const r = readInteger(
    byte,
    der,
    () => offset,
    (n) => (offset += n),
  );
  const s = readInteger(
    byte,
    der,
    () => offset,
    (n) => (offset += n),
  );
  if (offset !== der.length) throw new Error('DER signature has trailing bytes');
  const jose = new Uint8Array(P256_COMPONENT * 2);
  jose.set(r, P256_COMPONENT - r.length);
  jose.set(s, P256_COMPONENT * 2 - s.length);
  return jose;
}

function readLength(byte: () => number): number {
  const first = byte();
  if (first < 0x80) return first;
  // Long form: only one length byte can occur for signatures of this size.
  if (first !== 0x81) throw new Error(`Unsupported DER length encoding 0x${first.toString(16)}`);
  return byte();
}

function readInteger(
  byte: () => number,
  der: Uint8Array,
  position: () => number,
  advance: (n: number) => void,
): Uint8Array {
  if (byte() !== 0x02) throw new Error('DER signature component must be an INTEGER (0x02)');
  const length = readLength(byte);
  if (length === 0 || position() + length > der.length) throw new Error('DER INTEGER length is invalid');
  let value = der.subarray(position(), position() + length);
  advance(length);
  // DER prefixes a 0x00 when the high bit is set, to keep the integer positive; JOSE does not.
  while (value.length > 1 && value[0] === 0) value = value.subarray(1);
  if (value.length > P256_COMPONENT)
    throw new Error(`DER INTEGER has ${value.length} bytes; P-256 allows 32`);
  return value;
}
