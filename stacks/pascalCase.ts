/**
 * `outboxRelay` -> `OutboxRelay`, `session-revoked` -> `SessionRevoked`: construct ids derived from
 * manifest names. Construct ids are a contract (they become logical ids), so this must never change.
 *
 * @example
 * ```ts
 * pascalCase('session-revoked'); // 'SessionRevoked'
 * ```
 */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
