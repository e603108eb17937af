const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Epoch milliseconds of an ISO 8601 basic-format timestamp as SigV4 uses it (`20240131T235959Z`),
 * or undefined when the text is not one.
 *
 * @example
 * ```ts
 * parseAmzDate('20240131T235959Z'); // 1706745599000
 * ```
 */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const epoch = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls over (month 13, second 61): such a text is not a timestamp.
  return formatAmzDate(epoch) === text ? epoch : undefined;
}

/**
 * The ISO 8601 basic format of `epochMs`, seconds precision (`20240131T235959Z`).
 *
 * @example
 * ```ts
 * formatAmzDate(1706745599000); // '20240131T235959Z'
 * ```
 */
export function formatAmzDate(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace('.000', '');
}
