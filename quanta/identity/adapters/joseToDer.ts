/**
 * Converts a JOSE ECDSA P-256 signature (64 bytes, r || s) to DER (ASN.1 `SEQUENCE { INTEGER r,
 * INTEGER s }`), the form KMS `Verify` and most crypto libraries accept. Inverse of `derToJose`.
 *
 * @example
 * ```ts
 * const der = joseToDer(jose); // 70-72 bytes
 * ```
 */
export function joseToDer(jose: Uint8Array): Uint8Array {
  if (jose.length !== 64) throw new Error(`JOSE ES256 signature must have 64 bytes, got ${jose.length}`);
  const r = integer(jose.subarray(0, 32));
  const s = integer(jose.subarray(32));
  const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
  return Uint8Array.from([0x30, body.length, ...body]);
}

function integer(component: Uint8Array): number[] {
  let start = 0;
  while (start < component.length - 1 && component[start] === 0) start++;
  const bytes = [...component.subarray(start)];
  // A set high bit would read as negative: DER needs a leading zero then.
  return (bytes[0] ?? 0) & 0x80 ? [0, ...bytes] : bytes;
}
